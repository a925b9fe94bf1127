"""Payment gateway behind a small interface, with a local sandbox gateway.

Why a sandbox with a real redirect and a signed callback: the flow (create → redirect
the person to the gateway → gateway calls back with a signed result) is the same
as with a bank or the national payment platform, so swapping in a real adapter
changes no service or page. The sandbox signs with HMAC-SHA256 using a secret kept
in the data directory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode


@dataclass(frozen=True)
class GatewayResult:
    ref: str
    amount: int
    status: str  # paid | failed

    def canonical(self) -> str:
        return f"{self.ref}|{self.amount}|{self.status}"


class PaymentGateway(Protocol):
    def checkout_url(self, ref: str, amount: int, description: str, return_url: str) -> str: ...

    def sign(self, result: GatewayResult) -> str: ...

    def verify(self, result: GatewayResult, signature: str) -> bool: ...


class SandboxGateway:
    """The local gateway: a page at /pay/sandbox that lets the person approve or cancel."""

    def __init__(self, secret_path: Path, base_url: str) -> None:
        self.secret_path = Path(secret_path)
        self.base_url = base_url.rstrip("/")

    def _secret(self) -> bytes:
        if not self.secret_path.exists():
            self.secret_path.parent.mkdir(parents=True, exist_ok=True)
            self.secret_path.write_text(secrets.token_hex(32))
            self.secret_path.chmod(0o600)
        return self.secret_path.read_text().strip().encode()

    def checkout_url(self, ref: str, amount: int, description: str, return_url: str) -> str:
        query = urlencode({"ref": ref, "amount": amount, "desc": description[:120], "return": return_url})
        return f"{self.base_url}/pay/sandbox?{query}"

    def sign(self, result: GatewayResult) -> str:
        return hmac.new(self._secret(), result.canonical().encode(), hashlib.sha256).hexdigest()

    def verify(self, result: GatewayResult, signature: str) -> bool:
        return hmac.compare_digest(self.sign(result), signature or "")


def default_gateway() -> SandboxGateway:
    from onestop.settings import get_settings

    settings = get_settings()
    return SandboxGateway(settings.data_dir / "payment_sandbox.secret", settings.public_base_url)
