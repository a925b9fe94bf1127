"""Sign in with VNeID: the OpenID Connect flow against the sandbox provider, end to end over HTTP."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from onestop.adapters import identity as idp
from onestop.api import identity as routes
from onestop.api import routes as all_routes
from onestop.api.guard import guard
from onestop.models import AuthSession, Resident, User
from onestop.services import auth
from onestop.settings import get_settings


@pytest.fixture()
def client(session, monkeypatch):  # noqa: ANN001
    base = get_settings().public_base_url.rstrip("/")
    app = guard(Starlette(routes=all_routes()))
    c = TestClient(app, base_url=base, raise_server_exceptions=False)
    monkeypatch.setattr(routes, "http_client", c)  # the server-to-server code exchange goes through the app too
    return c


def _start(client: TestClient) -> dict[str, str]:
    r = client.get("/auth/vneid/start", follow_redirects=False)
    assert r.status_code == 303 and routes.FLOW_COOKIE in r.cookies
    target = urlsplit(r.headers["location"])
    assert target.path == "/idp/sandbox/authorize"
    q = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert q["response_type"] == "code" and q["scope"] == "openid" and q["state"] and q["nonce"]
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "national_id" in page.text
    return q


def _consent(client: TestClient, q: dict[str, str], national_id: str):  # noqa: ANN202
    form = {k: q[k] for k in ("client_id", "redirect_uri", "state", "nonce")} | {"national_id": national_id}
    return client.post("/idp/sandbox/authorize", data=form, follow_redirects=False)


def test_a_resident_signs_in_and_gets_a_citizen_session(session, client):
    resident = session.exec(select(Resident).order_by(Resident.id.desc())).first()  # no online account yet
    assert session.exec(select(User).where(User.national_id == resident.national_id)).first() is None
    q = _start(client)
    back = _consent(client, q, resident.national_id)
    assert back.status_code == 303 and back.headers["location"].startswith(q["redirect_uri"])
    done = client.get(back.headers["location"], follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/my", done.text
    token = done.cookies.get(routes.SESSION_COOKIE)
    user = auth.user_for_token(session, token)
    assert user is not None and user.national_id == resident.national_id and user.role == "citizen"
    assert user.phone == resident.phone and user.full_name == resident.full_name
    # the ID token really is a signed JWT from the provider's published key
    keys = client.get("/idp/sandbox/jwks").json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and "d" not in keys[0]
    import sqlalchemy as sa

    session.exec(sa.delete(AuthSession).where(AuthSession.user_id == user.id))
    session.exec(sa.delete(User).where(User.id == user.id))  # reference data stays as seeded
    session.commit()


def test_an_existing_citizen_account_is_the_one_signed_in(session, client):
    citizen = session.exec(select(User).where(User.phone == "0901000001")).one()
    q = _start(client)
    done = client.get(_consent(client, q, citizen.national_id).headers["location"], follow_redirects=False)
    assert auth.user_for_token(session, done.cookies.get(routes.SESSION_COOKIE)).id == citizen.id


def test_a_wrong_state_or_no_flow_cookie_is_refused(session, client):
    citizen = session.exec(select(User).where(User.phone == "0901000001")).one()
    q = _start(client)
    location = _consent(client, q, citizen.national_id).headers["location"]
    forged = re.sub(r"state=[^&]+", "state=forged", location)
    r = client.get(forged, follow_redirects=False)
    assert r.status_code == 400 and routes.SESSION_COOKIE not in r.cookies
    client.cookies.clear()
    r = client.get(location, follow_redirects=False)
    assert r.status_code == 400 and routes.SESSION_COOKIE not in r.cookies


def test_unknown_id_number_gets_no_code(client):
    q = _start(client)
    r = _consent(client, q, "999999999999")
    assert r.status_code == 404 and "location" not in r.headers


def test_foreign_redirect_uri_is_refused(client):
    q = _start(client)
    r = _consent(client, q | {"redirect_uri": "https://evil.example/cb"}, "001088012345")
    assert r.status_code == 400 and "location" not in r.headers


def test_client_refuses_a_token_signed_by_another_key_or_with_another_nonce(session, client):
    config = idp.sandbox_config()
    provider = idp.SandboxProvider.default()
    who = idp.Identity("001088012345", "Nguyễn Văn A")
    rp = idp.OidcClient(config, http=client)
    good = provider.issue_code(client_id=config.client_id, redirect_uri=config.redirect_uri, nonce="n1", identity=who)
    with pytest.raises(Exception) as wrong_nonce:
        rp.identity(good, "n2")
    assert getattr(wrong_nonce.value, "code", "") == "vneid_failed"
    rogue = idp.SandboxProvider(config, RSAKey.generate_key(2048, parameters={"kid": "rogue", "alg": "RS256"}))
    forged_code = rogue.issue_code(
        client_id=config.client_id, redirect_uri=config.redirect_uri, nonce="n1", identity=who
    )
    with pytest.raises(Exception) as forged:
        rp.identity(forged_code, "n1")  # the provider itself refuses a code it did not sign
    assert getattr(forged.value, "code", "") == "vneid_failed"
    token = rogue.token(
        code=forged_code,
        client_id=config.client_id,
        client_secret=config.client_secret,
        redirect_uri=config.redirect_uri,
    )["id_token"]
    with pytest.raises(Exception):  # noqa: B017 - joserfc's own error type
        jwt.decode(token, idp.KeySet.import_key_set(provider.jwks()))


def test_token_endpoint_checks_the_client_secret(client):
    config = idp.sandbox_config()
    code = idp.SandboxProvider.default().issue_code(
        client_id=config.client_id,
        redirect_uri=config.redirect_uri,
        nonce="n",
        identity=idp.Identity("001088012345", "A"),
    )
    r = client.post(
        "/idp/sandbox/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": config.client_id,
            "client_secret": "wrong",
            "redirect_uri": config.redirect_uri,
        },
    )
    assert r.status_code == 401 and "id_token" not in r.text
