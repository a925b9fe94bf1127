"""The read-only page queries (onestop.read) on the seeded reference data."""

from __future__ import annotations

import pytest

from onestop import clock
from onestop.domain.errors import PermissionDenied
from onestop.domain.lifecycle import Status
from onestop.read import admin as admin_read
from onestop.read import dashboard, procedure
from onestop.read.dossier import citizen_dossiers
from onestop.read.format import fmt_pct
from tests.integration.helpers import actor, file_online


def test_catalog_groups_by_field_and_search_ignores_accents(session) -> None:
    groups = procedure.procedure_catalog(session)
    assert groups and all(g.count == len(g.procedures) > 0 for g in groups)
    found = procedure.procedure_catalog(session, "dang ky khai sinh")
    names = [p.name.vi for g in found for p in g.procedures]
    assert "Đăng ký khai sinh" in names
    assert all("khai sinh" in n.lower() for n in names)
    assert procedure.procedure_catalog(session, "zzz-nothing") == []
    row = next(p for g in groups for p in g.procedures if p.code == "1.001193")
    assert (row.duration.vi, row.duration.en) == ("Trong ngày", "Same day")


def test_citizen_sees_own_dossier_without_a_deadline_before_reception(session) -> None:
    dossier = file_online(session)
    rows = citizen_dossiers(session, actor(session, "citizen"), clock.now())
    assert [r.code for r in rows] == [dossier.code]
    assert rows[0].status == Status.SUBMITTED and rows[0].status_label.vi == "Chờ tiếp nhận"
    assert rows[0].due == "" and rows[0].colour == ""
    with pytest.raises(PermissionDenied):
        citizen_dossiers(session, actor(session, "receiver"), clock.now())


def test_dashboard_rates_and_admin_overview(session) -> None:
    """One online dossier waiting for reception: counted in the center's and the province's backlog (the
    dashboard of issue 13 counts "received" from reception on), nothing is on time or late yet."""
    file_online(session)
    now = clock.now()
    period = dashboard.period_for("30d", now)
    mine = dashboard.scope_counts(session, actor(session, "leader"), period, dashboard.Scope(), now)
    assert (mine.received, mine.on_time_or_early, mine.resolved_late) == (0, 0, 0)  # nothing finished yet
    assert dashboard.reception_backlog(session, actor(session, "leader"), now).total == 1
    assert dashboard.reception_backlog(session, actor(session, "admin"), now).total == 1  # the whole province

    overview = admin_read.admin_overview(session, actor(session, "admin"))
    assert overview.dossiers == 1 and overview.centers >= 4
    assert {k.key: k.count for k in overview.dossiers_by_status}["1"] == 1
    assert sum(k.count for k in overview.users_by_role) == overview.users


def test_fmt_pct_uses_each_languages_decimal_mark() -> None:
    assert fmt_pct(2, 3) == (66.7, "66,7 %", "66.7 %")
    assert fmt_pct(0, 0) == (-1.0, "—", "—")
