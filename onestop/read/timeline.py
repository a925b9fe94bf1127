"""Tracking a dossier: the timeline in plain words, and lookup by code + phone without signing in.

Why rate-limited: code + phone is a weak secret (codes are sequential), so each
client may try only a few lookups a minute; a wrong guess and a missing dossier
give the same answer.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import status_label
from onestop.i18n import t
from onestop.models import Dossier, DossierEvent
from onestop.read.format import fmt_moment
from onestop.services.auth import normalise_login
from onestop.settings import get_settings

_attempts: dict[str, deque[float]] = defaultdict(deque)
_attempts_lock = threading.Lock()

NOT_FOUND = DomainError(
    "tracking_not_found",
    "Không tìm thấy hồ sơ với mã và số điện thoại này.",
    "No dossier with this code and phone number.",
    status=404,
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str
    action: str
    note: str


def _check_rate(client_key: str) -> None:
    limit = get_settings().track_rate_limit_per_minute
    now = time.monotonic()
    with _attempts_lock:
        window = _attempts[client_key]
        while window and now - window[0] > 60:
            window.popleft()
        if len(window) >= limit:
            raise DomainError(
                "rate_limited",
                "Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau 1 phút.",
                "Too many lookups. Please try again in a minute.",
                status=429,
            )
        window.append(now)


def reset_rate_limits() -> None:
    with _attempts_lock:
        _attempts.clear()


def find_by_code_and_phone(session: Session, code: str, phone: str, client_key: str) -> Dossier:
    """The dossier when the phone matches the applicant's; the same 'not found' otherwise."""
    _check_rate(client_key)
    code = (code or "").strip().upper()
    phone_key = normalise_login(phone or "")
    if not code or len(code) > 40 or not phone_key:
        raise NOT_FOUND
    dossier = session.exec(select(Dossier).where(Dossier.code == code)).first()
    if dossier is None or normalise_login(dossier.applicant_phone) != phone_key:
        raise NOT_FOUND
    return dossier


def find_by_token(session: Session, code: str, token: str) -> Dossier:
    """The QR on every slip carries the unguessable tracking token."""
    dossier = session.exec(select(Dossier).where(Dossier.code == (code or "").strip().upper())).first()
    if dossier is None or not token or dossier.tracking_token != token:
        raise NOT_FOUND
    return dossier


def timeline(session: Session, dossier: Dossier, lang: str = "vi") -> list[TimelineEntry]:
    """The audit events as sentences a citizen understands."""
    events = session.exec(
        select(DossierEvent).where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.at, DossierEvent.id)
    ).all()
    entries = []
    for e in events:
        who = e.actor_name or t("role.system", lang)
        when = fmt_moment(e.at)
        text = t(
            f"timeline.{e.action}",
            lang,
            who=who,
            time=when,
            unit=e.to_unit or "",
            status=status_label(e.to_status, lang) if e.to_status is not None else "",
        )
        note = (
            e.note
            if e.action
            in (
                "refuse",
                "request_supplement",
                "stop",
                "issue_apology",
                "send_back",
                "close_missing_supplement",
                "withdraw",
            )
            else ""
        )
        entries.append(TimelineEntry(e.at, text, e.action, note))
    return entries
