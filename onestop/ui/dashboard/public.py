"""`/quality`: the province's index and on-time rate for everyone, without signing in.

Why public: the national portal publishes each province's Decision 766 score;
people should see ours as it stands today. Only aggregates are shown (no dossier
rows, no drill-down links); they are loaded after the page opens, never
prerendered into the static HTML.
"""

from __future__ import annotations

import reflex as rx

from onestop import clock
from onestop.ui.components.styles import COLUMN
from onestop.ui.dashboard.view import DashView, load_public
from onestop.ui.dashboard.widgets import cell_text, data_table
from onestop.ui.i18n import tr
from onestop.ui.layout import shell
from onestop.ui.offload import off_loop
from onestop.ui.widgets import loading_panel, page_heading, stat_card


class PublicQualityState(rx.State):
    v: DashView = DashView()

    @rx.event
    async def load(self) -> None:
        self.v = await off_loop(load_public, clock.now())


def public_quality_page() -> rx.Component:
    v = PublicQualityState.v
    return shell(
        page_heading(
            tr("dash.public_title"), rx.text(tr("dash.public_intro"), " ", cell_text(v.period_text), as_="span")
        ),
        rx.cond(
            v.loaded,
            rx.vstack(
                rx.grid(
                    stat_card(
                        tr("dash.total"),
                        cell_text(v.total),
                        "award",
                        "indigo",
                        cell_text(v.out_of),
                        id="public-total",
                    ),
                    stat_card(
                        tr("dash.rate.on_time"), cell_text(v.on_time), "circle-check", "green", id="public-on-time"
                    ),
                    stat_card(tr("dash.rate.online"), cell_text(v.online), "globe", "blue"),
                    columns={"initial": "1", "md": "3"},
                    **COLUMN,
                ),
                rx.heading(cell_text(v.t_groups.title), as_="h2", size="5", weight="bold", margin_top="20px"),
                data_table(v.t_groups, downloads=False, links=False),
                rx.heading(cell_text(v.t_rates.title), as_="h2", size="5", weight="bold", margin_top="20px"),
                data_table(v.t_rates, downloads=False, links=False),
                rx.cond(
                    v.t_centers.rows.length() > 0,
                    rx.vstack(
                        rx.heading(cell_text(v.t_centers.title), as_="h2", size="5", weight="bold", margin_top="20px"),
                        data_table(v.t_centers, downloads=False, links=False),
                        width="100%",
                    ),
                ),
                rx.text(tr("dash.public_method"), size="2", color_scheme="gray", margin_top="16px"),
                **COLUMN,
            ),
            loading_panel(),
        ),
    )
