"""The translation catalog: Vietnamese first, English second.

Why Python dicts: the whole catalog is compiled into the frontend (switching
language needs no round trip) and `t()` serves messages made on the server
(validation, notifications, PDFs). A unit test keeps the two catalogs' keys equal.
"""

from __future__ import annotations

from onestop.i18n.en import MESSAGES as EN
from onestop.i18n.vi import MESSAGES as VI

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
CATALOG: dict[str, dict[str, str]] = {"vi": VI, "en": EN}


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = "vi", **params: object) -> str:
    """The text for `key` in `lang`, formatted with `params`; falls back to Vietnamese, then the key."""
    text = CATALOG[normalise_lang(lang)].get(key) or VI.get(key) or key
    return text.format(**params) if params else text
