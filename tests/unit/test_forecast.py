"""The seasonal baseline: hand-checked level × weekday profile, holidays at zero, backtest error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.forecast import backtest, fit, forecast, mape

MON = date(2026, 6, 1)  # a Monday


def weekdays(d: date) -> bool:
    return d.weekday() < 5


def _series(weeks: int, pattern=(60, 50, 50, 50, 40)) -> dict[date, int]:  # noqa: ANN001
    start = MON - timedelta(days=7 * weeks)
    return {
        start + timedelta(days=k): pattern[(start + timedelta(days=k)).weekday()]
        for k in range(7 * weeks)
        if (start + timedelta(days=k)).weekday() < 5
    }


def test_level_times_profile_reproduces_a_steady_pattern() -> None:
    history = _series(12)
    model = fit(history, MON, weekdays)
    assert model.level == pytest.approx(50.0)  # (60 + 50 + 50 + 50 + 40) / 5
    assert model.profile[:5] == pytest.approx((1.2, 1.0, 1.0, 1.0, 0.8))
    days = forecast(history, MON, 14, weekdays)
    assert [round(v) for _, v in days[:7]] == [60, 50, 50, 50, 40, 0, 0]


def test_a_holiday_in_the_calendar_is_forecast_as_zero() -> None:
    holiday = MON + timedelta(days=2)
    days = dict(forecast(_series(12), MON, 7, lambda d: weekdays(d) and d != holiday))
    assert days[holiday] == 0.0 and days[MON] > 0


def test_level_follows_recent_growth() -> None:
    history = _series(12)
    for d in list(history):
        if d >= MON - timedelta(days=28):
            history[d] *= 2
    assert fit(history, MON, weekdays).level == pytest.approx(100.0)


def test_mape_by_hand_and_backtest_of_a_perfect_pattern() -> None:
    assert mape([100, 50, 0], [90, 60, 5]) == pytest.approx(15.0)  # (10 % + 20 %) / 2; zero actual skipped
    assert mape([0], [1]) is None
    result = backtest(_series(20), MON - timedelta(days=1), 4, weekdays)
    assert result.days == 20 and result.mape == pytest.approx(0.0)


@given(st.lists(st.integers(0, 200), min_size=60, max_size=60))
def test_forecast_is_never_negative_and_zero_on_days_off(counts: list[int]) -> None:
    history = {MON - timedelta(days=k + 1): c for k, c in enumerate(counts)}
    for d, v in forecast(history, MON, 14, weekdays):
        assert v >= 0 and (weekdays(d) or v == 0)
