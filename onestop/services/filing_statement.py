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

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
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
    Notification,
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


def _pg_type(column: sa.Column) -> str:
    return str(column.type.compile(dialect=postgresql.dialect()))


def _insert(table: sa.Table, prefix: str, columns: Sequence[str], source: str, computed: dict[str, str]) -> str:
    """INSERT INTO table (columns) SELECT <a typed parameter, or a computed SQL value, per column> FROM source."""
    values = [computed.get(c) or f"CAST(:{prefix}{c} AS {_pg_type(table.c[c])})" for c in columns]
    return f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"


def _marked(param: str) -> str:
    """A text parameter with the placeholders replaced by the new dossier's code and id."""
    return f"replace(replace(CAST(:{param} AS TEXT), :code_mark, d.code), :id_mark, CAST(d.id AS TEXT))"


def _count(table: sa.Table, keys: Sequence[str], add: Sequence[str], select: str, source: str) -> str:
    """An upsert adding to a kept count (the `_add` of services.daily_counts), from `source`."""
    cols = [*keys, *add]
    sets = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in add)
    return (
        f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {select} FROM {source} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets} RETURNING 1 AS done"
    )


@lru_cache(maxsize=64)
def _statement(
    dossier_cols: tuple[str, ...], event_cols: tuple[str, ...], channels: tuple[str, ...], bind: bool
) -> Any:
    """The statement for one shape of filing (which dossier/event columns are set, which copies go out, whether
    attachments are bound), built once; values are bound at execute time."""
    D, E, N, M = (t.__table__ for t in (Dossier, DossierEvent, Notification, OutboundMessage))  # noqa: N806
    notice_cols = [c.name for c in N.c if c.name != "id"]
    parts = [
        f"s AS ({guarded_upsert_sql('postgresql')})",
        "c AS (SELECT CAST(:code_prefix AS TEXT) || CASE WHEN last_seq < 10000 THEN lpad(CAST(last_seq AS TEXT), 4, "
        "'0') ELSE CAST(last_seq AS TEXT) END AS code FROM s)",
        f"d AS ({_insert(D, 'd_', dossier_cols, 'c', {'code': 'c.code'})} RETURNING id, code)",
        f"e AS ({_insert(E, 'e_', event_cols, 'd', {'dossier_id': 'd.id'})})",
        "n AS ("
        + _insert(
            N,
            "n_",
            notice_cols,
            "d",
            {
                "dossier_id": "d.id",
                **{c: _marked(f"n_{c}") for c in ("title", "body", "url", "dedupe_key")},
            },
        )
        + " ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1 AS done)",
    ]
    for i, _channel in enumerate(channels):
        cols = [c.name for c in M.c if c.name != "id"]
        computed = {c: _marked(f"m{i}_{c}") for c in ("body", "dedupe_key")}
        parts.append(f"m{i} AS ({_insert(M, f'm{i}_', cols, 'd, n', computed)} ON CONFLICT (dedupe_key) DO NOTHING)")
    if bind:
        parts.append(
            "a AS (UPDATE attachment SET dossier_id = d.id FROM d WHERE attachment.id = ANY(CAST(:attachments AS INTEGER[])))"
        )
    sc, cd, pd, cc = (
        DOSSIER_SUBMISSION_COUNT,
        DOSSIER_SUBMISSION_CENTER_DAY,
        DOSSIER_SUBMISSION_PROC_DAY,
        DOSSIER_COMMUNE_COUNT,
    )
    day, center, proc = "CAST(:day AS DATE)", "CAST(:center_id AS INTEGER)", "CAST(:procedure_code AS VARCHAR)"
    parts += [
        f"k1 AS ({_count(sc, ('day', 'center_id', 'proc_code'), ('submitted',), f'{day}, {center}, {proc}, 1', 'd')})",
        f"k2 AS ({_count(cd, ('day', 'center_id'), ('submitted',), f'{day}, {center}, 1', 'k1')})",
        f"k3 AS ({_count(pd, ('day', 'proc_code'), ('submitted',), f'{day}, {proc}, 1', 'k2')})",
        "k4 AS ("
        + _count(
            cc,
            ("commune", "day"),
            ("dossiers", "online_self"),
            f"r.commune, {day}, 1, CAST(:online_self AS INTEGER)",
            f"k3, {Resident.__tablename__} r WHERE r.national_id = CAST(:national_id AS VARCHAR)",
        )
        + ")",
    ]
    sql = "WITH " + ",\n".join(parts) + "\nSELECT d.id, d.code, (SELECT count(*) FROM k4) AS communes FROM d"
    binds = [sa.bindparam(f"d_{c}", type_=D.c[c].type) for c in dossier_cols if c != "code"]
    binds += [sa.bindparam(f"e_{c}", type_=E.c[c].type) for c in event_cols if c != "dossier_id"]
    return sa.text(sql).bindparams(*binds)


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
    values = row_values(dossier)[0]
    values.pop("code", None)
    event_values = row_values(event)[0]
    event_values.pop("dossier_id", None)
    messages = _messages(notice)
    stmt = _statement(
        tuple(["code", *values]),
        tuple(["dossier_id", *event_values]),
        tuple(m.channel for m in messages),
        bool(attachment_ids),
    )
    params: dict[str, Any] = {f"d_{k}": v for k, v in values.items()}
    params.update({f"e_{k}": v for k, v in event_values.items()})
    params.update({f"n_{k}": v for k, v in notification_row(notice, dossier.created_at).items()})
    for i, m in enumerate(messages):
        params.update({f"m{i}_{k}": v for k, v in outbox_row(m).items()})
    assert dossier.submitted_at is not None
    params.update(
        code_mark=CODE_MARK,
        id_mark=ID_MARK,
        **guard_params(center, proc),
        procedure_code=dossier.procedure_code,
        day=dossier.submitted_at.date(),
        code_prefix=code_prefix,
        national_id=dossier.applicant_national_id,
        online_self=int(dossier.channel == "online" and not dossier.on_behalf),
        attachments=list(attachment_ids),
    )
    row = session.execute(stmt, params).first()
    return (int(row.id), str(row.code)) if row is not None else None
