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
