"""Which audit events are hand-overs, which step each one ends, and the durations between them.

Why here (pure): the same pairing rule serves three places that must agree — the flush hook that stores a
step's duration on the event that ends it (services.step_times), the migration that backfills it, and the
direct computation the tests compare the stored figures with (read.bottlenecks.step_times_direct).
A step's duration is the working time from the previous hand-over of the same dossier (in (at, id) order)
to the hand-over that ends the step; the first hand-over of a dossier (reception) ends no measured step.
"""

from __future__ import annotations

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
