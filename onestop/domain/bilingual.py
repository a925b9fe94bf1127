"""A text shown to people in both UI languages, as one value.

Why a type: records carried every such text as two parallel fields
(`name_vi`/`name_en`, `label_vi`/`label_en`, …), so every record, constructor and
page repeated each pair and could fill one half and forget the other. A `BiText`
field says once that a value comes in both languages; pages show it with
`ui.i18n.bi(row.name)` (Reflex reads nested dataclass fields as `row.name.vi`).
Why in domain/: it is a pure value, so domain records (fee exemptions, form
options, catalog facts) use it as well as the read shapes; stored JSON keeps its
`x_vi`/`x_en` keys, converted where each record is (de)serialised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from onestop.domain.errors import Bilingual
from onestop.i18n import t


@dataclass(frozen=True)
class BiText(Bilingual):
    """Vietnamese and English text of one value; frozen, so it can be a dataclass default."""

    vi: str = ""
    en: str = ""

    @classmethod
    def of(cls, key: str, **params: object) -> BiText:
        """The catalog text for `key` in both languages, with the same parameters."""
        return cls(t(key, "vi", **params), t(key, "en", **params))

    @classmethod
    def by(cls, text_in: Callable[[str], str]) -> BiText:
        """What `text_in(lang)` says in each language (a label, a formatted amount, a catalog text)."""
        return cls(text_in("vi"), text_in("en"))
