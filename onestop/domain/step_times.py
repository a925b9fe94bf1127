"""Which audit events are hand-overs, which step each one ends, and the durations between them.

Why here (pure): the same pairing rule serves three places that must agree — the flush hook that stores a
step's duration on the event that ends it (services.step_times), the migration that backfills it, and the
direct computation the tests compare the stored figures with (read.bottlenecks.step_times_direct).
A step's duration is the working time from the previous hand-over of the same dossier (in (at, id) order)
to the hand-over that ends the step; the first hand-over of a dossier (reception) ends no measured step.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from onestop.domain.lifecycle import Action

#: Hand-over action → the step it ends (services.dossiers.HANDOVERS, kept in step order).
STEP_ENDED_BY = {
    Action.ASSIGN.value: "reception",
    Action.TRANSFER.value: "reception",
    Action.SUBMIT_FOR_APPROVAL.value: "appraisal",
    Action.APPROVE.value: "approval",
    Action.SIGN.value: "signing",
    Action.ISSUE_RESULT.value: "result",
}
STEP_ORDER = ("reception", "appraisal", "approval", "signing", "result")
HANDOVER_ACTIONS = (Action.RECEIVE.value, *STEP_ENDED_BY)


def durations(
    events: Iterable[tuple[int, int, datetime, str]], seconds_between: Callable[[datetime, datetime], int]
) -> Iterator[tuple[int, int]]:
    """(event id, working seconds) for every step-ending hand-over that follows another hand-over of its dossier.

    `events` are (dossier id, event id, at, action) of hand-overs, ordered by dossier, at, id.
    """
    previous: tuple[int, datetime] | None = None
    for dossier_id, event_id, at, action in events:
        if action in STEP_ENDED_BY and previous is not None and previous[0] == dossier_id:
            yield event_id, max(0, seconds_between(previous[1], at))
        previous = (dossier_id, at)


#: Histogram buckets of the pre-computed step counts (`dossier_step_count`, migration 0017): bucket k holds the
#: durations in [BUCKET_BOUNDS[k], BUCKET_BOUNDS[k + 1]) working seconds, the last bucket is open. Under a minute
#: is bucket 0, then quarter-octave widths (each bound ~19 % above the previous one) up to ~17,000 working hours.
#: Why geometric: a step's durations spread over three decades (minutes at reception, days of appraisal); ~80
#: buckets keep the province's 90 days at ~20,000 rows. The buckets only say where each median lies; the median
#: itself is then taken exactly from the events of that bucket (read.bottlenecks.step_times), so the resolution
#: never shows on screen.
BUCKET_BOUNDS: tuple[int, ...] = (0, *(round(60 * 2 ** (k / 4)) for k in range(80)))


def bucket_of(seconds: int) -> int:
    """The histogram bucket of a duration (negative durations are stored as 0)."""
    return max(0, bisect_right(BUCKET_BOUNDS, seconds) - 1)


def bucket_range(bucket: int) -> tuple[int, int | None]:
    """[low, high) working seconds of a bucket; high is None for the last, open one."""
    return BUCKET_BOUNDS[bucket], BUCKET_BOUNDS[bucket + 1] if bucket + 1 < len(BUCKET_BOUNDS) else None


#: Step → the hand-over actions that end it.
ACTIONS_ENDING: dict[str, tuple[str, ...]] = {
    s: tuple(a for a, step in STEP_ENDED_BY.items() if step == s) for s in STEP_ORDER
}
