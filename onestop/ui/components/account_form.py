"""The pieces of the account pages (sign in, change password, reset password).

Why shared: the three pages are one family for the person using them: the same large
labelled inputs, the same red refusal and green confirmation, the same busy submit
button, and the same "the two new passwords differ" check. They were written three times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from onestop.domain.errors import DomainError
from onestop.i18n import t
from onestop.read.bilingual import BiText
from onestop.ui.components.callout import callout
from onestop.ui.components.styles import full, spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import off_loop
from onestop.ui.theme import TAP


class AccountFormMixin(rx.State, mixin=True):
    """What every account form holds: its refusal in both languages and whether a request is under way."""

    error: BiText = BiText()
    busy: bool = False

    def _start_with_new_password(self, form: dict) -> str | None:
        """The form's new password once its confirmation matches, the refusal cleared and the form marked busy
        (the caller yields to show the spinner, then sends it); None, with "the two new passwords differ"
        shown, otherwise."""
        self.error = BiText()
        mismatch = password_mismatch(form)
        if mismatch:
            self.error = BiText(*mismatch)
            return None
        self.busy = True
        return str(form.get("new") or "")[:256]

    async def _attempt(self, fn: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
        """Run the account change `fn(*args)` off the event loop: (True, its result), or (False, None) with the
        refusal shown and the form usable again."""
        try:
            return True, await off_loop(fn, *args)
        except DomainError as err:
            self.error, self.busy = BiText(err.vi, err.en), False
            return False, None


def account_label(label_key: str, control: rx.Component) -> rx.Component:
    """A large label above `control` (whose id it points at)."""
    # rx.text drops html_for, so the <label> is a real one around the styled text (axe: "label").
    return rx.vstack(
        rx.el.label(rx.text(tr(label_key), as_="span", size="4", weight="medium"), html_for=control.id),
        control,
        **spaced("2"),
    )


def account_card(*children: rx.Component, max_width: str = "560px") -> rx.Component:
    """The account page's one card, as wide as a phone's screen and no wider than `max_width`."""
    return rx.card(*children, size="4", width="100%", max_width=max_width)


def account_top(
    title_key: str, intro_key: str, error: rx.Var, error_id: str, *, intro_size: str = "4"
) -> tuple[rx.Component, ...]:
    """The top of an account form: its title, one line on what it does, and its refusal (while there is one)."""
    return (
        rx.heading(tr(title_key), as_="h1", size="7"),
        rx.text(tr(intro_key), size=intro_size, color_scheme="gray"),
        account_error(error, error_id),
    )


def account_input(
    label_key: str, name: str, kind: str = "text", autocomplete: str = "off", *, id_: str = ""
) -> rx.Component:
    """A labelled large input whose id is its name unless `id_` is given.

    Why `id_`: Reflex's form replaces a submitted field by the value of the ref of the same id, so two pages with
    an input of one id (the sign-in page's and the reset page's "login") can submit the page left behind's value
    after a client-side navigation."""
    control = rx.input(
        id=id_ or name,
        name=name,
        type=kind,
        auto_complete=autocomplete,
        size="3",
        height="52px",
        width="100%",
        max_length=200,
    )
    return account_label(label_key, control)


def new_password_inputs() -> tuple[rx.Component, rx.Component]:
    """The new password and its confirmation (named "new" and "confirm": `password_mismatch` compares them)."""
    return (
        account_input("account.new", "new", "password", "new-password"),
        account_input("account.confirm", "confirm", "password", "new-password"),
    )


def account_error(error: rx.Var, id_: str) -> rx.Component:
    """The page's refusal (a `BiText` var) in both languages, announced; nothing while there is none."""
    return rx.cond(
        error.vi != "",
        callout(bi(error), "triangle-alert", "red", id_, size="3", role="alert"),
    )


def account_done(key: str, id_: str) -> rx.Component:
    """The green confirmation once the change is made."""
    return callout(tr(key), "check", "green", id_, size="3", role="status")


def account_submit(key: str, icon: str, busy: rx.Var, disabled: rx.Var, **props: str) -> rx.Component:
    """The wide submit button: a spinner while busy; `disabled` until the page is live (else a click
    would submit the form natively) and while busy."""
    return rx.button(
        rx.cond(busy, rx.spinner(size="3"), rx.icon(icon, size=22)),
        tr(key),
        type="submit",
        **full("4"),
        min_height=TAP,
        disabled=disabled,
        **props,
    )


def new_password_form(on_submit: rx.EventHandler, *fields: rx.Component, submit: rx.Component) -> rx.Component:
    """A form that sets a new password: the page's own `fields` first, then the new password twice, then
    `submit` (the change-password and the reset pages)."""
    return account_post_form(on_submit, *fields, *new_password_inputs(), submit)


def account_post_form(on_submit: rx.EventHandler, *children: rx.Component) -> rx.Component:
    """The page's form: its fields stacked, kept on a refusal (no reset), and sent by POST so that a
    password never lands in a URL even when JavaScript failed (belt and braces)."""
    return rx.form(
        rx.vstack(*children, spacing="4", width="100%"),
        on_submit=on_submit,
        reset_on_submit=False,
        method="post",
        width="100%",
    )


def password_mismatch(form: dict) -> tuple[str, str] | None:
    """The bilingual refusal when the form's "new" and "confirm" passwords differ, else None."""
    if str(form.get("new") or "")[:256] != str(form.get("confirm") or "")[:256]:
        return t("account.mismatch", "vi"), t("account.mismatch", "en")
    return None
