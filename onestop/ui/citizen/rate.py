"""`/dossiers/[code]/rate`: rate the service the way provincial portals ask, or complain to the leader.

Criteria: overall satisfaction, on time, staff attitude, number of trips to the
center. A complaint (or a low overall mark) reaches the center's leaders in the
same transaction as the rating (services.ratings); the person is told so.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import transaction
from onestop.domain.errors import DomainError
from onestop.domain.ratings import RatingInput
from onestop.read.bilingual import BiText
from onestop.services import filing
from onestop.services.actor import Actor
from onestop.ui.citizen.common import actor_of
from onestop.ui.citizen.widgets import (
    back_link,
    focused_error,
    main_button,
    main_link_button,
    notice,
    own_words,
    page_column,
)
from onestop.ui.components.owner_dossier import OwnerDossierMixin, owner_dossier_frame
from onestop.ui.components.styles import full, spaced, top_aligned
from onestop.ui.dashboard.related import related_block
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import off_loop
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE, TAP

#: (criterion, catalog key of its question, option values high → low, catalog prefix of option labels)
CRITERIA = (
    ("overall", "rate.overall", ("5", "4", "3", "2", "1"), "rate.level."),
    ("timeliness", "rate.timeliness", ("5", "4", "3", "2", "1"), "rate.level."),
    ("attitude", "rate.attitude", ("5", "4", "3", "2", "1"), "rate.level."),
    ("trips", "rate.trips", ("1", "2", "3"), "rate.trip."),
)


def _rate(actor: Actor, code: str, answers: dict[str, str], comment: str, complaint: bool) -> tuple[bool, int]:
    """Record the rating; (is a complaint, overall mark) tell whether the leader was told."""
    with transaction() as db:
        rating = filing.rate(db, actor, code, RatingInput.from_answers(answers, comment, complaint))
        return rating.is_complaint, rating.overall


class RateState(OwnerDossierMixin, rx.State):
    answers: dict[str, str] = {}
    comment: str = ""
    complaint: bool = False
    sending: bool = False
    done: bool = False
    leader_told: bool = False

    @rx.event
    async def load(self):  # noqa: ANN201
        self.sending = self.done = self.leader_told = self.complaint = False
        self.comment = ""
        self.answers = {}
        _, redirect = await self._load_owner()
        return redirect

    @rx.event
    def answer(self, criterion: str, value: str) -> None:
        if criterion in {c[0] for c in CRITERIA}:
            self.answers[criterion] = str(value)[:2]

    @rx.event
    def set_comment(self, value: str) -> None:
        self.comment = str(value)[:2100]

    @rx.event
    def set_complaint(self, value: bool) -> None:
        self.complaint = bool(value)

    @rx.event
    async def send(self):  # noqa: ANN201
        if self.sending or self.done:
            return None
        actor = await actor_of(self)
        if actor is None:
            return None
        self.problem = BiText()
        missing = [c for c, *_ in CRITERIA if not self.answers.get(c)]
        if missing:
            self.problem = BiText.of("rate.missing")
            return rx.call_script("document.getElementById('rate-problem')?.focus()")
        self.sending = True
        try:
            complaint, overall = await off_loop(
                _rate, actor, self.view.code, dict(self.answers), self.comment, self.complaint
            )
        except DomainError as err:
            self.problem = BiText(err.vi, err.en)
            self.sending = False
            return rx.call_script("document.getElementById('rate-problem')?.focus()")
        self.sending, self.done = False, True
        self.leader_told = complaint or overall <= 2
        return rx.call_script("window.scrollTo(0, 0)")


def _question(criterion: str, key: str, values: tuple[str, ...], prefix: str) -> rx.Component:
    label_id = f"q-{criterion}"
    return rx.vstack(
        rx.text(tr(key), size="5", weight="bold", id=label_id, as_="div"),
        rx.radio_cards.root(
            *(rx.radio_cards.item(rx.text(tr(f"{prefix}{v}"), size="4"), value=v, min_height=TAP) for v in values),
            value=RateState.answers[criterion].to(str),
            on_value_change=lambda v: RateState.answer(criterion, v),
            columns="1",
            **full("2"),
            aria_labelledby=label_id,
            id=f"rate-{criterion}",
        ),
        **spaced("2"),
    )


def _form() -> rx.Component:
    return rx.vstack(
        *(_question(*c) for c in CRITERIA),
        *own_words("rate.comment", "rate-comment", RateState.comment, RateState.set_comment),
        rx.el.label(
            rx.hstack(
                rx.checkbox(
                    checked=RateState.complaint, on_change=RateState.set_complaint, size="3", id="rate-complaint"
                ),
                rx.vstack(
                    rx.text(tr("rate.complaint"), size=BODY_SIZE, weight="medium"),
                    rx.text(tr("rate.complaint_hint"), size="3", color_scheme="gray"),
                    spacing="0",
                ),
                **top_aligned("3"),
            ),
            html_for="rate-complaint",
        ),
        focused_error(RateState.problem, "rate-problem", "rate-error"),
        main_button(
            tr("rate.send"), "send", on_click=RateState.send, loading=RateState.sending, id="send-rating", type="button"
        ),
        **spaced("4"),
    )


def _body() -> rx.Component:
    v = RateState.view
    return page_column(
        back_link("/dossiers/" + v.code, "pay.back"),
        rx.heading(tr("rate.title"), as_="h1", size=HEADING_SIZE),
        rx.text(
            tr("dossier.code"),
            ": ",
            rx.text(v.code, as_="span", weight="bold"),
            " — ",
            bi(v.procedure),
            size=BODY_SIZE,
        ),
        rx.cond(
            RateState.done,
            rx.vstack(
                notice(tr("rate.thanks"), "heart-handshake", "green", role="status", ident="rate-thanks"),
                rx.cond(RateState.leader_told, notice(tr("rate.leader_told"), "megaphone", "blue")),
                main_link_button(tr("done.track"), "radar", "/dossiers/" + v.code, id="go-track"),
                related_block(),  # issue 13: what people often file next
                **spaced("4"),
            ),
            rx.cond(
                v.can_rate,
                _form(),
                rx.vstack(
                    notice(rx.cond(v.rated, tr("track.rated"), tr("rate.not_yet")), "info", "blue"),
                    related_block(),
                    width="100%",
                ),
            ),
        ),
    )


def rate_page() -> rx.Component:
    return owner_dossier_frame(RateState, _body)
