"""The current moment, in the centers' wall-clock time.

Why: deadlines are legal dates at a Vietnamese center, so every stored moment
is a naive local time (Asia/Ho_Chi_Minh has no DST). Tests and the bench freeze
or move the clock through `set_now`, never by patching datetime.

The browser tests run the real app in other processes (several workers), so
they cannot call `set_now`: they write a small JSON file named by
``ONESTOP_TEST_CLOCK_FILE`` — ``{"at": "2026-11-27T23:40:00", "set_at": <epoch>,
"tick": true}`` — and every process reads it (re-read only when the file
changes). It is honoured only when ``ONESTOP_TESTING=1`` as well, and
`onestop.settings` refuses ``ONESTOP_TESTING=1`` for a public (non-loopback)
base URL, so a production server can never be shifted in time.
"""

from __future__ import annotations

import json
import os
import time as _time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_override: Callable[[], datetime] | None = None


def _real_now() -> datetime:
    return datetime.now(_TZ).replace(tzinfo=None, microsecond=0)


def _test_clock_path() -> Path | None:
    if os.environ.get("ONESTOP_TESTING", "").strip() != "1":
        return None
    raw = os.environ.get("ONESTOP_TEST_CLOCK_FILE", "").strip()
    return Path(raw) if raw else None


class _FileClock:
    """The injected clock of a test run: a moment, when it was set, and whether it ticks from there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._value: tuple[datetime, float, bool] | None = None

    def read(self) -> tuple[datetime, float, bool] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._value = None, None
            return None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._value = (datetime.fromisoformat(data["at"]), float(data["set_at"]), bool(data.get("tick", True)))
            self._stamp = stamp
        return self._value

    def now(self) -> datetime | None:
        value = self.read()
        if value is None:
            return None
        at, set_at, tick = value
        if not tick:
            return at
        return at + timedelta(seconds=int(_time.time() - set_at))


_path = _test_clock_path()
_file_clock = _FileClock(_path) if _path is not None else None


def now() -> datetime:
    """Naive local time, to the second."""
    if _override is not None:
        return _override()
    if _file_clock is not None:
        injected = _file_clock.now()
        if injected is not None:
            return injected
    return _real_now()


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


def write_test_clock(path: Path, at: datetime, tick: bool = True) -> None:
    """Point every process reading `path` at `at` (atomically: write then rename). Used by the e2e suite."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"at": at.isoformat(), "set_at": _time.time(), "tick": tick}), encoding="utf-8")
    os.replace(tmp, path)


def injected_clock_active() -> bool:
    """True when this process honours an injected test clock (logged at start-up)."""
    return _file_clock is not None
