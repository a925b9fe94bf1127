"""`/login`: phone or ID number and password, then the page the person came for (or their role's home).

Why the password check runs in a thread: argon2 is slow on purpose, and the
event loop also serves every other connected tab.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import transaction
from onestop.models import User
from onestop.read.bilingual import BiText
from onestop.read.dossier import center_name
from onestop.services import auth
from onestop.ui.components.account_form import (
    AccountFormMixin,
    account_card,
    account_label,
    account_post_form,
    account_submit,
    account_top,
)
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.styles import full
from onestop.ui.i18n import tr
from onestop.ui.layout import shell
from onestop.ui.routes import safe_next
from onestop.ui.session import SessionState
from onestop.ui.theme import TAP


def _sign_in(login: str, password: str, address: str = "") -> tuple[str, User, str]:
    with transaction() as db:
        token, user = auth.sign_in(db, login, password, kind="web", address=address)
        return token, user, center_name(db, user.center_id)


class LoginState(AccountFormMixin, rx.State):
    show_password: bool = False

    def _next(self) -> str:
        return self.router.url.query_parameters.get("next", "")

    @rx.event
    async def load(self):  # noqa: ANN201
        """Someone already signed in goes straight on."""
        self.error = BiText()
        self.busy = False
        session = await self.get_state(SessionState)
        actor = await session.actor()
        if actor is not None:
            return rx.redirect(safe_next(self._next(), actor.role))
        return None

    @rx.event
    def toggle_password(self) -> None:
        self.show_password = not self.show_password

    @rx.event
    async def sign_in(self, form: dict):  # noqa: ANN201
        self.busy, self.error = True, BiText()
        yield
        signed_in, answer = await self._attempt(
            _sign_in,
            str(form.get("login") or "")[:40],
            str(form.get("password") or "")[:200],
            self.router.session.client_ip,
        )
        if not signed_in:
            return
        token, user, center = answer
        session = await self.get_state(SessionState)
        session._signed_in_as(token, user, center)
        self.busy = False
        yield rx.redirect(safe_next(self._next(), user.role))


def login_page() -> rx.Component:
    big = {"size": "3", "height": "56px", "font_size": "20px", "width": "100%"}
    return shell(
        rx.center(
            account_card(
                account_post_form(
                    LoginState.sign_in,
                    *account_top("auth.title", "auth.intro", LoginState.error, "login-error"),
                    account_label(
                        "auth.login_label",
                        rx.input(
                            id="login",
                            name="login",
                            type="tel",
                            auto_complete="username",
                            placeholder=tr("auth.login_placeholder"),
                            **big,
                        ),
                    ),
                    account_label(
                        "auth.password_label",
                        rx.input(
                            rx.input.slot(
                                rx.icon_button(
                                    rx.cond(
                                        LoginState.show_password,
                                        rx.icon("eye-off", size=22),
                                        rx.icon("eye", size=22),
                                    ),
                                    type="button",
                                    variant="ghost",
                                    size="3",
                                    on_click=LoginState.toggle_password,
                                    aria_label=tr("auth.show_password"),
                                ),
                                side="right",
                            ),
                            id="password",
                            name="password",
                            auto_complete="current-password",
                            type=rx.cond(LoginState.show_password, "text", "password"),
                            **big,
                        ),
                    ),
                    account_submit(
                        "auth.submit",
                        "log-in",
                        LoginState.busy,
                        LoginState.busy | ~rx.State.is_hydrated,
                        height="56px",
                    ),
                    rx.text(tr("auth.help"), size="3", color_scheme="gray"),
                    rx.link(tr("account.reset_link"), href="/account/reset", size="3", id="reset-link"),
                    # A document navigation (rx.el.a is a react-router Link: without reload_document the
                    # click stays in the single-page app and shows its 404): the browser goes to the provider.
                    rx.el.a(
                        worded_button(
                            "id-card",
                            "account.vneid",
                            icon_size=22,
                            type="button",
                            **full("4"),
                            min_height=TAP,
                            variant="outline",
                            color_scheme="red",
                        ),
                        href="/auth/vneid/start",
                        reload_document=True,
                        id="vneid-link",
                        width="100%",
                    ),
                ),
                max_width="520px",
            ),
            width="100%",
        ),
    )
