"""Radix Themes with only the colour scales the app uses (page weight, issue 11).

Why: Reflex's RadixThemesPlugin imports `@radix-ui/themes/styles.css`, which carries
all 31 colour scales (light and dark, P3 variants) — 35 KiB of the 83 KiB gzip
stylesheet every first visit pays for before the first paint. Radix ships the
same CSS split into `tokens/base.css`, one file per colour, `components.css` and
`utilities.css` (its documented way to drop unused colours), so this plugin
names those files instead, with the scales listed in `COLOURS`.

`tests/unit/test_radix_css.py` fails when the code names a colour (a
`color_scheme`, a `var(--name-N)`, a status or deadline colour) that is not
listed here, because a missing scale renders as no colour at all.
"""

from __future__ import annotations

import dataclasses
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

_PACKAGE = "@radix-ui/themes"


def stylesheets(colours: tuple[str, ...] = COLOURS) -> tuple[str, ...]:
    """The Radix CSS files in the order `styles.css` concatenates them: tokens, components, utilities."""
    return (
        f"{_PACKAGE}/tokens/base.css",
        *(f"{_PACKAGE}/tokens/colors/{c}.css" for c in colours),
        f"{_PACKAGE}/components.css",
        f"{_PACKAGE}/utilities.css",
    )


@dataclasses.dataclass
class LeanRadixThemesPlugin(rx.plugins.RadixThemesPlugin):
    """RadixThemesPlugin that links the split Radix CSS with only `COLOURS` instead of the full bundle."""

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return stylesheets() if self.enabled else ()

    def get_frontend_dependencies(self, **context: Any) -> tuple[str, ...]:
        """None from the plugin: the package is still installed because every Radix component names it as its
        library, but it is no longer a "bundled library" — Reflex would otherwise give the root module a
        `import("@radix-ui/themes")` of the whole namespace (for rx.dynamic, unused here), and the bundler
        then ships every Radix component (menus, theme panel, …) in one chunk preloaded by every page."""
        return ()
