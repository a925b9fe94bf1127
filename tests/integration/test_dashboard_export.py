"""CSV and Excel downloads hold the numbers the dashboard shows (same builder, compared cell by cell)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from starlette.applications import Starlette
from starlette.testclient import TestClient

from onestop import clock
from onestop.api import routes
from onestop.db import transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain.lifecycle import Status
from onestop.read import dashboard as q
from onestop.read.dashboard_tables import board, fmt
from onestop.services import queue
from onestop.services.auth import sign_in
from onestop.ui.dashboard.view import view_of
from tests.integration.dashboard_helpers import make_dossier
from tests.integration.helpers import PHONES, actor, center
from tests.integration.test_queue_services import counter_no

NOW = datetime(2026, 11, 25, 10, 0)


@pytest.fixture()
def client(session):
    clock.set_now(NOW)
    day = timedelta(days=1)
    for i in range(7):
        make_dossier(
            session,
            status=Status.RETURNED,
            received_at=NOW - (i + 3) * day,
            due_at=NOW - i * day,
            finished_at=NOW - (i + 1) * day,
            on_time=i % 3 != 0,
            channel="online" if i % 2 else "direct",
        )
    make_dossier(session, status=Status.PROCESSING, center="T01", received_at=NOW - 4 * day, due_at=NOW - day)
    make_dossier(session, status=Status.SUBMITTED, submitted_at=NOW - 3 * day)
    _queue_morning(session, datetime(2026, 11, 23, 8, 0))
    with TestClient(Starlette(routes=routes()), base_url="http://localhost:3000") as c:
        yield c


def _queue_morning(session, at: datetime) -> None:  # noqa: ANN001
    """Three numbers taken at X01 from 08:00; the first is called at 08:10 at counter 3 and served in 4 minutes."""
    x01, officer = center(session, "X01"), actor(session, "receiver")
    counter = counter_no(session, x01.id, 3)
    with transaction(session) as s:
        for i in range(3):
            holder = f"device:{'q' * 16}{i}"
            queue.take_number(s, center_id=x01.id, field_code="land", holder=holder, now=at + timedelta(minutes=i))
    called_at = at + timedelta(minutes=10)
    with transaction(session) as s:
        ticket = queue.call_next(s, officer, counter.id, now=called_at).ticket
        queue.start_serving(s, officer, counter.id, ticket.id, now=called_at)
        queue.finish(s, officer, counter.id, ticket.id, now=called_at + timedelta(minutes=4))


def _screen(session, name: str, lang: str, scope: q.Scope | None = None) -> list[list[str]]:  # noqa: ANN001
    """The cells the page keeps in state (ui.dashboard.view) in one language: what the screen shows."""
    view = view_of(board(session, actor(session, "admin"), q.period_for("30d", NOW), scope or q.Scope(), NOW))
    i = 1 if lang == "en" else 0
    return [[cell[i] for cell in row.cells] for row in getattr(view, f"t_{name}").rows]


def _kinds(session, name: str, scope: q.Scope | None = None) -> list[str]:  # noqa: ANN001
    period = q.period_for("30d", NOW)
    return [
        c.kind for c in board(session, actor(session, "admin"), period, scope or q.Scope(), NOW).tables[name].columns
    ]


def _csv_cell(text: str, kind: str) -> object:
    if text == "":
        return None
    if kind == "int":
        return int(text)
    if kind in ("pct", "points"):
        return float(text)
    return text


@pytest.mark.parametrize(
    "name",
    [
        "index",
        "groups",
        "rates",
        "centers",
        "procedures",
        "late",
        "trend",
        "backlog",
        "rare",
        "forecast",
    ],
)
def test_csv_and_excel_equal_the_screen(session, client, name: str) -> None:
    _files_equal_the_screen(session, client, name, q.Scope())


@pytest.mark.parametrize("name", ["queue", "queue_hours"])
def test_queue_tables_of_a_center_download_as_shown(session, client, name: str) -> None:
    _files_equal_the_screen(session, client, name, q.Scope("center", str(center(session, "X01").id)))


def _files_equal_the_screen(session, client, name: str, scope: q.Scope) -> None:  # noqa: ANN001
    token, _ = sign_in(session, PHONES["admin"], DEMO_PASSWORD)
    session.commit()  # the API client reads the session row from its own connection
    client.cookies.set("onestop_session", token)
    kinds = _kinds(session, name, scope)
    for lang in ("vi", "en"):
        screen = _screen(session, name, lang, scope)
        assert screen, name
        got = client.get(f"/api/v1/dashboard/export/{name}.csv?preset=30d&lang={lang}&scope={scope}")
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))[1:]
        assert [[fmt(_csv_cell(v, k), k, lang) for v, k in zip(r, kinds, strict=True)] for r in rows] == screen
        got = client.get(f"/api/v1/dashboard/export/{name}.xlsx?preset=30d&lang={lang}&scope={scope}")
        assert got.status_code == 200
        sheet = load_workbook(io.BytesIO(got.content)).active
        values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert [[fmt(v, k, lang) for v, k in zip(r, kinds, strict=True)] for r in values] == screen


def test_export_needs_a_leader_and_a_valid_period(session, client) -> None:
    assert client.get("/api/v1/dashboard/export/index.csv").status_code == 401
    token, _ = sign_in(session, PHONES["receiver"], DEMO_PASSWORD)
    session.commit()  # the API client reads the session row from its own connection
    client.cookies.set("onestop_session", token)
    assert client.get("/api/v1/dashboard/export/index.csv").status_code == 404
    token, _ = sign_in(session, PHONES["leader"], DEMO_PASSWORD)
    session.commit()  # the API client reads the session row from its own connection
    client.cookies.set("onestop_session", token)
    assert client.get("/api/v1/dashboard/export/nope.csv").status_code == 404
    assert client.get("/api/v1/dashboard/export/index.pdf").status_code == 404
    bad = client.get("/api/v1/dashboard/export/index.csv?from=2026-11-20&to=2026-11-01")
    assert bad.status_code == 400 and "end date" in bad.json()["error"]["en"]


def test_the_queue_tables_read_as_the_counters_worked(session, client) -> None:
    """Per counter: 3 numbers, 1 served after a 10-minute wait; 2 never called. Per hour: all from 08:00 (the
    average wait is of the numbers called). The province's view has no queue tables: it says to pick a center."""
    x01 = q.Scope("center", str(center(session, "X01").id))
    assert _screen(session, "queue", "vi", x01) == [
        ["Chưa được gọi", "2", "0", "0", "0,0", "0,0", "0,0"],
        ["Quầy 3", "1", "1", "0", "10,0", "10,0", "4,0"],
    ]
    assert _screen(session, "queue_hours", "en", x01) == [["08:00–09:00", "3", "1", "0", "10.0", "10.0", "4.0"]]
    province = view_of(board(session, actor(session, "admin"), q.period_for("30d", NOW), q.Scope(), NOW))
    assert province.t_queue.rows == [] and province.queue_by_center
    leader = actor(session, "leader")  # a center's leader sees the own center's queue on the first view
    own = view_of(board(session, leader, q.period_for("30d", NOW), q.Scope(), NOW))
    assert len(own.t_queue.rows) == 2 and not own.queue_by_center
