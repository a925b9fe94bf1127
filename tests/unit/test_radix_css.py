"""The lean Radix stylesheet ships every colour scale, component and utility the app uses (onestop/ui/radix_css.py).

Why: a colour scale left out renders as no colour at all (a badge with no background, an invisible
alert), silently; a component whose CSS was cut renders unstyled. This test reads the code the way the
CSS is used — `color_scheme="…"`, Radix colour names as string literals in the UI layer (mappings such as
status → colour), `var(--name-N)` in styles — and fails for any scale that `COLOURS` does not ship; it
builds every page's component tree and fails for a Radix component not in `COMPONENTS` or a cut utility
prop that a page sets; and it fails when the committed `radix_lean.css` was generated from other lists or
another Radix version than the one Reflex installs. (tests/e2e/test_app_shell.py checks the built pages:
every `rt-` class in their DOM has a rule.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onestop.ui.radix_css import COLOURS, COMPONENTS, DROPPED_UTILITIES, LEAN_CSS, LeanRadixThemesPlugin, header

ROOT = Path(__file__).resolve().parents[2]
_SCALES = (
    "amber|blue|bronze|brown|crimson|cyan|gold|grass|gray|green|indigo|iris|jade|lime|mauve|mint|olive|orange"
    "|pink|plum|purple|red|ruby|sage|sand|sky|slate|teal|tomato|violet|yellow"
)
_LITERAL = re.compile(rf"""["']({_SCALES})["']""")
_VAR = re.compile(rf"--({_SCALES})-a?\d+")


def _used_scales() -> dict[str, str]:
    """Scale → first file naming it."""
    used: dict[str, str] = {}
    ui_files = [p for p in (ROOT / "onestop" / "ui").rglob("*.py") if p.name != "radix_css.py"]
    style_files = [*ROOT.joinpath("onestop").rglob("*.py"), *ROOT.joinpath("assets").rglob("*.css")]
    for path in ui_files:
        for name in _LITERAL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(ROOT)))
    for path in style_files:
        for name in _VAR.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(ROOT)))
    return used


def test_every_colour_the_code_names_is_shipped() -> None:
    missing = {name: where for name, where in _used_scales().items() if name not in COLOURS}
    assert not missing, f"add these Radix colour scales to onestop/ui/radix_css.COLOURS: {missing}"


def test_the_theme_colours_are_shipped() -> None:
    from onestop.ui.theme import THEME

    props = str(THEME)
    for prop in ("accentColor", "grayColor"):
        name = re.search(prop + r':\\?"(\w+)', props)
        assert name is not None and name.group(1) in COLOURS, (prop, props)


def _kebab(tag: str) -> str:
    """Reflex's tag of a Radix component (`DropdownMenu.Content`) → Radix's stylesheet name (`dropdown-menu`)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", tag.split(".")[0]).lower()


@pytest.fixture(scope="module")
def page_trees() -> list:
    """Every page's component tree, as the compiler gets it (no build, no database)."""
    from onestop.onestop import app

    return [
        page.component() if callable(page.component) else page.component for page in app._unevaluated_pages.values()
    ]


def test_every_radix_component_a_page_renders_keeps_its_css(page_trees: list) -> None:
    from reflex_components_radix.plugin import RADIX_THEMES_PACKAGE

    package = RADIX_THEMES_PACKAGE.rsplit("@", 1)[0]
    tags = {
        iv.tag
        for tree in page_trees
        for lib, ivs in tree._get_all_imports().items()
        if lib.startswith(package)
        for iv in ivs
    }
    assert {"Button", "Text", "Flex"} <= tags, tags  # the trees are the real pages
    missing = sorted(_kebab(t) for t in tags if _kebab(t) not in COMPONENTS and _kebab(t) != "theme")
    assert not missing, f"add to onestop/ui/radix_css.COMPONENTS and regenerate radix_lean.css: {missing}"


def test_no_page_sets_a_utility_prop_whose_classes_were_cut() -> None:
    """A cut family's prop is either declared by no Reflex Radix component (Reflex makes it an emotion style)
    or, for the margin props Reflex does declare, passed nowhere in the UI code."""
    import importlib
    import pkgutil

    import reflex_components_radix.themes as themes
    from reflex_components_radix.themes.base import RadixThemesComponent

    for mod in pkgutil.walk_packages(themes.__path__, themes.__name__ + "."):
        importlib.import_module(mod.name)

    def subclasses(cls: type) -> set[type]:
        return {s for c in cls.__subclasses__() for s in (c, *subclasses(c))}

    declared = {name for cls in subclasses(RadixThemesComponent) for name in cls.get_props()}
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "onestop" / "ui").rglob("*.py"))
    for family, prop in DROPPED_UTILITIES.items():
        if prop in declared:
            uses = re.findall(rf"[(,\s]{prop}=", source)
            assert not uses, f"the UI passes `{prop}=` (Radix utility rt-r-{family}-*), cut from radix_lean.css"


def test_committed_stylesheet_matches_the_lists_and_the_installed_radix() -> None:
    from reflex_components_radix.plugin import RADIX_THEMES_PACKAGE

    made = header(LEAN_CSS.read_text(encoding="utf-8"))
    assert made["version"] == RADIX_THEMES_PACKAGE.rsplit("@", 1)[1], "Radix upgraded: regenerate radix_lean.css"
    assert made["colours"].split() == list(COLOURS)
    assert made["components"].split() == list(COMPONENTS)
    assert made["dropped utilities"].split() == list(DROPPED_UTILITIES)


def test_stylesheet_follows_radix_order_and_only_the_listed_scales() -> None:
    css = LEAN_CSS.read_text(encoding="utf-8")
    sections = re.findall(r"^/\* ([\w/.-]+\.css) \*/$", css, flags=re.M)
    assert sections[0] == "tokens/base.css"
    assert sections[-2:] == ["components.css", "utilities.css"]
    colours = [f.rsplit("/", 1)[1].removesuffix(".css") for f in sections if f.startswith("tokens/colors/")]
    assert colours == list(COLOURS)
    defined = set(re.findall(rf"--({_SCALES})-1:", css))
    assert defined == set(COLOURS), defined  # no other scale (the 31-scale bundle is what this replaces)
    accents = set(re.findall(r"data-(?:accent|gray)-color='(\w+)'", css))
    assert accents <= set(COLOURS), accents - set(COLOURS)
    assert ".dark" not in css  # light appearance only
    assert ".rt-AvatarRoot" not in css and ".rt-r-mx-" not in css  # cut: no page renders an avatar or sets mx
    assert ".rt-Button" in css and ".rt-ScrollAreaRoot" in css  # kept: named, and rendered by Table


def test_plugin_links_the_lean_stylesheet_and_is_not_a_bundled_library() -> None:
    plugin = LeanRadixThemesPlugin()
    assert plugin.get_stylesheet_paths() == ("./radix_lean.css",)
    [(path, content)] = plugin.get_static_assets()
    assert path.as_posix() == "styles/radix_lean.css"
    assert content == LEAN_CSS.read_text(encoding="utf-8")
    assert plugin.get_frontend_dependencies() == ()
