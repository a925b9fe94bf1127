"""The translation catalog: Vietnamese first, English second.

Why Python dicts: the whole catalog is compiled into the frontend (switching
language needs no round trip) and `t()` serves messages made on the server
(validation, notifications, PDFs). A unit test keeps the two catalogs' keys equal.
"""

from __future__ import annotations

from onestop.i18n.areas import load_areas
from onestop.i18n.en import MESSAGES as _EN_BASE
from onestop.i18n.vi import MESSAGES as _VI_BASE


def _merge(base: dict[str, str], area: dict[str, str]) -> dict[str, str]:
    clash = base.keys() & area.keys()
    if clash:
        raise ValueError(f"catalog keys defined twice: {sorted(clash)[:5]}")
    return {**base, **area}


_VI_AREAS, _EN_AREAS = load_areas()
VI: dict[str, str] = _merge(_VI_BASE, _VI_AREAS)
EN: dict[str, str] = _merge(_EN_BASE, _EN_AREAS)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
CATALOG: dict[str, dict[str, str]] = {"vi": VI, "en": EN}


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = "vi", **params: object) -> str:
    """The text for `key` in `lang`, formatted with `params`; falls back to Vietnamese, then the key."""
    text = CATALOG[normalise_lang(lang)].get(key) or VI.get(key) or key
    return text.format(**params) if params else text
