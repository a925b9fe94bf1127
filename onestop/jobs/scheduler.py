"""APScheduler, started with the app (a lifespan task) or alone (`onestop scheduler`), run by one leader.

How it runs:
- `SchedulerService` is a small thread that campaigns for the leader lock
  (onestop.jobs.leader) every `check_seconds`. The winner starts an APScheduler
  `BackgroundScheduler` with the jobs of onestop.jobs.tasks; followers only
  keep campaigning, so a new leader takes over soon after the old one dies.
  A leader that loses its lock (database connection dropped) stops its jobs.
- Jobs: `coalesce=True` (a backlog of missed runs becomes one run),
  `max_instances=1` (a slow run never overlaps itself), a misfire grace of one
  interval, and a first run at once when a process becomes leader — the jobs
  look at what is due now, so nothing missed while no leader ran is lost.
- After-commit changes from the services (onestop.services.bus) wake the push
  job at once in the leader's process, so a citizen's phone buzzes within
  seconds of an officer's action; other processes' changes are picked up by the
  15-second interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from onestop.jobs.leader import LeaderLock, default_lock
from onestop.jobs.tasks import JOBS, JobSpec, guarded
from onestop.services import bus
from onestop.settings import get_settings

log = logging.getLogger("onestop.jobs")


def build_scheduler(jobs: Sequence[JobSpec] = JOBS, *, start_now: bool = True) -> BackgroundScheduler:
    """A scheduler with our jobs added (not started). Times are the centers' local time zone."""
    # APScheduler logs two INFO lines per run (every 15 s for push); our jobs log what they did instead
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    tz = ZoneInfo(get_settings().timezone)
    scheduler = BackgroundScheduler(
        timezone=tz,
        job_defaults={"coalesce": True, "max_instances": 1},
        executors={"default": {"type": "threadpool", "max_workers": 4}},
    )
    first = datetime.now(tz)
    for index, spec in enumerate(jobs):
        scheduler.add_job(
            guarded(spec),
            "interval",
            seconds=spec.every_seconds,
            id=spec.id,
            name=spec.id,
            misfire_grace_time=spec.every_seconds,
            replace_existing=True,
            # a new leader catches up at once; the small stagger keeps the first runs from piling up
            next_run_time=first + timedelta(seconds=index) if start_now else None,
        )
    return scheduler


class SchedulerService:
    """The leader campaign and, while leader, the running scheduler (see the module docstring)."""

    def __init__(
        self,
        lock_factory: Callable[[], LeaderLock] = default_lock,
        jobs: Sequence[JobSpec] = JOBS,
        check_seconds: float = 15.0,
    ) -> None:
        self._lock_factory = lock_factory
        self._jobs = tuple(jobs)
        self.check_seconds = check_seconds
        self._lock: LeaderLock | None = None
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self.became_leader = threading.Event()

    @property
    def is_leader(self) -> bool:
        return self._scheduler is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._campaign, name="onestop-scheduler-leader", daemon=True)
        self._thread.start()
        bus.subscribe(self._on_change)

    def stop(self, timeout: float = 30.0) -> None:
        bus.unsubscribe(self._on_change)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self, job_id: str) -> bool:
        """Run a job now if this process leads (e.g. push right after a change); False otherwise."""
        with self._guard:
            scheduler = self._scheduler
            if scheduler is None:
                return False
            try:
                scheduler.modify_job(job_id, next_run_time=datetime.now(scheduler.timezone))
            except Exception:
                return False
            return True

    def _on_change(self, _change: bus.DossierChanged) -> None:
        self.wake("push_delivery")

    # ------------------------------------------------------------------ the campaign thread

    def _campaign(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self._step()
                except Exception:
                    log.exception("scheduler leader campaign step failed")
                    self._step_down()
                self._stop.wait(self.check_seconds)
        finally:
            self._step_down()

    def _step(self) -> None:
        if self._scheduler is None:
            lock = self._lock or self._lock_factory()
            self._lock = lock
            if lock.try_acquire():
                scheduler = build_scheduler(self._jobs)
                scheduler.start()
                with self._guard:
                    self._scheduler = scheduler
                log.info("this process is the scheduler leader (%s jobs)", len(self._jobs))
                self.became_leader.set()
        elif self._lock is None or not self._lock.still_held():
            log.warning("scheduler leader lock lost: stopping the jobs in this process")
            self._step_down()

    def _step_down(self) -> None:
        with self._guard:
            scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            try:
                scheduler.shutdown(wait=True)
            except Exception:
                log.exception("scheduler shutdown failed")
            self.became_leader.clear()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


_service: SchedulerService | None = None


@contextlib.asynccontextmanager
async def scheduler_lifespan() -> AsyncIterator[None]:
    """Reflex lifespan task: campaign for leadership while this worker runs (when the setting allows)."""
    global _service
    if not get_settings().scheduler_enabled:
        yield
        return
    service = SchedulerService()
    service.start()
    _service = service
    try:
        yield
    finally:
        _service = None
        await asyncio.to_thread(service.stop)


def current_service() -> SchedulerService | None:
    """The scheduler of this process, if one runs (the UI may wake the push job after an action)."""
    return _service


def run_forever(stop: threading.Event | None = None) -> None:
    """`onestop scheduler`: campaign and run the jobs in this process until SIGINT/SIGTERM."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    service = SchedulerService()
    service.start()
    log.info("scheduler process started; waiting for the leader lock")
    try:
        while not stop.wait(1.0):
            pass
    finally:
        service.stop()
        log.info("scheduler process stopped")
