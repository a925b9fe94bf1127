"""The national population registry behind a small interface.

The real registry (CSDLQG về dân cư) is reached through the provincial data
exchange platform, which this deployment cannot reach; `LocalPopulationRegistry`
reads the `resident` table instead, with the same answers a real adapter gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlmodel import Session, or_, select

from onestop.domain.text import fold
from onestop.models import Resident, User


@dataclass(frozen=True)
class ResidentRecord:
    id: int
    national_id: str
    full_name: str
    date_of_birth: date
    gender: str
    phone: str
    address: str
    commune: str = ""

    def prefill(self) -> dict[str, object]:
        """Values keyed by the form schema's autofill sources ("resident.full_name", …)."""
        return {
            "resident.full_name": self.full_name,
            "resident.national_id": self.national_id,
            "resident.date_of_birth": self.date_of_birth.isoformat(),
            "resident.gender": self.gender,
            "resident.phone": self.phone,
            "resident.address": self.address,
        }


class PopulationRegistry(Protocol):
    def by_id(self, resident_id: int) -> ResidentRecord | None: ...

    def by_national_id(self, national_id: str) -> ResidentRecord | None: ...

    def by_ids(self, resident_ids: Iterable[int]) -> dict[int, ResidentRecord]: ...

    def search(self, query: str, limit: int = 20) -> list[ResidentRecord]: ...


def _record(row: Resident) -> ResidentRecord:
    return ResidentRecord(
        row.id or 0, row.national_id, row.full_name, row.date_of_birth, row.gender, row.phone, row.address, row.commune
    )


class LocalPopulationRegistry:
    """Working local implementation over the `resident` table."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_id(self, resident_id: int) -> ResidentRecord | None:
        row = self.session.get(Resident, resident_id)
        return _record(row) if row else None

    def by_ids(self, resident_ids: Iterable[int]) -> dict[int, ResidentRecord]:
        """Several people in one question (a supporter's visit list), keyed by id."""
        ids = sorted({int(i) for i in resident_ids})
        if not ids:
            return {}
        rows = self.session.exec(select(Resident).where(Resident.id.in_(ids))).all()
        return {r.id or 0: _record(r) for r in rows}

    def by_national_id(self, national_id: str) -> ResidentRecord | None:
        key = "".join(ch for ch in national_id if ch.isdigit())
        row = self.session.exec(select(Resident).where(Resident.national_id == key)).first()
        return _record(row) if row else None

    def search(self, query: str, limit: int = 20) -> list[ResidentRecord]:
        """By ID number, phone, or name without accents ("nguyen van an").

        The minimum lengths apply to what is searched after folding (`%%%` folds to
        nothing and finds nothing), and LIKE wildcards are escaped: a registry must
        not be listable by a pattern.
        """
        q = query.strip()[:100]
        if not q:
            return []
        digits = "".join(ch for ch in q if ch.isdigit())
        if digits and len(digits) == len(q.replace(" ", "")):
            if len(digits) < MIN_DIGITS:
                return []
            stmt = select(Resident).where(
                or_(
                    Resident.national_id.startswith(digits, autoescape=True),
                    Resident.phone.startswith(digits, autoescape=True),
                )
            )
        else:
            folded = fold(q)
            if len(folded.replace(" ", "")) < MIN_NAME_LETTERS:
                return []
            stmt = select(Resident).where(Resident.full_name_folded.contains(folded, autoescape=True))
        return [_record(r) for r in self.session.exec(stmt.order_by(Resident.full_name).limit(limit))]


#: Shortest searches after folding: letters of a name, digits of an ID number or phone prefix.
MIN_NAME_LETTERS = 3
MIN_DIGITS = 4


def registry(session: Session) -> PopulationRegistry:
    return LocalPopulationRegistry(session)


def user_with_record(session: Session, user_id: int) -> tuple[User | None, ResidentRecord | None]:
    """A signed-in user (loaded into the session) and the registry's record of their ID number, if any.

    Why: an online filing needs both before it can check the form. The local registry lives in the same
    database, so one joined read answers; any other registry gets the user read and its own lookup.
    """
    people = registry(session)
    if isinstance(people, LocalPopulationRegistry):
        row = session.exec(
            select(User, Resident)
            .outerjoin(Resident, Resident.national_id == User.national_id)
            .where(User.id == user_id)
        ).first()
        if row is None:
            return None, None
        user, resident = row
        # by_national_id looks up the digits only; a stored number with anything else is asked the same way
        if resident is not None or not user.national_id or user.national_id.isdigit():
            return user, (_record(resident) if resident is not None else None)
    else:
        user = session.get(User, user_id)
        if user is None:
            return None, None
    return user, (people.by_national_id(user.national_id) if user.national_id else None)
