"""A dossier as its applicant sees it (tracking, confirmation, payment, supplement, rating pages).

Why on the read side: the applicant's pages and `api/citizen.py` need one shape in
both languages (timeline, slips, fee lines, what may be done next); opening a
dossier by owner, QR token or code + phone is a permission-checked read. The
officer's view of the same dossier is `read/dossier_officer.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from onestop import clock
from onestop.domain.deadlines import compute_due
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import RATEABLE, Status, is_terminal
from onestop.domain.release import result_release
from onestop.i18n import t
from onestop.models import Center, Dossier, DossierEvent, Payment, Procedure, Rating
from onestop.read import timeline as tracking
from onestop.read.dossier import DossierHead, head_of
from onestop.read.format import fee_texts, fmt_moment
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar, same_day_cutoff
from onestop.services.dossiers import duration_for, fee_quote, get_dossier
from onestop.services.permissions import dossier_not_found
from onestop.services.results import issued_slip_kinds

#: Slips a citizen may download, in the order the tracking page lists them.
SLIP_KINDS = ("submission", "receipt", "supplement", "apology", "refusal", "stop", "fee_receipt")
#: Relative cut-off for ranked search hits: weaker matches than this share of the best are noise.


# --------------------------------------------------------------------------- a dossier, for its applicant


@dataclass
class TimelineRow:
    at: str = ""
    text_vi: str = ""
    text_en: str = ""
    note: str = ""
    action: str = ""


@dataclass
class SlipLink:
    kind: str = ""
    label_vi: str = ""
    label_en: str = ""
    url: str = ""


@dataclass
class DossierView(DossierHead):
    """One dossier as its applicant sees it (tracking, confirmation, payment, supplement, rating)."""

    center: str = ""
    center_address: str = ""
    expected_due: str = ""  # before reception: when it would be due if received now
    fee_amount: int = 0
    fee_vi: str = ""
    fee_en: str = ""
    fee_status: str = "none"  # none | unpaid | paid | exempt
    fee_text: str = ""
    fee_lines_vi: list[str] = field(default_factory=list)  # how the amount was computed (domain/fees)
    fee_lines_en: list[str] = field(default_factory=list)
    can_pay: bool = False
    supplement_open: bool = False
    supplement_items: list[str] = field(default_factory=list)
    supplement_deadline: str = ""
    supplement_note: str = ""
    supplement_sent: bool = False
    result_ready: bool = False  # the download link is shown (domain/release: exists and no fee outstanding)
    result_locked: bool = False  # a result exists but an unpaid fee holds it back
    result_vi: str = ""
    can_rate: bool = False
    rated: bool = False
    finished: bool = False
    slips: list[SlipLink] = field(default_factory=list)
    timeline: list[TimelineRow] = field(default_factory=list)
    owner: bool = False  # signed-in applicant (downloads, payment, supplement, rating)


def expected_due(session: Session, dossier: Dossier, now: datetime | None = None) -> datetime:
    """When the result would be due if the center received the dossier now (shown as "expected")."""
    proc = session.get(Procedure, dossier.procedure_id)
    assert proc is not None
    return compute_due(
        now or clock.now(), duration_for(proc, dossier.channel), load_calendar(session), same_day_cutoff()
    )


def _slips(session: Session, dossier: Dossier) -> list[SlipLink]:
    actions = set(session.exec(select(DossierEvent.action).where(DossierEvent.dossier_id == dossier.id)).all())
    issued = set(issued_slip_kinds(actions))
    out = []
    for kind in SLIP_KINDS:
        if kind == "submission" and dossier.channel != "online":
            continue
        if kind != "submission" and kind not in issued:
            continue
        out.append(
            SlipLink(
                kind,
                t(f"slip.{kind}", "vi"),
                t(f"slip.{kind}", "en"),
                f"/api/v1/dossiers/{dossier.code}/slips/{kind}.pdf",
            )
        )
    return out


def _is_owner(actor: Actor | None, dossier: Dossier) -> bool:
    return (
        actor is not None
        and actor.role == "citizen"
        and actor.user_id is not None
        and actor.user_id in (dossier.applicant_user_id, dossier.acting_user_id)
    )


def _fee_lines(proc: Procedure | None, dossier: Dossier) -> tuple[list[str], list[str]]:
    """The schedule's computation, when it is what the dossier owes (an officer may have set another amount)."""
    if proc is None or dossier.fee_amount <= 0:
        return [], []
    try:
        q = fee_quote(proc, dossier.form_data, dossier.channel)
    except DomainError:
        return [], []
    if q.total != dossier.fee_amount:
        return [], []
    return q.breakdown("vi")[:-1], q.breakdown("en")[:-1]


def dossier_view(session: Session, actor: Actor | None, dossier: Dossier) -> DossierView:
    """Shape a dossier the caller was already allowed to open (owner, or tracking token / code + phone)."""
    proc = session.get(Procedure, dossier.procedure_id)
    center = session.get(Center, dossier.receiving_center_id)
    owner = _is_owner(actor, dossier)
    now = clock.now()
    fee_vi, fee_en = fee_texts(dossier.fee_amount)
    fee_lines = _fee_lines(proc, dossier)
    request = dossier.supplement_request or {}
    supplement_open = dossier.status == Status.SUPPLEMENT
    rated = session.exec(select(Rating.id).where(Rating.dossier_id == dossier.id)).first() is not None
    vi, en = tracking.timeline(session, dossier, "vi"), tracking.timeline(session, dossier, "en")
    rows = [TimelineRow(fmt_moment(a.at), a.text, b.text, a.note, a.action) for a, b in zip(vi, en, strict=True)]
    return DossierView(
        **head_of(dossier, proc.name_vi if proc else "", proc.name_en if proc else ""),
        center=center.name if center else "",
        center_address=center.address if center else "",
        expected_due=fmt_moment(expected_due(session, dossier, now)) if dossier.status == Status.SUBMITTED else "",
        fee_amount=dossier.fee_amount,
        fee_vi=fee_vi,
        fee_en=fee_en,
        fee_status=dossier.fee_status,
        fee_text=proc.fee_text if proc else "",
        fee_lines_vi=fee_lines[0],
        fee_lines_en=fee_lines[1],
        can_pay=owner and dossier.fee_status == "unpaid" and dossier.fee_amount > 0 and not is_terminal(dossier.status),
        supplement_open=supplement_open,
        supplement_items=[str(i) for i in request.get("items", [])],
        supplement_deadline=fmt_moment(dossier.supplement_deadline) if supplement_open else "",
        supplement_note=str(request.get("note") or ""),
        supplement_sent=bool(request.get("provided")),
        result_ready=owner
        and result_release(
            dossier.status, dossier.result_attachment_id is not None, dossier.fee_status, dossier.fee_amount
        ).allowed,
        result_locked=owner
        and result_release(
            dossier.status, dossier.result_attachment_id is not None, dossier.fee_status, dossier.fee_amount
        ).code
        == "fee_unpaid",
        result_vi=(proc.result_name_vi if proc else "") or t("result.default", "vi"),
        can_rate=owner and dossier.status in RATEABLE and not rated,
        rated=rated,
        finished=is_terminal(dossier.status),
        slips=_slips(session, dossier) if owner else [],
        timeline=list(reversed(rows)),
        owner=owner,
    )


def open_for_owner(session: Session, actor: Actor, code: str) -> Dossier:
    """The dossier by code for a signed-in person allowed to see it; the same 'not found' otherwise."""
    return get_dossier(session, actor, code=(code or "").strip()[:40])


def open_by_token(session: Session, code: str, token: str) -> Dossier:
    """The QR on every slip carries the dossier's unguessable tracking token."""
    return tracking.find_by_token(session, (code or "")[:40], (token or "")[:80])


def open_by_phone(session: Session, code: str, phone: str, client_key: str) -> Dossier:
    """Code + the applicant's phone number, rate-limited per client (see read.timeline)."""
    return tracking.find_by_code_and_phone(session, (code or "")[:40], (phone or "")[:30], client_key or "?")


def dossier_version(session: Session, dossier_id: int) -> int:
    """A cheap change probe for open pages (one primary-key read)."""
    row = session.exec(select(Dossier.version).where(Dossier.id == dossier_id)).first()
    return int(row or 0)


def my_dossier(session: Session, actor: Actor, code: str) -> Dossier:
    """For the pages only the applicant may use (pay, supplement, rate, downloads)."""
    dossier = open_for_owner(session, actor, code)
    if not _is_owner(actor, dossier):
        raise dossier_not_found()
    return dossier


def tracking_url(dossier: Dossier) -> str:
    return f"/dossiers/{dossier.code}?t={dossier.tracking_token}"


def pending_payment(session: Session, ref: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.gateway_ref == (ref or "")[:64])).first()
