"""`/appointments`: book a time at a center for a procedure, see and cancel one's bookings, check in on arrival.

Why the slots come from the server each time: capacity is per counter group and
per slot and others book at the same moment; the page shows what was free when
asked, and the booking itself is the judge (services.appointments refuses a full
slot with a clear message). Checking in turns the appointment into today's queue
ticket and opens the live ticket page.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import reflex as rx

from onestop import clock
from onestop.db import new_session, transaction
from onestop.domain.errors import DomainError
from onestop.read.appointments import Booking, SlotRow, booking_choices, my_bookings, slot_rows
from onestop.read.choices import Choice
from onestop.services import appointments as service
from onestop.services import queue as queue_service
from onestop.ui.citizen.widgets import cancel_button, reading_column
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.queue_widgets import ErrorWordsMixin, error_line
from onestop.ui.components.styles import BIG_BUTTON, TAP_BUTTON, WRAP_ROW, spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.offload import off_loop
from onestop.ui.routes import MY
from onestop.ui.session import SessionState, gate, required_actor
from onestop.ui.theme import TAP


def _choices() -> tuple[list[Choice], list[Choice]]:
    with new_session() as db:
        return booking_choices(db)


def _mine(token: str) -> list[Booking]:
    actor = required_actor(token)
    with new_session() as db:
        return my_bookings(db, actor.user_id or 0, clock.now())


def _slots(center_id: int, procedure: str, day: date) -> list[SlotRow]:
    with new_session() as db:
        return slot_rows(db, center_id, procedure, day)


def _book(token: str, center_id: int, procedure: str, at: datetime) -> None:
    actor = required_actor(token)
    with transaction() as db:
        service.book(db, actor, center_id=center_id, procedure_code=procedure, at=at)


def _cancel(token: str, appointment_id: int) -> None:
    actor = required_actor(token)
    with transaction() as db:
        service.cancel(db, actor, appointment_id)


def _check_in(token: str, appointment_id: int) -> str:
    actor = required_actor(token)
    with transaction() as db:
        return queue_service.check_in(db, actor, appointment_id).token


class AppointmentsState(ErrorWordsMixin, rx.State):
    centers: list[Choice] = []
    procedures: list[Choice] = []
    center_id: str = ""
    procedure: str = ""
    day: str = ""
    slots: list[SlotRow] = []
    asked: bool = False
    mine: list[Booking] = []
    done: bool = False

    async def _token(self) -> str:
        return (await self.get_state(SessionState)).token

    async def _refresh_mine(self, token: str) -> None:
        """The person's bookings after a change; a refused visitor (signed out meanwhile) gets none, not an error."""
        try:
            self.mine = await off_loop(_mine, token)
        except DomainError:
            self.mine = []

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, MY)
        if actor is None:
            return redirect
        self._clear_error()
        self.done, self.asked, self.slots = False, False, []
        self.centers, self.procedures = await off_loop(_choices)
        self.mine = await off_loop(_mine, await self._token())
        self.day = self.day or (clock.now().date() + timedelta(days=1)).isoformat()
        return None

    @rx.event
    def set_center(self, value: str) -> None:
        self.center_id, self.slots, self.asked = value, [], False

    @rx.event
    def set_procedure(self, value: str) -> None:
        self.procedure, self.slots, self.asked = value, [], False

    @rx.event
    def set_day(self, value: str) -> None:
        self.day, self.slots, self.asked = value[:10], [], False

    @rx.event
    async def show(self) -> None:
        self._clear_error()
        self.done = False
        try:
            day = date.fromisoformat(self.day)
        except ValueError:
            self._fail(DomainError("bad_day", "Vui lòng chọn ngày.", "Please choose a day.", field="day"))
            return
        if not self.center_id.isdigit() or not self.procedure:
            self._fail(
                DomainError("missing", "Vui lòng chọn trung tâm và thủ tục.", "Please choose a center and a procedure.")
            )
            return
        try:
            self.slots = await off_loop(_slots, int(self.center_id), self.procedure, day)
        except DomainError as err:
            self._fail(err)
        self.asked = True

    @rx.event
    async def book(self, value: str) -> None:
        self._clear_error()
        self.done = False
        token = await self._token()
        try:
            await off_loop(_book, token, int(self.center_id or 0), self.procedure, datetime.fromisoformat(value))
        except ValueError:
            self._fail(DomainError("bad_slot", "Vui lòng chọn một giờ.", "Please choose a time.", field="at"))
        except DomainError as err:
            self._fail(err)
        else:
            self.done = True
        await self._refresh_mine(token)
        try:
            self.slots = await off_loop(_slots, int(self.center_id or 0), self.procedure, date.fromisoformat(self.day))
        except (DomainError, ValueError):
            self.slots = []

    @rx.event
    async def cancel(self, appointment_id: int) -> None:
        try:
            await off_loop(_cancel, await self._token(), int(appointment_id))
        except DomainError as err:
            self._fail(err)
        await self._refresh_mine(await self._token())

    @rx.event
    async def arrive(self, appointment_id: int):  # noqa: ANN201
        try:
            token = await off_loop(_check_in, await self._token(), int(appointment_id))
        except DomainError as err:
            self._fail(err)
            return None
        return rx.redirect(f"/ticket?t={token}")


def _select(label_key: str, ident: str, options: rx.Var, value: rx.Var, on_change: rx.EventHandler) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=ident, font_weight="600", font_size="18px"),
        rx.el.select(
            rx.el.option("—", value=""),
            rx.foreach(options, lambda o: rx.el.option(bi(o.label_vi, o.label_en), value=o.value)),
            id=ident,
            value=value,
            on_change=on_change,
            style={
                "min_height": TAP,
                "font_size": "18px",
                "padding": "0 12px",
                "border_radius": "8px",
                "width": "100%",
            },
        ),
        **spaced("1"),
    )


def _slot(row: rx.Var) -> rx.Component:
    return rx.button(
        rx.vstack(
            rx.text(row.time, size="5", weight="bold"),
            rx.text(rx.cond(row.free > 0, bi(row.free_text), tr("appt.full")), size="2"),
            spacing="0",
            align="center",
        ),
        on_click=AppointmentsState.book(row.value),
        disabled=row.free <= 0,
        size="4",
        height="72px",
        variant="outline",
        type="button",
    )


def _booking(b: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(b.when, size="5", weight="bold"),
            rx.text(bi(b.procedure), size="4"),
            rx.text(b.center, size="3", color_scheme="gray"),
            rx.hstack(
                rx.cond(
                    b.today,
                    worded_button(
                        "ticket",
                        "appt.arrived",
                        icon_size=20,
                        on_click=AppointmentsState.arrive(b.id),
                        **TAP_BUTTON,
                    ),
                ),
                cancel_button("appt.cancel", AppointmentsState.cancel(b.id)),
                **WRAP_ROW,
            ),
            spacing="2",
        ),
        width="100%",
    )


def appointments_page() -> rx.Component:
    s = AppointmentsState
    return guarded(
        MY,
        reading_column(
            rx.heading(tr("appt.title"), as_="h1", size="8"),
            _select("appt.center", "appt-center", s.centers, s.center_id, s.set_center),
            _select("appt.procedure", "appt-procedure", s.procedures, s.procedure, s.set_procedure),
            rx.vstack(
                rx.el.label(tr("appt.day"), html_for="appt-day", font_weight="600", font_size="18px"),
                rx.input(type="date", id="appt-day", value=s.day, on_change=s.set_day, size="3", height=TAP),
                spacing="1",
            ),
            worded_button(
                "calendar-search",
                "appt.show",
                icon_size=22,
                on_click=s.show,
                **BIG_BUTTON,
                type="button",
                id="appt-show",
            ),
            error_line(s.error_vi, s.error_en, "appt-error"),
            rx.cond(s.done, rx.callout(tr("appt.booked"), icon="circle-check", color_scheme="green", size="3")),
            rx.cond(s.asked & (s.slots.length() == 0), rx.text(tr("appt.none"), size="4")),
            rx.grid(
                rx.foreach(s.slots, _slot), columns=rx.breakpoints(initial="3", sm="5", md="7"), gap="8px", width="100%"
            ),
            rx.heading(tr("appt.mine"), as_="h2", size="6", margin_top="16px"),
            rx.cond(s.mine.length() == 0, rx.text(tr("appt.mine_none"), size="4")),
            rx.vstack(rx.foreach(s.mine, _booking), spacing="3", width="100%"),
        ),
    )
