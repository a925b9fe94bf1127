"""Field-app sync: what an offline device sends, accepted exactly once and never lost.

Support-team members capture dossiers in homes with no signal; the device keeps
them in IndexedDB and sends them later, possibly twice (a response lost on a bad
network), possibly out of order (the dossier before its photos), possibly after
the catalog changed. Every use case here is therefore idempotent:

* photos and signatures are uploaded content-addressed (sha256): uploading the
  same bytes twice stores them once and answers the same;
* a consent and a dossier carry a client-generated UUID; the first accepted
  request writes a `SyncOperation` row with the hash of its content and the
  answer, *in the same transaction* as the dossier. A resend with the same
  content gets the stored answer; the same UUID with other content is a
  conflict (409) and changes nothing;
* a dossier is accepted only when every file it references is on the server;
  otherwise the answer (422 `uploads_missing`) lists exactly what is missing,
  so the device uploads those and sends again.

Rejections are not recorded: the supporter may correct a dossier that needs
attention and send it again under the same UUID.

Time: the server's moment of reception is the dossier's `submitted_at` (the
legal clock is then started by reception at the center, from server time only).
The device's capture time is kept in `captured_at`; a device clock more than
ten minutes off and a possible duplicate (same person, same procedure, still
open) are written to `dossier.flags` for the receiving officer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop import clock
from onestop.adapters.population import ResidentRecord, registry
from onestop.adapters.storage import FileStorage, default_storage
from onestop.domain.codes import normalize_provisional_code
from onestop.domain.errors import DomainError, PermissionDenied
from onestop.domain.forms import DocumentSpec, safe_filename
from onestop.domain.lifecycle import OPEN, Role
from onestop.models import (
    Attachment,
    AuthSession,
    Center,
    Consent,
    Dossier,
    Procedure,
    ProcedureField,
    SupportVisit,
    SyncOperation,
    User,
)
from onestop.read.schemas import schema_of
from onestop.services import auth
from onestop.services.actor import Actor
from onestop.services.dossiers import current_procedure, file_dossier
from onestop.services.uploads import CONSENT_SPEC, check_file, copy_attachment, store_file

__all__ = [
    "CLOCK_SKEW_FLAG_MINUTES",
    "CONSENT_SPEC",
    "DEVICE_TOKEN_DAYS",
    "CatalogSnapshot",
    "SyncResult",
    "attachment_present",
    "catalog_snapshot",
    "device_actor",
    "device_sign_in",
    "device_sign_out",
    "find_by_provisional_code",
    "payload_hash",
    "record_consent",
    "search_residents",
    "store_attachment",
    "submit_dossier",
    "visit_list",
]

#: How long a device stays signed in: a supporter may be away from any signal for weeks.
DEVICE_TOKEN_DAYS = 30
#: A device clock further off than this is flagged to the receiving officer.
CLOCK_SKEW_FLAG_MINUTES = 10
#: Bounds that keep one request's work small and predictable.
MAX_ATTACHMENTS_PER_DOSSIER = 30
MAX_FORM_KEYS = 200
MAX_FORM_VALUE_CHARS = 100_000


_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class SyncResult:
    """An answer to a sync request: HTTP status, JSON body, and whether it was replayed."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


# --------------------------------------------------------------------------- input checks


def _bad(code: str, vi: str, en: str, field: str | None = None, status: int = 422) -> DomainError:
    return DomainError(code, vi, en, field=field, status=status)


#: (pattern, code, vi, en) of the identifiers a device sends: its records' UUIDs and its files' checksums.
_UUID = (
    _UUID_RE,
    "bad_uuid",
    "Mã định danh của bản ghi trên máy không hợp lệ (cần dạng UUID).",
    "The record's device identifier is not a valid UUID.",
)
_SHA = (
    _SHA_RE,
    "bad_sha256",
    "Mã kiểm tra của tệp không hợp lệ (cần 64 ký tự sha256).",
    "The file's checksum is not a valid sha256 (64 hex characters).",
)


def _identifier(value: object, field: str, kind: tuple[re.Pattern[str], str, str, str]) -> str:
    """The identifier trimmed and lower-cased, or a 400 naming the field (devices differ in case and spacing)."""
    pattern, code, vi, en = kind
    text = value.strip().lower() if isinstance(value, str) else ""
    if not pattern.fullmatch(text):
        raise _bad(code, vi, en, field, status=400)
    return text


def _uuid(value: object, field: str) -> str:
    return _identifier(value, field, _UUID)


def _sha(value: object, field: str = "sha256") -> str:
    return _identifier(value, field, _SHA)


def _text(value: object, field: str, max_len: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _bad("bad_text", "Dữ liệu gửi lên không đúng dạng chữ.", "This value must be text.", field, status=400)
    text = value.strip()
    if required and not text:
        raise _bad(f"{field}_required", "Thiếu thông tin bắt buộc.", "A required value is missing.", field)
    if len(text) > max_len:
        raise _bad(
            "too_long",
            f"Nội dung quá dài (tối đa {max_len} ký tự).",
            f"Too long (at most {max_len} characters).",
            field,
        )
    return text


def _moment(value: object, field: str, *, required: bool = True) -> datetime | None:
    """A device timestamp (ISO 8601) as naive Vietnam time; with no offset it is taken as Vietnam time."""
    if value is None or value == "":
        if required:
            raise _bad(f"{field}_required", "Thiếu thời điểm ghi nhận trên máy.", "The capture time is missing.", field)
        return None
    try:
        text = str(value).strip().replace("Z", "+00:00")
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(
            "bad_time",
            "Thời điểm gửi từ máy không đúng định dạng.",
            "The device time is not a valid time.",
            field,
            status=400,
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_VN).replace(tzinfo=None)
    if not 2000 <= moment.year <= 2100:
        raise _bad(
            "bad_time", "Thời điểm gửi từ máy không hợp lệ.", "The device time is not plausible.", field, status=400
        )
    return moment.replace(microsecond=0)


def _positive_int(value: object, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**62:
        raise _bad("bad_id", "Mã số không hợp lệ.", "Invalid identifier.", field, status=400)
    return value


def _form_data(value: object) -> dict[str, Any]:
    if not isinstance(value, dict) or len(value) > MAX_FORM_KEYS:
        raise _bad(
            "bad_form_data",
            "Nội dung tờ khai gửi lên không đúng dạng.",
            "The form data is not valid.",
            "form_data",
            status=400,
        )
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > 64:
            raise _bad(
                "bad_form_data",
                "Tờ khai có mục không hợp lệ.",
                "The form has an invalid field name.",
                "form_data",
                status=400,
            )
        if item is not None and not isinstance(item, str | int | float | bool):
            raise _bad(
                "bad_form_data", "Tờ khai có giá trị không hợp lệ.", "The form has an invalid value.", key, status=400
            )
        if isinstance(item, str) and len(item) > MAX_FORM_VALUE_CHARS:
            raise _bad("too_long", "Nội dung quá dài.", "A value is too long.", key)
    return dict(value)


def device_id_of(value: object) -> str:
    """The device's own identifier (generated once on the device, kept in IndexedDB)."""
    text = value.strip() if isinstance(value, str) else ""
    if not _DEVICE_RE.fullmatch(text):
        raise _bad(
            "bad_device",
            "Mã thiết bị không hợp lệ. Vui lòng tải lại ứng dụng.",
            "Invalid device identifier. Please reload the app.",
            "device_id",
            status=400,
        )
    return text


def payload_hash(content: Mapping[str, Any]) -> str:
    """The hash that decides "same content" for a resent UUID: canonical JSON, key order ignored."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --------------------------------------------------------------------------- device session


def device_sign_in(
    session: Session,
    login: str,
    password: str,
    *,
    device_id: str,
    device_label: str = "",
    days: int = DEVICE_TOKEN_DAYS,
    address: str | None = None,
) -> dict[str, Any]:
    """Open a device session for a supporter: a bearer token of kind "device", expiring and revocable.

    Why the role is checked after the password: answering "not a supporter" before it
    would tell a stranger which phone numbers have accounts.
    """
    device = device_id_of(device_id)
    label = f"{(_text(device_label, 'device_label', 200) or 'field app')[:50]} · {device}"
    token, user = auth.sign_in(session, login, password, kind="device", device_label=label, days=days, address=address)
    if user.role != Role.SUPPORTER:
        auth.sign_out(session, token)
        raise PermissionDenied(
            "Ứng dụng thu nhận tại chỗ chỉ dành cho thành viên Tổ công nghệ số cộng đồng.",
            "The field app is only for members of community digital technology teams.",
            code="not_supporter",
        )
    row = session.exec(
        select(AuthSession).where(AuthSession.token_hash == hashlib.sha256(token.encode()).hexdigest())
    ).one()
    return {"token": token, "expires_at": row.expires_at.isoformat(), **_me(session, user)}


def _me(session: Session, user: User) -> dict[str, Any]:
    center = session.get(Center, user.center_id) if user.center_id else None
    return {
        "user": {
            "id": user.id,
            "full_name": user.full_name,
            "phone": user.phone,
            "role": user.role,
            "language": user.language or "vi",
            "title": user.title,
        },
        "center": {"code": center.code, "name": center.name} if center else None,
        "server_time": clock.now().isoformat(),
    }


def device_actor(session: Session, token: str | None) -> tuple[Actor, dict[str, Any]]:
    """The supporter behind a device token, or 401. Web-session tokens are refused here (scope)."""
    user = auth.user_for_token(session, token, kind="device")
    if user is None:
        raise DomainError(
            "device_signed_out",
            "Phiên đăng nhập trên máy đã hết hạn hoặc bị thu hồi. "
            "Vui lòng đăng nhập lại khi có mạng; hồ sơ đã lưu trên máy vẫn còn nguyên.",
            "This device's sign-in has expired or was revoked. Please sign in again when online; "
            "the dossiers saved on the device are kept.",
            status=401,
        )
    if user.role != Role.SUPPORTER:
        raise PermissionDenied(code="not_supporter")
    return Actor.from_user(user), _me(session, user)


def device_sign_out(session: Session, token: str | None) -> None:
    auth.sign_out(session, token)


# --------------------------------------------------------------------------- catalog and visits


@dataclass(frozen=True)
class CatalogSnapshot:
    etag: str
    body: bytes


_catalog_cache: dict[tuple[Any, ...], CatalogSnapshot] = {}


def catalog_snapshot(session: Session) -> CatalogSnapshot:
    """Current procedures with their form schemas, as one JSON document with a strong ETag.

    Why cached by a fingerprint: every device asks on every start; the body only
    changes when a procedure version is published (a new row), so (count, max id)
    of current versions tells whether the cached body is still right.
    """
    fingerprint = tuple(
        session.exec(select(func.count(), func.max(Procedure.id)).where(Procedure.is_current.is_(True))).one()
    )
    cached = _catalog_cache.get(fingerprint)
    if cached is not None:
        return cached
    fields = {f.id: f for f in session.exec(select(ProcedureField))}
    procs = session.exec(
        select(Procedure).where(Procedure.is_current.is_(True)).order_by(Procedure.popularity.desc(), Procedure.code)
    ).all()
    items = []
    for p in procs:
        pf = fields.get(p.field_id)
        items.append(
            {
                "code": p.code,
                "version": p.version,
                "name_vi": p.name_vi,
                "name_en": p.name_en,
                "field": {"code": pf.code, "name_vi": pf.name_vi, "name_en": pf.name_en} if pf else None,
                "duration": p.duration_counter,
                "fee_amount": p.fee_amount,
                "fee_text": p.fee_text,
                "result_name_vi": p.result_name_vi,
                "form_schema": p.form_schema or {"fields": [], "documents": []},
            }
        )
    content = json.dumps({"procedures": items}, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    snapshot = CatalogSnapshot(etag=f'"{hashlib.sha256(content).hexdigest()[:32]}"', body=content)
    _catalog_cache.clear()
    _catalog_cache[fingerprint] = snapshot
    return snapshot


def _resident_json(r: ResidentRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "national_id": r.national_id,
        "full_name": r.full_name,
        "date_of_birth": r.date_of_birth.isoformat(),
        "gender": r.gender,
        "phone": r.phone,
        "address": r.address,
    }


def visit_list(session: Session, actor: Actor, today: date | None = None, limit: int = 100) -> dict[str, Any]:
    """The supporter's visits for offline use: planned ones from a week ago on, with the resident's
    registry data so the form can be prefilled at the door without a signal."""
    _require_supporter(actor)
    today = today or clock.now().date()
    visits = session.exec(
        select(SupportVisit)
        .where(
            SupportVisit.supporter_id == actor.user_id,
            SupportVisit.status == "planned",
            SupportVisit.planned_for >= today - timedelta(days=7),
        )
        .order_by(SupportVisit.planned_for, SupportVisit.id)
        .limit(limit)
    ).all()
    people = registry(session).by_ids(v.resident_id for v in visits)
    return {
        "visits": [
            {
                "id": v.id,
                "planned_for": v.planned_for.isoformat(),
                "purpose": v.purpose,
                "status": v.status,
                "resident": _resident_json(people[v.resident_id]),
            }
            for v in visits
            if v.resident_id in people
        ],
        "generated_at": clock.now().isoformat(),
    }


def search_residents(session: Session, actor: Actor, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Online only: find a person in the registry by ID number, phone or name (accents optional)."""
    _require_supporter(actor)
    q = _text(query, "q", 100)
    if len(q) < 3:
        return []
    return [_resident_json(rec) for rec in registry(session).search(q, limit=min(limit, 50))]


def _require_supporter(actor: Actor) -> None:
    if actor.role != Role.SUPPORTER:
        raise PermissionDenied(code="not_supporter")


# --------------------------------------------------------------------------- attachments


def _spec_for(session: Session, purpose: str, procedure_code: str, document_code: str) -> DocumentSpec:
    if purpose == "consent":
        return CONSENT_SPEC  # the one table: services.uploads.SPECS
    if purpose != "document":
        raise _bad("bad_purpose", "Loại tệp không hợp lệ.", "Unknown kind of file.", "purpose", status=400)
    proc = current_procedure(session, _text(procedure_code, "procedure_code", 30, required=True))
    schema = schema_of(proc)
    spec = schema.document(_text(document_code, "document_code", 40, required=True))
    if spec is None or spec.state_held:
        raise _bad(
            "unknown_document",
            "Thủ tục này không yêu cầu giấy tờ này.",
            "This procedure does not ask for this document.",
            "document_code",
        )
    return spec


def _owned(session: Session, actor: Actor, sha: str) -> list[Attachment]:
    return list(
        session.exec(
            select(Attachment)
            .where(Attachment.owner_user_id == actor.user_id, Attachment.sha256 == sha)
            .order_by(Attachment.id)
        )
    )


def attachment_present(session: Session, actor: Actor, sha256: str, storage: FileStorage | None = None) -> bool:
    """Has this supporter already uploaded these bytes (and are they still in storage)?"""
    sha = _sha(sha256)
    store = storage or default_storage()
    return any(store.exists(a.storage_key) for a in _owned(session, actor, sha))


def store_attachment(
    session: Session,
    actor: Actor,
    sha256: str,
    data: bytes,
    *,
    purpose: str = "document",
    procedure_code: str = "",
    document_code: str = "",
    filename: str = "",
    storage: FileStorage | None = None,
) -> SyncResult:
    """Store uploaded bytes under their sha256 as an unbound attachment of this supporter.

    The hash is checked against the bytes (a photo damaged on the device must not
    be filed as evidence), and the type and size against the document's rules
    with the same `validate_upload` every channel uses. Idempotent: the same bytes
    again answer 200 "present" without a new row, even after they were filed.
    """
    _require_supporter(actor)
    sha = _sha(sha256)
    if hashlib.sha256(data).hexdigest() != sha:
        raise _bad(
            "hash_mismatch",
            "Tệp nhận được không khớp mã kiểm tra — tệp trên máy có thể đã hỏng. Vui lòng chụp lại ảnh này.",
            "The file received does not match its checksum — the copy on the device may be damaged. "
            "Please take this photo again.",
            "sha256",
        )
    spec = _spec_for(session, purpose, procedure_code, document_code)
    name = _text(filename, "filename", 200) or f"{spec.code}.bin"
    check_file(spec, name, data, field="file", too_big_status=422)
    store = storage or default_storage()
    kind = "consent" if purpose == "consent" else "input"
    # Already here from this supporter (staged, or bound to a dossier): nothing to add. A dossier or
    # consent that needs these bytes again gets its own row when it is filed (_claim_attachment).
    if any(store.exists(a.storage_key) for a in _owned(session, actor, sha)):
        return SyncResult(200, {"status": "present", "sha256": sha})
    assert actor.user_id is not None  # a supporter (checked above)
    store_file(
        session,
        actor.user_id,
        spec,
        name,
        data,
        kind=kind,
        document_code=spec.code if kind == "input" else "",
        field="file",
        storage=store,
        too_big_status=422,
    )
    return SyncResult(201, {"status": "stored", "sha256": sha})


def _claim_attachment(
    session: Session, actor: Actor, sha: str, *, kind: str, document_code: str, filename: str, store: FileStorage
) -> Attachment | None:
    """An unbound attachment row for these bytes, ready to bind: the staged upload itself, or a copy
    pointing at the same stored file when the bytes were already used (same photo in two dossiers)."""
    rows = [a for a in _owned(session, actor, sha) if store.exists(a.storage_key)]
    if not rows:
        return None
    staged = next((a for a in rows if a.dossier_id is None and a.kind == kind), None)
    if staged is not None:
        staged.document_code = document_code
        if filename:
            staged.filename = safe_filename(filename)
        session.add(staged)
        return staged
    return copy_attachment(session, rows[0], actor.user_id, kind=kind, document_code=document_code, filename=filename)


# --------------------------------------------------------------------------- idempotency


def _existing_op(session: Session, op_uuid: str) -> SyncOperation | None:
    return session.exec(select(SyncOperation).where(SyncOperation.op_uuid == op_uuid)).first()


def _replay(op: SyncOperation, actor: Actor, kind: str, digest: str) -> SyncResult:
    """The stored answer for a resend, or 409 when the UUID now comes with other content."""
    if op.user_id != actor.user_id or op.kind != kind or op.payload_sha256 != digest:
        raise DomainError(
            "uuid_conflict",
            "Hồ sơ này đã được gửi trước đó với nội dung khác; máy chủ giữ nguyên bản đã nhận. "
            "Vui lòng kiểm tra lại, nếu cần hãy lập hồ sơ mới.",
            "This record was already sent with different content; the server keeps the version it received. "
            "Please check it and, if needed, capture a new dossier.",
            status=409,
        )
    body = dict(op.response or {})
    return SyncResult(int(body.pop("_status", 200)), body, replayed=True)


def _run_once(
    session: Session,
    actor: Actor,
    op_uuid: str,
    kind: str,
    digest: str,
    work: Callable[[], None],
    answer_of: Callable[[], dict[str, Any]],
) -> SyncResult:
    """Run `work` at most once per UUID; its answer is stored with it in the same transaction.

    The caller's `transaction()` commits the work and the stored answer together, so
    there is never a dossier without its answer (a crash after commit and before the
    reply is a plain resend). Two concurrent first sends race on the unique `op_uuid`:
    the loser's flush waits for the winner's commit, fails on the key, discards its
    (still empty) transaction and replays the winner's answer.
    """
    op = _existing_op(session, op_uuid)
    if op is not None:
        return _replay(op, actor, kind, digest)
    op = SyncOperation(
        op_uuid=op_uuid, user_id=actor.user_id, kind=kind, payload_sha256=digest, response=None, created_at=clock.now()
    )
    try:
        session.add(op)
        session.flush()  # claims the UUID now: a concurrent twin waits here, then fails on the unique key
    except sa.exc.IntegrityError:
        session.rollback()  # nothing else was written yet: the twin's request only claimed the UUID
        existing = _existing_op(session, op_uuid)
        if existing is None:
            raise
        return _replay(existing, actor, kind, digest)
    work()
    body = answer_of()
    op.response = {**body, "_status": 201}
    session.add(op)
    session.flush()
    body = dict(op.response or {})
    body.pop("_status", None)
    return SyncResult(201, body)


def _missing(attachments: list[str], consent: str | None) -> DomainError:
    return DomainError(
        "uploads_missing",
        f"Máy chủ chưa nhận đủ tệp của hồ sơ (còn thiếu {len(attachments) + (1 if consent else 0)} tệp). "
        "Ứng dụng sẽ tự gửi các tệp này rồi gửi lại hồ sơ.",
        f"The server does not have all of this dossier's files yet ({len(attachments) + (1 if consent else 0)} "
        "missing). The app sends them and then the dossier again.",
        status=422,
        missing={"attachments": attachments, "consent": consent},
    )


# --------------------------------------------------------------------------- residents and consent


def _resolve_resident(session: Session, resident_id: object, national_id: object) -> ResidentRecord:
    """The person from the population registry (through its adapter): by id, else by ID number."""
    people = registry(session)
    rid = _positive_int(resident_id, "resident_id")
    resident = people.by_id(rid) if rid else None
    if resident is None and national_id:
        nid = "".join(ch for ch in str(national_id) if ch.isdigit())
        if len(nid) != 12:
            raise _bad(
                "bad_national_id",
                "Số định danh cá nhân phải gồm đúng 12 chữ số.",
                "The personal ID number must be exactly 12 digits.",
                "resident_national_id",
            )
        resident = people.by_national_id(nid)
    if resident is None:
        raise _bad(
            "resident_not_found",
            "Không tìm thấy người dân này trong Cơ sở dữ liệu quốc gia về dân cư. Vui lòng kiểm tra lại số định danh.",
            "This person is not in the national population database. Please check the ID number.",
            "resident",
        )
    return resident


def record_consent(
    session: Session, actor: Actor, payload: Mapping[str, Any], storage: FileStorage | None = None
) -> SyncResult:
    """Record a resident's consent (drawn signature or photo of the signed form), once per UUID."""
    _require_supporter(actor)
    if not isinstance(payload, Mapping):
        raise _bad("bad_payload", "Dữ liệu gửi lên không đúng dạng.", "The request body is not valid.", status=400)
    op_uuid = _uuid(payload.get("client_uuid"), "client_uuid")
    method = payload.get("method")
    if method not in ("signature", "photo"):
        raise _bad(
            "bad_consent_method",
            "Hình thức đồng ý phải là chữ ký hoặc ảnh giấy đồng ý.",
            "Consent must be a signature or a photo of the signed form.",
            "method",
        )
    sha = _sha(payload.get("sha256"))
    captured_at = _moment(payload.get("captured_at"), "captured_at")
    place = _text(payload.get("place"), "place", 200)
    content = {
        "resident_id": payload.get("resident_id"),
        "resident_national_id": payload.get("resident_national_id"),
        "method": method,
        "sha256": sha,
        "captured_at": str(payload.get("captured_at")),
        "place": place,
    }
    digest = payload_hash(content)
    store = storage or default_storage()

    made: dict[str, Any] = {}

    def work() -> None:
        resident = _resolve_resident(session, payload.get("resident_id"), payload.get("resident_national_id"))
        att = _claim_attachment(session, actor, sha, kind="consent", document_code="", filename="", store=store)
        if att is None:
            raise _missing([], op_uuid)
        session.flush()
        consent = Consent(
            supporter_id=actor.user_id,
            resident_id=resident.id,
            method=method,
            attachment_id=att.id,
            captured_at=captured_at,
            place=place,
        )
        session.add(consent)
        session.flush()
        made.update(status="recorded", client_uuid=op_uuid, consent_id=consent.id)

    return _run_once(session, actor, op_uuid, "consent", digest, work, lambda: dict(made))


def _consent_id(session: Session, actor: Actor, consent_uuid: str) -> int | None:
    op = _existing_op(session, consent_uuid)
    if op is None or op.user_id != actor.user_id or op.kind != "consent" or not op.response:
        return None
    return int(op.response["consent_id"])


# --------------------------------------------------------------------------- dossiers


def _parse_attachments(value: object) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS_PER_DOSSIER:
        raise _bad(
            "bad_attachments",
            f"Danh sách ảnh giấy tờ không hợp lệ (tối đa {MAX_ATTACHMENTS_PER_DOSSIER}).",
            f"The list of document photos is not valid (at most {MAX_ATTACHMENTS_PER_DOSSIER}).",
            "attachments",
            status=400,
        )
    out = []
    for item in value:
        if not isinstance(item, Mapping):
            raise _bad(
                "bad_attachments",
                "Danh sách ảnh giấy tờ không hợp lệ.",
                "The list of photos is not valid.",
                "attachments",
                status=400,
            )
        out.append(
            {
                "sha256": _sha(item.get("sha256")),
                "document_code": _text(item.get("document_code"), "document_code", 40, required=True),
                "filename": _text(item.get("filename"), "filename", 200),
            }
        )
    return sorted(out, key=lambda a: (a["document_code"], a["sha256"], a["filename"]))


def _flags(
    session: Session,
    resident: ResidentRecord,
    procedure_code: str,
    client_uuid: str,
    captured_at: datetime,
    sent_at: datetime | None,
    now: datetime,
) -> dict[str, Any]:
    """What the receiving officer should know: a wrong device clock, a possible duplicate."""
    flags: dict[str, Any] = {}
    skew = None
    if sent_at is not None:
        skew = round((now - sent_at).total_seconds() / 60)
    elif captured_at > now + timedelta(minutes=CLOCK_SKEW_FLAG_MINUTES):
        skew = round((now - captured_at).total_seconds() / 60)
    if skew is not None and abs(skew) > CLOCK_SKEW_FLAG_MINUTES:
        flags["clock_skew_minutes"] = skew
    twin = session.exec(
        select(Dossier.code)
        .where(
            Dossier.applicant_national_id == resident.national_id,
            Dossier.procedure_code == procedure_code,
            Dossier.status.in_([int(s) for s in OPEN]),
            sa.or_(Dossier.client_uuid.is_(None), Dossier.client_uuid != client_uuid),
        )
        .order_by(Dossier.id.desc())
    ).first()
    if twin:
        flags["possible_duplicate_of"] = twin
    return flags


def submit_dossier(
    session: Session,
    actor: Actor,
    payload: Mapping[str, Any],
    *,
    device_id: str = "",
    storage: FileStorage | None = None,
) -> SyncResult:
    """File a dossier captured on a device, exactly once per `client_uuid`.

    Accepted only when every referenced photo and the consent are on the server;
    otherwise 422 `uploads_missing` lists them. Everything else the dossier needs
    (form rules, consent for filing on someone's behalf, required documents, the
    official code) is `file_dossier`'s, the same as for every other channel.
    """
    _require_supporter(actor)
    if not isinstance(payload, Mapping):
        raise _bad("bad_payload", "Dữ liệu gửi lên không đúng dạng.", "The request body is not valid.", status=400)
    client_uuid = _uuid(payload.get("client_uuid"), "client_uuid")
    procedure_code = _text(payload.get("procedure_code"), "procedure_code", 30, required=True)
    form_data = _form_data(payload.get("form_data"))
    attachments = _parse_attachments(payload.get("attachments"))
    consent_uuid = _uuid(payload.get("consent_uuid"), "consent_uuid") if payload.get("consent_uuid") else None
    provisional = normalize_provisional_code(payload.get("provisional_code") or "")
    captured_at = _moment(payload.get("captured_at"), "captured_at")
    assert captured_at is not None
    sent_at = _moment(payload.get("sent_at"), "sent_at", required=False)
    visit_id = _positive_int(payload.get("visit_id"), "visit_id")
    center_code = _text(payload.get("center_code"), "center_code", 20)
    content = {
        "procedure_code": procedure_code,
        "form_data": form_data,
        "attachments": attachments,
        "consent_uuid": consent_uuid,
        "provisional_code": provisional,
        "captured_at": str(payload.get("captured_at")),
        "resident_id": payload.get("resident_id"),
        "resident_national_id": payload.get("resident_national_id"),
        "visit_id": visit_id,
        "center_code": center_code,
    }
    digest = payload_hash(content)
    store = storage or default_storage()
    device = device_id_of(device_id) if device_id else ""

    def work() -> None:
        now = clock.now()
        resident = _resolve_resident(session, payload.get("resident_id"), payload.get("resident_national_id"))
        center = _center_for(session, actor, center_code)
        proc = current_procedure(session, procedure_code)
        schema = schema_of(proc)
        # Which files are missing first: they are what the device can fix without a person.
        claimed: list[int] = []
        missing: list[str] = []
        for item in attachments:
            spec = schema.document(item["document_code"])
            if spec is None or spec.state_held:
                raise _bad(
                    "unknown_document",
                    f"Thủ tục này không yêu cầu giấy tờ “{item['document_code']}”.",
                    f"This procedure does not ask for the document “{item['document_code']}”.",
                    "attachments",
                )
            att = _claim_attachment(
                session,
                actor,
                item["sha256"],
                kind="input",
                document_code=spec.code,
                filename=item["filename"],
                store=store,
            )
            if att is None:
                missing.append(item["sha256"])
                continue
            if att.mime not in spec.accepted_types or att.size > spec.max_size_mb * 1024 * 1024:
                raise _bad(
                    "upload_type",
                    f"Tệp của “{spec.name_vi}” không đúng loại hoặc quá lớn.",
                    f"The file for “{spec.name_en}” has the wrong type or is too big.",
                    "attachments",
                )
            session.flush()
            claimed.append(att.id)
        consent_id = _consent_id(session, actor, consent_uuid) if consent_uuid else None
        if missing or (consent_uuid and consent_id is None):
            raise _missing(sorted(set(missing)), consent_uuid if consent_uuid and consent_id is None else None)
        flags = _flags(session, resident, proc.code, client_uuid, captured_at, sent_at, now)
        if visit_id is not None:
            visit = session.get(SupportVisit, visit_id)
            if visit is not None and visit.supporter_id == actor.user_id and visit.resident_id == resident.id:
                visit.status, visit.done_at = "done", captured_at
                session.add(visit)
        file_dossier(
            session,
            actor,
            procedure_code=proc.code,
            form_data=form_data,
            channel="field",
            center_id=center.id,
            attachment_ids=claimed,
            resident_id=resident.id,
            consent_id=consent_id,
            client_uuid=client_uuid,
            provisional_code=provisional,
            captured_at=captured_at,
            flags=flags or None,
        )

    def answer() -> dict[str, Any]:
        dossier = session.exec(select(Dossier).where(Dossier.client_uuid == client_uuid)).first()
        if dossier is None:
            return {}
        return {
            "status": "accepted",
            "client_uuid": client_uuid,
            "dossier_code": dossier.code,
            "provisional_code": dossier.provisional_code,
            "procedure_code": dossier.procedure_code,
            "submitted_at": dossier.submitted_at.isoformat() if dossier.submitted_at else None,
            "captured_at": dossier.captured_at.isoformat() if dossier.captured_at else None,
            "flags": dict(dossier.flags or {}),
            "device_id": device,
        }

    return _run_once(session, actor, client_uuid, "dossier", digest, work, answer)


def _center_for(session: Session, actor: Actor, center_code: str) -> Center:
    if center_code:
        center = session.exec(select(Center).where(Center.code == center_code.upper())).first()
    else:
        center = session.get(Center, actor.center_id) if actor.center_id else None
    if center is None or not center.active:
        raise _bad(
            "center_not_found",
            "Không tìm thấy trung tâm tiếp nhận. Vui lòng chọn trung tâm.",
            "Receiving center not found. Please choose a center.",
            "center_code",
        )
    return center


def find_by_provisional_code(
    session: Session, code: str, *, supporter_id: int | None = None, device_id: str | None = None
) -> list[Dossier]:
    """Dossiers bound to a provisional receipt code, newest first.

    Why a list and the optional keys: the code is unique per device only (35
    random bits), so across a province two devices may print the same one. The
    supporter (and the device recorded with the sync answer) tell them apart.
    """
    canonical = normalize_provisional_code(code)
    stmt = select(Dossier).where(Dossier.provisional_code == canonical)
    if supporter_id is not None:
        stmt = stmt.where(Dossier.acting_user_id == supporter_id)
    rows = list(session.exec(stmt.order_by(Dossier.id.desc())))
    if device_id and len(rows) > 1:
        ops = {
            op.op_uuid: op
            for op in session.exec(
                select(SyncOperation).where(SyncOperation.op_uuid.in_([d.client_uuid for d in rows if d.client_uuid]))
            )
        }
        rows = [
            d
            for d in rows
            if (
                ops.get(d.client_uuid or "") and (ops[d.client_uuid or ""].response or {}).get("device_id") == device_id
            )
        ]
    return rows
