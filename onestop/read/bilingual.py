"""A text shown to people in both UI languages, as one value.

Why a type: the read shapes carried every such text as two parallel fields
(`name_vi`/`name_en`, `label_vi`/`label_en`, …), so every shape, constructor and
page repeated each pair and could fill one half and forget the other. A `BiText`
field says once that a value comes in both languages; pages show it with
`ui.i18n.bi(row.name)` (Reflex reads nested dataclass fields as `row.name.vi`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


def flat(value: Any) -> Any:
    """A read shape as plain JSON data, each `BiText` field `x` spelt as the two keys `x_vi` and `x_en`.

    Why: the JSON API published its texts as `name_vi`/`name_en` before the shapes carried one
    `BiText`; API clients keep that form while pages read `row.name.vi`."""
    if isinstance(value, list | tuple):
        return [flat(v) for v in value]
    if isinstance(value, dict):
        return {k: flat(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if isinstance(v, BiText):
                out[f"{f.name}_vi"], out[f"{f.name}_en"] = v.vi, v.en
            else:
                out[f.name] = flat(v)
        return out
    return value
