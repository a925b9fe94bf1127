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

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("ONESTOP_DATA_DIR", str(PROJECT_ROOT / "var"))).resolve()
        default_db = f"sqlite:///{data_dir / 'onestop.db'}"
        return cls(
            data_dir=data_dir,
            database_url=_env("ONESTOP_DATABASE_URL", default_db),
            redis_url=os.environ.get("ONESTOP_REDIS_URL", "").strip(),
            public_base_url=_env("ONESTOP_PUBLIC_BASE_URL", "http://localhost:3000").rstrip("/"),
            port=_env_int("ONESTOP_PORT", 3000),
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
        )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    def ensure_dirs(self) -> None:
        """Create the data folders a fresh checkout does not have yet."""
        for path in (self.data_dir, self.storage_dir, self.signing_dir):
            path.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()


def reset_settings_cache() -> None:
    """Tests change the environment and then need a fresh Settings."""
    get_settings.cache_clear()
