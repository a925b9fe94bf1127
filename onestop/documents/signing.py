"""Local digital signing of electronic results (PAdES-style, with pyHanko).

Why a local CA: a legally valid result is signed with a certificate from a
licensed Vietnamese CA through the signing adapter, but a demo, a test run or
a small center without one still needs the whole flow — sign, embed, verify —
to work end to end. So the first call creates a private root CA and a
signing certificate under a directory of the deployment's choosing, and
every later call reuses them; verification trusts only that root.

The CA's private key is not kept: it is used once to issue the signing
certificate, so nothing on disk can mint further certificates. Renewing means
deleting the directory (old documents then need the old ``ca.pem`` to verify).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import inspect
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from onestop import clock
from onestop.documents.pdf import FONT_DIR, RESULT_SIGNATURE_FIELD, format_datetime

__all__ = ["SigningIdentity", "ensure_signing_identity", "sign_pdf", "verify_pdf_signature"]

_CA_FILE = "ca.pem"
_CERT_FILE = "signing-cert.pem"
_KEY_FILE = "signing-key.pem"
_LOCK_FILE = ".lock"
_RSA_BITS = 3072  # NIST-recommended size for keys used beyond 2030
_CERT_YEARS = 10

T = TypeVar("T")


@dataclass(frozen=True)
class SigningIdentity:
    """Where the local signing material lives, plus the signer's common name."""

    directory: Path
    ca_cert_path: Path
    cert_path: Path
    key_path: Path
    common_name: str

    def ca_certificate(self) -> asn1_x509.Certificate:
        """The trust root, in the form pyHanko's validator expects."""
        return _load_asn1_cert(self.ca_cert_path)


def _load_asn1_cert(path: Path) -> asn1_x509.Certificate:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


# ---------------------------------------------------------------------------
# Identity
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Serialise first-time creation: two workers starting together must not
    each write half of a key pair."""
    with open(directory / _LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write via a temp file created with `mode` from the start (a key must
    never exist on disk world-readable, not even for a moment), then rename."""
    tmp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)  # the umask may have narrowed it, never widened
    os.replace(tmp, path)


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "OneStop (local)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


#: Every usage a key-usage extension states (the parameters of `x509.KeyUsage`).
_KEY_USAGES = tuple(inspect.signature(x509.KeyUsage).parameters)


def _key_usage(*allowed: str) -> x509.KeyUsage:
    """A key-usage extension that allows exactly the usages named (every other one is off)."""
    unknown = set(allowed) - set(_KEY_USAGES)
    if unknown:
        raise ValueError(f"unknown key usages: {sorted(unknown)}")
    return x509.KeyUsage(**{usage: usage in allowed for usage in _KEY_USAGES})


def _create_identity(directory: Path, common_name: str) -> None:
    """Root CA (kept only as a certificate) and a signing cert + key."""
    now = datetime.now(UTC)
    not_before = now - timedelta(days=1)  # tolerate clock skew between hosts
    not_after = now + timedelta(days=365 * _CERT_YEARS)

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    ca_name = _name(f"{common_name} - Root CA", "Local root CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            _key_usage("key_cert_sign", "crl_sign"),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, "Document signing"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # content commitment is non-repudiation: this is a signed decision
            _key_usage("digital_signature", "content_commitment"),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Order matters: the signing certificate is written last and is the marker
    # that the identity is complete (see ensure_signing_identity).
    _write_atomic(directory / _KEY_FILE, key_pem, 0o600)
    _write_atomic(directory / _CA_FILE, ca_cert.public_bytes(pem), 0o644)
    _write_atomic(directory / _CERT_FILE, cert.public_bytes(pem), 0o644)


def ensure_signing_identity(
    directory: Path,
    common_name: str = "Trung tâm Phục vụ hành chính công (local)",
) -> SigningIdentity:
    """Create the local CA, signing certificate and key on first call; reuse after.

    Idempotent and safe to call at every start-up: existing files are never
    overwritten, so documents signed earlier keep verifying. A half-written
    set (a crash before the certificate was written) is recreated; a
    certificate without its key or CA is an error rather than a silent reset.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    identity = SigningIdentity(
        directory=directory,
        ca_cert_path=directory / _CA_FILE,
        cert_path=directory / _CERT_FILE,
        key_path=directory / _KEY_FILE,
        common_name=common_name,
    )
    with _locked(directory):
        if not identity.cert_path.exists():
            _create_identity(directory, common_name)
        elif not (identity.key_path.exists() and identity.ca_cert_path.exists()):
            raise RuntimeError(f"signing identity in {directory} is incomplete: key or CA certificate missing")
    cert = x509.load_pem_x509_certificate(identity.cert_path.read_bytes())
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    actual = str(names[0].value) if names else common_name
    return SigningIdentity(
        directory=directory,
        ca_cert_path=identity.ca_cert_path,
        cert_path=identity.cert_path,
        key_path=identity.key_path,
        common_name=actual,
    )


# ---------------------------------------------------------------------------
# Signing
# ---------------------------------------------------------------------------


def _off_event_loop(fn: Callable[[], T]) -> T:
    """Run `fn` (which calls ``asyncio.run`` inside pyHanko) safely.

    pyHanko's synchronous API starts its own event loop, which fails inside a
    running one (Reflex event handlers, async API routes); there we hop to a
    worker thread instead.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


class _PdfBytesPage(content.PdfContent):
    """First page of an in-memory PDF as stamp content (pyHanko's own
    ImportedPdfPage only reads from a file name)."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(BytesIO(self.data)), page_ix=0)
        name = "/SignatureAppearance"
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode("ascii") + b" Do"


def _appearance_pdf(width_pt: float, height_pt: float, lines: list[str]) -> bytes:
    """The visible stamp, drawn with fpdf2 and DejaVu so Vietnamese names
    render correctly (pyHanko's built-in stamp text needs HarfBuzz for that)."""
    mm = 25.4 / 72
    w, h = width_pt * mm, height_pt * mm
    pdf = FPDF(unit="mm", format=(w, h))
    pdf.set_margins(1.5, 1.5, 1.5)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_draw_color(0, 102, 51)
    pdf.set_line_width(0.4)
    pdf.rect(0.4, 0.4, w - 0.8, h - 0.8)
    size = 8.5
    while size > 4.5:
        pdf.set_font("DejaVu", "", size)
        line_h = size * 0.45
        height = sum(len(pdf.multi_cell(w - 3, line_h, text, dry_run=True, output="LINES")) * line_h for text in lines)
        if height <= h - 3:
            break
        size -= 0.5
    pdf.set_y(max(1.5, (h - height) / 2))
    pdf.set_text_color(0, 102, 51)
    for i, text in enumerate(lines):
        pdf.set_font("DejaVu", "B" if i == 0 else "", size)
        pdf.multi_cell(w - 3, line_h, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _field_box(reader: PdfFileReader, field_name: str) -> tuple[float, float] | None:
    """Width and height (points) of an empty field's widget, if it has one."""
    for name, _value, field_ref in fields.enumerate_sig_fields(reader, filled_status=False):
        if name != field_name:
            continue
        rect = field_ref.get_object().get("/Rect")
        if rect is None:
            return None
        x1, y1, x2, y2 = (float(v) for v in rect)
        w, h = abs(x2 - x1), abs(y2 - y1)
        return (w, h) if w > 1 and h > 1 else None
    return None


_SIGNATURE_BYTES = 16384


class _CachedKeySigner(signers.SimpleSigner):
    """SimpleSigner that parses its RSA key once.

    pyHanko's SimpleSigner re-parses (and re-validates) the private key on every
    signature, which costs ~0.1 s with a 3072-bit key; the key is our own, made
    by :func:`ensure_signing_identity`, so it is loaded once and kept.
    """

    _key = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        if self._key is None:
            self._key = serialization.load_der_private_key(
                self.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
            )
        return self._key.sign(data, PKCS1v15(), getattr(hashes, digest_algorithm.upper())())


@lru_cache(maxsize=4)
def _cached_signer(key_path: str, cert_path: str, ca_path: str, stamp: float) -> _CachedKeySigner:
    signer = signers.SimpleSigner.load(key_file=key_path, cert_file=cert_path, ca_chain_files=(ca_path,))
    if signer is None:  # pragma: no cover - SimpleSigner.load logs and returns None on bad files
        raise RuntimeError(f"cannot load the signing key/certificate from {Path(key_path).parent}")
    signer.__class__ = _CachedKeySigner  # load() always builds a plain SimpleSigner
    return signer  # type: ignore[return-value]


def _signer_for(identity: SigningIdentity) -> _CachedKeySigner:
    """One loaded signer per identity files (reloaded if the certificate file changes)."""
    return _cached_signer(
        str(identity.key_path), str(identity.cert_path), str(identity.ca_cert_path), identity.cert_path.stat().st_mtime
    )


def sign_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    signer_name: str,
    reason: str = "Ký số kết quả giải quyết TTHC",
    location: str = "",
) -> bytes:
    """Sign `pdf` as an incremental update (PAdES baseline B, SHA-256).

    If the document has the empty field reserved by
    :func:`onestop.documents.pdf.result_pdf`, the signature fills it with a
    visible stamp (signer, time, reason) where a wet signature would be;
    otherwise a new invisible field is added. The original bytes are kept
    unchanged as the signed revision, so earlier revisions stay verifiable.
    """
    signer = _signer_for(identity)

    reader = PdfFileReader(BytesIO(pdf))
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    box = _field_box(reader, RESULT_SIGNATURE_FIELD)
    if box is not None:
        field_name = RESULT_SIGNATURE_FIELD
    else:
        field_name = "ChuKySo" if "ChuKySo" not in existing else f"ChuKySo{len(existing) + 1}"
        while field_name in existing:
            field_name += "_"

    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=signer_name or None,
    )
    stamp_style = None
    if box is not None:
        lines = [f"Ký số bởi: {signer_name}", f"Thời gian: {format_datetime(clock.now())}"]
        if reason:
            lines.append(f"Lý do: {reason}")
        if location:
            lines.append(f"Nơi ký: {location}")
        stamp_style = StaticStampStyle(
            background=_PdfBytesPage(_appearance_pdf(box[0], box[1], lines)),
            background_opacity=1.0,
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )

    def run() -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=stamp_style)
        # A fixed reservation skips pyHanko's dry-run signature (it would sign twice).
        out = pdf_signer.sign_pdf(writer, output=BytesIO(), bytes_reserved=_SIGNATURE_BYTES)
        return out.getvalue()

    return _off_event_loop(run)


def verify_pdf_signature(pdf: bytes, identity: SigningIdentity) -> bool:
    """True when the PDF carries at least one signature and every one is
    intact, cryptographically valid, chains to the local CA, and later
    revisions changed nothing beyond what signing permits.

    Any parse or validation failure means False: a tampered file may not even
    be readable, and callers only need a yes/no for the tracking page.
    """
    try:
        trust_root = identity.ca_certificate()

        def run() -> bool:
            reader = PdfFileReader(BytesIO(pdf))
            signatures = reader.embedded_signatures
            if not signatures:
                return False
            for embedded in signatures:
                context = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
                status = validate_pdf_signature(embedded, context)
                if not (status.intact and status.valid and status.trusted and status.bottom_line):
                    return False
            return True

        return _off_event_loop(run)
    except Exception:  # noqa: BLE001 - tampered input can fail anywhere in parsing
        return False
