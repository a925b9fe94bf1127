"""The read-only page queries (onestop.read) on the seeded reference data."""

from __future__ import annotations

import pytest

from onestop import clock
from onestop.domain.errors import PermissionDenied
from onestop.domain.lifecycle import Status
from onestop.read import dashboard, procedure
from onestop.read.dossier import citizen_dossiers
from onestop.read.format import fmt_pct
from tests.integration.helpers import actor, file_online


def test_catalog_groups_by_field_and_search_ignores_accents(session) -> None:
    groups = procedure.procedure_catalog(session)
    assert groups and all(g.count == len(g.procedures) > 0 for g in groups)
    found = procedure.procedure_catalog(session, "dang ky khai sinh")
    names = [p.name_vi for g in found for p in g.procedures]
    assert "Đăng ký khai sinh" in names
    assert all("khai sinh" in n.lower() for n in names)
    assert procedure.procedure_catalog(session, "zzz-nothing") == []
    row = next(p for g in groups for p in g.procedures if p.code == "1.001193")
    assert (row.duration_vi, row.duration_en) == ("Trong ngày", "Same day")


def test_citizen_sees_own_dossier_without_a_deadline_before_reception(session) -> None:
    dossier = file_online(session)
    rows = citizen_dossiers(session, actor(session, "citizen"), clock.now())
    assert [r.code for r in rows] == [dossier.code]
    assert rows[0].status == Status.SUBMITTED and rows[0].status_vi == "Chờ tiếp nhận"
    assert rows[0].due == "" and rows[0].colour == ""
    with pytest.raises(PermissionDenied):
        citizen_dossiers(session, actor(session, "receiver"), clock.now())


def test_dashboard_rates_and_admin_overview(session) -> None:
    file_online(session)
    now = clock.now()
    board = dashboard.quality_dashboard(session, actor(session, "leader"), now)
    assert (board.total.submitted, board.total.online, board.total.online_vi) == (1, 1, "100 %")
    assert board.total.on_time_pct == -1.0 and board.total.on_time_vi == "—"  # nothing finished yet
    province = dashboard.quality_dashboard(session, actor(session, "admin"), now)
    assert province.total.center_vi == "Toàn tỉnh" and len(province.centers) == 1

    overview = dashboard.admin_overview(session, actor(session, "admin"))
    assert overview.dossiers == 1 and overview.centers >= 4
    assert {k.key: k.count for k in overview.dossiers_by_status}["1"] == 1
    assert sum(k.count for k in overview.users_by_role) == overview.users


def test_fmt_pct_uses_each_languages_decimal_mark() -> None:
    assert fmt_pct(2, 3) == (66.7, "66,7 %", "66.7 %")
    assert fmt_pct(0, 0) == (-1.0, "—", "—")
