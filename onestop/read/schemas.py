"""Parsed form schemas, one cache for every caller (apply page, counter, field sync, slips, uploads).

Why a cache keyed by procedure id: a procedure version never changes once published
(an edit publishes a new row), so its parsed `FormSchema` is valid for the life of the
process. The apply page checks a field on every keystroke: with the id in hand the
check needs no database read at all once the version has been seen.
"""

from __future__ import annotations

import threading

from sqlmodel import Session

from onestop.domain.errors import NotFound
from onestop.domain.forms import FormSchema
from onestop.models import Procedure

_EMPTY: dict[str, list[object]] = {"fields": [], "documents": []}
_MAX = 10_000
_lock = threading.Lock()
_by_id: dict[int, FormSchema] = {}


def schema_of(proc: Procedure | None) -> FormSchema:
    """The parsed schema of a procedure version (an empty schema for no procedure)."""
    if proc is None:
        return FormSchema()
    cached = _by_id.get(proc.id) if proc.id is not None else None
    if cached is None:
        cached = FormSchema.from_dict(proc.form_schema or _EMPTY)
        if proc.id is not None:
            with _lock:
                if len(_by_id) < _MAX:
                    _by_id[proc.id] = cached
    return cached


def schema_by_id(session: Session, procedure_id: int) -> FormSchema:
    """The schema of a procedure version by id: from memory, else one primary-key read."""
    cached = _by_id.get(procedure_id)
    if cached is not None:
        return cached
    proc = session.get(Procedure, procedure_id)
    if proc is None:
        raise NotFound("Không tìm thấy thủ tục.", "Procedure not found.", code="procedure_not_found")
    return schema_of(proc)
