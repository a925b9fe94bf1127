"""A citizen's online filing written in ONE PostgreSQL statement (data-modifying CTEs).

Why: filing statement by statement costs a round trip to the database for each row — the code, the dossier,
the three submission counts, the commune count, the audit event, the notification, the SMS copy — and on
PostgreSQL the waiting was most of the submission's time (bench/README.md, "Submission on a quiet machine").
Here they are one statement, so an online filing is: read the applicant, this, commit.

It writes exactly what the statement-per-row path writes (`services.dossiers.file_dossier` on SQLite and for
the other channels), from the same values:
- the code: the `dossier_sequence` upsert of services.codes, made only `WHERE read.reference.STILL_CURRENT`
  (the center and procedure version the caller took from the in-memory reference are still the database's);
  when they are not, nothing at all is written and `write` answers None: the caller forgets the reference and
  files again from fresh rows;
- the dossier row (`db.row_values` of the very object the other path inserts), the attachments bound to it;
- the kept dashboard tables the `db.on_insert_row("dossier")` hooks keep: the submission count and its two sums
  (services.submission_counts), the applicant's commune count (services.support_counts; `INSERT … SELECT` from
  the registry, nothing when the person is not in it). `usable()` refuses when a hook it does not write is
  registered, so a new kept table cannot be skipped silently (the dossier-filed-for table is never touched by a
  person filing for themselves);
- the audit event (`dossiers.event_values`), the applicant's notification (`notify.own_notice`,
  `notify.notification_row`) and, only when that notification was inserted, its SMS/email copies
  (`messaging.person_messages`, `messaging.outbox_row`) — the outbox's exactly-once rule.

Texts that contain the code or the dossier id are rendered by the same functions with placeholders the
statement replaces (`replace(…)`), so they are the same strings; `usable_texts` refuses texts a length limit
could cut around a placeholder. Shared rows (the sequence, then the counts in the other path's order) are
locked in one fixed order, each CTE reading the one before, so two filings never lock them crosswise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from onestop.adapters.messaging import SMS_MAX, is_outbox, outbox_row, person_messages
from onestop.db import row_hooks, row_values
from onestop.models import (
    DOSSIER_COMMUNE_COUNT,
    DOSSIER_SUBMISSION_CENTER_DAY,
    DOSSIER_SUBMISSION_COUNT,
    DOSSIER_SUBMISSION_PROC_DAY,
    Center,
    Dossier,
    DossierEvent,
    OutboundMessage,
    Procedure,
    Resident,
)
from onestop.read.reference import guard_params
from onestop.services import step_times, submission_counts, support_counts
from onestop.services.codes import guarded_upsert_sql
from onestop.services.notify import Outgoing, notification_row

#: Placeholders for what only the statement knows: the dossier code and id.
CODE_MARK = "\ue000"
ID_MARK = "\ue001"
#: Longest code the statement can make: center code, "-yymmdd-", the day's number (up to 10 digits).
_CODE_ROOM = 20 + 8 + 10

#: The `on_insert_row` hooks whose rows this statement writes itself (see the module docstring).
_COVERED = {
    "dossier": {submission_counts._on_insert_row, support_counts._on_insert_row},  # noqa: SLF001
    # the submit event ends no step (domain.step_times): the hook stores nothing for it
    "dossier_event": {step_times._on_insert_row},  # noqa: SLF001
}


def usable(session: Session) -> bool:
    """PostgreSQL, messages to the local outbox, and no kept table this statement does not write."""
    return (
        session.get_bind().dialect.name == "postgresql"
        and is_outbox()
        and all(set(row_hooks(table)) <= hooks for table, hooks in _COVERED.items())
        and not any(row_hooks(t) for t in ("notification", "outbound_message", "attachment"))
    )


def usable_texts(notice: Outgoing) -> bool:
    """No length limit (notification columns, the SMS's 335 characters) can cut a text near a placeholder."""
    room = _CODE_ROOM
    texts = [(notice.title, 300), (notice.body, 2000), (notice.url, 300), (notice.dedupe_key, 200)]
    texts += [(m.body, SMS_MAX if m.channel == "sms" else 2000) for m in _messages(notice)]
    return all(len(text) + room <= limit for text, limit in texts)


def _messages(notice: Outgoing) -> list:
    return [
        m
        for m in person_messages(notice.phone, notice.email, notice.title, notice.body, notice.dedupe_key)
        if m.recipient.strip()
    ]


def _whole_row(table: str, doc: str, source: str, extra: str) -> str:
    """INSERT a whole row of `table` from a JSON document read as that table's row (`jsonb_populate_record`: the
    database turns each value into its column's type), with a new id and the `extra` fields (SQL pairs) set.
    Placeholders in the document are replaced by the new dossier's code and id first (codes and ids need no
    escaping in JSON). Needs every column in the document: `write` refuses objects with columns left to defaults."""
    marked = f"replace(replace(CAST(:{doc} AS TEXT), :code_mark, d.code), :id_mark, CAST(d.id AS TEXT))"
    if source == "c":  # the dossier itself: its code and id are what the placeholders stand for
        marked = f"CAST(:{doc} AS TEXT)"
    new_id = f"'id', nextval(pg_get_serial_sequence('{table}', 'id'))"
    return (
        f"INSERT INTO {table} SELECT r.* FROM {source}, "
        f"jsonb_populate_record(NULL::{table}, CAST({marked} AS JSONB) || jsonb_build_object({new_id}, {extra})) r"
    )


def _count(table: sa.Table, keys: Sequence[str], add: Sequence[str], select: str, source: str) -> str:
    """An upsert adding to a kept count (the `_add` of services.daily_counts), from `source`."""
    cols = [*keys, *add]
    sets = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in add)
    return (
        f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {select} FROM {source} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets} RETURNING 1 AS done"
    )


@lru_cache(maxsize=1)
def _statement() -> sa.TextClause:
    """The statement, built once; values are bound at execute time.

    Values travel as a few JSON documents rather than one parameter per column: psycopg caches its parsing of a
    query only up to 4,096 characters and 50 parameters, and re-parsing a longer one on every filing cost more
    than the round trips it saves."""
    columns = [c.name for c in OutboundMessage.__table__.c if c.name != "id"]
    day, center, proc = "CAST(:day AS DATE)", "CAST(:center_id AS INT)", "CAST(:procedure_code AS TEXT)"
    dossier = _whole_row("dossier", "d", "c", "'code', c.code")
    event = _whole_row("dossier_event", "e", "d", "'dossier_id', d.id")
    notice = _whole_row("notification", "n", "d", "'dossier_id', d.id")
    messages = (
        f"INSERT INTO outbound_message ({', '.join(columns)}) SELECT {', '.join(f'r.{c}' for c in columns)} "
        "FROM d, n, jsonb_populate_recordset(NULL::outbound_message, CAST(replace(replace(CAST(:m AS TEXT), "
        ":code_mark, d.code), :id_mark, CAST(d.id AS TEXT)) AS JSONB)) r ON CONFLICT (dedupe_key) DO NOTHING"
    )
    by_day = ("submitted",)
    communes = _count(
        DOSSIER_COMMUNE_COUNT,
        ("commune", "day"),
        ("dossiers", "online_self"),
        f"r.commune, {day}, 1, CAST(:online_self AS INT)",
        f"k3, {Resident.__tablename__} r WHERE r.national_id = CAST(:national_id AS TEXT)",
    )
    parts = [
        f"s AS ({guarded_upsert_sql('postgresql')})",
        "c AS (SELECT CAST(:code_prefix AS TEXT) || CASE WHEN last_seq < 10000 THEN lpad(CAST(last_seq AS TEXT), 4, "
        "'0') ELSE CAST(last_seq AS TEXT) END AS code FROM s)",
        f"d AS ({dossier} RETURNING id, code)",
        f"e AS ({event})",
        f"n AS ({notice} ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1)",
        f"m AS ({messages})",  # the copies only when the notification was inserted (FROM n): exactly once
        "a AS (UPDATE attachment SET dossier_id = d.id FROM d WHERE attachment.id = ANY(CAST(:attachments AS INT[])))",
        # each count from the one before: the shared rows are locked in the statement-per-row path's order
        f"k1 AS ({_count(DOSSIER_SUBMISSION_COUNT, ('day', 'center_id', 'proc_code'), by_day, f'{day}, {center}, {proc}, 1', 'd')})",
        f"k2 AS ({_count(DOSSIER_SUBMISSION_CENTER_DAY, ('day', 'center_id'), by_day, f'{day}, {center}, 1', 'k1')})",
        f"k3 AS ({_count(DOSSIER_SUBMISSION_PROC_DAY, ('day', 'proc_code'), by_day, f'{day}, {proc}, 1', 'k2')})",
        f"k4 AS ({communes})",
    ]
    return sa.text("WITH " + ",\n".join(parts) + "\nSELECT d.id, d.code, (SELECT count(*) FROM k4) FROM d")


def _json(value: object) -> str:
    """A row as a JSON document (timestamps and dates in ISO form, which the database reads back exactly)."""
    return json.dumps(value, ensure_ascii=False, default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def write(
    session: Session,
    dossier: Dossier,
    event: DossierEvent,
    notice: Outgoing,
    center: Center,
    proc: Procedure,
    code_prefix: str,
    attachment_ids: Sequence[int],
) -> tuple[int, str] | None:
    """Write the filing; (id, code), or None when the held center/procedure was stale (nothing written)."""
    values, defaulted = row_values(dossier)
    event_values, event_defaulted = row_values(event)
    assert not defaulted and not event_defaulted, "every column in the documents (see _whole_row)"
    assert dossier.submitted_at is not None
    stmt = _statement()
    params: dict[str, Any] = {
        "d": _json(values),
        "e": _json(event_values),
        "n": _json(notification_row(notice, dossier.created_at or dossier.submitted_at)),
        "m": _json([outbox_row(m) for m in _messages(notice)]),
        "code_mark": CODE_MARK,
        "id_mark": ID_MARK,
        **guard_params(center, proc),
        "procedure_code": dossier.procedure_code,
        "day": dossier.submitted_at.date(),
        "code_prefix": code_prefix,
        "national_id": dossier.applicant_national_id,
        "online_self": int(dossier.channel == "online" and not dossier.on_behalf),
        "attachments": list(attachment_ids),
    }
    row = session.execute(stmt, params).first()
    return (int(row[0]), str(row[1])) if row is not None else None
