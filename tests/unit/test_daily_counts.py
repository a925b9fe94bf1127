"""What one dossier adds to the dashboard's daily counts (domain.daily_counts), on worked examples."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from onestop.domain.daily_counts import COLUMNS, INDEX, DossierFacts, add_deltas, events
from onestop.domain.lifecycle import Status

R = datetime(2026, 11, 2, 9, 0)
DUE = datetime(2026, 11, 5, 17, 0)
BASE = DossierFacts(
    center_id=1,
    procedure_id=7,
    procedure_code="1.001612",
    channel="online",
    status=int(Status.PROCESSING),
    received_at=R,
    finished_at=None,
    on_time=None,
    due_at=DUE,
    paused_at=None,
    apology=False,
    fee_amount=0,
    fee_status="none",
    has_result_file=False,
    paid_online=False,
    rated=False,
    rated_negative=False,
    complaint=False,
    inputs=2,
    reused=1,
)


def _at(f: DossierFacts, moment: datetime) -> dict[str, int]:
    """The interval columns summed over every delta dated before `moment` (the state at that moment)."""
    out = dict.fromkeys(COLUMNS, 0)
    for at, name, n in events(f):
        if at < moment:
            out[name] += n
    return out


def test_open_dossier_is_in_processing_then_overdue_from_its_due_date() -> None:
    assert _at(BASE, R)["ip"] == 0  # not yet received at R itself ([R, F) starts counting after R)
    before_due = _at(BASE, datetime(2026, 11, 5, 16, 59))
    assert (before_due["ip"], before_due["ip_due"], before_due["od"]) == (1, 1, 0)
    after_due = _at(BASE, datetime(2026, 11, 6, 8, 0))
    assert (after_due["ip"], after_due["od"], after_due["od_not_negative"]) == (1, 1, 1)
    assert _at(BASE, R.replace(hour=10))["received"] == 1 and _at(BASE, R.replace(hour=10))["inputs"] == 2


def test_a_pause_before_the_due_date_means_never_overdue_and_after_it_ends_the_overdue_span() -> None:
    paused_early = replace(BASE, paused_at=datetime(2026, 11, 4, 10, 0))
    assert not [e for e in events(paused_early) if e[1].startswith("od")]
    paused_late = replace(BASE, paused_at=datetime(2026, 11, 9, 10, 0), apology=True)
    assert _at(paused_late, datetime(2026, 11, 7))["od_apology"] == 1
    assert _at(paused_late, datetime(2026, 11, 10))["od"] == 0


def test_resolved_late_with_a_negative_rating_counts_once_at_its_finishing_day() -> None:
    done = replace(
        BASE,
        status=int(Status.RETURNED),
        finished_at=datetime(2026, 11, 9, 10, 0),
        on_time=False,
        has_result_file=True,
        rated=True,
        rated_negative=True,
    )
    rows: dict = {}
    add_deltas(rows, done)
    day = rows[(date(2026, 11, 9), 1, 7, "1.001612")]
    for name in ("resolved_late", "results_document", "results_electronic", "rated_resolved", "issue_resolved"):
        assert day[INDEX[name]] == 1, name
    assert day[INDEX["ip"]] == -1 and day[INDEX["od"]] == -1  # both spans end when it is finished
    assert day[INDEX["on_time"]] == 0
    add_deltas(rows, done, -1)  # taking the same dossier off leaves nothing
    assert not any(any(v) for v in rows.values())


def test_no_due_date_is_in_processing_but_neither_overdue_nor_within_deadline() -> None:
    f = replace(BASE, due_at=None)
    later = _at(f, datetime(2026, 12, 1))
    assert (later["ip"], later["ip_due"], later["od"]) == (1, 0, 0)
    assert events(replace(BASE, received_at=None)) == []  # never received: nothing (the backlog is read live)
