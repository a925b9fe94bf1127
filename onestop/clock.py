"""The current moment, in the centers' wall-clock time.

Why: deadlines are legal dates at a Vietnamese center, so every stored moment
is a naive local time (Asia/Ho_Chi_Minh has no DST). Tests and the bench freeze
or move the clock through `set_now`, never by patching datetime.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_override: Callable[[], datetime] | None = None


def now() -> datetime:
    """Naive local time, to the second."""
    if _override is not None:
        return _override()
    return datetime.now(_TZ).replace(tzinfo=None, microsecond=0)


def set_now(value: datetime | Callable[[], datetime] | None) -> None:
    """Freeze the clock at `value` (or a callable), or unfreeze with None."""
    global _override
    if value is None:
        _override = None
    elif callable(value):
        _override = value
    else:
        frozen = value
        _override = lambda: frozen  # noqa: E731
