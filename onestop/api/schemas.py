"""One declarative layer between a JSON request body and the services (pydantic models).

Why (issue 17, finding 5): each route parsed its body by hand, and about ten hostile
inputs reached code that was not ready for them and answered 500 — deep nesting
(`RecursionError`), `Infinity` amounts, timestamps whose offset pushes them out of
range (`OverflowError`), lone surrogates (`UnicodeEncodeError` when hashed), ids beyond
64 bits (database overflow). Here every body is:
1. read with a byte limit (declared Content-Length first, then counted while streamed);
2. decoded as strict UTF-8 and parsed with `NaN`/`Infinity` and out-of-range floats
   refused, nesting deeper than `MAX_DEPTH` refused, integers beyond signed 64 bits
   refused, and strings with lone surrogates refused;
3. validated by a pydantic model of the route (types, lengths, ranges), failing with
   a `DomainError` that carries a stable code and the field, so the route answers 4xx.
The routes pass the *original* body on after validation, because the field API hashes
it for idempotency; the model is a gate, not a rewrite.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from starlette.requests import Request

from onestop.domain.errors import DomainError

M = TypeVar("M", bound=BaseModel)

MAX_JSON_BYTES = 1024 * 1024
MAX_DEPTH = 16
INT64_MAX = 2**63 - 1


def too_large(limit: int) -> DomainError:
    kb = max(1, limit // 1024)
    return DomainError(
        "too_large",
        f"Dữ liệu gửi lên quá lớn (tối đa {kb} KB).",
        f"The request is too large (at most {kb} KB).",
        status=413,
    )


def bad_json(code: str = "bad_json", field: str | None = None) -> DomainError:
    return DomainError(
        code,
        "Dữ liệu gửi lên không đọc được hoặc không đúng dạng.",
        "The request body is not valid JSON of the expected shape.",
        field=field,
        status=400,
    )


async def read_body(request: Request, limit: int, *, too_big: Callable[[int], DomainError] = too_large) -> bytes:
    """The body, refused as soon as it is larger than `limit` (never buffered past it) with the error
    `too_big(limit)` (the field app's photo upload words it in MB)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise bad_json("bad_request")
        if int(declared) > limit:
            raise too_big(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise ValueError(text)
    value = int(text)
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise ValueError(text)
    return value


def _nesting_ok(raw: str, max_depth: int) -> bool:
    """Bracket depth outside strings, checked before parsing (so the parser never recurses deep)."""
    depth = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _check_strings(value: Any) -> bool:
    """No lone surrogate anywhere (they cannot be stored, hashed or shown)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Strict JSON: UTF-8, finite numbers, 64-bit integers, bounded depth, no lone surrogates."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_json() from None
    if not _nesting_ok(text, max_depth):
        raise bad_json("too_deep")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except (ValueError, RecursionError):
        raise bad_json() from None
    if not _check_strings(data):
        raise bad_json("bad_text")
    return data


def validate(model: type[M], data: Any) -> M:
    """Validate with the route's model; the first problem becomes a 4xx naming the field.

    A model may map a top-level field to the stable code its clients already know
    (`CODES`, answered with 400); any other problem is `invalid_field` (422).
    """
    if not isinstance(data, dict):
        code, status = getattr(model, "NOT_OBJECT", ("invalid_body", 422))
        raise DomainError(
            code, "Dữ liệu gửi lên không đúng dạng.", "The request body is not of the expected shape.", status=status
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in first.get("loc", ())]
        field = ".".join(loc) or None
        codes: dict[str, str] = getattr(model, "CODES", {})
        code = codes.get(loc[0]) if loc else None
        raise DomainError(
            code or "invalid_field",
            f"Trường dữ liệu không hợp lệ: {field or 'nội dung'}.",
            f"Invalid field: {field or 'body'}.",
            field=loc[0] if code and loc else field,
            status=400 if code else 422,
        ) from None


async def read_json(request: Request, model: type[M], *, limit: int = MAX_JSON_BYTES) -> tuple[M, Any]:
    """Read, parse and validate a JSON body: (the validated model, the original data)."""
    data = parse_json(await read_body(request, limit))
    return validate(model, data), data


# --------------------------------------------------------------------------- shared field types


def _device_moment(value: str) -> str:
    """An ISO 8601 moment a device could really have produced (offset within ±14 h, years 2000–2100)."""
    text = value.strip().replace("Z", "+00:00")
    if not text:
        return value  # "missing" is the service's own message
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not an ISO 8601 moment") from None
    if not 2000 <= moment.year <= 2100:
        raise ValueError("implausible year")
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):
        raise ValueError("implausible offset")
    return value


Id64 = Annotated[StrictInt, Field(ge=1, le=INT64_MAX)]
Moment = Annotated[StrictStr, Field(max_length=40), AfterValidator(_device_moment)]
#: Format checked by the service (it also lowercases and trims); here only type and length.
Uuid = Annotated[StrictStr, Field(max_length=64)]
Sha256 = Annotated[StrictStr, Field(max_length=80)]


def Text(max_length: int) -> Any:  # noqa: N802 - reads as a type in the models
    return Annotated[StrictStr, Field(max_length=max_length)]


class _Body(BaseModel):
    """Unknown keys are ignored (older/newer field apps), known ones are checked."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    CODES: ClassVar[dict[str, str]] = {}


# --------------------------------------------------------------------------- route bodies


class FieldSignIn(_Body):
    CODES: ClassVar[dict[str, str]] = {"login": "login_required", "password": "login_required"}
    NOT_OBJECT: ClassVar[tuple[str, int]] = ("bad_json", 400)
    login: Text(64)
    password: Text(256)
    device_id: Text(64) | None = None
    device_label: Text(200) | None = None


_FIELD_CODES = {
    "client_uuid": "bad_uuid",
    "consent_uuid": "bad_uuid",
    "captured_at": "bad_time",
    "sent_at": "bad_time",
    "form_data": "bad_form_data",
    "provisional_code": "bad_provisional_code",
    "visit_id": "bad_id",
    "resident_id": "bad_id",
    "sha256": "bad_sha256",
    "resident_national_id": "bad_national_id",
    "procedure_code": "bad_text",
    "center_code": "bad_text",
    "place": "bad_text",
    "method": "bad_text",
}


class _FieldRecord(_Body):
    """What every record a field device queues carries: its own id, when it was captured, and for whom.

    Why a base: consents and dossiers are both captured offline at a resident's
    home and replayed later, so both answer bad input with the same field codes.
    """

    CODES: ClassVar[dict[str, str]] = _FIELD_CODES
    NOT_OBJECT: ClassVar[tuple[str, int]] = ("bad_payload", 400)
    client_uuid: Uuid | None = None
    captured_at: Moment | None = None
    resident_id: Id64 | None = None
    resident_national_id: Text(20) | None = None


class FieldConsent(_FieldRecord):
    method: Text(20) | None = None
    sha256: Sha256 | None = None
    place: Text(200) | None = None


class FieldAttachmentRef(_Body):
    sha256: Sha256
    document_code: Text(40)
    filename: Text(200) | None = None


class FieldDossier(_FieldRecord):
    procedure_code: Text(30) | None = None
    form_data: dict[Text(80), Any] | None = Field(default=None, max_length=200)
    attachments: list[FieldAttachmentRef] | None = Field(default=None, max_length=50)
    consent_uuid: Uuid | None = None
    provisional_code: Text(40) | None = None
    sent_at: Moment | None = None
    visit_id: Id64 | None = None
    center_code: Text(20) | None = None


class PushKeys(_Body):
    p256dh: Text(200)
    auth: Text(100)


class PushSubscribe(_Body):
    endpoint: Text(1000)
    keys: PushKeys
    expirationTime: StrictInt | float | None = None  # noqa: N815 - the browser's own name


class PushUnsubscribe(_Body):
    endpoint: Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class PaymentCallback(_Body):
    ref: Text(64)
    amount: Annotated[StrictInt, Field(ge=0, le=10**12)] | Annotated[StrictStr, Field(max_length=15)]
    status: Text(20)
    signature: Text(200)
