"""Worked examples of the index as the dashboard shows it: each component's fraction and points."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.metrics import COMPONENT_MAX, GROUP_MAX, PeriodCounts, component_lines, index, progress
from onestop.read.dashboard_tables import fmt, pct


def test_995_of_1000_on_time_is_19_90_progress_points() -> None:
    c = PeriodCounts(received=1000, handled=1000, on_time_or_early=995, resolved_late=5)
    assert progress(c).points == pytest.approx(19.90)
    line = next(x for x in component_lines(c) if x.key == "progress.timeliness")
    assert (line.numerator, line.denominator, fmt(round(line.points, 2), "points", "vi")) == (995, 1000, "19,90")


def test_online_payment_worked_example() -> None:
    # A = 300/400 → 4.5; B = 40/50 → min(2, 2.0) = 2; C = 30/50 → 1.5 ; total 8.0
    c = PeriodCounts(
        received=400,
        dossiers_with_fee=400,
        paid_online=300,
        fee_procedures=50,
        fee_procedures_with_online_payment=40,
        fee_procedures_with_dossiers=30,
    )
    lines = {x.key: x for x in component_lines(c)}
    assert lines["online_payment.paid_online"].points == pytest.approx(4.5)
    assert (lines["online_payment.paid_online"].numerator, lines["online_payment.paid_online"].denominator) == (
        300,
        400,
    )
    assert index(c).online_payment == pytest.approx(8.0)


def test_receiving_satisfaction_fraction_uses_the_issue_count() -> None:
    c = PeriodCounts(received=100, handled=100, on_time_or_early=100, dossiers_with_issue=10)
    line = next(x for x in component_lines(c) if x.key == "satisfaction.receiving")
    assert (line.numerator, line.denominator) == (90, 100) and line.points == pytest.approx(6.0)  # 0.9 earns full


def test_component_maxima_fill_each_group() -> None:
    for group, mx in GROUP_MAX.items():
        parts = sum(v for k, v in COMPONENT_MAX.items() if k.startswith(group + "."))
        # online payment's three terms reach 10.5 and the group is capped at 10 (see online_payment)
        assert parts == (10.5 if group == "online_payment" else mx)


@given(st.integers(0, 500), st.integers(0, 500))
def test_lines_sum_to_the_groups(on_time: int, late: int) -> None:
    c = PeriodCounts(received=on_time + late, handled=on_time + late, on_time_or_early=on_time, resolved_late=late)
    result = index(c)
    for group in GROUP_MAX:
        total = sum(x.points for x in component_lines(c) if x.group == group)
        assert min(total, GROUP_MAX[group]) == pytest.approx(getattr(result, group))
        assert all(0 <= x.points <= x.max_points for x in component_lines(c))


def test_formatting_per_language() -> None:
    assert fmt(1234, "int", "vi") == "1.234" and fmt(1234, "int", "en") == "1,234"
    assert fmt(99.5, "pct", "vi") == "99,5 %" and fmt(None, "pct", "en") == "—"
    assert pct(995, 1000) == 99.5 and pct(1, 0) is None


def test_not_measured_components_are_left_out_not_scored_zero() -> None:
    # 1,000 received, none synced (no portal connection), 3 complaints with no record of their handling
    c = PeriodCounts(received=1000, handled=1000, on_time_or_early=995, resolved_late=5, complaints=3)
    scored = index(c)
    left_out = index(c, {"transparency.sync", "satisfaction.complaints"})
    assert left_out.max_total == 88.0 and scored.max_total == 100.0
    assert left_out.group_max("transparency") == 12.0 and left_out.group_max("satisfaction") == 12.0
    # the measured components keep their points; the left-out ones have none (not 0) and leave the groups' maxima
    assert "sync" not in left_out.components["transparency"] and "sync" in scored.components["transparency"]
    assert left_out.transparency == pytest.approx(scored.transparency - scored.components["transparency"]["sync"])
    assert left_out.progress == scored.progress == pytest.approx(19.90)
    lines = {x.key: x for x in component_lines(c, {"transparency.sync", "satisfaction.complaints"})}
    sync = lines["transparency.sync"]
    assert (sync.numerator, sync.denominator, sync.points, sync.max_points) == (None, None, None, 6.0)
    assert lines["satisfaction.complaints"].points is None
    assert lines["progress.timeliness"].points == pytest.approx(19.90)
    for group in GROUP_MAX:  # the measured lines add up to each group (capped at its measured maximum)
        total = sum(x.points for x in lines.values() if x.group == group and x.points is not None)
        assert min(total, left_out.group_max(group)) == pytest.approx(getattr(left_out, group))
    assert left_out.as_dict()["max_total"] == 88.0
    with pytest.raises(ValueError):
        index(c, {"transparency.weather"})
