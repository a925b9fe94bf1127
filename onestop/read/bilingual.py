"""Bilingual texts in read shapes: `BiText` (a domain value, re-exported here) and `flat()`.

Why this module stays: the read shapes and pages import `BiText` from here, and
`flat()` is how a shape is published as JSON — the API keeps its `x_vi`/`x_en` keys.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from onestop.domain.bilingual import BiText

__all__ = ["BiText", "flat"]


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
