"""Statements compiled once per database dialect and run as SQL text with bound values.

Why: the inbox's reads are a 0.2 ms index range at 1M dossiers, and building the SQLAlchemy statement, deriving
its cache key and shaping 50 `Row`s through the ORM cost 3-4 times that (bench/README.md, issue 11). A hot read
builds its statement once per (dialect, shape) with named bound parameters (`param`), compiles it, and then
only sends the SQL text with this call's values (`Connection.exec_driver_sql`: the engine's events, transaction
and pool stay SQLAlchemy's; the statement stays readable Core in the module that owns it).

What the compiled statement needs from Python is kept next to its text: the constants the statement was built
with (`status = 1` …), the dialect's conversion of values (SQLite stores datetimes as text) and of results
(SQLite's datetimes, JSON and booleans; PostgreSQL's driver returns them typed, so rows pass untouched there).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Session


def param(name: str, type_: Any) -> sa.BindParameter:
    """A named value given at each run (`Prepared.rows(session, {name: value})`), typed for the dialect's
    conversion. The placeholder value None lets the statement compile before any value is known."""
    return sa.bindparam(name, None, type_=type_)


def like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern with ESCAPE '/' (what SQLAlchemy's `autoescape=True` does, which
    only accepts a Python string, not a bound parameter)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


@dataclass(frozen=True)
class Prepared:
    """One statement compiled for one dialect."""

    sql: str
    #: The statement's bound values by name: the constants it was built with, None for those given at each run.
    constants: Mapping[str, Any]
    #: For positional drivers (SQLite's `?`), the names in order; None for drivers taking a mapping (psycopg).
    positions: tuple[str, ...] | None
    #: The dialect's conversion of a value before it is sent, by name (only where there is one).
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]
    #: The dialect's conversion of each result column (None where the driver's value is already right), or None
    #: when no column needs one.
    results: tuple[Callable[[Any], Any] | None, ...] | None

    def rows(self, conn: sa.Connection, values: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """Run with `values` on `conn` (the caller's transaction); the rows as sequences, converted."""
        params = {**self.constants, **values}
        for name, convert in self.binds:
            params[name] = convert(params[name])
        sent: Any = params if self.positions is None else tuple(params[name] for name in self.positions)
        fetched = conn.exec_driver_sql(self.sql, sent).all()
        if self.results is None:
            return fetched
        conv = self.results
        return [[v if f is None else f(v) for f, v in zip(conv, row, strict=True)] for row in fetched]


def compile_for(dialect: Dialect, stmt: sa.Select) -> Prepared:
    """`stmt` compiled for `dialect`, literal-execute lists (inline status sets) rendered in the text."""
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    constants = dict(compiled.params)
    binds = []
    for name in constants:
        bind = compiled.binds.get(name)
        if bind is None:  # a bound list expanded into name_1, name_2…: its length would be fixed by the first run
            raise ValueError(f"{name}: a prepared statement writes constant lists inline (literal_execute=True)")
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            binds.append((name, convert))
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in stmt.selected_columns)
    return Prepared(
        str(compiled),
        constants,
        tuple(compiled.positiontup) if compiled.positiontup is not None else None,
        tuple(binds),
        results if any(f is not None for f in results) else None,
    )


class Statements:
    """Prepared statements of one module by (dialect, shape): `rows(session, shape, build, values)` builds and
    compiles `build()` the first time a dialect asks for that shape, then reuses the same `Prepared`.

    Keyed by the dialect object (one per engine; forgotten with it) so that two databases of different kinds or
    server versions never share a text. The shape must name everything `build` depends on besides the values.
    Reads run in a pool of threads: a shape compiled twice at the same moment is harmless (same text)."""

    def __init__(self) -> None:
        self._by_dialect: weakref.WeakKeyDictionary[Dialect, dict[Hashable, Prepared]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def rows(
        self, session: Session, shape: Hashable, build: Callable[[], sa.Select], values: Mapping[str, Any]
    ) -> Sequence[Sequence[Any]]:
        """The rows of the statement `build()` of this shape, run with `values` in the session's transaction."""
        conn = session.connection()
        known = self._by_dialect.get(conn.dialect)
        if known is None:
            with self._lock:
                known = self._by_dialect.setdefault(conn.dialect, {})
        prepared = known.get(shape)
        if prepared is None:
            prepared = known[shape] = compile_for(conn.dialect, build())
        return prepared.rows(conn, values)
