"""National e-identity ("Sign in with VNeID"): an OpenID Connect client and its local sandbox provider.

Why an adapter with a sandbox (like the payment gateway): the real VNeID provider
needs a registration we cannot have here, but the whole protocol can run for real —
a browser redirect to the provider, a consent page, an authorization code back, a
server-to-server code exchange, and an ID token signed RS256 that the client
verifies against the provider's published keys (issuer, audience, expiry, nonce).
Swapping in the real provider changes `OidcConfig` (endpoints, client id/secret),
not the code.

Built on well-kept libraries: authlib's OAuth 2 client (authorization request),
requests for the server-to-server calls (token with client_secret_post, JWKS), and
joserfc (JWS/JWT, JWK sets; authlib's own successor for JOSE).

The sandbox signs the authorization code itself as a short-lived JWT (60 s, bound
to client, redirect URI and nonce), so any worker can redeem it without shared
memory; the ID token's `sub` and `national_id` are the resident's 12-digit number.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from onestop.domain.errors import DomainError

CODE_SECONDS = 60
ID_TOKEN_SECONDS = 300
LEEWAY_SECONDS = 30
SANDBOX_PREFIX = "/idp/sandbox"

LOGIN_FAILED = DomainError(
    "vneid_failed",
    "Không đăng nhập được bằng VNeID. Vui lòng thử lại.",
    "Signing in with VNeID did not work. Please try again.",
    status=400,
)


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    jwks_url: str
    redirect_uri: str


@dataclass(frozen=True)
class Identity:
    """What the provider vouches for."""

    national_id: str
    full_name: str


# --------------------------------------------------------------------------- sandbox provider


def _private_file(path: Path, make: Any) -> bytes:
    """Read a secret file, creating it once (0600, O_EXCL: concurrent workers agree on one)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(make())
    for _ in range(50):
        data = path.read_bytes()
        if data.strip():
            return data
        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty")


@lru_cache(maxsize=4)
def _sandbox_key(data_dir: str) -> RSAKey:
    raw = _private_file(
        Path(data_dir) / "vneid_sandbox_key.json",
        lambda: json.dumps(
            RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"}).as_dict(
                private=True
            )
        ).encode(),
    )
    return RSAKey.import_key(json.loads(raw))


@lru_cache(maxsize=4)
def _client_secret(data_dir: str) -> str:
    return _private_file(Path(data_dir) / "vneid_client_secret", lambda: secrets.token_urlsafe(32).encode()).decode()


def sandbox_config() -> OidcConfig:
    """The sandbox provider served by this app, and this app registered with it as a client."""
    from onestop.settings import get_settings

    settings = get_settings()
    base = settings.public_base_url.rstrip("/")
    secret = os.environ.get("ONESTOP_VNEID_CLIENT_SECRET") or _client_secret(str(settings.data_dir))
    return OidcConfig(
        issuer=base + SANDBOX_PREFIX,
        client_id="onestop",
        client_secret=secret,
        authorize_url=base + SANDBOX_PREFIX + "/authorize",
        token_url=base + SANDBOX_PREFIX + "/token",
        jwks_url=base + SANDBOX_PREFIX + "/jwks",
        redirect_uri=base + "/auth/vneid/callback",
    )


class SandboxProvider:
    """The provider's side: consent → code; code → signed ID token; public keys."""

    def __init__(self, config: OidcConfig, key: RSAKey) -> None:
        self.config = config
        self.key = key

    @classmethod
    def default(cls) -> SandboxProvider:
        from onestop.settings import get_settings

        return cls(sandbox_config(), _sandbox_key(str(get_settings().data_dir)))

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def check_request(self, client_id: str, redirect_uri: str) -> None:
        if client_id != self.config.client_id or redirect_uri != self.config.redirect_uri:
            raise DomainError(
                "vneid_bad_client",
                "Ứng dụng yêu cầu đăng nhập không được đăng ký.",
                "The application asking to sign in is not registered.",
                status=400,
            )

    def issue_code(self, *, client_id: str, redirect_uri: str, nonce: str, identity: Identity) -> str:
        self.check_request(client_id, redirect_uri)
        now = int(time.time())
        return self._sign(
            {
                "typ": "code",
                "aud": client_id,
                "redirect_uri": redirect_uri,
                "nonce": nonce[:128],
                "sub": identity.national_id,
                "name": identity.full_name,
                "iat": now,
                "exp": now + CODE_SECONDS,
                "jti": secrets.token_hex(8),
            }
        )

    def token(self, *, code: str, client_id: str, client_secret: str, redirect_uri: str) -> dict[str, Any]:
        """The token endpoint: a valid, fresh code of this client → an ID token."""
        if client_id != self.config.client_id or not secrets.compare_digest(client_secret, self.config.client_secret):
            raise DomainError("invalid_client", "Sai thông tin ứng dụng.", "Invalid client.", status=401)
        try:
            claims = jwt.decode(code, self.key).claims
        except (JoseError, ValueError):
            raise DomainError("invalid_grant", "Mã không hợp lệ.", "Invalid code.", status=400) from None
        now = int(time.time())
        if (
            claims.get("typ") != "code"
            or claims.get("aud") != client_id
            or claims.get("redirect_uri") != redirect_uri
            or int(claims.get("exp", 0)) < now
        ):
            raise DomainError("invalid_grant", "Mã không hợp lệ.", "Invalid code.", status=400)
        id_token = self._sign(
            {
                "iss": self.config.issuer,
                "aud": client_id,
                "sub": claims["sub"],
                "national_id": claims["sub"],
                "name": claims.get("name", ""),
                "nonce": claims.get("nonce", ""),
                "iat": now,
                "exp": now + ID_TOKEN_SECONDS,
            }
        )
        return {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_SECONDS,
            "id_token": id_token,
        }


# --------------------------------------------------------------------------- relying party (this app)


class OidcClient:
    """The relying party: the authorization URL out, then code → verified identity."""

    def __init__(self, config: OidcConfig, *, http: Any = None, jwks: dict[str, Any] | None = None) -> None:
        self.config = config
        # Server-to-server calls (token, keys): a requests-compatible session; tests pass Starlette's TestClient.
        self.http = http if http is not None else requests.Session()
        self._jwks = jwks

    def _session(self) -> OAuth2Session:
        session = OAuth2Session(
            self.config.client_id,
            self.config.client_secret,
            scope="openid",
            redirect_uri=self.config.redirect_uri,
            token_endpoint_auth_method="client_secret_post",
        )
        return session

    def authorization_url(self, state: str, nonce: str) -> str:
        url, _ = self._session().create_authorization_url(self.config.authorize_url, state=state, nonce=nonce)
        return url

    def _keys(self) -> KeySet:
        if self._jwks is None:
            response = self.http.get(self.config.jwks_url, timeout=10)
            response.raise_for_status()
            self._jwks = response.json()
        return KeySet.import_key_set(self._jwks)

    def identity(self, code: str, nonce: str) -> Identity:
        """Exchange the code at the token endpoint and verify the ID token; any failure → `vneid_failed`."""
        try:
            data = {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.config.redirect_uri,
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
            }
            response = self.http.post(self.config.token_url, data=data, timeout=10)
            response.raise_for_status()
            token = response.json()
            claims = jwt.decode(token["id_token"], self._keys()).claims
        except Exception as exc:  # noqa: BLE001 - network, HTTP, JOSE: all one answer to the person
            raise LOGIN_FAILED from exc
        now = int(time.time())
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (
            claims.get("iss") != self.config.issuer
            or self.config.client_id not in audiences
            or int(claims.get("exp", 0)) + LEEWAY_SECONDS < now
            or not secrets.compare_digest(str(claims.get("nonce", "")), nonce)
        ):
            raise LOGIN_FAILED
        national_id = str(claims.get("national_id") or claims.get("sub") or "")
        if len(national_id) != 12 or not national_id.isdigit():
            raise LOGIN_FAILED
        return Identity(national_id=national_id, full_name=str(claims.get("name", ""))[:120])
