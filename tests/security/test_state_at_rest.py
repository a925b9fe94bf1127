"""No live bearer token in Reflex's stored state (issue 17, finding 6).

Reflex stores each state with `BaseState._serialize()` (disk `.states/*.pkl` or Redis):
the session token is sealed there, the socket's Cookie/Authorization headers are
dropped, and the states directory is owner-only.
"""

from __future__ import annotations

import pickle
import stat

import pytest
from reflex.istate.data import HeaderData

from onestop.ui import session, state_seal

TOKEN = "live-token-" + "x" * 32


def test_session_token_is_sealed_in_the_stored_state():
    state = session.SessionState(_reflex_internal_init=True)
    state.token = TOKEN
    raw = state._serialize()
    assert TOKEN.encode() not in raw
    assert state_seal.PREFIX.encode() in raw
    assert state.token == TOKEN  # the live state keeps it
    assert session.SessionState._deserialize(raw).token == TOKEN


def test_a_seal_from_another_key_loads_as_signed_out(monkeypatch):
    from cryptography.fernet import Fernet

    state = session.SessionState(_reflex_internal_init=True)
    state.token = TOKEN
    raw = state._serialize()
    monkeypatch.setenv("ONESTOP_STATE_KEY", Fernet.generate_key().decode())
    state_seal._fernet.cache_clear()
    try:
        assert session.SessionState._deserialize(raw).token == ""
    finally:
        monkeypatch.delenv("ONESTOP_STATE_KEY")
        state_seal._fernet.cache_clear()


def test_socket_headers_are_stored_without_credentials():
    headers = HeaderData.from_router_data(
        {
            "headers": {
                "cookie": f"onestop_session={TOKEN}; lang=vi",
                "authorization": f"Bearer {TOKEN}",
                "host": "onestop.test",
                "user-agent": "Mozilla/5.0",
            }
        }
    )
    assert TOKEN in headers.cookie  # Reflex keeps it in memory…
    raw = pickle.dumps(headers)
    assert TOKEN.encode() not in raw  # …but never in the stored copy
    back = pickle.loads(raw)
    assert back.host == "onestop.test" and back.user_agent == "Mozilla/5.0" and back.cookie == ""
    assert "authorization" not in back.raw_headers and "host" in back.raw_headers


def test_raw_router_data_is_stored_without_credentials():
    state = session.SessionState(_reflex_internal_init=True)
    state.router_data = {
        "headers": {"cookie": f"onestop_session={TOKEN}", "authorization": f"Bearer {TOKEN}", "host": "onestop.test"},
        "pathname": "/my",
    }
    raw = state._serialize()
    assert TOKEN.encode() not in raw
    assert b"onestop.test" in raw and b"pathname" in raw  # the other headers and keys are kept
    assert TOKEN in state.router_data["headers"]["cookie"]  # the live state is untouched


def test_key_file_and_states_directory_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path / ".states"))
    path = state_seal.protect_states_dir()
    if path is None:
        pytest.skip("states directory not configurable here")
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    state_seal.seal("x")
    assert stat.S_IMODE(state_seal._key_path().stat().st_mode) == 0o600
