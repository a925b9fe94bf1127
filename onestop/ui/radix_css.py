"""Radix Themes CSS cut to what the app renders: its colour scales, its components, light mode (page weight, issue 11).

Why: Reflex's RadixThemesPlugin imports `@radix-ui/themes/styles.css` — 31 colour scales in light and dark,
every component (menus, avatars, data lists, segmented controls, …) and every utility — 83 KiB gzip that every
first visit pays for before the first paint, most of it for things no page shows. This module makes one
stylesheet, `vendor/radix_lean.css` next to it, from the pinned package's own files (tokens, `components.css`,
`utilities.css`, and the per-component sources under `src/components/` to learn which class belongs to which
component), keeping
- the colour scales in `COLOURS` (and the `data-accent-color` / `data-gray-color` rules for them only);
- the component styles of the Radix components in `COMPONENTS` (plus the internal bases they import);
- light mode only: the theme sets `appearance="light"`, so no element ever carries `.dark`;
- every utility class except the families in `DROPPED_UTILITIES` (props no component of the app sets).

The file is generated and committed (the package's node_modules do not exist when Reflex compiles a fresh
checkout); regenerate it after changing a list or upgrading Reflex/Radix:

    python -m onestop.ui.radix_css .web/node_modules/@radix-ui/themes

`tests/unit/test_radix_css.py` fails when the code names a colour that is not shipped, when a page renders a
Radix component whose CSS was cut or sets a utility prop whose classes were cut, and when the committed file
was made from other lists or another Radix version than the one Reflex installs.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import reflex as rx

#: Every Radix colour scale the app's components and stylesheets use: the theme's accent (blue) and gray
#: (slate), `gray` for neutral badges, and the status / deadline / alert colours.
COLOURS: tuple[str, ...] = (
    "slate",
    "gray",
    "blue",
    "cyan",
    "indigo",
    "violet",
    "teal",
    "green",
    "amber",
    "orange",
    "red",
)

#: Radix component stylesheets (file names under `src/components/`, without `.css`) of the components the pages
#: render. `reset`, `animations` and the layout primitives' base come first in Radix's order and are always kept.
COMPONENTS: tuple[str, ...] = (
    "badge",
    "box",
    "button",
    "callout",
    "card",
    "checkbox",
    "dialog",
    "dropdown-menu",
    "flex",
    "grid",
    "heading",
    "icon-button",
    "link",
    "popover",
    "progress",
    "radio-cards",
    "radio-group",
    "radio",
    "select",
    "separator",
    "spinner",
    "switch",
    "table",
    "text-area",
    "text-field",
    "text",
)
_ALWAYS = ("reset", "animations", "layout")

#: Utility families (`rt-r-<family>-…` classes) cut, with the Reflex prop that would produce each. Most cannot
#: appear in any Reflex app: no Reflex Radix component declares the prop (Reflex turns `bottom=…`, `display=…`,
#: `overflow=…` into emotion styles instead); the margin props are declared, but the app never sets them.
DROPPED_UTILITIES: dict[str, str] = {
    "m": "m",
    "mx": "mx",
    "my": "my",
    "mt": "mt",
    "mr": "mr",
    "mb": "mb",
    "ml": "ml",
    "inset": "inset",
    "top": "top",
    "right": "right",
    "bottom": "bottom",
    "left": "left",
    "overflow": "overflow",
    "ox": "overflow_x",
    "oy": "overflow_y",
    "display": "display",
    "fb": "flex_basis",
    "ga": "grid_area",
    "gc": "grid_column",
    "gcs": "grid_column_start",
    "gce": "grid_column_end",
    "gr": "grid_row",
    "grs": "grid_row_start",
    "gre": "grid_row_end",
    "gta": "areas",
    "ac": "align_content",
    "ji": "justify_items",
    "js": "justify_self",
    "as": "align_self",
}

_PACKAGE = "@radix-ui/themes"
#: Third-party output (Radix Themes' own CSS, cut), kept under `vendor/` with the other code we did not write.
LEAN_CSS = Path(__file__).with_name("vendor") / "radix_lean.css"
#: Where the plugin writes the stylesheet in the web dir, and how the root stylesheet (in `styles/`) names it.
_WEB_PATH = Path("styles") / "radix_lean.css"
_STYLESHEET = "./radix_lean.css"

_COMPONENT_CLASS = re.compile(r"\.(rt-[A-Z][A-Za-z]*)")
_THEME_ATTR = re.compile(r"\[data-(?:accent|gray)-color=['\"]?([a-z]+)['\"]?\]")
_UTILITY = re.compile(r"\.(?:[a-z]+\\:)?rt-r-([a-z]+)(?:-|\b)")


# --------------------------------------------------------------------------- a small CSS tree


@dataclasses.dataclass
class _Node:
    prelude: str  # selector list or at-rule header
    body: str | None = None  # declarations (a rule, a @font-face) …
    children: list[_Node] | None = None  # … or nested rules (@media, @supports)


def _parse(css: str) -> list[_Node]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    nodes, _ = _parse_block(css, 0)
    return nodes


def _parse_block(css: str, i: int) -> tuple[list[_Node], int]:
    nodes: list[_Node] = []
    start = i
    while i < len(css):
        c = css[i]
        if c == "}":
            return nodes, i + 1
        if c == "{":
            prelude = css[start:i].strip()
            if prelude.startswith(("@media", "@supports", "@layer")):
                children, i = _parse_block(css, i + 1)
                nodes.append(_Node(prelude, children=children))
            else:
                depth, j = 1, i + 1
                while depth:
                    depth += {"{": 1, "}": -1}.get(css[j], 0)
                    j += 1
                nodes.append(_Node(prelude, body=css[i + 1 : j - 1].strip()))
                i = j
            start = i
            continue
        if c == ";" and css[start:i].strip().startswith("@"):  # @import … ; @charset …;
            nodes.append(_Node(css[start : i + 1].strip()))
            start = i + 1
        i += 1
    return nodes, i


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def _filter(nodes: list[_Node], keep_selector) -> list[_Node]:  # noqa: ANN001 - (selector) -> bool
    out: list[_Node] = []
    for node in nodes:
        if node.children is not None:
            children = _filter(node.children, keep_selector)
            if children:
                out.append(_Node(node.prelude, children=children))
        elif node.prelude.startswith("@"):  # @keyframes, @font-face, @property: kept whole
            out.append(node)
        else:
            kept = [s for s in _split_selectors(node.prelude) if keep_selector(s)]
            if kept:
                out.append(_Node(",\n".join(kept), body=node.body))
    return out


def _render(nodes: list[_Node], indent: str = "") -> str:
    lines: list[str] = []
    for node in nodes:
        if node.children is not None:
            lines.append(f"{indent}{node.prelude} {{")
            lines.append(_render(node.children, indent + "  "))
            lines.append(f"{indent}}}")
        elif node.body is None:
            lines.append(f"{indent}{node.prelude}")
        else:
            body = " ".join(line.strip() for line in node.body.splitlines() if line.strip())
            lines.append(f"{indent}{node.prelude} {{ {body} }}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- which class belongs to which file


def _component_sources(package: Path) -> dict[str, list[Path]]:
    """Component name → its source stylesheet and the internal ones it imports, in Radix's order."""
    src = package / "src" / "components"
    out: dict[str, list[Path]] = {}
    for path in sorted(src.glob("*.css")):
        files = [path]
        for imp in re.findall(r"@import\s+['\"](\./_internal/[^'\"]+)['\"]", path.read_text(encoding="utf-8")):
            files.append((src / imp).resolve())
        out[path.stem] = files
    return out


def _owned_classes(path: Path) -> set[str]:
    """Component classes a source file defines: those its top-level rules start with."""
    owned: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("."):
            owned.update(_COMPONENT_CLASS.findall(line.split("{")[0]))
    return owned


def _classes_written_by(package: Path, name: str) -> set[str]:
    """Component classes the component's JavaScript (and the Radix components it renders) put in the DOM:
    a Table renders a ScrollArea, a Spinner a Flex, a DropdownMenu a ScrollArea, … whether or not a page names
    them."""
    base = package / "dist" / "esm" / "components"
    todo, seen, classes = [base / f"{name}.js"], set(), set()
    while todo:
        js = todo.pop()
        if js in seen or not js.exists():
            continue
        seen.add(js)
        text = js.read_text(encoding="utf-8")
        classes.update(re.findall(r"rt-[A-Z][A-Za-z]*", text))
        todo.extend((js.parent / imp).resolve() for imp in re.findall(r"from\s*['\"](\./[\w/.-]+\.js)['\"]", text))
    return classes


def kept_components(package: Path) -> list[str]:
    """`COMPONENTS`, the always-kept base, and every component stylesheet their JavaScript needs."""
    sources = _component_sources(package)
    unknown = set(COMPONENTS) - set(sources)
    if unknown:
        raise SystemExit(f"not Radix component stylesheets: {sorted(unknown)}")
    owner = {cls: name for name in sorted(sources) for cls in _owned_classes(sources[name][0])}
    kept = {*_ALWAYS, *COMPONENTS}
    for name in COMPONENTS:
        kept.update(owner[cls] for cls in _classes_written_by(package, name) if cls in owner)
    return sorted(kept)


def build(package: Path) -> str:
    """The lean stylesheet from an installed `@radix-ui/themes` directory."""
    sources = _component_sources(package)
    names = kept_components(package)
    all_classes = {cls for files in sources.values() for f in files for cls in _owned_classes(f)}
    kept_classes = {cls for name in names for f in sources[name] for cls in _owned_classes(f)}

    def keep(selector: str) -> bool:
        if ".dark" in selector:  # appearance="light": no element carries .dark / .dark-theme
            return False
        if any(value not in COLOURS for value in _THEME_ATTR.findall(selector)):
            return False
        for cls in _COMPONENT_CLASS.findall(selector):
            if cls in all_classes and cls not in kept_classes:
                return False
        return not any(fam in DROPPED_UTILITIES for fam in _UTILITY.findall(selector))

    version = _package_version(package)
    parts = [
        "/* Generated by onestop/ui/radix_css.py from "
        f"{_PACKAGE}@{version} — do not edit; regenerate: python -m onestop.ui.radix_css <package dir>\n"
        f"   colours: {' '.join(COLOURS)}\n   components: {' '.join(COMPONENTS)}\n"
        f"   with: {' '.join(n for n in names if n not in COMPONENTS)}\n"
        f"   dropped utilities: {' '.join(DROPPED_UTILITIES)} */",
    ]
    files = ["tokens/base.css", *(f"tokens/colors/{c}.css" for c in COLOURS), "components.css", "utilities.css"]
    for rel in files:
        nodes = _filter(_parse((package / rel).read_text(encoding="utf-8")), keep)
        parts.append(f"/* {rel} */\n{_render(nodes)}")
    return "\n".join(parts) + "\n"


def _package_version(package: Path) -> str:
    import json

    return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])


def header(css: str) -> dict[str, str]:
    """The lists and the Radix version a generated stylesheet was made from (its first comment)."""
    first = css.split("*/", 1)[0]
    version = re.search(rf"{re.escape(_PACKAGE)}@([\w.\-]+)", first)
    fields = dict(re.findall(r"^\s+([a-z ]+): (.*)$", first, flags=re.M))
    return {"version": version.group(1) if version else "", **fields}


# --------------------------------------------------------------------------- the plugin


@dataclasses.dataclass
class LeanRadixThemesPlugin(rx.plugins.RadixThemesPlugin):
    """RadixThemesPlugin that links `radix_lean.css` instead of Radix's full bundle."""

    def get_static_assets(self, **context: Any) -> list[tuple[Path, str | bytes]]:
        return [(_WEB_PATH, LEAN_CSS.read_text(encoding="utf-8"))] if self.enabled else []

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return (_STYLESHEET,) if self.enabled else ()

    def get_frontend_dependencies(self, **context: Any) -> tuple[str, ...]:
        """None from the plugin: the package is still installed because every Radix component names it as its
        library, but it is no longer a "bundled library" — Reflex would otherwise give the root module a
        `import("@radix-ui/themes")` of the whole namespace (for rx.dynamic, unused here), and the bundler
        then ships every Radix component (menus, theme panel, …) in one chunk preloaded by every page."""
        return ()


if __name__ == "__main__":
    LEAN_CSS.write_text(build(Path(sys.argv[1] if len(sys.argv) > 1 else ".web/node_modules/@radix-ui/themes")))
    print(f"wrote {LEAN_CSS} ({LEAN_CSS.stat().st_size} bytes)")
