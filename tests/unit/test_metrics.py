"""Decision 766 index over counts: hand-computed examples, zero denominators, bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.metrics import (
    GROUP_MAX,
    PeriodCounts,
    digitisation,
    index,
    on_time_rate,
    online_payment,
    online_rate,
    online_service,
    progress,
    satisfaction,
    transparency,
)

# A provincial center's month, with every number chosen so the points are easy to check by hand.
MONTH = PeriodCounts(
    received=1000,
    online=900,
    dossiers_synced=1000,
    handled=1200,
    on_time_or_early=1000,
    resolved_late=10,
    in_deadline=180,
    overdue=10,
    late_with_apology=15,
    procedures_total=200,
    procedures_published=190,
    procedures_online=180,
    procedures_with_online_dossiers=90,
    dossiers_with_fee=400,
    paid_online=300,
    fee_procedures=50,
    fee_procedures_with_online_payment=40,
    fee_procedures_with_dossiers=30,
    results_document=800,
    results_electronic=600,
    inputs_total=3000,
    digitised_inputs=2700,
    reusable_inputs=500,
    reused_inputs=250,
    ratings_total=400,
    ratings_negative=4,
    complaints=5,
    complaints_resolved=4,
    dossiers_with_issue=60,
)


def test_transparency_by_hand():
    g = transparency(MONTH)
    # 6*190/200 = 5.7 ; 6*1000/1000 = 6 ; 6*15/(10+10) = 4.5
    assert g.components == pytest.approx({"publication": 5.7, "sync": 6.0, "apology": 4.5})
    assert g.points == pytest.approx(16.2)


def test_progress_formula_of_the_decision():
    # 20 * (1000 + 180) / 1200
    assert progress(MONTH).points == pytest.approx(20 * 1180 / 1200) == pytest.approx(19.666667)


def test_online_service_by_hand():
    g = online_service(MONTH)
    # 3*180/200 = 2.7 ; 3*90/180 = 1.5 ; 6*900/1000 = 5.4
    assert g.points == pytest.approx(9.6)


def test_online_payment_formula_of_the_decision():
    # A = 0.75 -> 4.5 ; B = 0.8 -> min(2, 2.0) = 2 ; C = 0.6 -> 1.5
    assert online_payment(MONTH).points == pytest.approx(8.0)


def test_online_payment_is_capped_at_ten():
    c = PeriodCounts(
        dossiers_with_fee=10,
        paid_online=10,
        fee_procedures=4,
        fee_procedures_with_online_payment=4,
        fee_procedures_with_dossiers=4,
    )
    g = online_payment(c)
    assert sum(g.components.values()) == pytest.approx(10.5)  # 6 + min(2, 2.5) + 2.5
    assert g.points == 10.0


def test_online_payment_b_term_saturates_at_80_percent():
    c = PeriodCounts(fee_procedures=10, fee_procedures_with_online_payment=8)
    assert online_payment(c).components["procedures_with_online_payment"] == pytest.approx(2.0)
    c = PeriodCounts(fee_procedures=10, fee_procedures_with_online_payment=4)
    assert online_payment(c).components["procedures_with_online_payment"] == pytest.approx(1.0)


def test_digitisation_by_hand():
    g = digitisation(MONTH)
    # min(6, 6*600/800) = 4.5 ; 8*2700/3000 = 7.2 ; 8*250/500 = 4
    assert g.components == pytest.approx({"e_results": 4.5, "inputs": 7.2, "reuse": 4.0})
    assert g.points == pytest.approx(15.7)


def test_satisfaction_by_hand():
    g = satisfaction(MONTH)
    # r = 1 - 60/1200 = 0.95 -> min(6, 6*0.95/0.9) = 6 ; 6*396/400 = 5.94 ; 6*4/5 = 4.8
    assert g.components == pytest.approx({"receiving": 6.0, "ratings": 5.94, "complaints": 4.8})
    assert g.points == pytest.approx(16.74)


def test_receiving_satisfaction_below_ninety_percent():
    c = PeriodCounts(handled=100, on_time_or_early=100, dossiers_with_issue=19)  # r = 0.81
    assert satisfaction(c).components["receiving"] == pytest.approx(6 * 0.81 / 0.9)  # 5.4


def test_issue_estimate_is_an_upper_bound_when_not_given():
    c = PeriodCounts(
        handled=100, on_time_or_early=95, resolved_late=5, ratings_total=10, ratings_negative=3, complaints=2
    )
    # estimated issues = 3 + 2 + 5 = 10 -> r = 0.9 -> exactly 6
    assert satisfaction(c).components["receiving"] == pytest.approx(6.0)


def test_total_by_hand():
    b = index(MONTH)
    assert b.total == pytest.approx(16.2 + 20 * 1180 / 1200 + 9.6 + 8.0 + 15.7 + 16.74)  # 85.9067
    d = b.as_dict()
    assert d["total"] == 85.91
    assert d["components"]["online_payment"]["paid_online"] == 4.5


def test_rates():
    assert on_time_rate(MONTH) == pytest.approx(1000 / 1010)
    assert online_rate(MONTH) == pytest.approx(0.9)
    assert on_time_rate(PeriodCounts()) is None
    assert online_rate(PeriodCounts()) is None


def test_zero_denominators_policy():
    b = index(PeriodCounts())
    # nothing handled, received, published, digitised or rated: 0
    assert b.progress == 0 and b.online_service == 0
    assert b.components["transparency"]["publication"] == 0
    assert b.components["digitisation"]["inputs"] == 0
    assert b.components["satisfaction"]["receiving"] == 0
    assert b.components["satisfaction"]["ratings"] == 0
    # obligations that did not arise: full marks (free procedures, nobody late, no complaint...)
    assert b.online_payment == 10
    assert b.components["transparency"]["apology"] == 6
    assert b.components["digitisation"]["e_results"] == 6
    assert b.components["digitisation"]["reuse"] == 8
    assert b.components["satisfaction"]["complaints"] == 6
    assert b.total == pytest.approx(36.0)


def test_perfect_unit_scores_100():
    c = PeriodCounts(
        received=10,
        online=10,
        dossiers_synced=10,
        handled=10,
        on_time_or_early=10,
        procedures_total=5,
        procedures_published=5,
        procedures_online=5,
        procedures_with_online_dossiers=5,
        dossiers_with_fee=3,
        paid_online=3,
        fee_procedures=2,
        fee_procedures_with_online_payment=2,
        fee_procedures_with_dossiers=2,
        results_document=10,
        results_electronic=10,
        inputs_total=20,
        digitised_inputs=20,
        reusable_inputs=4,
        reused_inputs=4,
        ratings_total=5,
        dossiers_with_issue=0,
    )
    assert index(c).total == pytest.approx(100.0)


@pytest.mark.parametrize(
    "bad",
    [
        {"received": -1},
        {"received": 1, "online": 2},
        {"handled": 5, "on_time_or_early": 4, "overdue": 2},
        {"ratings_total": 1, "ratings_negative": 2},
        {"received": True},
        {"handled": 1, "dossiers_with_issue": 2},
    ],
)
def test_inconsistent_counts_are_refused(bad):
    with pytest.raises(ValueError):
        PeriodCounts(**bad)


def test_counts_add_up_across_scopes():
    total = MONTH + MONTH
    assert total.received == 2000 and total.dossiers_with_issue == 120
    assert progress(total).points == pytest.approx(progress(MONTH).points)
    assert (MONTH + PeriodCounts()).dossiers_with_issue is None


@st.composite
def consistent_counts(draw):
    n = st.integers(0, 10_000)

    def part(whole):
        return draw(st.integers(0, whole))

    received = draw(n)
    handled = draw(n)
    on_time = part(handled)
    late = part(handled - on_time)
    in_deadline = part(handled - on_time - late)
    overdue = part(handled - on_time - late - in_deadline)
    procs = draw(n)
    online_procs = part(procs)
    fee_dossiers = draw(n)
    fee_procs = draw(n)
    results = draw(n)
    inputs = draw(n)
    reusable = draw(n)
    ratings = draw(n)
    complaints = draw(n)
    return PeriodCounts(
        received=received,
        online=part(received),
        dossiers_synced=part(received),
        handled=handled,
        on_time_or_early=on_time,
        resolved_late=late,
        in_deadline=in_deadline,
        overdue=overdue,
        late_with_apology=part(late + overdue),
        procedures_total=procs,
        procedures_published=part(procs),
        procedures_online=online_procs,
        procedures_with_online_dossiers=part(online_procs),
        dossiers_with_fee=fee_dossiers,
        paid_online=part(fee_dossiers),
        fee_procedures=fee_procs,
        fee_procedures_with_online_payment=part(fee_procs),
        fee_procedures_with_dossiers=part(fee_procs),
        results_document=results,
        results_electronic=part(results),
        inputs_total=inputs,
        digitised_inputs=part(inputs),
        reusable_inputs=reusable,
        reused_inputs=part(reusable),
        ratings_total=ratings,
        ratings_negative=part(ratings),
        complaints=complaints,
        complaints_resolved=part(complaints),
        dossiers_with_issue=draw(st.none() | st.integers(0, handled)),
    )


@given(consistent_counts())
def test_every_group_within_its_maximum(c):
    b = index(c)
    for group, hi in GROUP_MAX.items():
        assert 0.0 <= getattr(b, group) <= hi + 1e-9
    assert 0.0 <= b.total <= 100.0 + 1e-9
    rate = on_time_rate(c)
    assert rate is None or 0.0 <= rate <= 1.0
