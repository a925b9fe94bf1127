"""Expected dossiers per day: a transparent seasonal baseline a center manager can check by hand.

Why this model and not a black box: the number is used to put officers at
counters; a manager must be able to say why Monday shows 62. The forecast for a
working day d is

    expected(d) = level × profile[weekday(d)]

* level = mean dossiers per working day over the last `level_weeks` weeks
  (the recent volume: follows growth and campaigns);
* profile[w] = mean on weekday w ÷ mean of all working days, over the last
  `profile_weeks` weeks (Monday rush, quiet Friday afternoon …), 1.0 for a
  weekday with no history (a decreed make-up Saturday);
* days off in the working calendar (Sundays, holidays, Tết, swapped days) → 0.

`backtest` replays the model week by week on held-out history and reports the
mean absolute percentage error (MAPE) on working days with at least one dossier.
Pure functions: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

LEVEL_WEEKS = 4
PROFILE_WEEKS = 12


@dataclass(frozen=True)
class Model:
    level: float
    profile: tuple[float, ...]  # 7 factors, Monday first


@dataclass(frozen=True)
class Windows:
    """The working days a fit looks at: the same for every center on a given day, so computed once
    (the province's forecast fits 60 centers; the calendar lookups were most of its time)."""

    recent: tuple[date, ...]  # working days of the last level_weeks weeks
    longer: tuple[date, ...]  # working days of the last profile_weeks weeks
    by_weekday: tuple[tuple[date, ...], ...]  # `longer` split per weekday, Monday first

    @classmethod
    def of(
        cls,
        today: date,
        is_working: Callable[[date], bool],
        level_weeks: int = LEVEL_WEEKS,
        profile_weeks: int = PROFILE_WEEKS,
    ) -> Windows:
        def window(weeks: int) -> tuple[date, ...]:
            days = (today - timedelta(days=k) for k in range(1, 7 * weeks + 1))
            return tuple(d for d in days if is_working(d))

        longer = window(profile_weeks)
        return cls(window(level_weeks), longer, tuple(tuple(d for d in longer if d.weekday() == w) for w in range(7)))


def fit(
    history: Mapping[date, int],
    today: date,
    is_working: Callable[[date], bool],
    level_weeks: int = LEVEL_WEEKS,
    profile_weeks: int = PROFILE_WEEKS,
    windows: Windows | None = None,
) -> Model:
    """The level and weekday profile from the days strictly before `today` (missing working days count as 0).

    `windows`: `Windows.of(today, is_working, level_weeks, profile_weeks)` computed once for many histories."""
    w = windows or Windows.of(today, is_working, level_weeks, profile_weeks)
    level = sum(history.get(d, 0) for d in w.recent) / len(w.recent) if w.recent else 0.0
    overall = sum(history.get(d, 0) for d in w.longer) / len(w.longer) if w.longer else 0.0
    profile = []
    for days in w.by_weekday:
        if not days or overall <= 0:
            profile.append(1.0)
        else:
            profile.append(sum(history.get(d, 0) for d in days) / len(days) / overall)
    return Model(level, tuple(profile))


def predict(model: Model, days: Sequence[date], is_working: Callable[[date], bool]) -> list[float]:
    return [model.level * model.profile[d.weekday()] if is_working(d) else 0.0 for d in days]


def forecast(
    history: Mapping[date, int],
    today: date,
    horizon_days: int,
    is_working: Callable[[date], bool],
    windows: Windows | None = None,
) -> list[tuple[date, float]]:
    """(day, expected dossiers) for `today` and the following days (`windows`: see `fit`)."""
    days = [today + timedelta(days=k) for k in range(horizon_days)]
    model = fit(history, today, is_working, windows=windows)
    return list(zip(days, predict(model, days, is_working), strict=True))


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float | None:
    """Mean absolute percentage error in % over the pairs with a positive actual; None if there are none."""
    pairs = [(a, p) for a, p in zip(actual, predicted, strict=True) if a > 0]
    if not pairs:
        return None
    return 100.0 * sum(abs(a - p) / a for a, p in pairs) / len(pairs)


@dataclass(frozen=True)
class Backtest:
    weeks: int
    days: int
    mape: float | None  # the model
    naive_mape: float | None  # "same weekday last week", for comparison


def backtest(
    history: Mapping[date, int], last_day: date, held_out_weeks: int, is_working: Callable[[date], bool]
) -> Backtest:
    """Fit on everything before each of the last `held_out_weeks` weeks (ending at `last_day`), predict that week."""
    actual: list[float] = []
    model_pred: list[float] = []
    naive_pred: list[float] = []
    first = last_day - timedelta(days=7 * held_out_weeks - 1)
    for w in range(held_out_weeks):
        start = first + timedelta(days=7 * w)
        days = [start + timedelta(days=k) for k in range(7)]
        model = fit(history, start, is_working)
        for d, p in zip(days, predict(model, days, is_working), strict=True):
            if not is_working(d):
                continue
            actual.append(history.get(d, 0))
            model_pred.append(p)
            naive_pred.append(history.get(d - timedelta(days=7), 0))
    return Backtest(held_out_weeks, len(actual), mape(actual, model_pred), mape(actual, naive_pred))
