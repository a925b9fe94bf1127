"""Uploads: checked by content, stored privately, served only to people allowed to see them.

Why here and not in a page: the citizen form, the counter intake, the supplement
page and the field API all accept files, and the same rules (size, real type,
safe name) must hold for each. Files never go to Reflex's public upload folder.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.storage import FileStorage, default_storage
from onestop.domain.errors import DomainError, SignInRequired
from onestop.domain.forms import DocumentSpec, safe_filename, sniff_mime, validate_upload
from onestop.models import Attachment, Dossier, Procedure
from onestop.read.schemas import schema_of
from onestop.services.actor import Actor
from onestop.services.dossiers import current_procedure
from onestop.services.permissions import can_view_dossier, require_view_dossier
from onestop.settings import get_settings

#: Files a person may upload outside a procedure's document list: what an officer asked for…
GENERIC_SPEC = DocumentSpec(
    code="supplement",
    name_vi="Giấy tờ bổ sung",
    name_en="Supplementary document",
    accepted_types=("application/pdf", "image/jpeg", "image/png", "image/webp", "image/heic"),
    max_size_mb=20,
)
#: …and the person's consent to filing on their behalf: a PNG of the drawn signature or a photo of the signed form.
CONSENT_SPEC = DocumentSpec(
    code="consent",
    name_vi="Chữ ký hoặc ảnh giấy đồng ý của người dân",
    name_en="The person's signature or a photo of the signed consent form",
    accepted_types=("image/png", "image/jpeg", "image/webp", "application/pdf"),
    max_size_mb=10,
)
#: The one table of upload rules outside procedure schemas (web pages and the field API alike).
SPECS: dict[str, DocumentSpec] = {GENERIC_SPEC.code: GENERIC_SPEC, CONSENT_SPEC.code: CONSENT_SPEC}


def document_spec(session: Session, procedure_code: str, document_code: str) -> DocumentSpec:
    if document_code in SPECS:
        return SPECS[document_code]
    schema = schema_of(current_procedure(session, procedure_code))
    spec = schema.document(document_code)
    if spec is None:
        raise DomainError(
            "unknown_document", "Thành phần hồ sơ không hợp lệ.", "Unknown document.", field="documents", status=422
        )
    return spec


def store_upload(
    session: Session,
    actor: Actor,
    *,
    procedure_code: str,
    document_code: str,
    filename: str,
    data: bytes,
    kind: str = "input",
) -> Attachment:
    """Validate and store one file for the actor (not yet linked to a dossier). One transaction."""
    if actor.user_id is None:
        raise SignInRequired()
    spec = document_spec(session, procedure_code, document_code)
    return store_file(
        session, actor.user_id, spec, filename, data, kind=kind, document_code=document_code, field=document_code
    )


def check_file(spec: DocumentSpec, filename: str, data: bytes, *, field: str, too_big_status: int = 413) -> None:
    """The upload rules alone (for a caller that decides afterwards whether to store)."""
    limit = min(spec.max_size_mb, get_settings().max_upload_mb) * 1024 * 1024
    if len(data) > limit:
        raise DomainError(
            "upload_too_big",
            f"Tệp quá lớn (tối đa {limit // 1048576} MB).",
            f"The file is too large (at most {limit // 1048576} MB).",
            field=field,
            status=too_big_status,
        )
    problem = validate_upload(spec, filename, len(data), data)
    if problem is not None:
        raise DomainError(problem.code or "upload_invalid", problem.vi, problem.en, field=field, status=422)


def store_file(
    session: Session,
    owner_user_id: int,
    spec: DocumentSpec,
    filename: str,
    data: bytes,
    *,
    kind: str,
    document_code: str,
    field: str,
    storage: FileStorage | None = None,
    too_big_status: int = 413,
) -> Attachment:
    """The one upload store: size (the spec's and the site's limit), safe name, real type by content,
    bytes to private storage, an unbound `Attachment` row. Web uploads and the field API both end here.

    `too_big_status`: the web answers 413; the field API has always answered 422 (its clients read it).
    """
    check_file(spec, filename, data, field=field, too_big_status=too_big_status)
    return put_attachment(
        session,
        data,
        storage=storage,
        owner_user_id=owner_user_id,
        kind=kind,
        document_code=document_code,
        filename=safe_filename(filename),
        mime=sniff_mime(data[:64]) or "application/octet-stream",
    )


def put_attachment(session: Session, data: bytes, *, storage: FileStorage | None = None, **row: Any) -> Attachment:
    """Bytes to private storage and their `Attachment` row (size, hash, key, time filled in), flushed.

    Why one place: every stored file (uploads, the field app's photos, the signed result) must
    carry the hash and key of exactly the bytes stored; the caller has already judged the bytes.
    """
    sha, key = (storage or default_storage()).put(data)
    att = Attachment(**row, size=len(data), sha256=sha, storage_key=key, created_at=clock.now())
    session.add(att)
    session.flush()
    return att


def copy_attachment(
    session: Session,
    source: Attachment,
    owner_user_id: int | None,
    *,
    kind: str,
    document_code: str,
    filename: str = "",
) -> Attachment:
    """A new row pointing at the same stored file (wallet reuse, the same photo in two dossiers)."""
    att = Attachment(
        owner_user_id=owner_user_id,
        kind=kind,
        document_code=document_code,
        filename=safe_filename(filename) if filename else source.filename,
        mime=source.mime,
        size=source.size,
        sha256=source.sha256,
        storage_key=source.storage_key,
        reused_from_id=source.id,
        created_at=clock.now(),
    )
    session.add(att)
    session.flush()
    return att


def wallet(session: Session, actor: Actor, wallet_kinds: list[str] | None = None) -> list[Attachment]:
    """The person's document wallet: their earlier uploads and the results they received."""
    if actor.user_id is None:
        return []
    rows = session.exec(
        select(Attachment)
        .where(Attachment.owner_user_id == actor.user_id)
        .order_by(Attachment.created_at.desc())
        .limit(200)
    ).all()
    if wallet_kinds:
        rows = [r for r in rows if r.wallet_kind in wallet_kinds or r.document_code in wallet_kinds]
    return list(rows)


def reuse_from_wallet(session: Session, actor: Actor, attachment_id: int, document_code: str) -> Attachment:
    """A new attachment row pointing at the same stored file (the wallet copy stays untouched)."""
    src = session.get(Attachment, attachment_id)
    if src is None or src.owner_user_id != actor.user_id:
        raise DomainError(
            "attachment_not_found",
            "Không tìm thấy giấy tờ trong kho của bạn.",
            "Document not found in your wallet.",
            status=404,
        )
    return copy_attachment(session, src, actor.user_id, kind="input", document_code=document_code)


def read_attachment(session: Session, actor: Actor, attachment_id: int) -> tuple[Attachment, bytes]:
    """The file, for its owner or for anyone who may see the dossier it belongs to."""
    att = session.get(Attachment, attachment_id)
    allowed = att is not None and (
        att.owner_user_id == actor.user_id or (att.dossier_id is not None and _may_see(session, actor, att.dossier_id))
    )
    if att is None or not allowed:
        raise not_yours()
    return att, default_storage().get(att.storage_key)


def not_yours() -> DomainError:
    """The one 404 for a file that is missing or not this person's to see: the two are not told apart."""
    return DomainError(
        "attachment_not_found",
        "Không tìm thấy tệp, hoặc bạn không có quyền xem.",
        "File not found, or you may not see it.",
        status=404,
    )


def _may_see(session: Session, actor: Actor, dossier_id: int) -> bool:
    dossier = session.get(Dossier, dossier_id)
    return dossier is not None and can_view_dossier(actor, dossier)


def attachments_of(session: Session, actor: Actor, dossier: Dossier) -> list[Attachment]:
    require_view_dossier(actor, dossier)
    return list(session.exec(select(Attachment).where(Attachment.dossier_id == dossier.id).order_by(Attachment.id)))


__all__ = [
    "CONSENT_SPEC",
    "GENERIC_SPEC",
    "SPECS",
    "Procedure",
    "attachments_of",
    "check_file",
    "copy_attachment",
    "document_spec",
    "put_attachment",
    "store_file",
    "read_attachment",
    "reuse_from_wallet",
    "store_upload",
    "wallet",
]
