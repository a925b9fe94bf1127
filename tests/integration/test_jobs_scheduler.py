"""The scheduler leader: one leader among several processes, take-over when it dies, jobs that survive crashes."""

from __future__ import annotations

import logging
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from onestop.db import get_engine
from onestop.jobs.leader import FileLock, PostgresAdvisoryLock, default_lock, lock_key
from onestop.jobs.scheduler import SchedulerService, build_scheduler, run_forever
from onestop.jobs.tasks import JOBS, JobSpec, guarded


@pytest.fixture()
def lock_factory(database_url, tmp_path):
    """A fresh lock per 'process', on the suite's database kind, under a key no real app uses."""
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        key = lock_key(f"test-{uuid.uuid4()}")
        return lambda: PostgresAdvisoryLock(engine, key)
    path = tmp_path / "scheduler.lock"
    return lambda: FileLock(path)


def test_default_lock_matches_the_database(database_url):
    lock = default_lock()
    expected = PostgresAdvisoryLock if database_url.startswith("postgresql") else FileLock
    assert isinstance(lock, expected)


def test_only_one_holder_and_release_hands_over(lock_factory):
    a, b = lock_factory(), lock_factory()
    assert a.try_acquire() is True
    assert b.try_acquire() is False
    assert a.still_held() and not b.still_held()
    a.release()
    assert b.try_acquire() is True
    b.release()


def test_postgres_lock_is_lost_with_its_connection(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL advisory lock")
    engine = get_engine()
    key = lock_key(f"test-{uuid.uuid4()}")
    leader, follower = PostgresAdvisoryLock(engine, key), PostgresAdvisoryLock(engine, key)
    assert leader.try_acquire()
    pid = leader._conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()  # noqa: SLF001
    with engine.connect() as admin:  # the leader's host dies: its database session ends
        admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
    # pg_terminate_backend only signals the backend; the lock goes when it has actually exited
    assert _wait(follower.try_acquire, timeout=10.0)  # the server released the lock with the session
    assert leader.still_held() is False  # and the old leader notices and steps down
    follower.release()


def _counting_jobs(counter: dict[str, int], every: int = 3600) -> tuple[JobSpec, ...]:
    def tick() -> None:
        counter["runs"] += 1

    return (JobSpec("tick", tick, every),)


def _wait(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_two_workers_one_leader_and_take_over(lock_factory):
    counter = {"runs": 0}
    jobs = _counting_jobs(counter)
    first = SchedulerService(lock_factory, jobs, check_seconds=0.2)
    second = SchedulerService(lock_factory, jobs, check_seconds=0.2)
    first.start()
    assert first.became_leader.wait(10)
    second.start()
    try:
        time.sleep(1.0)
        assert first.is_leader and not second.is_leader
        assert _wait(lambda: counter["runs"] == 1)  # a new leader runs its jobs at once (catch-up)
        first.stop()
        assert second.became_leader.wait(10)  # the follower takes over
        assert _wait(lambda: counter["runs"] == 2)
        assert second.wake("tick") is True and _wait(lambda: counter["runs"] == 3)
        assert first.wake("tick") is False  # not the leader any more
    finally:
        first.stop()
        second.stop()
    assert not second.is_leader


def test_a_crashing_job_is_logged_and_runs_again(caplog):
    calls = {"n": 0}

    def boom() -> None:
        calls["n"] += 1
        raise RuntimeError("database went away")

    run = guarded(JobSpec("boom", boom, 60))
    with caplog.at_level(logging.ERROR, logger="onestop.jobs"):
        run()
        run()
    assert calls["n"] == 2
    assert "scheduled job boom failed" in caplog.text


def test_jobs_coalesce_and_never_overlap():
    scheduler = build_scheduler(JOBS)
    scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
    try:
        ids = {job.id for job in scheduler.get_jobs()}
        assert ids == {"deadline_scan", "reception_scan", "push_delivery", "appointment_reminders", "daily_digest"}
        for job in scheduler.get_jobs():
            assert job.coalesce is True and job.max_instances == 1
            assert job.misfire_grace_time == job.trigger.interval.total_seconds()
            assert job.next_run_time is not None  # first run at once when a process becomes leader
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)


def test_run_forever_runs_until_stopped(monkeypatch, lock_factory):
    import onestop.jobs.scheduler as sched

    counter = {"runs": 0}
    monkeypatch.setattr(sched, "default_lock", lock_factory)
    monkeypatch.setattr(sched, "JOBS", _counting_jobs(counter))
    original = sched.SchedulerService.__init__

    def fast_init(self, lock_factory=lock_factory, jobs=None, check_seconds=0.2):  # noqa: ANN001
        original(self, lock_factory, jobs or _counting_jobs(counter), check_seconds)

    monkeypatch.setattr(sched.SchedulerService, "__init__", fast_init)
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,))
    thread.start()
    try:
        assert _wait(lambda: counter["runs"] >= 1)
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_the_app_lifespan_task_leads_and_stops(monkeypatch, caplog, database_url):
    """What `app.register_lifespan_task(scheduler_lifespan)` runs in each Reflex worker, with the real jobs."""
    import asyncio
    from dataclasses import replace

    import onestop.jobs.scheduler as sched
    from onestop.settings import get_settings

    enabled = replace(get_settings(), scheduler_enabled=True)
    monkeypatch.setattr(sched, "get_settings", lambda: enabled)

    async def run() -> None:
        async with sched.scheduler_lifespan():
            service = sched.current_service()
            assert service is not None
            assert await asyncio.to_thread(service.became_leader.wait, 10)
            await asyncio.sleep(2.0)  # the four jobs run once at once (catch-up) on the test database
        assert sched.current_service() is None and not service.is_leader

    with caplog.at_level(logging.INFO, logger="onestop.jobs"):
        asyncio.run(run())
    assert "this process is the scheduler leader" in caplog.text
    assert "scheduled job" not in caplog.text  # no job crashed


def test_lifespan_does_nothing_when_the_setting_is_off(monkeypatch):
    import asyncio
    from dataclasses import replace

    import onestop.jobs.scheduler as sched
    from onestop.settings import get_settings

    disabled = replace(get_settings(), scheduler_enabled=False)
    monkeypatch.setattr(sched, "get_settings", lambda: disabled)

    async def run() -> None:
        async with sched.scheduler_lifespan():
            assert sched.current_service() is None

    asyncio.run(run())
