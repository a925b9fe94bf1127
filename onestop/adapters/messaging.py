"""SMS and email: the gateway interface and its local implementation, an outbox table.

Why an outbox written in the caller's transaction: a text message must go out
for a change that committed and never for one that rolled back. The local
implementation stops there — `outbound_message` holds exactly what a real SMS
or email gateway would be sent (a province plugs its gateway in as a relay that
reads the table). `dedupe_key` (unique) makes every message exactly-once, even
when a job reruns or two workers race.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from sqlmodel import Session

from onestop import clock
from onestop.db import insert_once
from onestop.models import OutboundMessage

Channel = Literal["sms", "email"]
SMS_MAX = 335  # five concatenated Vietnamese (UCS-2, 67 characters each) SMS parts; longer texts end in "…"


@dataclass(frozen=True)
class OutgoingMessage:
    channel: Channel
    recipient: str
    body: str
    dedupe_key: str


class Messenger(Protocol):
    def send(self, session: Session, message: OutgoingMessage) -> bool:
        """Queue or send `message` inside the caller's transaction; False when it was already sent."""
        ...


def _fit(channel: Channel, body: str) -> str:
    limit = SMS_MAX if channel == "sms" else 2000
    body = " ".join(body.split()) if channel == "sms" else body
    return body if len(body) <= limit else body[: limit - 1] + "…"


class OutboxMessenger:
    """The local gateway: one `outbound_message` row per message (what a real gateway would be sent)."""

    def send(self, session: Session, message: OutgoingMessage) -> bool:
        """One `INSERT … ON CONFLICT (dedupe_key) DO NOTHING` (no SELECT first, no ORM object): a key already
        sent, in an earlier transaction or earlier in this one, writes nothing and answers False."""
        if not message.recipient.strip():
            return False
        return insert_once(session, OutboundMessage.__table__, outbox_row(message))  # type: ignore[attr-defined]


def outbox_row(message: OutgoingMessage) -> dict[str, object]:
    """The `outbound_message` row the outbox writes for a message (also the PostgreSQL filing statement's)."""
    return {
        "channel": message.channel,
        "recipient": message.recipient.strip()[:200],
        "body": _fit(message.channel, message.body),
        "dedupe_key": message.dedupe_key[:200],
        "created_at": clock.now(),
    }


_default: Messenger = OutboxMessenger()


def default_messenger() -> Messenger:
    return _default


def set_messenger(messenger: Messenger | None) -> None:
    """Plug in a real gateway (or a test double); None restores the outbox."""
    global _default
    _default = messenger or OutboxMessenger()


def send_to_person(session: Session, *, phone: str, email: str, subject: str, body: str, dedupe_key: str) -> int:
    """SMS to the phone and email to the address the person has, each at most once. Returns how many were queued.

    The SMS keeps the bare dedupe key (the key of the in-app notification it
    mirrors); the email gets a ':email' suffix so both can exist.
    """
    messenger = default_messenger()
    return sum(messenger.send(session, m) for m in person_messages(phone, email, subject, body, dedupe_key))


def person_messages(phone: str, email: str, subject: str, body: str, dedupe_key: str) -> list[OutgoingMessage]:
    """What `send_to_person` sends: the SMS to the phone, the email to an address that has an @."""
    out = []
    if phone:
        out.append(OutgoingMessage("sms", phone, f"{subject}. {body}", dedupe_key))
    if email and "@" in email:
        out.append(OutgoingMessage("email", email, f"{subject}\n\n{body}", f"{dedupe_key}:email"))
    return out


def is_outbox() -> bool:
    """Whether messages go to the local outbox table (a writer that inserts its rows itself may do so only then)."""
    return type(_default) is OutboxMessenger
