"""The lean Radix stylesheet ships every colour scale the app names (onestop/ui/radix_css.py).

Why: a colour scale left out renders as no colour at all (a badge with no background, an invisible
alert), silently. This test reads the code the way the CSS is used — `color_scheme="…"`, Radix colour
names as string literals in the UI layer (mappings such as status → colour), `var(--name-N)` in
styles — and fails for any scale that `COLOURS` does not ship.
"""

from __future__ import annotations

import re
from pathlib import Path

from onestop.ui.radix_css import COLOURS, LeanRadixThemesPlugin, stylesheets

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


def test_stylesheets_follow_radix_order_and_only_the_listed_scales() -> None:
    files = stylesheets()
    assert files[0] == "@radix-ui/themes/tokens/base.css"
    assert files[-2:] == ("@radix-ui/themes/components.css", "@radix-ui/themes/utilities.css")
    colours = [f.rsplit("/", 1)[1].removesuffix(".css") for f in files if "/tokens/colors/" in f]
    assert colours == list(COLOURS)
    assert "@radix-ui/themes/styles.css" not in files  # the 31-scale bundle is what this replaces


def test_plugin_links_the_split_files_and_is_not_a_bundled_library() -> None:
    plugin = LeanRadixThemesPlugin()
    assert plugin.get_stylesheet_paths() == stylesheets()
    assert plugin.get_frontend_dependencies() == ()
