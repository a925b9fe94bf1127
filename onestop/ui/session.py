"""Who is signed in: a bearer token in a cookie, checked against the server-side session table.

Why a server check on every guarded page load: Reflex sets cookies from
JavaScript, so the token cannot be HttpOnly; it is only a key into the
`auth_session` table, which expires and can be revoked (sign-out, lost device).
The header fields here are display copies; pages always re-check the token
before loading private rows (`gate`).

Why the re-check is cached for a few seconds: looking the token up cost two or
three queries (now one statement), and doing it on every event was ~10 % of an
officer's click under load (issue 11). The actor is resolved once per connection and re-checked at most
every `RECHECK_SECONDS` (5 s): a revoked or expired session still loses access
within 5 s on every open tab, and a burst of clicks costs one lookup. Sign-in
and sign-out reset the cache at once. The lookup runs off the event loop.
"""

from __future__ import annotations

import hashlib
import random
import time
from urllib.parse import quote

import reflex as rx
from reflex_base.event import EventSpec

from onestop.db import new_session, transaction
from onestop.domain.errors import PermissionDenied
from onestop.models import User
from onestop.services import auth
from onestop.services.actor import Actor
from onestop.settings import get_settings
from onestop.ui import state_seal
from onestop.ui.offload import off_loop
from onestop.ui.routes import PageSpec, landing_for

COOKIE_NAME = "onestop_session"
#: How stale a token check may be before the session table is asked again (revocation reaches a tab within this).
RECHECK_SECONDS = 5.0
#: Each check is trusted for a random 80-100 % of RECHECK_SECONDS: tabs that signed in or clicked together (200
#: officers at 7:30, a burst) drift apart instead of all re-checking on the same event loop turn every 5 s.
RECHECK_SPREAD = 0.2
_settings = get_settings()
state_seal.scrub_router_headers()  # stored states never hold the Cookie header (onestop.ui.state_seal)


def assign_changed(state: rx.State, **values: object) -> None:
    """Set the vars whose value differs (an equal assignment would still be sent to the browser, issue 11)."""
    for name, value in values.items():
        if getattr(state, name) != value:
            setattr(state, name, value)


def _key(token: str) -> str:
    """What the cached check remembers of a token: its SHA-256, so no stored state holds it in clear."""
    return hashlib.sha256(token.encode()).hexdigest()


def _lookup(token: str) -> tuple[User | None, str]:
    """The live user behind a token and their center's name (one short DB session, one statement)."""
    with new_session() as db:
        found = auth.user_and_center_for_token(db, token)
        return found if found else (None, "")


def actor_for_token(token: str) -> Actor | None:
    """The live person behind a token as an Actor, or None: for work that already runs off the event loop
    (each off-loop job re-checks the token itself, since it may run after the session was revoked)."""
    if not token:
        return None
    with new_session() as db:
        user = auth.user_for_token(db, token)
        return Actor.from_user(user) if user else None


def required_actor(token: str) -> Actor:
    """`actor_for_token`, refusing (PermissionDenied) when the token is no longer live."""
    actor = actor_for_token(token)
    if actor is None:
        raise PermissionDenied()
    return actor


class SessionState(rx.State):
    """The signed-in person as the header shows them, and which page they were let into."""

    token: str = rx.Cookie(
        "",
        name=COOKIE_NAME,
        path="/",
        max_age=_settings.session_days * 24 * 3600,
        same_site="strict",
        # Secure whenever the site is served over HTTPS; a plain-HTTP demo on a LAN still works.
        secure=_settings.public_base_url.startswith("https://"),
    )
    user_name: str = ""
    user_role: str = ""
    user_title: str = ""
    user_center: str = ""

    def __getstate__(self):  # noqa: ANN204 - pickle protocol
        """The stored copy (disk or Redis) holds the token sealed, never in clear (onestop.ui.state_seal)."""
        fields = dict(super().__getstate__())
        if fields.get("token"):
            fields["token"] = state_seal.seal(fields["token"])
        return fields

    def __setstate__(self, state: dict) -> None:
        if "token" in state:
            state = {**state, "token": state_seal.unseal(state["token"])}
        super().__setstate__(state)

    #: The page key this person was let into / refused, after the last check (see layout.guarded).
    granted_page: str = ""
    denied_page: str = ""
    #: The page key that asks a visitor to sign in where they are (gate(ask_here=True)), and the sign-in link
    #: that comes back to it: a shared link shows what it is for instead of a redirect (issue 11, slow link).
    sign_in_page: str = ""
    sign_in_href: str = "/login"
    #: The last live check: which token (its hash), who it was, when (wall clock: a state may move between workers).
    _checked_token: str = ""
    _checked_actor: Actor | None = None
    _checked_at: float = 0.0
    _checked_for: float = 0.0  # how long this check is trusted (seconds, at most RECHECK_SECONDS)

    @rx.var
    def signed_in(self) -> bool:
        return self.user_role != ""

    @rx.var
    def landing(self) -> str:
        return landing_for(self.user_role)

    def _remember(self, user: User, center: str) -> None:
        # Only what changed: every assignment is sent to the browser with the event's answer (issue 11).
        assign_changed(
            self, user_name=user.full_name, user_role=user.role, user_title=user.title or "", user_center=center
        )

    def _forget(self) -> None:
        self.token = ""
        self.user_name = self.user_role = self.user_title = self.user_center = ""
        self.granted_page = self.denied_page = self.sign_in_page = ""
        self._checked_token, self._checked_actor, self._checked_at = "", None, 0.0

    async def actor(self, fresh: bool = False) -> Actor | None:
        """The signed-in person, re-checked against the session table at most every RECHECK_SECONDS (always when
        `fresh`: entering a protected page); forget everything when the token is no longer live."""
        if not self.token:
            if self.user_role or self._checked_token:
                self._forget()
            return None
        if not fresh and self._checked_token == _key(self.token) and time.time() - self._checked_at < self._checked_for:
            return self._checked_actor
        token = self.token
        user, center = await off_loop(_lookup, token)
        if user is None:
            self._forget()
            return None
        self._remember(user, center)
        actor = Actor.from_user(user)
        self._checked(token, actor)
        return actor

    def _checked(self, token: str, actor: Actor) -> None:
        self._checked_token, self._checked_actor, self._checked_at = _key(token), actor, time.time()
        self._checked_for = RECHECK_SECONDS * (1.0 - RECHECK_SPREAD * random.random())

    def _signed_in_as(self, token: str, user: User, center: str) -> None:
        self._forget()
        self.token = token
        self._remember(user, center)
        self._checked(token, Actor.from_user(user))

    @rx.event
    async def identify(self) -> None:
        """On public pages: show who is signed in (if anyone), never redirect."""
        await self.actor()

    @rx.event
    async def sign_out(self):  # noqa: ANN201
        token = self.token
        if token:
            await off_loop(_revoke, token)
        self._forget()
        return rx.redirect("/")


def _revoke(token: str) -> None:
    with transaction() as db:
        auth.sign_out(db, token)


async def gate(state: rx.State, page: PageSpec, ask_here: bool = False) -> tuple[Actor | None, EventSpec | None]:
    """Check access to a protected page from its on_load handler.

    Returns (actor, None) when the person may see the page; (None, redirect to
    /login?next=…) when nobody is signed in; (None, None) when the role may not
    (the page then shows "not allowed" in place). With `ask_here`, nobody signed
    in gives (None, None) too, and `SessionState.sign_in_page`/`sign_in_href` let
    the page ask for sign-in in place (`layout.guarded(sign_in=…)`): on a slow
    link the redirect cost a second page load. Private rows must be loaded only
    after this returns an actor, because prod prerenders every page.
    """
    session = await state.get_state(SessionState)
    # Entering a page asks the session table again (a revoked cookie is refused on its next page); events
    # within the page the person was let into reuse the check for RECHECK_SECONDS.
    actor = await session.actor(fresh=session.granted_page != page.key)
    if actor is None:
        target = state.router.url.path or page.path
        query = state.router.url.query
        next_path = target + (f"?{query}" if query else "")
        login = f"/login?next={quote(next_path, safe='')}"
        if ask_here:
            assign_changed(session, granted_page="", denied_page="", sign_in_page=page.key, sign_in_href=login)
            return None, None
        assign_changed(session, granted_page="", denied_page="", sign_in_page="")
        return None, rx.redirect(login)
    if actor.role not in page.roles:
        assign_changed(session, granted_page="", denied_page=page.key, sign_in_page="")
        return None, None
    assign_changed(session, granted_page=page.key, denied_page="", sign_in_page="")
    return actor, None
