"""Look and feel in one place: large type, big tap targets, calm colours.

Why these numbers: many users are elderly and on small phones. Body text is
about 18 px (Radix size 4 at 110 % scaling ≈ 19.8 px), every control is at
least 48 px tall, and the content column stops at a readable width on desktop.
"""

from __future__ import annotations

import reflex as rx

THEME = rx.theme(accent_color="blue", gray_color="slate", radius="large", scaling="110%", appearance="light")

#: Widest content column (desktop), and the side padding per breakpoint.
CONTENT_WIDTH = "1200px"
PAGE_PADDING = rx.breakpoints(initial="16px", sm="24px", lg="32px")

#: Minimum height of anything a finger must hit.
TAP = "48px"

BODY_SIZE = "4"
HEADING_SIZE = {"initial": "7", "md": "8"}
SECTION_SIZE = {"initial": "5", "md": "6"}

#: Deadline chip colours (Radix colour names) for deadlines.deadline_colour().
DEADLINE_COLOURS = {"green": "green", "amber": "amber", "red": "red", "grey": "gray"}

STYLE = {
    "-webkit-text-size-adjust": "100%",
    "a": {"text_underline_offset": "3px"},
    # Visible keyboard focus everywhere (WCAG 2.4.7).
    ":focus-visible": {"outline": "3px solid var(--accent-8)", "outline_offset": "2px"},
}
