"""A satisfaction rating as the person gives it, and the rules it must meet before it is kept.

Why a value: the rating page, the citizen service and the rating use case each passed the same six answers on
as six keyword arguments; one `RatingInput` now travels from the form to the use case, and the rules on its
marks and comment live here, without the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from onestop.domain.errors import DomainError

#: Each mark's name and the lowest and highest mark it takes (trips: how many times the person came, up to 10).
MARK_RANGES: dict[str, tuple[int, int]] = {
    "overall": (1, 5),
    "timeliness": (1, 5),
    "attitude": (1, 5),
    "trips": (1, 10),
}
#: Longest comment kept, in characters.
MAX_COMMENT = 2000


def _mark(value: object, name: str) -> int:
    lo, hi = MARK_RANGES[name]
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        number = -1
    if not lo <= number <= hi:
        raise DomainError(
            f"{name}_invalid", "Vui lòng chọn một mức đánh giá.", "Please choose a rating.", field=name, status=422
        )
    return number


@dataclass(frozen=True)
class RatingInput:
    """One person's rating: four marks as the form sent them (text or numbers), a comment, a complaint flag."""

    overall: object
    timeliness: object
    attitude: object
    trips: object
    comment: str = ""
    is_complaint: bool = False

    @classmethod
    def from_answers(cls, answers: Mapping[str, object], comment: str = "", is_complaint: bool = False) -> RatingInput:
        """The input from a form's answers keyed by mark name (an unanswered mark is refused as unchosen)."""
        overall, timeliness, attitude, trips = (answers.get(name) for name in MARK_RANGES)
        return cls(overall, timeliness, attitude, trips, comment, is_complaint)

    def checked(self) -> RatingInput:
        """The same rating with whole-number marks and a trimmed comment; refuses (DomainError) a comment that is
        too long, a complaint that says nothing, or a mark outside its range — in that order."""
        text = (self.comment or "").strip()
        if len(text) > MAX_COMMENT:
            raise DomainError(
                "comment_too_long",
                f"Ý kiến quá dài (tối đa {MAX_COMMENT} ký tự).",
                f"The comment is too long (at most {MAX_COMMENT} characters).",
                field="comment",
                status=422,
            )
        if self.is_complaint and not text:
            raise DomainError(
                "complaint_empty",
                "Vui lòng ghi nội dung phản ánh, kiến nghị.",
                "Please write what the complaint is about.",
                field="comment",
                status=422,
            )
        overall, timeliness, attitude, trips = (_mark(getattr(self, name), name) for name in MARK_RANGES)
        return RatingInput(overall, timeliness, attitude, trips, text, bool(self.is_complaint))
