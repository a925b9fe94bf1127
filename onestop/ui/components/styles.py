"""Style tokens: one name for each look that many pages share (the design system, in keyword form).

Why tokens and not copies: a button a finger must hit, a row of actions that wraps on a
360 px phone or a full-width column of cards was spelled out again on every page, and the
copies drift (one page 44 px, the next 48). A page now says `**TAP_BUTTON` or `**spaced("2")`
and gets the house look; changing the look is one edit here. Spread a token where its keywords
stood; a page's own keywords (its id, its colour) stay beside it.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from onestop.ui.theme import TAP

# --------------------------------------------------------------------------- buttons

#: A button a finger hits easily: Radix size 3, at least TAP (48 px) tall.
TAP_BUTTON: dict[str, str] = {"size": "3", "min_height": TAP}
#: The one big action of a screen (a citizen's "submit", "show my booking"): Radix size 4, 56 px tall.
BIG_BUTTON: dict[str, str] = {"size": "4", "min_height": "56px"}
#: A button in the officers' dense filter and form rows (desk screens, still touch-friendly).
DESK_BUTTON: dict[str, str] = {"size": "3", "min_height": "44px"}
#: A button whose long (Vietnamese, or large-text mode) label wraps instead of being clipped.
WRAPPING: dict[str, str] = {"height": "auto", "white_space": "normal"}

# --------------------------------------------------------------------------- rows and columns

#: A row of buttons or chips that wraps on a narrow screen.
WRAP_ROW: dict[str, str] = {"spacing": "3", "wrap": "wrap"}
#: The same, its items centred on one line (words beside a button, a badge beside a title).
CENTER_ROW: dict[str, str] = {"align": "center", "spacing": "3", "wrap": "wrap"}
#: Full-width blocks three steps apart (a column of sections, a grid of tiles); `spaced("3")`.
COLUMN: dict[str, str] = {"spacing": "3", "width": "100%"}
#: A full-width line whose items sit on one centre line (a title with its badge, a label with its value).
LINE: dict[str, str] = {"align": "center", "width": "100%"}


def spaced(spacing: str) -> dict[str, str]:
    """A full-width stack or grid whose items are `spacing` (a Radix step, "1"–"9") apart."""
    return {"spacing": spacing, "width": "100%"}


def centred(spacing: str) -> dict[str, str]:
    """A row whose items sit on one centre line, `spacing` (a Radix step) apart: an icon before its words."""
    return {"align": "center", "spacing": spacing}


def top_aligned(spacing: str) -> dict[str, str]:
    """A row whose items line up at their tops, `spacing` apart: an icon beside a block of several lines."""
    return {"align": "start", "spacing": spacing}


# --------------------------------------------------------------------------- words, lists, links


def quiet(size: str) -> dict[str, str]:
    """Secondary words (a hint, a date, a count): grey, at Radix text size `size`."""
    return {"size": size, "color_scheme": "gray"}


def full(size: str) -> dict[str, str]:
    """A card, table or control at Radix size `size`, as wide as its column."""
    return {"size": size, "width": "100%"}


#: A list without bullets or indent: its items are laid out by the page (a timeline, a list of centers).
BARE_LIST: dict[str, str] = {"list_style": "none", "padding": "0", "margin": "0"}
#: A link whose icon sits inline before its words (a download, a receipt, "back").
INLINE_ICON: dict[str, str] = {"display": "inline-flex", "align_items": "center", "gap": "6px"}

# --------------------------------------------------------------------------- officer and admin desks

#: A small icon button that takes something away (a scanned file, a counter): quiet until pointed at, red.
REMOVE_ICON: dict[str, str] = {"variant": "ghost", "color_scheme": "red"}

# --------------------------------------------------------------------------- centred blocks, toggles, codes, lists, form rows


def middle(max_width: str, padding: str) -> dict[str, str]:
    """A block in the middle of a wider screen (a kiosk's column, the A4 poster, the phone's ticket), `padding` inside."""
    return {"padding": padding, "max_width": max_width, "margin_x": "auto"}


def pressed(on: Var) -> dict[str, Var]:
    """A button that stays pressed while `on` (a chosen field, "priority"): solid when on, outlined when off,
    and aria-pressed so a screen reader says which it is (never the colour alone)."""
    return {"variant": rx.cond(on, "solid", "outline"), "aria_pressed": rx.cond(on, "true", "false")}


#: A code people copy or read out digit by digit (a dossier's code): monospace, so 0/O and 1/l stay apart.
MONO: dict[str, str] = {"font_family": "ui-monospace, monospace"}

#: A fieldset that groups its choices for screen readers (its legend is their question) without the browser's frame.
BARE_FIELDSET: dict[str, str] = {"border": "0", "padding": "0", "margin": "0"}


def marked_list(marker: str, indent: str) -> dict[str, str]:
    """A list that keeps its markers (`marker`: "disc", "decimal") `indent` in, without the browser's outer margin."""
    return {"list_style_type": marker, "padding_left": indent, "margin": "0"}


def form_row(spacing: str) -> dict[str, str]:
    """A row of labelled inputs and their button that wraps on a narrow screen, all level at the bottom
    (the button lines up with the boxes, whatever the labels above them)."""
    return {"spacing": spacing, "wrap": "wrap", "align": "end"}
