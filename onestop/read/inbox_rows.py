"""The officer inbox as the page shows it: rows in both languages, colours, time left, cursors.

Why apart from `read/inbox.py`: that module is the query (tab conditions, keyset
paging, one late rule in SQL); this one shapes its rows for display — deadline
colour by `domain.deadlines.row_colour`, working time left, the reception wait —
and turns the browser's text cursor back into a keyset.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TypedDict

from sqlmodel import Session

from onestop import clock
from onestop.domain import lifecycle as lc
from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import row_colour
from onestop.domain.lifecycle import Status
from onestop.domain.reception import RECEPTION_CHANNELS, is_reception_overdue, waited_seconds
from onestop.i18n import t
from onestop.read import inbox
from onestop.read.bilingual import BiText
from onestop.read.dossier import DossierHead
from onestop.read.format import fmt_moment, fmt_working, time_left_both
from onestop.read.reception import reception_overdue_count
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.settings import get_settings

# --------------------------------------------------------------------------- working time in words


# --------------------------------------------------------------------------- inbox


@dataclass
class InboxItem(DossierHead):
    """One inbox row, ready to show (both languages; dates formatted; colour decided)."""

    step: str = ""
    left: BiText = BiText()
    mine: bool = False
    reception_overdue: bool = False  # waiting for reception past the deadline (domain/reception)


class InboxLine(TypedDict):
    """One inbox row as the page sends it to the browser: only the fields the page shows.

    Why a plain dict and not `InboxItem`: every officer's tab change sends its 50 rows over the websocket, and the
    JSON encoder turns a dataclass into a dict through a Python callback per row (Reflex's serializer), which was
    the largest cost of the event once the read was shared (bench/README.md, issue 11); a dict of str/int is
    encoded in C. The six fields the page never shows (procedure_code, submitted, step, version, mine,
    reception_overdue) are left out: a quarter less to encode and send. Without `mine` the lines are the same for
    every officer of a center, so one list of lines is shared by all their states: never change one in place.
    """

    id: int
    code: str
    procedure_vi: str
    procedure_en: str
    applicant: str
    channel: str
    received: str
    due: str
    colour: str
    left_vi: str
    left_en: str
    status: int
    status_vi: str
    status_en: str


def line_of(item: InboxItem) -> InboxLine:
    """The row as the page shows it (see InboxLine)."""
    return InboxLine(
        id=item.id,
        code=item.code,
        procedure_vi=item.procedure.vi,
        procedure_en=item.procedure.en,
        applicant=item.applicant,
        channel=item.channel,
        received=item.received,
        due=item.due,
        colour=item.colour,
        left_vi=item.left.vi,
        left_en=item.left.en,
        status=item.status,
        status_vi=item.status_label.vi,
        status_en=item.status_label.en,
    )


def _reception_wait(
    status: int, channel: str, submitted_at: datetime | None, now: datetime, cal: WorkingCalendar
) -> tuple[bool, str, str]:
    """(overdue, "Chờ tiếp nhận 3 giờ", English) for a dossier waiting for reception; empty otherwise."""
    if status != Status.SUBMITTED or submitted_at is None or channel not in RECEPTION_CHANNELS:
        return False, "", ""
    waited = waited_seconds(submitted_at, now, cal)
    overdue = is_reception_overdue(submitted_at, now, get_settings().reception_deadline_hours, cal)
    key = "reception.overdue" if overdue else "reception.waiting"
    per_day = cal.office_hours.seconds_per_day
    return (
        overdue,
        t(key, "vi", time=fmt_working(waited, per_day, "vi")),
        t(key, "en", time=fmt_working(waited, per_day, "en")),
    )


@dataclass
class InboxView:
    items: list[InboxItem] = field(default_factory=list)
    next_cursor: str = ""  # "<rank>|<iso moment>|<id>" of the last row, "" when this is the last page
    reception_overdue: int = 0  # of the actor's center: dossiers past the reception deadline (read/reception)
    reception_overdue_vi: str = ""
    reception_overdue_en: str = ""
    #: Who each item is assigned to (same order): another officer of the same scope gets the page re-marked with
    #: `for_officer` instead of a read of its own (ui.officer.inbox_cache).
    assignees: list[int | None] = field(default_factory=list)

    def for_officer(self, actor: Actor) -> InboxView:
        """This page as `actor` sees it: only the `mine` marks depend on who looks (same scope, same tab)."""
        mine = [a is not None and a == actor.user_id for a in self.assignees]
        if all(item.mine == m for item, m in zip(self.items, mine, strict=True)):
            return self
        items = [item if item.mine == m else replace(item, mine=m) for item, m in zip(self.items, mine, strict=True)]
        return replace(self, items=items)


def encode_cursor(cursor: tuple[int, str, int] | None) -> str:
    return f"{cursor[0]}|{cursor[1]}|{cursor[2]}" if cursor else ""


def decode_cursor(text: str) -> tuple[int, str, int] | None:
    """The browser hands the cursor back as text; anything malformed means "first page"."""
    parts = (text or "").split("|")
    if len(parts) != 3:
        return None
    try:
        datetime.fromisoformat(parts[1])
        return int(parts[0]), parts[1], int(parts[2])
    except ValueError:
        return None


def inbox_view(
    session: Session, actor: Actor, tab: str, flt: inbox.InboxFilter | None = None, after: str = "", limit: int = 50
) -> InboxView:
    """One page of a tab through `inbox.inbox_page` (keyset on (due_at, id)), shaped for display."""
    page = inbox.inbox_page(session, actor, tab, flt, after=decode_cursor(after), limit=limit)
    now = clock.now()
    cal = load_calendar(session)
    items, assignees = [], []
    for r in page.rows:
        colour = row_colour(now, r.status, r.due_at, r.paused, cal)  # red exactly when the inbox ranks it late
        # Paused rows say "paused"; the dossier page shows what was left at the pause.
        ticking = colour in ("green", "amber", "red")
        waiting = _reception_wait(r.status, r.channel, r.submitted_at, now, cal)
        if waiting[0]:
            colour = "red"  # past the reception deadline: flagged like an overdue dossier
        left_vi, left_en = time_left_both(now, r.due_at, None, cal) if ticking else waiting[1:]
        items.append(
            InboxItem(
                id=r.id,
                code=r.code,
                procedure_code=r.procedure_code,
                procedure=BiText(r.procedure_name_vi, r.procedure_name_en),
                applicant=r.applicant_name,
                channel=r.channel,
                status=r.status,
                status_label=BiText.by(partial(lc.status_label, r.status)),
                step=r.step,
                received=fmt_moment(r.received_at or r.submitted_at),
                due=fmt_moment(r.due_at),
                colour=colour,
                left=BiText(left_vi, left_en),
                reception_overdue=waiting[0],
                version=r.version,
                mine=r.assignee_id is not None and r.assignee_id == actor.user_id,
            )
        )
        assignees.append(r.assignee_id)
    overdue = reception_overdue_count(session, actor.center_id, now, cal) if actor.center_id else 0
    hours = f"{get_settings().reception_deadline_hours:g}"
    return InboxView(
        items,
        encode_cursor(page.next_cursor),
        overdue,
        t("reception.overdue_count", "vi", count=overdue, hours=hours) if overdue else "",
        t("reception.overdue_count", "en", count=overdue, hours=hours) if overdue else "",
        assignees,
    )
