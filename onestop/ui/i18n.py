"""Language in the browser: the catalog compiled into the page, indexed by a localStorage var.

Why this shape: a person switching language must see it at once and keep it on
reload, and prerendered pages must already be readable (Vietnamese first). Each
`tr(key)` compiles the key's texts in every language into the frontend and picks
one with `LangState.ui_lang`; only the keys the UI uses are shipped. Messages made
on the server (errors, notifications) use `onestop.i18n.t` and come back in both
languages, so they also switch without a round trip.
"""

from __future__ import annotations

from collections.abc import Iterable

import reflex as rx

from onestop.i18n import CATALOG, DEFAULT_LANGUAGE, LANGUAGES, normalise_lang


class LangState(rx.State):
    """The chosen language, kept in localStorage (synced across the person's tabs)."""

    lang: str = rx.LocalStorage(DEFAULT_LANGUAGE, name="lang", sync=True)

    @rx.var
    def ui_lang(self) -> str:
        """The language to render: anything unknown in storage falls back to Vietnamese."""
        return normalise_lang(self.lang)

    @rx.event
    async def toggle(self):  # noqa: ANN201 - Reflex event return
        """Switch between Vietnamese and English, tell assistive tech the page language, and remember the
        choice on the account so notifications and reminders come in the same language."""
        self.lang = "en" if normalise_lang(self.lang) == "vi" else "vi"
        from onestop.ui.session import SessionState

        session_state = await self.get_state(SessionState)
        actor = await session_state.actor()
        if actor is not None and actor.user_id is not None:
            from onestop.ui.offload import off_loop

            await off_loop(_save_language, actor.user_id, self.lang)
        return rx.call_script(f"document.documentElement.lang = '{self.lang}'")

    @rx.event
    def apply_document_lang(self):  # noqa: ANN201
        """Keep <html lang> in step with a language restored from storage on reload."""
        return rx.call_script(f"document.documentElement.lang = '{normalise_lang(self.lang)}'")


def _save_language(user_id: int, lang: str) -> None:
    from onestop.db import transaction
    from onestop.services.auth import set_language

    with transaction() as db:
        set_language(db, user_id, lang)


def tr(key: str) -> rx.Var[str]:
    """The UI text for `key` in the chosen language (a missing key fails the build, not the user)."""
    texts = {lang: CATALOG[lang][key] for lang in LANGUAGES}
    return rx.Var.create(texts)[LangState.ui_lang].to(str)


def tr_choice(prefix: str, keys: Iterable[str], value: rx.Var) -> rx.Var[str]:
    """The text for `prefix + value` where `value` is only known in the browser (a role, a colour)."""
    table = {lang: {k: CATALOG[lang][f"{prefix}{k}"] for k in keys} for lang in LANGUAGES}
    return rx.Var.create(table)[LangState.ui_lang][value].to(str)


def bi(vi: rx.Var | str, en: rx.Var | str | None = None) -> rx.Var:
    """Data that comes in both languages (procedure names, status labels from the server): either the two
    texts, or one `read.bilingual.BiText` var (`bi(row.name)` reads `row.name.vi` / `row.name.en`)."""
    if en is None:
        vi, en = vi.vi, vi.en  # type: ignore[union-attr]
    return rx.cond(LangState.ui_lang == "en", en, vi)
