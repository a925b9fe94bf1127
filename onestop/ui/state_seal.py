"""Bearer tokens never in clear in Reflex's stored state (`.states/*.pkl`, or Redis).

Why (issue 17, finding 6): Reflex pickles every state — the `SessionState.token`
cookie value included — to disk (mode 0644) or Redis after each event, so a copy of
that directory was a copy of everyone's live sessions. The token must stay in the
state while the tab is open (it is the cookie the browser holds), so it is sealed
when pickled and opened when loaded: Fernet (AES-128-CBC + HMAC-SHA256) with a key
in the data directory (created once with mode 0600, shared by every worker that
shares the data directory) or `ONESTOP_STATE_KEY`. A pickle whose seal cannot be
opened (key rotated) loads as signed out. The states directory is made 0700.
"""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from onestop.settings import get_settings

PREFIX = "sealed:v1:"


def _key_path() -> Path:
    return get_settings().data_dir / "state.key"


@functools.lru_cache(maxsize=1)
def _fernet() -> Fernet:
    env = os.environ.get("ONESTOP_STATE_KEY", "").strip()
    if env:
        return Fernet(env.encode())
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker created it
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(Fernet.generate_key())
    for _ in range(50):  # the creator may still be writing
        key = path.read_bytes().strip()
        if len(key) == 44:
            return Fernet(key)
        time.sleep(0.05)
    raise RuntimeError(f"state key file {path} is not a Fernet key")


def seal(value: str) -> str:
    if not value:
        return value
    return PREFIX + _fernet().encrypt(value.encode()).decode("ascii")


def unseal(value: object) -> str:
    """The clear value, or "" when it is not a seal this key can open."""
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return ""
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return ""


def protect_states_dir() -> Path | None:
    """Create Reflex's states directory owner-only (0700) so other local users cannot list or read it."""
    try:
        from reflex.utils.prerequisites import get_states_dir

        path = get_states_dir().absolute()
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
        return path
    except OSError:
        return None


def _scrubbed_headers(headers: object) -> tuple:
    """Pickle request headers without the cookie and credential headers (they carry the bearer token)."""
    import dataclasses

    from reflex.istate import data

    fields = {f.name: getattr(headers, f.name) for f in dataclasses.fields(headers)}  # type: ignore[arg-type]
    fields["cookie"] = ""
    fields["raw_headers"] = data._FrozenDictStrStr(
        **{k: v for k, v in dict(fields["raw_headers"]).items() if k.lower() not in data._PRIVATE_HEADERS}
    )
    return functools.partial(type(headers), **fields), ()


def _scrub_router_data(router_data: object) -> object:
    """The raw router data without credential headers (the same header names Reflex hides from the browser)."""
    from reflex.istate.data import _PRIVATE_HEADERS

    if not isinstance(router_data, dict) or not isinstance(router_data.get("headers"), dict):
        return router_data
    headers = {k: v for k, v in router_data["headers"].items() if str(k).lower() not in _PRIVATE_HEADERS}
    return {**router_data, "headers": headers}


_installed = False


def scrub_router_headers() -> None:
    """Reflex keeps the socket's request headers (Cookie included) in every stored state; drop them there.

    Two copies exist: the parsed `HeaderData` (cookie field, raw headers) and the raw
    `router_data` dict of each state. Only the pickled copy is scrubbed: Reflex refreshes
    both from the live connection with every event, and reads cookies from the hydrate
    payload, not from here. Found by the e2e test that scans `.states` after sign-in.
    """
    global _installed
    if _installed:
        return
    import copyreg

    from reflex.istate.data import HeaderData
    from reflex.state import BaseState

    copyreg.pickle(HeaderData, _scrubbed_headers)
    original = BaseState.__getstate__

    def __getstate__(self):  # noqa: ANN001, ANN202, N807 - pickle protocol
        fields = original(self)
        if isinstance(fields, dict) and "router_data" in fields:
            fields = {**fields, "router_data": _scrub_router_data(fields["router_data"])}
        return fields

    BaseState.__getstate__ = __getstate__  # type: ignore[method-assign]
    _installed = True
