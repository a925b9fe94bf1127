"""The scheduled jobs: each opens its own session, calls one service, logs what it did.

Why thin wrappers: the rules live in onestop.services.alerts and .push (tested
directly with a frozen clock); here is only what a job needs on top — a fresh
session per run, and a crash that is logged and left for the next run instead
of killing the scheduler thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from onestop.db import transaction
from onestop.services import alerts, push

log = logging.getLogger("onestop.jobs")


def deadline_scan() -> alerts.ScanReport:
    with transaction() as session:
        report = alerts.scan_deadlines(session)
    if report.total_created:
        log.info(
            "deadline scan: %s due soon, %s overdue, %s supplement expired → new alerts %s",
            report.due_soon_dossiers,
            report.overdue_dossiers,
            report.supplement_dossiers,
            dict(report.created),
        )
    return report


def _counted(work: Callable[[Session], int], message: str) -> int:
    """Run `work` in its own transaction and log how many it made (`message` takes the count), if any."""
    with transaction() as session:
        created = work(session)
    if created:
        log.info(message, created)
    return created


def reception_scan() -> int:
    """Online/field dossiers waiting for reception past the deadline → one alert each (services.alerts)."""
    return _counted(alerts.scan_reception_deadlines, "reception scan: %s new alerts")


def push_delivery() -> push.DeliveryReport:
    report = push.deliver_pending()
    if report.claimed:
        log.info(
            "push: %s claimed, %s sent, %s retrying, %s failed, %s without device, %s subscriptions removed",
            report.claimed,
            report.sent,
            report.retrying,
            report.failed,
            report.no_device,
            report.subscriptions_removed,
        )
    return report


def appointment_reminders() -> int:
    return _counted(alerts.send_appointment_reminders, "appointment reminders: %s sent")


def daily_digest() -> int:
    return _counted(alerts.send_daily_digests, "daily digests: %s sent")


@dataclass(frozen=True)
class JobSpec:
    id: str
    fn: Callable[[], object]
    every_seconds: int


#: What the leader runs. Every job is state-based (it looks at what is due now), so a missed or coalesced
#: run loses nothing: the next run finds the same work, and the dedupe keys keep it once.
JOBS: tuple[JobSpec, ...] = (
    JobSpec("deadline_scan", deadline_scan, 300),
    JobSpec("reception_scan", reception_scan, 600),
    JobSpec("push_delivery", push_delivery, 15),
    JobSpec("appointment_reminders", appointment_reminders, 1800),
    JobSpec("daily_digest", daily_digest, 900),
)


def guarded(spec: JobSpec) -> Callable[[], None]:
    """Run a job; log a crash with its name and carry on (the next interval retries it)."""

    def run() -> None:
        try:
            spec.fn()
        except Exception:
            log.exception("scheduled job %s failed; it runs again at its next interval", spec.id)

    run.__name__ = f"job_{spec.id}"
    return run
