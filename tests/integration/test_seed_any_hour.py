"""The demo data never lies in the future, whatever hour it is seeded at (issue 12).

Why: seeded at 01:59 the seed filed "today's" dossiers at 13:59, so they sorted above a dossier the citizen had
just filed and the e2e journey failed at night. The e2e suite seeds at the real hour of the run.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop import clock
from onestop.demo.seed import seed
from onestop.models import Dossier, DossierEvent


@pytest.mark.parametrize(
    "moment", [datetime(2026, 11, 25, 1, 59), datetime(2026, 11, 25, 7, 35), datetime(2026, 11, 28, 23, 40)]
)
def test_seeded_dossiers_and_events_are_never_after_the_seed_moment(session, moment: datetime) -> None:
    clock.set_now(moment)
    seed(session, dossiers=40)
    latest = session.execute(sa.select(sa.func.max(Dossier.submitted_at), sa.func.max(Dossier.created_at))).one()
    assert latest[0] is not None and latest[0] <= moment and latest[1] <= moment
    assert session.execute(sa.select(sa.func.max(DossierEvent.at))).scalar_one() <= moment
