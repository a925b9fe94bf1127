"""The Reflex app: pages with their load handlers, the JSON API and the static field app.

Why every page's on_load starts with a token check (see ui/session.gate):
`reflex run --env prod` prerenders every route to static HTML, so nothing private
may be in a component; it reaches the browser only from state, after the check.
"""

from __future__ import annotations

import reflex as rx
from starlette.applications import Starlette

from onestop.api import routes as api_routes
from onestop.i18n import t
from onestop.jobs.scheduler import scheduler_lifespan
from onestop.settings import get_settings
from onestop.ui import live
from onestop.ui.dashboard.board import DashState, dashboard_page
from onestop.ui.dashboard.dossiers import DrillState, dashboard_dossiers_page
from onestop.ui.dashboard.public import PublicQualityState, public_quality_page
from onestop.ui.dashboard.related import RelatedState
from onestop.ui.i18n import LangState, tr
from onestop.ui.layout import shell
from onestop.ui.pages.admin import AdminState, admin_page
from onestop.ui.pages.admin_calendar import AdminCalendarState, admin_calendar_page
from onestop.ui.pages.admin_centers import AdminCentersState, admin_centers_page
from onestop.ui.pages.admin_procedures import AdminProceduresState, admin_procedures_page
from onestop.ui.pages.admin_users import AdminUsersState, admin_users_page
from onestop.ui.pages.apply import ApplyState, apply_page
from onestop.ui.pages.citizen import MyDossiersState, my_page
from onestop.ui.pages.confirmation import ConfirmationState, confirmation_page
from onestop.ui.pages.counter import CounterState, counter_page
from onestop.ui.pages.home import HomeState, home_page
from onestop.ui.pages.login import LoginState, login_page
from onestop.ui.pages.officer import InboxState, officer_page
from onestop.ui.pages.officer_dossier import DossierState, officer_dossier_page
from onestop.ui.pages.pay import PayState, pay_page
from onestop.ui.pages.procedure import ProcedureState, procedure_page
from onestop.ui.pages.procedures import CatalogState, procedures_page
from onestop.ui.pages.rate import RateState, rate_page
from onestop.ui.pages.supplement import SupplementState, supplement_page
from onestop.ui.pages.support import SupportState, support_page
from onestop.ui.pages.track import TrackState, lookup_page, track_page
from onestop.ui.session import SessionState
from onestop.ui.theme import STYLE, THEME
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
    theme=THEME,
    style=STYLE,
    stylesheets=["/styles.css", "/citizen.css"],
    head_components=[
        rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml"),
        rx.el.meta(name="theme-color", content="#0d74ce"),
        rx.el.script(src="/a11y.js"),  # larger text / high contrast before the first paint (ui/pages/a11y.py)
    ],
    api_transformer=Starlette(routes=api_routes()),
)
live.install(app)  # officers' and citizens' open pages follow dossier changes (onestop.ui.live)
if get_settings().scheduler_enabled:  # every worker campaigns; one leader runs the jobs (onestop.jobs.scheduler)
    app.register_lifespan_task(scheduler_lifespan)

_public = [SessionState.identify, LangState.apply_document_lang]

app.add_page(home_page, route="/", title=_title("nav.home"), on_load=[*_public, HomeState.load])
app.add_page(procedures_page, route="/procedures", title=_title("nav.procedures"),
             on_load=[*_public, CatalogState.load])
# Citizen portal (issue 4): procedure page, apply, confirmation, pay, tracking (also without login), supplement, rate.
app.add_page(procedure_page, route="/procedures/[code]", title=_title("nav.procedures"),
             on_load=[*_public, ProcedureState.load, RelatedState.load_for_procedure])
app.add_page(apply_page, route="/apply/[code]", title=_title("apply.title"),
             on_load=[LangState.apply_document_lang, ApplyState.load])
app.add_page(confirmation_page, route="/dossiers/[code]/done", title=_title("done.title"),
             on_load=[LangState.apply_document_lang, ConfirmationState.load])
app.add_page(pay_page, route="/dossiers/[code]/pay", title=_title("pay.title"),
             on_load=[LangState.apply_document_lang, PayState.load])
app.add_page(supplement_page, route="/dossiers/[code]/supplement", title=_title("supplement.title"),
             on_load=[LangState.apply_document_lang, SupplementState.load])
app.add_page(rate_page, route="/dossiers/[code]/rate", title=_title("rate.title"),
             on_load=[LangState.apply_document_lang, RateState.load, RelatedState.load_for_dossier])
app.add_page(track_page, route="/dossiers/[code]", title=_title("track.title"),
             on_load=[*_public, TrackState.load])
app.add_page(lookup_page, route="/track", title=_title("track.title"), on_load=[*_public, TrackState.load_lookup])
app.add_page(login_page, route="/login", title=_title("auth.sign_in"),
             on_load=[LangState.apply_document_lang, LoginState.load])
app.add_page(my_page, route="/my", title=_title("nav.my"),
             on_load=[LangState.apply_document_lang, MyDossiersState.load])
app.add_page(officer_page, route="/officer", title=_title("nav.officer"),
             on_load=[LangState.apply_document_lang, InboxState.load])
app.add_page(officer_dossier_page, route="/officer/dossiers/[code]", title=_title("officer.dossier_title"),
             on_load=[LangState.apply_document_lang, DossierState.load])
app.add_page(counter_page, route="/officer/counter", title=_title("counter.title"),
             on_load=[LangState.apply_document_lang, CounterState.load])
app.add_page(support_page, route="/support", title=_title("nav.support"),
             on_load=[LangState.apply_document_lang, SupportState.load])
app.add_page(admin_page, route="/admin", title=_title("nav.admin"),
             on_load=[LangState.apply_document_lang, AdminState.load])
for _page, _route, _key, _state in (
        (admin_procedures_page, "/admin/procedures", "admin.nav.procedures", AdminProceduresState),
        (admin_centers_page, "/admin/centers", "admin.nav.centers", AdminCentersState),
        (admin_users_page, "/admin/users", "admin.nav.users", AdminUsersState),
        (admin_calendar_page, "/admin/calendar", "admin.nav.calendar", AdminCalendarState)):
    app.add_page(_page, route=_route, title=_title(_key), on_load=[LangState.apply_document_lang, _state.load])
# Service-quality dashboard (issue 13): the index with drill-down, and the public summary (no sign-in).
app.add_page(dashboard_page, route="/dashboard", title=_title("nav.dashboard"),
             on_load=[LangState.apply_document_lang, DashState.load])
app.add_page(dashboard_dossiers_page, route="/dashboard/dossiers", title=_title("dash.dossiers_title"),
             on_load=[LangState.apply_document_lang, DrillState.load])
app.add_page(public_quality_page, route="/quality", title=_title("dash.public_title"),
             on_load=[*_public, PublicQualityState.load])
app.add_page(not_found_page, route="404", title=_title("notfound.title"), on_load=_public)
