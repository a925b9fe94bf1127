"""The frame of the applicant-only dossier pages (confirmation, payment, supplement, rating).

Why a state mixin and one frame: the four pages load the same way (gate the
page, take the dossier code from the route, open the dossier only if this
citizen filed it) and show the same three states (loading, not found, the
page). A Reflex mixin gives each page state its own copy of these fields, so a
page's load never disturbs another page's, and the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex_base.event import EventSpec

from onestop.db import new_session
from onestop.domain.errors import DomainError
from onestop.read import dossier_detail
from onestop.read.bilingual import BiText
from onestop.read.dossier_detail import DossierView
from onestop.services.actor import Actor
from onestop.ui.citizen.common import CITIZEN_PAGE, route_code
from onestop.ui.citizen.widgets import back_link, error_notice
from onestop.ui.components.styles import spaced
from onestop.ui.i18n import tr
from onestop.ui.layout import guarded
from onestop.ui.offload import off_loop
from onestop.ui.session import gate
from onestop.ui.theme import HEADING_SIZE
from onestop.ui.widgets import once_loaded


def _owner_view(actor: Actor, code: str) -> DossierView:
    with new_session() as db:
        dossier = dossier_detail.my_dossier(db, actor, code)
        return dossier_detail.dossier_view(db, actor, dossier)


class OwnerDossierMixin(rx.State, mixin=True):
    """The dossier in the route, as its applicant sees it, and whether the page may show it."""

    view: DossierView = DossierView()
    loaded: bool = False
    found: bool = False
    problem: BiText = BiText()

    async def _load_owner(self) -> tuple[Actor | None, EventSpec | None]:
        """Gate, then open the dossier of the route if (and only if) this citizen filed it.

        Returns (actor, redirect): a redirect when nobody is signed in; actor None when the role may not
        see the page (the frame says so). `found` tells whether the dossier is shown."""
        self.loaded = self.found = False
        self.problem = BiText()
        actor, redirect = await gate(self, CITIZEN_PAGE)
        if actor is None:
            return None, redirect
        try:
            self.view = await off_loop(_owner_view, actor, route_code(self))
            self.found = True
        except DomainError as err:
            self.view = DossierView()
            self.problem = BiText(err.vi, err.en)
        self.loaded = True
        return actor, None


def not_found_block(problem: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.heading(tr("track.title"), as_="h1", size=HEADING_SIZE),
        error_notice(problem, "dossier-problem"),
        back_link("/my", "track.back_my"),
        **spaced("4"),
    )


def owner_dossier_frame(state: type[OwnerDossierMixin], body: Callable[[], rx.Component]) -> rx.Component:
    """The page: guarded for citizens; loading, then the body or why the dossier cannot be shown."""
    return guarded(
        CITIZEN_PAGE,
        once_loaded(state.loaded, state.found, body(), not_found_block(state.problem)),
    )
