"""A center as the public pages name it: where to file a procedure, whose queue a ticket is in.

Why one shape: the procedure page and the apply flow (`read.procedure.centers_for`) and the kiosk and ticket
pages (`read.queue.center_info`) each had their own `CenterInfo` — one with the id as text, one as a number —
for the same center row. The shape holds what any of them shows; each reader fills what its page needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from onestop.models import Center
from onestop.read.choices import Choice


@dataclass
class CenterInfo:
    id: int = 0
    code: str = ""
    name: str = ""
    address: str = ""
    phone: str = ""
    fields: list[Choice] = field(default_factory=list)  # the counter groups its queue serves (kiosk, ticket)
    speech: bool = False  # whether its hall display calls numbers aloud

    @classmethod
    def of(cls, center: Center, fields: list[Choice] | None = None, *, speech: bool = False) -> Self:
        return cls(center.id or 0, center.code, center.name, center.address, center.phone, fields or [], speech)
