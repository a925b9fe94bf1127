"""Choices for the officer pages' selects: fields, procedures, assignees, centers (both languages).

Why one module: the inbox filters, the dossier page's dialogs, the counter and the
admin user form all offer the same kinds of lists; one `Choice` shape serves them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from onestop.domain.lifecycle import Role
from onestop.i18n import t
from onestop.models import Center, Procedure, ProcedureField, User
from onestop.services.actor import Actor
from onestop.services.dossiers import get_dossier
from onestop.services.permissions import require_officer


@dataclass
class Choice:
    """A value and its label in both languages (selects in the pages)."""

    value: str = ""
    label_vi: str = ""
    label_en: str = ""


def field_choices(session: Session) -> list[Choice]:
    """Every procedure field (lĩnh vực) by its Vietnamese name (the form builder's field select)."""
    return [
        Choice(f.code, f.name_vi, f.name_en)
        for f in session.exec(select(ProcedureField).order_by(ProcedureField.name_vi))
    ]


def filter_choices(session: Session, actor: Actor) -> tuple[list[Choice], list[Choice]]:
    """(fields, current procedures) for the inbox filters."""
    require_officer(actor)
    fields = [
        Choice(f.code, f.name_vi, f.name_en) for f in session.exec(select(ProcedureField).order_by(ProcedureField.id))
    ]
    procs = [
        Choice(p.code, p.name_vi, p.name_en)
        for p in session.exec(select(Procedure).where(Procedure.is_current.is_(True)).order_by(Procedure.name_vi))
    ]
    return fields, procs


def assignee_choices(session: Session, actor: Actor, dossier_id: int | None = None) -> list[Choice]:
    """Active specialists and leaders of the dossier's handling center (or the officer's own center)."""
    require_officer(actor)
    center_id = actor.center_id
    if dossier_id is not None:
        center_id = get_dossier(session, actor, dossier_id=dossier_id).handling_center_id
    if center_id is None:
        return []
    users = session.exec(
        select(User)
        .where(User.center_id == center_id, User.active.is_(True), User.role.in_([Role.SPECIALIST, Role.LEADER]))
        .order_by(User.role.desc(), User.full_name)
    )
    return [
        Choice(
            str(u.id),
            f"{u.full_name} — {u.title or t(f'role.{u.role}', 'vi')}",
            f"{u.full_name} — {u.title or t(f'role.{u.role}', 'en')}",
        )
        for u in users
    ]


def center_choices(session: Session, actor: Actor, exclude: int | None = None) -> list[Choice]:
    """Active centers a dossier can be transferred to."""
    require_officer(actor)
    rows = session.exec(select(Center).where(Center.active.is_(True)).order_by(Center.name))
    return [Choice(str(c.id), c.name, c.name) for c in rows if c.id != exclude]


def procedure_choices(session: Session) -> list[Choice]:
    return [
        Choice(p.code, p.name_vi, p.name_en)
        for p in session.exec(
            select(Procedure)
            .where(Procedure.is_current.is_(True))
            .order_by(Procedure.popularity.desc(), Procedure.name_vi)
        )
    ]
