"""Every setting, read from the environment once, with defaults that work on a laptop.

Why one object: the app, the scheduler, the CLI and the tests must agree on the
database, the data directory and the office hours; reading `os.environ` in many
places lets them drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


def _public_base_url(port: int, redis_url: str, testing: bool) -> str:
    """Where citizens reach this server (QR codes, payment returns, tracking links on every PDF).

    Why never silently wrong: the default follows ONESTOP_PORT (a laptop on :8080 prints :8080 links); with
    several workers behind a reverse proxy (Redis configured) nothing local can guess the public name, so the
    variable is required there. An injected test clock (ONESTOP_TESTING=1) is refused for a public address, so
    a production server can never run shifted in time.
    """
    raw = os.environ.get("ONESTOP_PUBLIC_BASE_URL", "").strip().rstrip("/")
    if not raw:
        if redis_url:
            raise ValueError(
                "ONESTOP_PUBLIC_BASE_URL is required when ONESTOP_REDIS_URL is set (several workers "
                "behind a reverse proxy), e.g. https://dichvucong.example.gov.vn"
            )
        return f"http://localhost:{port}"
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"ONESTOP_PUBLIC_BASE_URL must be an http(s) address, got {raw!r}")
    if testing and parts.hostname not in _LOOPBACK:
        raise ValueError(f"ONESTOP_TESTING=1 (injected test clock) is refused for the public address {raw!r}")
    return raw


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Settings:
    """Typed settings. Build with `Settings.from_env()`; use `get_settings()` for the shared one."""

    data_dir: Path
    database_url: str
    redis_url: str
    public_base_url: str
    port: int
    office_hours: str
    same_day_cutoff: str
    timezone: str
    vapid_private_key_path: Path
    vapid_subject: str
    signing_dir: Path
    storage_dir: Path
    province_name: str
    supplement_resume_mode: str  # "restart" (legal default) or "extend"
    fee_wait_pauses_clock: bool
    session_days: int
    max_upload_mb: int
    track_rate_limit_per_minute: int
    scheduler_enabled: bool
    escalation_overdue_working_days: int
    reception_deadline_hours: float = 8.0  # online/field dossiers must be received within these office hours
    secret_key: str = field(repr=False, default="")
    bind_host: str = "127.0.0.1"
    #: Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: use the socket address).
    trusted_proxy_hops: int = 0
    workers: int = 0  # 0: Reflex decides (1 without Redis, 2×CPU+1 with it); ONESTOP_WORKERS sets it
    storage_url: str = ""  # "" → local disk under storage_dir; s3://bucket?endpoint=… → S3-compatible store
    testing: bool = False
    hotline: str = ""  # the center's hotline the assistant offers; empty: the provincial center's phone

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("ONESTOP_DATA_DIR", str(PROJECT_ROOT / "var"))).resolve()
        default_db = f"sqlite:///{data_dir / 'onestop.db'}"
        port = _env_int("ONESTOP_PORT", 3000)
        redis_url = os.environ.get("ONESTOP_REDIS_URL", "").strip()
        testing = _env_bool("ONESTOP_TESTING", False)
        return cls(
            data_dir=data_dir,
            database_url=_env("ONESTOP_DATABASE_URL", default_db),
            redis_url=redis_url,
            public_base_url=_public_base_url(port, redis_url, testing),
            port=port,
            office_hours=_env("ONESTOP_OFFICE_HOURS", "07:30-11:30,13:30-17:00"),
            same_day_cutoff=_env("ONESTOP_SAME_DAY_CUTOFF", "15:00"),
            timezone=_env("ONESTOP_TIMEZONE", "Asia/Ho_Chi_Minh"),
            vapid_private_key_path=Path(_env("ONESTOP_VAPID_KEY", str(data_dir / "vapid_private.pem"))),
            vapid_subject=_env("ONESTOP_VAPID_SUBJECT", "mailto:admin@onestop.local"),
            signing_dir=Path(_env("ONESTOP_SIGNING_DIR", str(data_dir / "signing"))),
            storage_dir=Path(_env("ONESTOP_STORAGE_DIR", str(data_dir / "files"))),
            province_name=_env("ONESTOP_PROVINCE_NAME", "Tỉnh Demo"),
            supplement_resume_mode=_env("ONESTOP_SUPPLEMENT_RESUME", "restart"),
            fee_wait_pauses_clock=_env_bool("ONESTOP_FEE_WAIT_PAUSES_CLOCK", True),
            session_days=_env_int("ONESTOP_SESSION_DAYS", 14),
            max_upload_mb=_env_int("ONESTOP_MAX_UPLOAD_MB", 20),
            track_rate_limit_per_minute=_env_int("ONESTOP_TRACK_RATE_LIMIT", 10),
            scheduler_enabled=_env_bool("ONESTOP_SCHEDULER", True),
            escalation_overdue_working_days=_env_int("ONESTOP_ESCALATION_DAYS", 3),
            reception_deadline_hours=float(_env_int("ONESTOP_RECEPTION_DEADLINE_HOURS", 8)),
            secret_key=_env("ONESTOP_SECRET_KEY", ""),
            bind_host=_env("ONESTOP_BIND", "127.0.0.1"),
            trusted_proxy_hops=_env_int("ONESTOP_TRUSTED_PROXY_HOPS", 0),
            workers=_env_int("ONESTOP_WORKERS", 0),
            storage_url=os.environ.get("ONESTOP_STORAGE_URL", "").strip(),
            testing=testing,
            hotline=_env("ONESTOP_HOTLINE", ""),
        )

    @property
    def province_mode(self) -> bool:
        """Several workers sharing Redis: the deployment of docs/deployment.md (a public base URL is required)."""
        return bool(self.redis_url)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    def ensure_dirs(self) -> None:
        """Create the data folders a fresh checkout does not have yet."""
        for path in (self.data_dir, self.storage_dir, self.signing_dir):
            path.mkdir(parents=True, exist_ok=True)


#: The cookie the web app keeps its session token in; the JSON API reads the same cookie.
SESSION_COOKIE = "onestop_session"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()


def reset_settings_cache() -> None:
    """Tests change the environment and then need a fresh Settings."""
    get_settings.cache_clear()
