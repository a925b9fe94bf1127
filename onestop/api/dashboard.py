"""CSV and Excel downloads of every dashboard table, for leaders and administrators.

    GET /api/v1/dashboard/export/{table}.{csv|xlsx}?preset=…|from=…&to=…&scope=…&lang=vi|en

Why the same builder as the page: `read.dashboard_tables.board()` makes the
tables for both, and the file holds each cell's raw value (numbers stay
numbers in Excel), so what a leader downloads is what the screen showed.
Signed in by the `onestop_session` cookie (the page's link) or a bearer token.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from openpyxl import Workbook
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from onestop import clock
from onestop.api.responses import PRIVATE, error_json
from onestop.api.tokens import session_token
from onestop.db import new_session
from onestop.domain.errors import DomainError, SignInRequired
from onestop.domain.lifecycle import Role
from onestop.i18n import t
from onestop.read import dashboard as q
from onestop.read.dashboard_tables import Table, board, export_value
from onestop.services import auth
from onestop.services.actor import Actor

_NOT_FOUND = DomainError(
    "not_found", "Không có bảng này, hoặc bạn không có quyền xem.", "No such table, or you may not see it.", status=404
)
_BAD_PERIOD = DomainError("bad_period", t("dash.bad_period", "vi"), t("dash.bad_period", "en"), status=400)
MIME = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _leader(session, token: str | None) -> Actor:  # noqa: ANN001 - sqlmodel Session
    user = auth.user_for_token(session, token) if token else None
    if user is None:
        raise SignInRequired()
    if user.role not in (Role.LEADER, Role.ADMIN):
        raise _NOT_FOUND
    return Actor.from_user(user)


def table_for(token: str | None, name: str, params: dict[str, str]) -> Table:
    """The named table of the board the page would show for these query parameters."""
    with new_session() as session:
        actor = _leader(session, token)
        now = clock.now()
        try:
            period, scope = q.parse_query(params, now)
        except ValueError as err:
            raise _BAD_PERIOD from err
        tables = board(session, actor, period, scope, now).tables
        if name not in tables:
            raise _NOT_FOUND
        return tables[name]


def _rows(table: Table, lang: str) -> list[list[object]]:
    head = [t(c.key, lang) for c in table.columns]
    body = [[export_value(v, c.kind, lang) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
    return [head, *body]


def to_csv(table: Table, lang: str) -> bytes:
    """UTF-8 with a BOM so spreadsheet programs read Vietnamese letters correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _rows(table, lang):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table, lang: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.name[:31]
    for row in _rows(table, lang):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def export(request: Request) -> Response:
    name, fmt = request.path_params["table"], request.path_params["fmt"]
    if fmt not in MIME:
        return error_json(_NOT_FOUND, PRIVATE)
    params = dict(request.query_params)
    lang = "en" if params.get("lang") == "en" else "vi"
    try:
        table = await run_in_threadpool(table_for, session_token(request), name, params)
    except DomainError as err:
        return error_json(err, PRIVATE)
    data = to_csv(table, lang) if fmt == "csv" else await run_in_threadpool(to_xlsx, table, lang)
    filename = f"onestop-{name}-{params.get('from') or params.get('preset', '90d')}.{fmt}"
    return Response(
        data,
        media_type=MIME[fmt],
        headers={**PRIVATE, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def routes() -> list[BaseRoute]:
    return [Route("/api/v1/dashboard/export/{table:str}.{fmt:str}", export, methods=["GET"])]
