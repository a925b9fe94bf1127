"""SQLModel tables — the only module that knows table shapes.

Conventions: moments are naive local Vietnam time (see onestop.clock); money is
whole VND in integers; JSON columns hold schema-shaped data (form schema, form
data, durations) that the domain layer validates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def _partial_index(name: str, where: str, *columns: str) -> sa.Index:
    """An index over the rows matching `where` only, the same on PostgreSQL and SQLite."""
    return sa.Index(name, *columns, postgresql_where=sa.text(where), sqlite_where=sa.text(where))


def _json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=sa.Column(JSONType, nullable=nullable))


class Center(SQLModel, table=True):
    """A Public Administration Service Center (province, commune, ward or special zone)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=200)
    level: str = Field(max_length=20)  # province | commune | ward | special_zone
    province: str = Field(max_length=100)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=20)
    active: bool = True


class Counter(SQLModel, table=True):
    """A reception counter of a center, serving some fields (e.g. counter 9: land, construction)."""

    __table_args__ = (sa.UniqueConstraint("center_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id", index=True)
    number: int
    name: str = Field(max_length=200)
    field_codes: list[str] | None = _json()


class ProcedureField(SQLModel, table=True):
    """A field (lĩnh vực) of procedures: civil status, land, business…"""

    __tablename__ = "procedure_field"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name_vi: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    icon: str = Field(default="file-text", max_length=40)


class Procedure(SQLModel, table=True):
    """One version of a published procedure. Editing creates a new version; dossiers keep theirs."""

    __table_args__ = (
        sa.UniqueConstraint("code", "version"),
        sa.Index("ix_procedure_current", "code", "is_current"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=30, index=True)
    version: int = 1
    is_current: bool = True
    name_vi: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    description_vi: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    description_en: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    who_vi: str = Field(default="", max_length=500)
    who_en: str = Field(default="", max_length=500)
    field_id: int = Field(foreign_key="procedure_field.id", index=True)
    level: str = Field(default="commune", max_length=20)  # commune | province
    duration_counter: dict | None = _json()  # {"value": 3, "unit": "working_days"}
    duration_online: dict | None = _json()
    fee_amount: int = 0
    fee_online_amount: int | None = None  # None: same as fee_amount
    fee_text: str = Field(default="", max_length=1000)  # verbatim, exemptions live here
    fee_schedule: dict | None = _json()  # domain/fees.FeeSchedule; None: flat fee_amount/fee_online_amount
    online_level: str = Field(default="full", max_length=20)  # full | partial
    boundary_free: bool = True
    legal_basis: str = Field(default="", max_length=1000)
    steps: list[dict] | None = _json()  # [{"name": "appraisal", "weight": 0.6}, ...]
    form_schema: dict | None = _json()
    result_name_vi: str = Field(default="", max_length=300)
    supplement_resume_mode: str = Field(default="restart", max_length=10)  # restart | extend
    popularity: int = 0
    # catalog area (issue 14): where to file, and the names people use instead of the title
    agency: str = Field(default="", sa_column=sa.Column(sa.String(500), nullable=False, server_default=""))
    other_names: list[str] | None = _json()  # ["làm giấy khai sinh", "birth certificate", …]
    created_at: NaiveDatetime = Field(default_factory=datetime.now)


class User(SQLModel, table=True):
    """A person who signs in: citizen, supporter, or officer (scoped to a center)."""

    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=15, unique=True, index=True)
    national_id: str | None = Field(default=None, max_length=12, unique=True, index=True)
    full_name: str = Field(max_length=120)
    email: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20, index=True)
    center_id: int | None = Field(default=None, foreign_key="center.id", index=True)
    title: str = Field(default="", max_length=120)  # "Chủ tịch UBND xã", "Công chức tư pháp"…
    language: str = Field(default="vi", max_length=2)
    active: bool = True
    #: Staff only: the password is refused and the person signs in with VNeID (set by an admin, audited).
    require_vneid: bool = False
    created_at: NaiveDatetime = Field(default_factory=datetime.now)


class AccountEvent(SQLModel, table=True):
    """Append-only audit of security changes an admin makes to an account (today: requiring VNeID).

    Why a table of its own: dossier events need a dossier and catalog events a procedure; who
    loosened a staff member's sign-in, and when, must survive the account being edited again.
    """

    __tablename__ = "account_event"
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime
    user_id: int = Field(foreign_key="app_user.id", index=True)
    action: str = Field(max_length=30)  # require_vneid_on | require_vneid_off
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor_name: str = Field(default="", max_length=120)


class AuthSession(SQLModel, table=True):
    """A server-side session behind the bearer token kept in the browser or the field device."""

    __tablename__ = "auth_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    kind: str = Field(default="web", max_length=10)  # web | device
    device_label: str = Field(default="", max_length=120)
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    revoked_at: NaiveDatetime | None = None
    last_seen_at: NaiveDatetime | None = None


class Resident(SQLModel, table=True):
    """The local population registry (the adapter's working implementation reads it)."""

    __table_args__ = (
        # the dashboard's support figures (migration 0016): a dossier's applicant → commune, from the index alone
        sa.Index("ix_resident_commune_by_national_id", "national_id", postgresql_include=["commune", "id"]),
    )
    id: int | None = Field(default=None, primary_key=True)
    national_id: str = Field(max_length=12, unique=True, index=True)
    full_name: str = Field(max_length=120)
    full_name_folded: str = Field(default="", max_length=120, index=True)
    date_of_birth: date
    gender: str = Field(max_length=6)  # male | female
    phone: str = Field(default="", max_length=15, index=True)
    address: str = Field(default="", max_length=300)
    commune: str = Field(default="", max_length=120)
    ethnicity: str = Field(default="Kinh", max_length=40)


class CalendarOverride(SQLModel, table=True):
    """An administrator's yearly announcement: an extra day off or a make-up working day."""

    __tablename__ = "calendar_override"
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True, index=True)
    kind: str = Field(max_length=12)  # day_off | working_day
    name: str = Field(default="", max_length=200)


class DossierSequence(SQLModel, table=True):
    """Per-center, per-day counter that allocates dossier code numbers under concurrency."""

    __tablename__ = "dossier_sequence"
    center_code: str = Field(primary_key=True, max_length=20)
    day: date = Field(primary_key=True)
    last_seq: int = 0


class Dossier(SQLModel, table=True):
    """A filed dossier. `version` is the optimistic lock; `client_uuid` makes field sync idempotent."""

    __table_args__ = (
        sa.Index("ix_dossier_inbox", "handling_center_id", "status", "due_at", "id"),
        # Running dossiers (status 2 and 4) of a center in due order: the inbox's overdue/open pages and the
        # dashboard's overdue count read only this small index (bench/README.md: p99 19 ms → 4.5 ms at 1M).
        _partial_index("ix_dossier_running", "status IN (2, 4)", "handling_center_id", "due_at", "id"),
        # issue 11 (migration 0004): the inbox's default "open" tab (2, 4, 5, 6, 9 by due date) and the tabs
        # that page by filing time ("to receive" 1, "supplement" 5), each served in order at 1M dossiers.
        _partial_index("ix_dossier_open", "status IN (2, 4, 5, 6, 9)", "handling_center_id", "due_at", "id"),
        _partial_index("ix_dossier_waiting", "status IN (1, 5)", "handling_center_id", "submitted_at", "id"),
        # the inbox tab counts (one statement) as an index-only scan over a center's open dossiers; `paused_at`
        # for the overdue count (migration 0019: without it the counts read the heap, 36 -> 3-5 ms at 1M)
        _partial_index(
            "ix_dossier_open_counts",
            "status IN (1, 2, 4, 5, 6, 9)",
            "handling_center_id",
            "status",
            "due_at",
            "submitted_at",
            "assignee_id",
            "step",
            "paused_at",
        ),
        sa.Index("ix_dossier_due_scan", "status", "due_at"),
        # the dashboard's "rest of today" correction (read.dashboard): unfinished dossiers falling due later today
        sa.Index(
            "ix_dossier_unfinished_due",
            "due_at",
            postgresql_where=sa.text("finished_at IS NULL"),
            sqlite_where=sa.text("finished_at IS NULL"),
        ),
        sa.Index("ix_dossier_assignee", "assignee_id", "status", "due_at"),
        sa.Index("ix_dossier_applicant", "applicant_user_id", "created_at"),
        # the scheduler's "supplement deadline passed" scan (onestop.services.alerts)
        sa.Index("ix_dossier_supplement_scan", "status", "supplement_deadline"),
        # the dashboard (migration 0016): the forecast's submissions per receiving center and day (index-only),
        # and the support teams' dossiers filed on people's behalf
        sa.Index("ix_dossier_submitted_center", "submitted_at", "receiving_center_id"),
        sa.Index(
            "ix_dossier_acting_user",
            "acting_user_id",
            "submitted_at",
            postgresql_include=["applicant_national_id", "on_behalf", "channel"],
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str | None = Field(default=None, max_length=40, unique=True)
    tracking_token: str = Field(max_length=64, unique=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    procedure_code: str = Field(max_length=30, index=True)
    applicant_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    applicant_resident_id: int | None = Field(default=None, foreign_key="resident.id")
    applicant_name: str = Field(max_length=120)
    applicant_name_folded: str = Field(default="", max_length=120)
    applicant_national_id: str = Field(default="", max_length=12, index=True)
    applicant_phone: str = Field(default="", max_length=15)
    acting_user_id: int | None = Field(default=None, foreign_key="app_user.id")  # who filed it
    on_behalf: bool = False
    consent_id: int | None = Field(default=None, foreign_key="consent.id")
    channel: str = Field(max_length=10)  # online | direct | assisted | field
    receiving_center_id: int = Field(foreign_key="center.id")
    handling_center_id: int = Field(foreign_key="center.id")
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id")
    status: int = Field(default=0)
    step: str = Field(default="", max_length=20)
    resume_status: int | None = None
    resume_step: str | None = Field(default=None, max_length=20)
    form_data: dict | None = _json()
    language: str = Field(default="vi", max_length=2)
    submitted_at: NaiveDatetime | None = None
    received_at: NaiveDatetime | None = None
    due_at: NaiveDatetime | None = None
    paused_at: NaiveDatetime | None = None
    finished_at: NaiveDatetime | None = None
    on_time: bool | None = None
    apology_issued_at: NaiveDatetime | None = None
    supplement_deadline: NaiveDatetime | None = None
    supplement_request: dict | None = _json(nullable=True)
    fee_amount: int = 0
    fee_status: str = Field(default="none", max_length=10)  # none | unpaid | paid | exempt
    result_attachment_id: int | None = None
    delivery: str = Field(default="", max_length=10)  # how the applicant asked to receive the result (domain/release)
    client_uuid: str | None = Field(default=None, max_length=36, unique=True)
    provisional_code: str | None = Field(default=None, max_length=12)
    captured_at: NaiveDatetime | None = None
    flags: dict | None = _json(nullable=True)  # {"clock_skew_minutes": 95, "possible_duplicate_of": "…"}
    version: int = Field(default=1)
    created_at: NaiveDatetime = Field(default_factory=datetime.now)
    updated_at: NaiveDatetime = Field(default_factory=datetime.now)


class DossierEvent(SQLModel, table=True):
    """Append-only audit event: the dossier's timeline, control sheet and metrics input."""

    __tablename__ = "dossier_event"
    __table_args__ = (
        # the dashboard's step times (read.bottlenecks): the period's measured hand-overs, read from the index alone
        sa.Index(
            "ix_dossier_event_step_time",
            "at",
            postgresql_where=sa.text("step_seconds IS NOT NULL"),
            sqlite_where=sa.text("step_seconds IS NOT NULL"),
            postgresql_include=["dossier_id", "action", "actor_role", "outcome", "step_seconds"],
        ),
        # the province's exact step-time medians (read.bottlenecks): the durations of one histogram bucket of one
        # step, read from the index alone (migration 0017)
        sa.Index(
            "ix_dossier_event_step_seconds",
            "action",
            "step_seconds",
            postgresql_where=sa.text("step_seconds IS NOT NULL"),
            sqlite_where=sa.text("step_seconds IS NOT NULL"),
            postgresql_include=["at", "actor_role"],
        ),
        # the dashboard's most often missing documents: the period's supplement requests without a table scan
        sa.Index(
            "ix_dossier_event_supplement_requests",
            "at",
            postgresql_where=sa.text("action = 'request_supplement'"),
            sqlite_where=sa.text("action = 'request_supplement'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    at: NaiveDatetime
    action: str = Field(max_length=40)
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor_name: str = Field(default="", max_length=120)
    actor_role: str = Field(default="", max_length=20)
    from_status: int | None = None
    to_status: int | None = None
    from_step: str = Field(default="", max_length=20)
    to_step: str = Field(default="", max_length=20)
    from_unit: str = Field(default="", max_length=200)
    to_unit: str = Field(default="", max_length=200)
    channel: str = Field(default="", max_length=10)
    on_behalf_of: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=2000)
    step_due_at: NaiveDatetime | None = None
    outcome: str = Field(default="", max_length=10)  # early | on_time | late
    data: dict | None = _json(nullable=True)
    #: Working seconds of the step this hand-over ends (domain.step_times), set when the event is flushed
    #: (services.step_times); NULL for every other event and for a dossier's first hand-over.
    step_seconds: int | None = None


class Attachment(SQLModel, table=True):
    """A stored file (private storage, content-addressed by sha256)."""

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    owner_user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    kind: str = Field(default="input", max_length=12)  # input | supplement | result | consent | document
    document_code: str = Field(default="", max_length=40)
    wallet_kind: str = Field(default="", max_length=40)
    filename: str = Field(max_length=200)
    mime: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64, index=True)
    storage_key: str = Field(max_length=200)
    reused_from_id: int | None = None
    created_at: NaiveDatetime = Field(default_factory=datetime.now)


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    amount: int
    method: str = Field(max_length=10)  # online | cash | exempt
    status: str = Field(default="pending", max_length=10)  # pending | paid | failed
    gateway_ref: str = Field(max_length=64, unique=True)
    created_at: NaiveDatetime
    paid_at: NaiveDatetime | None = None


class Rating(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", unique=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    overall: int  # 1..5
    timeliness: int
    attitude: int
    trips: int  # how many trips to the center
    comment: str = Field(default="", max_length=2000)
    is_complaint: bool = False
    created_at: NaiveDatetime


class Notification(SQLModel, table=True):
    """In-app notification; `dedupe_key` makes alerts exactly-once across reruns and workers."""

    __table_args__ = (
        # the push delivery queue: only rows still waiting are indexed (onestop.services.push)
        _partial_index("ix_notification_push_queue", "push_status = 'pending'", "next_attempt_at"),
        # the bell: a person's latest notifications and unread count
        sa.Index("ix_notification_user_created", "user_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=300)
    body: str = Field(default="", max_length=2000)
    url: str = Field(default="", max_length=300)
    dedupe_key: str = Field(max_length=200, unique=True)
    created_at: NaiveDatetime
    read_at: NaiveDatetime | None = None
    push_status: str = Field(default="pending", max_length=10)  # pending | sent | failed | none
    push_attempts: int = 0
    next_attempt_at: NaiveDatetime | None = None


class PushSubscription(SQLModel, table=True):
    __tablename__ = "push_subscription"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    created_at: NaiveDatetime
    last_error: str = Field(default="", max_length=300)


class OutboundMessage(SQLModel, table=True):
    """What the SMS/email gateway would be sent (the local adapter writes here)."""

    __tablename__ = "outbound_message"
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=10)  # sms | email
    recipient: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    dedupe_key: str = Field(max_length=200, unique=True)
    created_at: NaiveDatetime


class QueueTicket(SQLModel, table=True):
    """A queue number of one center for one day (onestop.services.queue).

    `queued_at` is the place in line (a skipped ticket goes to the back, an appointment's is its time);
    `token` opens the live ticket page without an account (the kiosk slip's QR).
    """

    __tablename__ = "queue_ticket"
    __table_args__ = (
        sa.UniqueConstraint("center_id", "day", "number"),
        # call next: the waiting line of a center today, in queue order
        sa.Index("ix_queue_ticket_line", "center_id", "day", "status", "queued_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    day: date
    number: int
    field_code: str = Field(default="", max_length=40)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    status: str = Field(default="waiting", max_length=10)  # waiting | called | serving | served | missed | cancelled
    created_at: NaiveDatetime
    called_at: NaiveDatetime | None = None
    token: str = Field(default="", max_length=40, index=True)
    holder: str = Field(default="", max_length=60)  # user:<id> | device:<key> | kiosk — the per-person daily limit
    priority: bool = False  # elderly, disabled, pregnant, small children
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id")
    queued_at: NaiveDatetime | None = None
    call_count: int = 0
    first_called_at: NaiveDatetime | None = None
    serving_at: NaiveDatetime | None = None
    done_at: NaiveDatetime | None = None
    officer_id: int | None = Field(default=None, foreign_key="app_user.id")
    heads_up_sent: bool = False


class Appointment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id")
    user_id: int = Field(foreign_key="app_user.id", index=True)
    procedure_code: str = Field(max_length=30)
    at: NaiveDatetime = Field(index=True)
    status: str = Field(default="booked", max_length=10)  # booked | done | cancelled
    created_at: NaiveDatetime
    field_code: str = Field(default="", max_length=40)  # the counter group whose capacity it takes


class Consent(SQLModel, table=True):
    """A resident's consent for a supporter to file on their behalf (signature or photo)."""

    id: int | None = Field(default=None, primary_key=True)
    supporter_id: int = Field(foreign_key="app_user.id", index=True)
    resident_id: int = Field(foreign_key="resident.id")
    method: str = Field(max_length=12)  # signature | photo
    attachment_id: int | None = None  # no FK: attachment → dossier → consent would be a cycle
    captured_at: NaiveDatetime
    place: str = Field(default="", max_length=200)


class SupportVisit(SQLModel, table=True):
    """A planned or done home visit of a digital support team member."""

    __tablename__ = "support_visit"
    id: int | None = Field(default=None, primary_key=True)
    supporter_id: int = Field(foreign_key="app_user.id", index=True)
    resident_id: int = Field(foreign_key="resident.id")
    planned_for: date
    purpose: str = Field(default="", max_length=300)
    status: str = Field(default="planned", max_length=10)  # planned | done | cancelled
    done_at: NaiveDatetime | None = None
    note: str = Field(default="", max_length=1000)


class SyncOperation(SQLModel, table=True):
    """Idempotency record of a field-app operation: the same UUID always gets the same answer."""

    __tablename__ = "sync_operation"
    id: int | None = Field(default=None, primary_key=True)
    op_uuid: str = Field(max_length=36, unique=True)
    user_id: int = Field(foreign_key="app_user.id")
    kind: str = Field(max_length=20)
    payload_sha256: str = Field(max_length=64)
    response: dict | None = _json(nullable=True)
    created_at: NaiveDatetime


# --------------------------------------------------------------------------- security (issue 17)


class LoginThrottle(SQLModel, table=True):
    """One sign-in counter (per account, per address, per account+address) shared by every worker.

    Why a table rather than process memory: the attempt is reserved with one atomic
    upsert before the slow password check, so parallel requests on any worker see it.
    """

    __tablename__ = "login_throttle"
    key: str = Field(primary_key=True, max_length=120)
    count: int = 0
    reset_at: NaiveDatetime


class PasswordReset(SQLModel, table=True):
    """A one-time code sent by SMS to reset a forgotten password (only its salted SHA-256 is kept)."""

    __tablename__ = "password_reset"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    code_hash: str = Field(max_length=64)
    salt: str = Field(max_length=32)
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    attempts: int = 0
    used_at: NaiveDatetime | None = None


# --------------------------------------------------------------------------- queue and appointments (issue 16)


class QueuePolicy(SQLModel, table=True):
    """How one center runs its queue; a center without a row uses the defaults (onestop.domain.queue.Policy)."""

    __tablename__ = "queue_policy"
    center_id: int = Field(foreign_key="center.id", primary_key=True)
    priority_mode: str = Field(default="interleave", max_length=12)  # first | interleave
    priority_every: int = 3  # interleave: one priority ticket after this many others
    max_calls: int = 3  # a ticket lapses after this many calls without showing up
    heads_up_at: int = 3  # notify the person when this many are ahead
    daily_limit: int = 3  # numbers per person per day
    slot_minutes: int = 30
    slot_capacity: int = 2  # appointments per counter of the group per slot
    service_minutes: int = 10  # the wait estimate before anyone was served today
    speech: bool = False  # the hall display speaks each call (browser speech synthesis, Vietnamese)
    pick_counter_ids: list[int] | None = _json()  # counters a leader lets pick a ticket from the list


class AppointmentSlot(SQLModel, table=True):
    """Booked count of one slot of one counter group: the conditional increment is the capacity check."""

    __tablename__ = "appointment_slot"
    __table_args__ = (sa.UniqueConstraint("center_id", "field_code", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id")
    field_code: str = Field(max_length=40)
    at: NaiveDatetime
    booked: int = 0


# --------------------------------------------------------------------------- catalog area (issue 14)


class CatalogEvent(SQLModel, table=True):
    """Append-only audit of catalog changes: who added, re-versioned or retired a procedure, and from which import.

    Dossier events cannot hold these (no dossier); an import writes one row per procedure it
    touched plus one summary row, all in the import's transaction.
    """

    __tablename__ = "catalog_event"
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime
    action: str = Field(max_length=20)  # import | add | version | retire
    procedure_code: str = Field(default="", max_length=30, index=True)
    version: int | None = None
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor_name: str = Field(default="", max_length=120)
    source: str = Field(default="", max_length=300)  # "import:catalog.xlsx sha256:…" | "admin"
    detail: dict | None = _json(nullable=True)  # changed fields, counts


# --------------------------------------------------------------------------- fees and results (issue 15)


class ResultDraft(SQLModel, table=True):
    """The drafted particulars of a dossier's result (domain/results), as corrected by the specialist.

    One row per dossier; `lines` is [{"key", "label", "value"}]; `history` keeps who changed
    which value and when (the draft is not a lifecycle step, so it has its own trail).
    """

    __tablename__ = "result_draft"
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", unique=True)
    lines: list[dict] | None = _json()
    history: list[dict] | None = _json()
    edited_by: str = Field(default="", max_length=120)
    edited_at: NaiveDatetime | None = None


# --------------------------------------------------------------------------- dashboard (issue 13)


def _counters(names: Iterable[str], kind: type[sa.types.TypeEngine[int]] = sa.Integer) -> list[sa.Column[int]]:
    """The counter columns of the pre-computed count tables below: never null and starting at 0, because
    the flush hooks that keep them only ever add deltas to them."""
    return [sa.Column(name, kind(), nullable=False, server_default="0") for name in names]


def _daily_count_table() -> sa.Table:
    """Pre-computed dashboard counts, one row per (day, handling center, procedure version).

    Why a Core table built from `domain.daily_counts.COLUMNS`: the row is a vector of
    counters that the flush hook (services.daily_counts) and the read side address by
    name; one list keeps the model, the migration's columns and the rules in step.
    """
    from onestop.domain.daily_counts import COLUMNS

    return sa.Table(
        "dossier_daily_count",
        SQLModel.metadata,
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("center_id", sa.Integer(), primary_key=True),
        sa.Column("procedure_id", sa.Integer(), primary_key=True),
        sa.Column("procedure_code", sa.String(length=30), nullable=False),
        *_counters(COLUMNS),
        sa.Index("ix_dossier_daily_count_center_day", "center_id", "day"),
    )


DOSSIER_DAILY_COUNT = _daily_count_table()


def _count_total_table() -> sa.Table:
    """All-time sums of the interval columns per (handling center, procedure version).

    Why: "in processing / overdue at E" is the sum of every delta dated before E. Summing
    all days would read the whole daily table for every board; this running total minus
    the (few) rows dated after E gives the same number. Kept by the same hook.
    """
    from onestop.domain.daily_counts import INTERVAL_COLUMNS

    return sa.Table(
        "dossier_count_total",
        SQLModel.metadata,
        sa.Column("center_id", sa.Integer(), primary_key=True),
        sa.Column("procedure_id", sa.Integer(), primary_key=True),
        sa.Column("procedure_code", sa.String(length=30), nullable=False),
        *_counters(INTERVAL_COLUMNS),
    )


DOSSIER_COUNT_TOTAL = _count_total_table()


#: Dossiers submitted per (day of submission, receiving center, procedure): the dashboard forecast's history
#: (read.forecast) and the rarely used procedures (read.bottlenecks). Why its own table: the daily counts are keyed by handling center and dated by reception,
#: the forecast counts what arrives at a center's counters, received yet or not. Kept by the flush hook in
#: services.submission_counts (migration 0016).
DOSSIER_SUBMISSION_COUNT = sa.Table(
    "dossier_submission_count",
    SQLModel.metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("center_id", sa.Integer(), primary_key=True),
    sa.Column("proc_code", sa.String(length=30), primary_key=True),  # not "procedure_code": see daily_counts._add
    *_counters(["submitted"]),
)


#: Step durations per (day of the step-ending hand-over, step, role of the officer who ended it, histogram bucket of
#: domain.step_times.BUCKET_BOUNDS): how many, their working seconds summed, how many late. The province's step
#: table (read.bottlenecks.step_times) reads ~20,000 of these rows for 90 days instead of 224,000 events at 1M.
#: Kept by the flush hook that stores the duration on the event (services.step_times, migration 0017). No center
#: column: a center's reader reads its few thousand events directly.
DOSSIER_STEP_COUNT = sa.Table(
    "dossier_step_count",
    SQLModel.metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("step", sa.String(length=20), primary_key=True),
    sa.Column("role", sa.String(length=20), primary_key=True),
    sa.Column("bucket", sa.SmallInteger(), primary_key=True, autoincrement=False),
    *_counters(["steps"]),
    *_counters(["seconds"], sa.BigInteger),
    *_counters(["late"]),
)


#: Dossiers submitted per (day, applicant's commune in the resident registry): how many, and how many the
#: applicants filed online themselves. The support figures' online share before/after a team's first visit
#: (read.support_figures) reads ~180 of these rows per commune instead of joining ~20,000 dossiers to the
#: registry. Kept by the flush hooks in services.support_counts (migration 0018), also when a resident's
#: commune or ID number changes.
DOSSIER_COMMUNE_COUNT = sa.Table(
    "dossier_commune_count",
    SQLModel.metadata,
    sa.Column("commune", sa.String(length=120), primary_key=True),
    sa.Column("day", sa.Date(), primary_key=True),
    *_counters(["dossiers", "online_self"]),
)


#: Dossiers filed on a person's behalf per (the officer or supporter who filed them, day of submission, the
#: person's commune, the person's resident id): the support figures' "filed on behalf" and "people helped"
#: without the 19,000 registry lookups a 90-day province read made at 1M. Kept with DOSSIER_COMMUNE_COUNT.
DOSSIER_FILED_FOR = sa.Table(
    "dossier_filed_for",
    SQLModel.metadata,
    sa.Column("acting_user_id", sa.Integer(), primary_key=True, autoincrement=False),  # first: a team's rows
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("commune", sa.String(length=120), primary_key=True),
    sa.Column("resident_id", sa.Integer(), primary_key=True, autoincrement=False),
    *_counters(["dossiers"]),
)


#: DOSSIER_SUBMISSION_COUNT summed over procedures (day, receiving center) and over centers (day, procedure):
#: the forecast's twelve weeks of history read ~5,000 rows instead of ~55,000 at 1M, and the province's rarely used
#: procedures ~1,200. Kept by the same flush hook, in the same statement batch (services.submission_counts,
#: migration 0018).
DOSSIER_SUBMISSION_CENTER_DAY = sa.Table(
    "dossier_submission_center_day",
    SQLModel.metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("center_id", sa.Integer(), primary_key=True, autoincrement=False),
    *_counters(["submitted"]),
)
DOSSIER_SUBMISSION_PROC_DAY = sa.Table(
    "dossier_submission_proc_day",
    SQLModel.metadata,
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("proc_code", sa.String(length=30), primary_key=True),
    *_counters(["submitted"]),
)


def _weekly_count_table() -> sa.Table:
    """The additive columns of `dossier_daily_count` summed per week (Monday) — the same deltas, kept by the same
    hook (services.daily_counts, migration 0020). A 90-day board reads ~12 whole weeks here and only the days
    outside them from the day rows: ~13,000 rows instead of ~46,000 at 1M, for the counts and the weekly trend."""
    from onestop.domain.daily_counts import ADDITIVE_COLUMNS

    return sa.Table(
        "dossier_weekly_count",
        SQLModel.metadata,
        sa.Column("week", sa.Date(), primary_key=True),
        sa.Column("center_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("procedure_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("procedure_code", sa.String(length=30), nullable=False),
        *_counters(ADDITIVE_COLUMNS),
    )


DOSSIER_WEEKLY_COUNT = _weekly_count_table()
