"""The Reflex app: pages with their load handlers, the JSON API and the static field app.

Why every page's on_load starts with a token check (see ui/session.gate):
`reflex run --env prod` prerenders every route to static HTML, so nothing private
may be in a component; it reaches the browser only from state, after the check.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex_base.event import EventHandler
from starlette.applications import Starlette

from onestop.api import routes as api_routes
from onestop.api.guard import guard
from onestop.api.web_delivery import deliver
from onestop.api.worker_header import with_worker_header
from onestop.i18n import t
from onestop.jobs.scheduler import scheduler_lifespan
from onestop.settings import get_settings
from onestop.ui import live, state_seal
from onestop.ui.account.login import LoginState, login_page
from onestop.ui.account.password import PasswordState, password_page
from onestop.ui.account.reset import ResetState, reset_page
from onestop.ui.admin.calendar import AdminCalendarState, admin_calendar_page
from onestop.ui.admin.catalog_import import CatalogImportState, catalog_import_page
from onestop.ui.admin.centers import AdminCentersState, admin_centers_page
from onestop.ui.admin.form_builder import FormBuilderState, form_builder_page
from onestop.ui.admin.overview import AdminState, admin_page
from onestop.ui.admin.procedures import AdminProceduresState, admin_procedures_page
from onestop.ui.admin.users import AdminUsersState, admin_users_page
from onestop.ui.citizen.apply import ApplyState, apply_page
from onestop.ui.citizen.appointments import AppointmentsState, appointments_page
from onestop.ui.citizen.confirmation import ConfirmationState, confirmation_page
from onestop.ui.citizen.home import HomeState, home_page
from onestop.ui.citizen.my import MyDossiersState, my_page
from onestop.ui.citizen.pay import PayState, pay_page
from onestop.ui.citizen.procedure import ProcedureState, procedure_page
from onestop.ui.citizen.procedures import CatalogState, procedures_page
from onestop.ui.citizen.rate import RateState, rate_page
from onestop.ui.citizen.supplement import SupplementState, supplement_page
from onestop.ui.citizen.ticket import TicketState, ticket_page
from onestop.ui.citizen.track import TrackState, lookup_page, track_page
from onestop.ui.dashboard.board import DashState, dashboard_page
from onestop.ui.dashboard.dossiers import DrillState, dashboard_dossiers_page
from onestop.ui.dashboard.public import PublicQualityState, public_quality_page
from onestop.ui.dashboard.related import RelatedState
from onestop.ui.display.display import DisplayState, display_page
from onestop.ui.display.kiosk import KioskState, kiosk_page, poster_page
from onestop.ui.i18n import LangState, tr
from onestop.ui.layout import a11y_head_script, shell
from onestop.ui.officer.counter import CounterState, counter_page
from onestop.ui.officer.dossier import DossierState, officer_dossier_page
from onestop.ui.officer.inbox import InboxState, officer_page
from onestop.ui.officer.queue import QueuePanelState, queue_panel_page
from onestop.ui.session import SessionState
from onestop.ui.shells import ShellRoutes
from onestop.ui.support.support import SupportState, support_page
from onestop.ui.theme import STYLE
from onestop.ui.widgets import empty_state, page_heading


def _title(key: str) -> str:
    """Tab titles are static (prerendered); Vietnamese first, as the html lang says."""
    return f"{t(key, 'vi')} — {t('app.name', 'vi')}"


def not_found_page() -> rx.Component:
    return shell(
        page_heading(tr("notfound.title")),
        empty_state("notfound.body", "map-pin-off"),
        rx.link(tr("nav.home"), " →", href="/", size="4", weight="bold", margin_top="16px"),
    )


app = rx.App(
    html_lang="vi",
    style=STYLE,
    stylesheets=["/styles.css", "/citizen.css"],
    head_components=[
        rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml"),
        rx.el.meta(name="theme-color", content="#0d74ce"),
        a11y_head_script(),  # larger text / high contrast before the first paint, inline (ui/layout.py)
    ],
    # Our routes first (JSON API, field app), dynamic routes' prerendered shells, then compression and cache headers around everything served;
    # test runs add the serving worker's pid to responses (onestop.api.worker_header; cross-worker e2e);
    # outermost, guard: body size cap before reading, JSON 4xx/5xx with an error id instead of a trace.
    api_transformer=[
        Starlette(routes=api_routes()),
        ShellRoutes,  # /apply/<code> gets its prerendered shell, not the empty SPA fallback (onestop.ui.shells)
        deliver,
        *([with_worker_header] if get_settings().testing else []),
        guard,
    ],
)
live.install(app)  # officers' and citizens' open pages follow dossier changes (onestop.ui.live)
state_seal.protect_states_dir()  # Reflex's .states owner-only; tokens in it are sealed (onestop.ui.state_seal)
if get_settings().scheduler_enabled:  # every worker campaigns; one leader runs the jobs (onestop.jobs.scheduler)
    app.register_lifespan_task(scheduler_lifespan)

_public = [SessionState.identify, LangState.apply_document_lang]
_private = [LangState.apply_document_lang]  # the page's own load gates it (session.gate) before reading anything

#: Every page: (component, route, title key, on_load before the page's own, the page's load handler).
#: Public pages also show who is signed in; private ones check the token in their own load.
PAGES: tuple[tuple[Callable[[], rx.Component], str, str, list, EventHandler | list[EventHandler] | None], ...] = (
    (home_page, "/", "nav.home", _public, HomeState.load),
    (procedures_page, "/procedures", "nav.procedures", _public, CatalogState.load),
    # Citizen portal (issue 4): procedure page, apply, confirmation, pay, tracking (also without login), supplement.
    (
        procedure_page,
        "/procedures/[code]",
        "nav.procedures",
        _public,
        [ProcedureState.load, RelatedState.load_for_procedure],
    ),
    (apply_page, "/apply/[code]", "apply.title", _private, ApplyState.load),
    (confirmation_page, "/dossiers/[code]/done", "done.title", _private, ConfirmationState.load),
    (pay_page, "/dossiers/[code]/pay", "pay.title", _private, PayState.load),
    (supplement_page, "/dossiers/[code]/supplement", "supplement.title", _private, SupplementState.load),
    (rate_page, "/dossiers/[code]/rate", "rate.title", _private, [RateState.load, RelatedState.load_for_dossier]),
    (track_page, "/dossiers/[code]", "track.title", _public, TrackState.load),
    (lookup_page, "/track", "track.title", _public, TrackState.load_lookup),
    (login_page, "/login", "auth.sign_in", _private, LoginState.load),
    (my_page, "/my", "nav.my", _private, MyDossiersState.load),
    (officer_page, "/officer", "nav.officer", _private, InboxState.load),
    (officer_dossier_page, "/officer/dossiers/[code]", "officer.dossier_title", _private, DossierState.load),
    (counter_page, "/officer/counter", "counter.title", _private, CounterState.load),
    (support_page, "/support", "nav.support", _private, SupportState.load),
    (admin_page, "/admin", "nav.admin", _private, AdminState.load),
    (admin_procedures_page, "/admin/procedures", "admin.nav.procedures", _private, AdminProceduresState.load),
    (admin_centers_page, "/admin/centers", "admin.nav.centers", _private, AdminCentersState.load),
    (admin_users_page, "/admin/users", "admin.nav.users", _private, AdminUsersState.load),
    (admin_calendar_page, "/admin/calendar", "admin.nav.calendar", _private, AdminCalendarState.load),
    # Service-quality dashboard (issue 13): the index with drill-down, and the public summary (no sign-in).
    (dashboard_page, "/dashboard", "nav.dashboard", _private, DashState.load),
    (dashboard_dossiers_page, "/dashboard/dossiers", "dash.dossiers_title", _private, DrillState.load),
    (public_quality_page, "/quality", "dash.public_title", _public, PublicQualityState.load),
    (password_page, "/account/password", "account.password_title", _private, PasswordState.load),
    (reset_page, "/account/reset", "account.reset_title", _public, ResetState.load),
    # queue numbers and appointments (issue 16)
    (ticket_page, "/ticket", "q.title", _public, TicketState.load),
    (appointments_page, "/appointments", "appt.title", _private, AppointmentsState.load),
    (queue_panel_page, "/officer/queue", "q.panel_title", _private, QueuePanelState.load),
    (display_page, "/display/[center]", "q.display_now", _private, DisplayState.load),
    (kiosk_page, "/kiosk/[center]", "q.title", _private, KioskState.load),
    (poster_page, "/qr/[center]", "q.poster_title", _private, KioskState.load_poster),
    # the province's catalog: import and the form builder (issue 14)
    (catalog_import_page, "/admin/catalog-import", "catalog.import.title", _private, CatalogImportState.load),
    (form_builder_page, "/admin/form-builder", "builder.title", _private, FormBuilderState.load),
    (not_found_page, "404", "notfound.title", _public, None),
)

for _page, _route, _key, _before, _load in PAGES:
    _loads = _load if isinstance(_load, list) else [_load] if _load else []
    app.add_page(_page, route=_route, title=_title(_key), on_load=[*_before, *_loads])
