"""`/account/password`: every signed-in person changes their own password.

Why here and not in the admin pages (issue 17, finding 9): until now only an
administrator could set a password, so every seeded account kept the README's
one. The check is the shared policy (onestop.domain.passwords) through
`auth.change_password`, which also throttles guesses of the current password and
signs the person's other devices out; this tab stays signed in.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import transaction
from onestop.domain.lifecycle import Role
from onestop.read.bilingual import BiText
from onestop.services import auth
from onestop.ui.components.account_form import (
    AccountFormMixin,
    account_card,
    account_done,
    account_input,
    account_submit,
    account_top,
    new_password_form,
)
from onestop.ui.layout import guarded
from onestop.ui.routes import PageSpec
from onestop.ui.session import SessionState, gate

ACCOUNT = PageSpec(
    "account", "/account/password", frozenset(str(r) for r in Role if str(r) != "system"), "account.link"
)


def _change(user_id: int, current: str, new: str, token: str, address: str) -> None:
    with transaction() as s:
        auth.change_password(s, user_id, current, new, keep_token=token, address=address)


class PasswordState(AccountFormMixin, rx.State):
    done: bool = False

    @rx.event
    async def load(self):  # noqa: ANN201
        self.error = BiText()
        self.done = self.busy = False
        _, redirect = await gate(self, ACCOUNT)
        return redirect

    @rx.event
    async def submit(self, form: dict):  # noqa: ANN201
        self.done = False
        session = await self.get_state(SessionState)
        actor = await session.actor()
        if actor is None:
            yield rx.redirect("/login?next=%2Faccount%2Fpassword")
            return
        current = str(form.get("current") or "")[:256]
        new = self._start_with_new_password(form)
        if new is None:
            return
        yield
        changed, _ = await self._attempt(
            _change, actor.user_id, current, new, session.token, self.router.session.client_ip
        )
        if not changed:
            return
        self.done, self.busy = True, False
        yield rx.set_value("current", "")
        yield rx.set_value("new", "")
        yield rx.set_value("confirm", "")


def password_page() -> rx.Component:
    return guarded(
        ACCOUNT,
        account_card(
            new_password_form(
                PasswordState.submit,
                *account_top(
                    "account.password_title",
                    "account.password_intro",
                    PasswordState.error,
                    "password-error",
                ),
                rx.cond(PasswordState.done, account_done("account.changed", "password-done")),
                account_input("account.current", "current", "password", "current-password"),
                submit=account_submit(
                    "account.submit",
                    "key-round",
                    PasswordState.busy,
                    PasswordState.busy | ~rx.State.is_hydrated,
                ),
            ),
        ),
    )
