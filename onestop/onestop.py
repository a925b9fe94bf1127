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
from onestop.ui.i18n import LangState, tr
from onestop.ui.layout import shell
from onestop.ui.pages.admin import AdminState, admin_page
from onestop.ui.pages.citizen import MyDossiersState, my_page
from onestop.ui.pages.dashboard import DashboardState, dashboard_page
from onestop.ui.pages.home import HomeState, home_page
from onestop.ui.pages.login import LoginState, login_page
from onestop.ui.pages.officer import InboxState, officer_page
from onestop.ui.pages.procedures import CatalogState, procedures_page
from onestop.ui.pages.support import SupportState, support_page
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
    stylesheets=["/styles.css"],
    head_components=[
        rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml"),
        rx.el.meta(name="theme-color", content="#0d74ce"),
    ],
    api_transformer=Starlette(routes=api_routes()),
)
if get_settings().scheduler_enabled:  # every worker campaigns; one leader runs the jobs (onestop.jobs.scheduler)
    app.register_lifespan_task(scheduler_lifespan)

_public = [SessionState.identify, LangState.apply_document_lang]

app.add_page(home_page, route="/", title=_title("nav.home"), on_load=[*_public, HomeState.load])
app.add_page(procedures_page, route="/procedures", title=_title("nav.procedures"),
             on_load=[*_public, CatalogState.load])
app.add_page(login_page, route="/login", title=_title("auth.sign_in"),
             on_load=[LangState.apply_document_lang, LoginState.load])
app.add_page(my_page, route="/my", title=_title("nav.my"),
             on_load=[LangState.apply_document_lang, MyDossiersState.load])
app.add_page(officer_page, route="/officer", title=_title("nav.officer"),
             on_load=[LangState.apply_document_lang, InboxState.load])
app.add_page(support_page, route="/support", title=_title("nav.support"),
             on_load=[LangState.apply_document_lang, SupportState.load])
app.add_page(admin_page, route="/admin", title=_title("nav.admin"),
             on_load=[LangState.apply_document_lang, AdminState.load])
app.add_page(dashboard_page, route="/dashboard", title=_title("nav.dashboard"),
             on_load=[LangState.apply_document_lang, DashboardState.load])
app.add_page(not_found_page, route="404", title=_title("notfound.title"), on_load=_public)
