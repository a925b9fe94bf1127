"""`/account/reset`: forgot the password → a code by SMS → a new password (no sign-in needed).

The two steps are one page: the phone (or ID number) first, then the code and the
new password. The answer to step one is the same whether an account exists, so the
page cannot be used to find out who has one.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import transaction
from onestop.read.bilingual import BiText
from onestop.services import password_reset
from onestop.ui.components.account_form import (
    AccountFormMixin,
    account_card,
    account_done,
    account_input,
    account_post_form,
    account_submit,
    account_top,
    new_password_form,
)
from onestop.ui.components.styles import spaced
from onestop.ui.i18n import tr
from onestop.ui.layout import shell


def _request(login: str, address: str) -> None:
    with transaction() as s:
        password_reset.request_code(s, login, address=address)


def _reset(login: str, code: str, new: str, address: str) -> None:
    with transaction() as s:
        password_reset.reset_with_code(s, login, code, new, address=address)


class ResetState(AccountFormMixin, rx.State):
    login: str = ""
    step: str = "ask"  # ask | code | done
    # True once this visit's `load` has run: until then a click could be answered first and then
    # wiped by the late `load` (client-side navigation keeps the previous page's hydrated flag).
    ready: bool = False

    @rx.event
    def load(self) -> None:
        self.step, self.login, self.error, self.busy = "ask", "", BiText(), False
        self.ready = True

    @rx.event
    async def ask(self, form: dict):  # noqa: ANN201
        self.error = BiText()
        login = str(form.get("login") or "").strip()[:40]
        if not login:  # say so: an empty form must not look like a request that went nowhere
            self.error = BiText.of("account.login_required")
            return
        self.busy = True
        yield
        asked, _ = await self._attempt(_request, login, self.router.session.client_ip)
        if not asked:
            return
        self.login, self.step, self.busy = login, "code", False

    @rx.event
    async def confirm(self, form: dict):  # noqa: ANN201
        new = self._start_with_new_password(form)
        if new is None:
            return
        yield
        reset, _ = await self._attempt(
            _reset, self.login, str(form.get("code") or "")[:12], new, self.router.session.client_ip
        )
        if not reset:
            return
        self.step, self.busy = "done", False


def _submit(key: str) -> rx.Component:
    return account_submit(key, "send", ResetState.busy, ResetState.busy | ~rx.State.is_hydrated | ~ResetState.ready)


def reset_page() -> rx.Component:
    ask = account_post_form(
        ResetState.ask,
        account_input("auth.login_label", "login", "tel", "username", id_="reset-login"),
        _submit("account.reset_send"),
    )
    confirm = new_password_form(
        ResetState.confirm,
        rx.text(tr("account.reset_sent"), size="4", id="reset-sent"),
        account_input("account.reset_code", "code", "text", "one-time-code"),
        submit=_submit("account.reset_submit"),
    )
    done = rx.vstack(
        account_done("account.reset_done", "reset-done"),
        rx.link(tr("auth.submit"), href="/login", size="4"),
        width="100%",
    )
    return shell(
        rx.center(
            account_card(
                rx.vstack(
                    *account_top(
                        "account.reset_title",
                        "account.password_intro",
                        ResetState.error,
                        "reset-error",
                        intro_size="3",
                    ),
                    rx.match(ResetState.step, ("code", confirm), ("done", done), ask),
                    **spaced("4"),
                ),
            ),
            width="100%",
        )
    )
