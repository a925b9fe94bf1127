"""Settings that decide where the app is reached, and the injected test clock (issue 12).

Why: a tracking link printed on a PDF must never point to a dead host, and a production server must never run
shifted in time; both are decided from the environment at start-up.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

import pytest

from onestop import clock
from onestop.settings import Settings


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "ONESTOP_PUBLIC_BASE_URL",
        "ONESTOP_REDIS_URL",
        "ONESTOP_TESTING",
        "ONESTOP_PORT",
        "ONESTOP_BIND",
        "ONESTOP_WORKERS",
        "ONESTOP_STORAGE_URL",
        "ONESTOP_TEST_CLOCK_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_default_public_address_follows_the_port_and_binds_loopback(env: pytest.MonkeyPatch) -> None:
    env.setenv("ONESTOP_PORT", "8080")
    s = Settings.from_env()
    assert s.public_base_url == "http://localhost:8080"
    assert s.bind_host == "127.0.0.1" and s.workers == 0 and s.storage_url == "" and not s.province_mode


def test_several_workers_require_the_public_address(env: pytest.MonkeyPatch) -> None:
    env.setenv("ONESTOP_REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(ValueError, match="ONESTOP_PUBLIC_BASE_URL is required"):
        Settings.from_env()
    env.setenv("ONESTOP_PUBLIC_BASE_URL", "https://dichvucong.example.gov.vn/")
    s = Settings.from_env()
    assert s.public_base_url == "https://dichvucong.example.gov.vn" and s.province_mode


def test_a_malformed_public_address_is_refused(env: pytest.MonkeyPatch) -> None:
    env.setenv("ONESTOP_PUBLIC_BASE_URL", "dichvucong.example.gov.vn")
    with pytest.raises(ValueError, match="http"):
        Settings.from_env()


def test_the_test_clock_is_refused_on_a_public_address(env: pytest.MonkeyPatch) -> None:
    env.setenv("ONESTOP_TESTING", "1")
    env.setenv("ONESTOP_PUBLIC_BASE_URL", "https://dichvucong.example.gov.vn")
    with pytest.raises(ValueError, match="ONESTOP_TESTING"):
        Settings.from_env()
    env.setenv("ONESTOP_PUBLIC_BASE_URL", "http://127.0.0.1:3999")
    assert Settings.from_env().testing


def test_the_clock_file_is_honoured_only_in_test_runs(env: pytest.MonkeyPatch, tmp_path) -> None:
    path = tmp_path / "clock.json"
    moment = datetime(2026, 11, 28, 23, 40)
    clock.write_test_clock(path, moment, tick=False)
    env.setenv("ONESTOP_TEST_CLOCK_FILE", str(path))
    try:
        importlib.reload(clock)
        assert not clock.injected_clock_active() and clock.now() != moment  # no ONESTOP_TESTING: real time
        env.setenv("ONESTOP_TESTING", "1")
        importlib.reload(clock)
        assert clock.injected_clock_active() and clock.now() == moment
        clock.write_test_clock(path, moment + timedelta(days=1, hours=8), tick=True)
        assert moment + timedelta(days=1, hours=8) <= clock.now() <= moment + timedelta(days=1, hours=8, seconds=2)
        clock.set_now(datetime(2030, 1, 1))  # in-process freezing still wins
        assert clock.now() == datetime(2030, 1, 1)
        clock.set_now(None)
        path.unlink()
        assert abs(clock.now() - clock._real_now()) < timedelta(seconds=2)  # file removed: real time again
    finally:
        env.delenv("ONESTOP_TESTING", raising=False)
        env.delenv("ONESTOP_TEST_CLOCK_FILE", raising=False)
        importlib.reload(clock)
