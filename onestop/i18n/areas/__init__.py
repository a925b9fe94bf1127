"""Catalog areas: one module per feature area, each with `VI` and `EN` dicts.

Why split: features land in parallel, and each area's texts live beside each other
in both languages, so a translator sees the pair and two features never edit the same
dict. `onestop.i18n` merges every area into the one catalog; a key defined twice
(in `vi.py`/`en.py` or in two areas) is an error at import, not a silent override.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_areas() -> tuple[dict[str, str], dict[str, str]]:
    """Every area's Vietnamese and English texts, merged; duplicate keys raise."""
    vi: dict[str, str] = {}
    en: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for target, part in ((vi, module.VI), (en, module.EN)):
            clash = target.keys() & part.keys()
            if clash:
                raise ValueError(f"catalog keys defined twice ({info.name}): {sorted(clash)[:5]}")
            target.update(part)
    return vi, en
