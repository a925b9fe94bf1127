"""An uploaded file as the pages list it: the applicant's files waiting to be filed, a dossier's attachments.

Why a base: `filing_forms.PendingFile` (apply, supplement) and `dossier_detail.AttachmentItem` (the officer's
dossier and counter pages) are both one `Attachment` row, and both spelt out and filled its id, file name,
size as people read it and whether it was taken again from an earlier dossier. Each adds what its page needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from onestop.models import Attachment
from onestop.read.format import fmt_size


@dataclass
class FileItem:
    id: int = 0
    filename: str = ""
    size: str = ""  # as people read it: "1,5 MB"
    reused: bool = False  # taken again from an earlier dossier rather than uploaded anew

    @classmethod
    def of(cls, att: Attachment, lang: str = "vi", **more: Any) -> Self:
        """The row of `att` (its size written for `lang`), with the subclass's own fields in `more`."""
        return cls(
            id=att.id or 0,
            filename=att.filename,
            size=fmt_size(att.size, lang),
            reused=att.reused_from_id is not None,
            **more,
        )
