"""The apply page asks a visitor to sign in where they are, and shows nothing private to anyone not let in.

Why: a shared `/apply/<code>` link used to redirect a visitor to /login, a second page load on a slow link
(issue 11). The page now says which procedure the link is for (public, like its own page) and offers sign-in
that comes back; the signed-in citizen still gets the form, anyone else the "not allowed" notice.
"""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import onestop.onestop  # noqa: F401  (registers every page, so the dynamic route var `code` exists)
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.services import auth
from onestop.services.dossiers import current_procedure
from onestop.ui.citizen.apply import ApplyState
from onestop.ui.session import SessionState
from tests.integration.helpers import PHONES

CODE = "1.001612"


def _tab(token: str, code: str = CODE) -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {
            "pathname": "/apply/[code]",
            "asPath": f"/apply/{code}",
            "query": {"code": code},
            "token": "tab-apply",
            "ip": "203.0.113.7",
            "sid": "sid-apply",
            "headers": {},
        }
    )
    root.get_substate(SessionState.get_full_name().split(".")[1:]).token = token
    return root


def _sub(root: rx.State, cls: type[rx.State]) -> rx.State:
    return root.get_substate(cls.get_full_name().split(".")[1:])


def _token(session, role: str) -> str:  # noqa: ANN001
    token, _ = auth.sign_in(session, PHONES[role], DEMO_PASSWORD)
    session.commit()
    return token


@pytest.mark.anyio
async def test_a_visitor_is_asked_to_sign_in_here_with_the_procedure_named(session) -> None:  # noqa: ANN001
    root = _tab("")
    apply, who = _sub(root, ApplyState), _sub(root, SessionState)
    assert await apply.load() is None  # no redirect
    assert who.sign_in_page == "citizen"
    assert who.sign_in_href == "/login?next=%2Fapply%2F1.001612"
    assert who.granted_page == ""
    assert apply.public_code == CODE
    proc = current_procedure(session, CODE)
    assert (apply.public_vi, apply.public_en) == (proc.name_vi, proc.name_en or proc.name_vi)
    assert apply.public_vi
    assert apply.ctx.code == ""  # no form, no registry values
    assert apply.values == {}


@pytest.mark.anyio
async def test_a_visitor_on_an_unknown_code_gets_no_name(session) -> None:  # noqa: ANN001
    root = _tab("", "NO-SUCH")
    apply = _sub(root, ApplyState)
    assert await apply.load() is None
    assert _sub(root, SessionState).sign_in_page == "citizen"
    assert (apply.public_vi, apply.public_code) == ("", "")


@pytest.mark.anyio
async def test_the_citizen_gets_the_form(session) -> None:  # noqa: ANN001
    root = _tab(_token(session, "citizen"))
    apply, who = _sub(root, ApplyState), _sub(root, SessionState)
    assert await apply.load() is None
    assert (who.granted_page, who.sign_in_page) == ("citizen", "")
    assert apply.ctx.code == CODE
    assert apply.loaded


@pytest.mark.anyio
async def test_an_officer_is_refused_not_asked_to_sign_in(session) -> None:  # noqa: ANN001
    root = _tab(_token(session, "receiver"))
    apply, who = _sub(root, ApplyState), _sub(root, SessionState)
    assert await apply.load() is None
    assert (who.denied_page, who.sign_in_page, who.granted_page) == ("citizen", "", "")
    assert apply.ctx.code == "" and apply.public_vi == ""


@pytest.mark.anyio
async def test_other_guarded_pages_still_redirect(session) -> None:  # noqa: ANN001
    from onestop.ui.citizen.my import MyDossiersState

    root = _tab("")
    answer = await _sub(root, MyDossiersState).load()
    assert answer is not None  # rx.redirect to /login?next=…
    assert _sub(root, SessionState).sign_in_page == ""
