"""The service-quality index of Decision 766/QĐ-TTg, computed from plain counts.

The national portal scores every province, center, field and procedure out of
100 in six groups: transparency 18, progress 20, online service 12, online
payment 10, digitisation 22, satisfaction 18.  Dashboards here show the same
numbers *before* the portal publishes them, so a center can act during the
period.  This module is the arithmetic only: the caller (a service querying
the audit event log and dossier table) supplies the counts for one scope and
period, so the same functions serve a province, a center or one procedure.

Formulas.  Where DOMAIN.md quotes the Decision, the formula is used as given:

* progress = 20 × (resolved early/on time + in processing within deadline) ÷ dossiers handled
* receiving satisfaction = min(6, 6 × r ÷ 0.9), r = share of handled dossiers
  without a negative rating, a complaint or a delay
* online payment = 6·A + min(2, 2.5·B) + 2.5·C (clamped to 10)
* e-results = min(6, 6 × electronic results ÷ results that are a document)

The other components are this project's reading of the Decision's groups,
documented on each function, with weights that fill each group's maximum.
Every component is clamped to [0, its maximum] and every group to its
maximum, so the total never exceeds 100.

Zero denominators.  The default is 0 points: a unit that has no activity has
not earned the points.  The exception (``NOT_APPLICABLE_FULL_MARKS``) is a
component whose denominator counts obligations that did not arise — no
fee-bearing dossiers or procedures (42 procedures cost nothing online), no
late dossier needing an apology, no result that is a document, no reusable
input, no complaint: there the unit did everything that was asked of it and
gets the component's maximum; otherwise a free-of-charge commune would lose
10 points for being free.  This is our reading; the appendix to the Decision
is the authority, and the set is the one place to change it.

Not measured.  A component the deployment has no data source for (e.g. sync
with the national portal before it is connected) is neither 0 nor a guess:
the caller names it in ``not_measured``; it gets no points, its numerator and
denominator are None, and its maximum leaves the group's and the index's
maximum (``IndexBreakdown.max_total``: 88 of 100 without sync and complaints),
so the total is "x of the measurable points", never a made-up 100-point score.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field, fields

__all__ = [
    "COMPONENT_MAX",
    "GROUP_MAX",
    "ComponentLine",
    "component_lines",
    "NOT_APPLICABLE_FULL_MARKS",
    "GroupScore",
    "IndexBreakdown",
    "PeriodCounts",
    "digitisation",
    "index",
    "on_time_rate",
    "online_payment",
    "online_rate",
    "online_service",
    "progress",
    "satisfaction",
    "transparency",
]

GROUP_MAX: dict[str, float] = {
    "transparency": 18.0,
    "progress": 20.0,
    "online_service": 12.0,
    "online_payment": 10.0,
    "digitisation": 22.0,
    "satisfaction": 18.0,
}

#: Components that score full marks when their denominator is zero (see the module docstring).
NOT_APPLICABLE_FULL_MARKS: frozenset[str] = frozenset(
    {
        "transparency.apology",
        "online_payment.paid_online",
        "online_payment.procedures_with_online_payment",
        "online_payment.procedures_with_dossiers",
        "digitisation.e_results",
        "digitisation.reuse",
        "satisfaction.complaints",
    }
)


@dataclass(frozen=True)
class PeriodCounts:
    """Counts for one scope (province, center, field or procedure) and one period.

    Dossier flow
      received            dossiers received in the period (all channels)
      online              of those, submitted online
      dossiers_synced     of those, whose status reached the national portal
      handled             dossiers under consideration in the period: resolved in it, or still in processing
      on_time_or_early    handled and resolved early or on time (withdrawn counts as on time)
      resolved_late       handled and resolved after the due date
      in_deadline         handled, still in processing, not yet due
      overdue             handled, still in processing, past due
      late_with_apology   late ones (resolved_late + overdue) for which an apology letter was issued
    Catalog
      procedures_total, procedures_published (publicly listed with complete, current data),
      procedures_online (accept online submission), procedures_with_online_dossiers
    Fees
      dossiers_with_fee, paid_online, fee_procedures, fee_procedures_with_online_payment,
      fee_procedures_with_dossiers
    Digitisation
      results_document (resolved dossiers whose result is a document), results_electronic (of those, with a
      legally valid electronic result), inputs_total / digitised_inputs (input documents received / digitised),
      reusable_inputs / reused_inputs (inputs the state already held / of those, reused instead of asked for)
    Satisfaction
      ratings_total, ratings_negative, complaints, complaints_resolved,
      dossiers_with_issue: distinct handled dossiers with a negative rating, a complaint or a delay.  If None,
      it is estimated as min(handled, ratings_negative + complaints + resolved_late + overdue) — an upper
      bound, so the estimate never flatters the unit.
    """

    received: int = 0
    online: int = 0
    dossiers_synced: int = 0
    handled: int = 0
    on_time_or_early: int = 0
    resolved_late: int = 0
    in_deadline: int = 0
    overdue: int = 0
    late_with_apology: int = 0
    procedures_total: int = 0
    procedures_published: int = 0
    procedures_online: int = 0
    procedures_with_online_dossiers: int = 0
    dossiers_with_fee: int = 0
    paid_online: int = 0
    fee_procedures: int = 0
    fee_procedures_with_online_payment: int = 0
    fee_procedures_with_dossiers: int = 0
    results_document: int = 0
    results_electronic: int = 0
    inputs_total: int = 0
    digitised_inputs: int = 0
    reusable_inputs: int = 0
    reused_inputs: int = 0
    ratings_total: int = 0
    ratings_negative: int = 0
    complaints: int = 0
    complaints_resolved: int = 0
    dossiers_with_issue: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None and f.name == "dossiers_with_issue":
                continue
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"{f.name} must be a non-negative integer, got {v!r}")
        parts = [
            ("online", "received"),
            ("dossiers_synced", "received"),
            ("procedures_published", "procedures_total"),
            ("procedures_online", "procedures_total"),
            ("procedures_with_online_dossiers", "procedures_online"),
            ("paid_online", "dossiers_with_fee"),
            ("fee_procedures_with_online_payment", "fee_procedures"),
            ("fee_procedures_with_dossiers", "fee_procedures"),
            ("results_electronic", "results_document"),
            ("digitised_inputs", "inputs_total"),
            ("reused_inputs", "reusable_inputs"),
            ("ratings_negative", "ratings_total"),
            ("complaints_resolved", "complaints"),
            ("dossiers_with_issue", "handled"),
        ]
        for part, whole in parts:
            p, w = getattr(self, part), getattr(self, whole)
            if p is not None and p > w:
                raise ValueError(f"{part} ({p}) cannot exceed {whole} ({w})")
        flow = self.on_time_or_early + self.resolved_late + self.in_deadline + self.overdue
        if flow > self.handled:
            raise ValueError(f"on_time_or_early + resolved_late + in_deadline + overdue ({flow}) > handled")
        if self.late_with_apology > self.resolved_late + self.overdue:
            raise ValueError("late_with_apology cannot exceed resolved_late + overdue")

    def __add__(self, other: PeriodCounts) -> PeriodCounts:
        """Counts of two disjoint scopes or periods (e.g. centers of a province) add up."""
        if not isinstance(other, PeriodCounts):
            return NotImplemented
        a, b = asdict(self), asdict(other)
        merged = {k: a[k] + b[k] for k in a if k != "dossiers_with_issue"}
        if a["dossiers_with_issue"] is None or b["dossiers_with_issue"] is None:
            merged["dossiers_with_issue"] = None
        else:
            merged["dossiers_with_issue"] = a["dossiers_with_issue"] + b["dossiers_with_issue"]
        return PeriodCounts(**merged)


def _ratio(num: int, den: int, component: str) -> float:
    """num/den in [0, 1]; for den == 0, 1.0 if the component is not applicable (full marks) else 0.0."""
    if den <= 0:
        return 1.0 if component in NOT_APPLICABLE_FULL_MARKS else 0.0
    return max(0.0, min(1.0, num / den))


def _clamp(x: float, hi: float) -> float:
    return max(0.0, min(hi, x))


@dataclass(frozen=True)
class GroupScore:
    """One group's points and its components (component name → points)."""

    points: float
    components: dict[str, float] = field(default_factory=dict)


def transparency(c: PeriodCounts) -> GroupScore:
    """18 points: published procedures 6, dossier status synced to the national portal 6, apologies 6.

    * publication = 6 × procedures published with complete data ÷ procedures
    * sync = 6 × dossiers synced ÷ dossiers received (the citizen can follow them on the portal)
    * apology = 6 × late dossiers with an apology letter and new date ÷ late dossiers (none late: full)
    """
    comp = {
        "publication": 6 * _ratio(c.procedures_published, c.procedures_total, "transparency.publication"),
        "sync": 6 * _ratio(c.dossiers_synced, c.received, "transparency.sync"),
        "apology": 6 * _ratio(c.late_with_apology, c.resolved_late + c.overdue, "transparency.apology"),
    }
    return GroupScore(_clamp(sum(comp.values()), GROUP_MAX["transparency"]), comp)


def progress(c: PeriodCounts) -> GroupScore:
    """20 points: 20 × (resolved early/on time + in processing within deadline) ÷ handled (as in the Decision)."""
    pts = 20 * _ratio(c.on_time_or_early + c.in_deadline, c.handled, "progress.timeliness")
    return GroupScore(_clamp(pts, GROUP_MAX["progress"]), {"timeliness": pts})


def online_service(c: PeriodCounts) -> GroupScore:
    """12 points: procedures offered online 3, offered ones actually used online 3, online dossier share 6.

    The share of dossiers filed online carries half the group because it is
    what the people experience (target 85–98 %; communes sit near 76 %).
    """
    comp = {
        "offered": 3 * _ratio(c.procedures_online, c.procedures_total, "online_service.offered"),
        "used": 3 * _ratio(c.procedures_with_online_dossiers, c.procedures_online, "online_service.used"),
        "online_rate": 6 * _ratio(c.online, c.received, "online_service.online_rate"),
    }
    return GroupScore(_clamp(sum(comp.values()), GROUP_MAX["online_service"]), comp)


def online_payment(c: PeriodCounts) -> GroupScore:
    """10 points: 6·A + min(2, 2.5·B) + 2.5·C, clamped to 10 (as in the Decision).

    A = dossiers paid online ÷ dossiers with fees; B = fee-bearing procedures
    with an online payment ÷ fee-bearing procedures; C = fee-bearing procedures
    with dossiers ÷ fee-bearing procedures.  The three terms can reach 10.5;
    the group is capped at 10.
    """
    a = _ratio(c.paid_online, c.dossiers_with_fee, "online_payment.paid_online")
    b = _ratio(c.fee_procedures_with_online_payment, c.fee_procedures, "online_payment.procedures_with_online_payment")
    cc = _ratio(c.fee_procedures_with_dossiers, c.fee_procedures, "online_payment.procedures_with_dossiers")
    comp = {
        "paid_online": 6 * a,
        "procedures_with_online_payment": min(2.0, 2.5 * b),
        "procedures_with_dossiers": 2.5 * cc,
    }
    return GroupScore(_clamp(sum(comp.values()), GROUP_MAX["online_payment"]), comp)


def digitisation(c: PeriodCounts) -> GroupScore:
    """22 points: electronic results 6 (as in the Decision), digitised inputs 8, reuse of held data 8.

    * e_results = min(6, 6 × legally valid electronic results ÷ results that are a document)
    * inputs = 8 × input documents digitised ÷ input documents received (target: 100 %)
    * reuse = 8 × inputs reused from state data or the document wallet ÷ inputs the state already held
      (the law says they must not be asked for again)
    """
    comp = {
        "e_results": min(6.0, 6 * _ratio(c.results_electronic, c.results_document, "digitisation.e_results")),
        "inputs": 8 * _ratio(c.digitised_inputs, c.inputs_total, "digitisation.inputs"),
        "reuse": 8 * _ratio(c.reused_inputs, c.reusable_inputs, "digitisation.reuse"),
    }
    return GroupScore(_clamp(sum(comp.values()), GROUP_MAX["digitisation"]), comp)


def _issues(c: PeriodCounts) -> int:
    if c.dossiers_with_issue is not None:
        return c.dossiers_with_issue
    return min(c.handled, c.ratings_negative + c.complaints + c.resolved_late + c.overdue)


def satisfaction(c: PeriodCounts) -> GroupScore:
    """18 points: receiving 6 (as in the Decision), ratings 6, complaints handled 6.

    * receiving = min(6, 6 × r ÷ 0.9), r = handled dossiers without a negative
      rating, complaint or delay ÷ handled — 90 % already earns full marks
    * ratings = 6 × non-negative ratings ÷ ratings (no ratings: 0 — ask for them)
    * complaints = 6 × complaints resolved ÷ complaints (none: full marks)
    """
    r = 1.0 - _ratio(_issues(c), c.handled, "satisfaction.issues") if c.handled else 0.0
    comp = {
        "receiving": min(6.0, 6 * r / 0.9),
        "ratings": 6 * _ratio(c.ratings_total - c.ratings_negative, c.ratings_total, "satisfaction.ratings"),
        "complaints": 6 * _ratio(c.complaints_resolved, c.complaints, "satisfaction.complaints"),
    }
    return GroupScore(_clamp(sum(comp.values()), GROUP_MAX["satisfaction"]), comp)


def on_time_rate(c: PeriodCounts) -> float | None:
    """Share of resolved dossiers resolved early or on time (target ≥ 99.5 %); None if none resolved."""
    resolved = c.on_time_or_early + c.resolved_late
    return c.on_time_or_early / resolved if resolved else None


def online_rate(c: PeriodCounts) -> float | None:
    """Share of received dossiers submitted online (target 85–98 %); None if none received."""
    return c.online / c.received if c.received else None


@dataclass(frozen=True)
class IndexBreakdown:
    """The six group scores, their components, and the total (≤ max_total ≤ 100).

    `not_measured`: components left out (no points, their maximum out of the group's and the total's)."""

    transparency: float
    progress: float
    online_service: float
    online_payment: float
    digitisation: float
    satisfaction: float
    components: dict[str, dict[str, float]] = field(default_factory=dict)
    not_measured: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        return (
            self.transparency
            + self.progress
            + self.online_service
            + self.online_payment
            + self.digitisation
            + self.satisfaction
        )

    def group_max(self, group: str) -> float:
        """The group's maximum without its components that are not measured."""
        return GROUP_MAX[group] - sum(COMPONENT_MAX[k] for k in self.not_measured if k.split(".", 1)[0] == group)

    @property
    def max_total(self) -> float:
        """100 less the maximum of every component that is not measured."""
        return sum(self.group_max(g) for g in GROUP_MAX)

    def as_dict(self, ndigits: int = 2) -> dict[str, object]:
        """Rounded, JSON-safe, for dashboards and the API."""
        groups = {g: round(getattr(self, g), ndigits) for g in GROUP_MAX}
        return {
            **groups,
            "total": round(self.total, ndigits),
            "max_total": round(self.max_total, ndigits),
            "not_measured": sorted(self.not_measured),
            "components": {g: {k: round(v, ndigits) for k, v in comp.items()} for g, comp in self.components.items()},
        }


def index(counts: PeriodCounts, not_measured: Collection[str] = ()) -> IndexBreakdown:
    """The full index for one scope and period; `not_measured` components (COMPONENT_MAX keys) are left out."""
    unknown = set(not_measured) - set(COMPONENT_MAX)
    if unknown:
        raise ValueError(f"unknown components: {sorted(unknown)}")
    groups = {
        "transparency": transparency(counts),
        "progress": progress(counts),
        "online_service": online_service(counts),
        "online_payment": online_payment(counts),
        "digitisation": digitisation(counts),
        "satisfaction": satisfaction(counts),
    }
    left_out = frozenset(not_measured)
    components = {
        name: {k: v for k, v in g.components.items() if f"{name}.{k}" not in left_out} for name, g in groups.items()
    }
    shell = IndexBreakdown(0, 0, 0, 0, 0, 0, not_measured=left_out)
    points = {
        name: g.points
        if components[name] == g.components
        else _clamp(sum(components[name].values()), shell.group_max(name))
        for name, g in groups.items()
    }
    return IndexBreakdown(**points, components=components, not_measured=left_out)


#: Each component's maximum points, in display order (group.component → points).
COMPONENT_MAX: dict[str, float] = {
    "transparency.publication": 6.0,
    "transparency.sync": 6.0,
    "transparency.apology": 6.0,
    "progress.timeliness": 20.0,
    "online_service.offered": 3.0,
    "online_service.used": 3.0,
    "online_service.online_rate": 6.0,
    "online_payment.paid_online": 6.0,
    "online_payment.procedures_with_online_payment": 2.0,
    "online_payment.procedures_with_dossiers": 2.5,
    "digitisation.e_results": 6.0,
    "digitisation.inputs": 8.0,
    "digitisation.reuse": 8.0,
    "satisfaction.receiving": 6.0,
    "satisfaction.ratings": 6.0,
    "satisfaction.complaints": 6.0,
}


@dataclass(frozen=True)
class ComponentLine:
    """One component as a dashboard shows it: the fraction behind the points, so nobody has to trust a score."""

    group: str
    component: str
    numerator: int | None  # None: not measured
    denominator: int | None
    points: float | None
    max_points: float

    @property
    def key(self) -> str:
        return f"{self.group}.{self.component}"


def _fractions(c: PeriodCounts) -> dict[str, tuple[int, int]]:
    """Numerator and denominator of every component, exactly as the group functions use them."""
    return {
        "transparency.publication": (c.procedures_published, c.procedures_total),
        "transparency.sync": (c.dossiers_synced, c.received),
        "transparency.apology": (c.late_with_apology, c.resolved_late + c.overdue),
        "progress.timeliness": (c.on_time_or_early + c.in_deadline, c.handled),
        "online_service.offered": (c.procedures_online, c.procedures_total),
        "online_service.used": (c.procedures_with_online_dossiers, c.procedures_online),
        "online_service.online_rate": (c.online, c.received),
        "online_payment.paid_online": (c.paid_online, c.dossiers_with_fee),
        "online_payment.procedures_with_online_payment": (c.fee_procedures_with_online_payment, c.fee_procedures),
        "online_payment.procedures_with_dossiers": (c.fee_procedures_with_dossiers, c.fee_procedures),
        "digitisation.e_results": (c.results_electronic, c.results_document),
        "digitisation.inputs": (c.digitised_inputs, c.inputs_total),
        "digitisation.reuse": (c.reused_inputs, c.reusable_inputs),
        "satisfaction.receiving": (c.handled - _issues(c), c.handled),
        "satisfaction.ratings": (c.ratings_total - c.ratings_negative, c.ratings_total),
        "satisfaction.complaints": (c.complaints_resolved, c.complaints),
    }


def component_lines(c: PeriodCounts, not_measured: Collection[str] = ()) -> list[ComponentLine]:
    """Every component of the index with its numerator, denominator and points, in COMPONENT_MAX order
    (None for the `not_measured` ones: see the module docstring)."""
    result = index(c, not_measured)
    fractions = _fractions(c)
    lines = []
    for key, max_points in COMPONENT_MAX.items():
        group, component = key.split(".", 1)
        if key in result.not_measured:
            lines.append(ComponentLine(group, component, None, None, None, max_points))
            continue
        num, den = fractions[key]
        lines.append(ComponentLine(group, component, num, den, result.components[group][component], max_points))
    return lines
