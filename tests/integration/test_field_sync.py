"""Field sync through the HTTP API on a real database: idempotency, faults, flags, scope.

The fault cases are the ones a phone on a village network produces: a response
lost after the server committed, a dossier that arrives before its photos, a
resend whose content changed, a server down for an hour (the device's backoff,
run with node against a fake server), one bad item among good ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from onestop import clock
from onestop.api import routes
from onestop.db import new_session, transaction
from onestop.domain.codes import new_provisional_code
from onestop.models import Attachment, AuthSession, Consent, Dossier, Resident, SupportVisit, SyncOperation
from onestop.services import auth
from tests.integration.helpers import form_for, user

ROOT = Path(__file__).resolve().parents[2]
MONDAY = datetime(2026, 11, 23, 9, 0)
PASSWORD = "Demo@2026"
PROC = "2.000815"  # certified copy: one required document (the original), photographed page by page


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


@pytest.fixture()
def client(session):  # noqa: ANN001 - the session fixture empties the dossier tables first
    with TestClient(Starlette(routes=routes())) as c:
        yield c


def jpeg(n: int = 2000, seed: int = 0) -> bytes:
    """Bytes that sniff as JPEG (the server checks the content, not the name)."""
    body = hashlib.sha256(f"{seed}".encode()).digest() * (n // 32 + 1)
    return b"\xff\xd8\xff\xe0" + body[:n]


def png(seed: int = 0) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + hashlib.sha256(f"sig{seed}".encode()).digest() * 8


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


DEVICE = "dev-test-0001"


def sign_in(client: TestClient, login: str = "0901000002", password: str = PASSWORD) -> dict:
    r = client.post(
        "/api/v1/field/session",
        json={"login": login, "password": password, "device_id": DEVICE, "device_label": "test phone"},
    )
    return {"status": r.status_code, **r.json()}


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Device-Id": DEVICE}


def resident(session, offset: int = 0) -> Resident:  # noqa: ANN001
    return session.exec(select(Resident).order_by(Resident.id).offset(210 + offset)).first()


def put(client: TestClient, token: str, data: bytes, *, purpose: str = "document", document: str = "original_scan"):
    params = {"purpose": purpose, "procedure": PROC, "document": document, "filename": "trang.jpg"}
    return client.put(f"/api/v1/field/attachments/{sha(data)}", params=params, content=data, headers=headers(token))


def consent(client: TestClient, token: str, res: Resident, signature: bytes, cid: str | None = None):
    cid = cid or str(uuid.uuid4())
    assert put(client, token, signature, purpose="consent").status_code in (200, 201)
    r = client.post(
        "/api/v1/field/consents",
        headers=headers(token),
        json={
            "client_uuid": cid,
            "resident_id": res.id,
            "method": "signature",
            "sha256": sha(signature),
            "captured_at": "2026-11-23T08:30:00+07:00",
            "place": res.address,
        },
    )
    assert r.status_code in (200, 201), r.text
    return cid


def dossier_payload(session, res: Resident, photos: list[bytes], consent_uuid: str, **extra) -> dict:  # noqa: ANN001
    body = {
        "client_uuid": str(uuid.uuid4()),
        "procedure_code": PROC,
        "resident_id": res.id,
        "form_data": form_for(session, PROC, res),
        "consent_uuid": consent_uuid,
        "attachments": [
            {"sha256": sha(p), "document_code": "original_scan", "filename": f"trang-{i + 1}.jpg"}
            for i, p in enumerate(photos)
        ],
        "provisional_code": new_provisional_code(),
        "captured_at": "2026-11-23T08:40:00+07:00",
        "sent_at": MONDAY.isoformat(),
    }
    body.update(extra)
    return body


def count(session, model) -> int:  # noqa: ANN001
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture()
def token(client: TestClient) -> str:
    r = sign_in(client)
    assert r["status"] == 201, r
    return r["token"]


def capture(client, session, token, offset: int = 0, seed: int = 0, **extra):  # noqa: ANN001
    """Consent and two photos uploaded; returns the dossier payload, ready to send."""
    res = resident(session, offset)
    photos = [jpeg(seed=seed * 10 + 1), jpeg(seed=seed * 10 + 2)]
    cid = consent(client, token, res, png(seed))
    for p in photos:
        assert put(client, token, p).status_code in (200, 201)
    return dossier_payload(session, res, photos, cid, **extra)


# --------------------------------------------------------------------------- sign-in and scope


def test_device_token_is_scoped_expiring_and_revocable(client, session):
    r = sign_in(client)
    assert r["status"] == 201 and r["user"]["role"] == "supporter" and r["center"]["code"] == "X01"
    row = session.exec(select(AuthSession).where(AuthSession.kind == "device")).one()
    assert row.expires_at == MONDAY + timedelta(days=30) and DEVICE in row.device_label
    assert client.get("/api/v1/field/me", headers=headers(r["token"])).status_code == 200

    wrong = sign_in(client, password="nope")
    assert wrong["status"] == 401 and wrong["error"]["code"] == "bad_credentials" and wrong["error"]["en"]
    citizen = sign_in(client, login="0901000001")
    assert citizen["status"] == 403 and citizen["error"]["code"] == "not_supporter"
    # the citizen's device session was closed at once
    assert all(
        s.revoked_at
        for s in session.exec(select(AuthSession).where(AuthSession.user_id == user(session, "citizen").id))
    )

    with transaction(session):
        web_token, _ = auth.sign_in(session, "0901000002", PASSWORD, kind="web")
    assert client.get("/api/v1/field/me", headers=headers(web_token)).status_code == 401
    assert client.get("/api/v1/field/me").json()["error"]["code"] == "device_signed_out"

    clock.set_now(MONDAY + timedelta(days=31))
    assert client.get("/api/v1/field/me", headers=headers(r["token"])).status_code == 401
    clock.set_now(MONDAY)
    fresh = sign_in(client)["token"]
    with transaction(session):
        auth.revoke_user_sessions(session, user(session, "supporter").id, kind="device")
    assert client.get("/api/v1/field/me", headers=headers(fresh)).status_code == 401


def test_catalog_has_schemas_and_an_etag(client, token):
    r = client.get("/api/v1/field/catalog", headers=headers(token))
    assert r.status_code == 200 and r.headers["etag"]
    procs = {p["code"]: p for p in r.json()["procedures"]}
    assert procs[PROC]["form_schema"]["documents"][1]["code"] == "original_scan"
    again = client.get("/api/v1/field/catalog", headers={**headers(token), "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_visit_list_carries_registry_data(client, session, token):
    res = resident(session)
    session.add(
        SupportVisit(
            supporter_id=user(session, "supporter").id,
            resident_id=res.id,
            planned_for=MONDAY.date(),
            purpose="Chứng thực bản sao",
        )
    )
    session.commit()
    visits = client.get("/api/v1/field/visits", headers=headers(token)).json()["visits"]
    assert [v["resident"]["national_id"] for v in visits] == [res.national_id]
    assert visits[0]["resident"]["date_of_birth"] == res.date_of_birth.isoformat()
    found = client.get("/api/v1/field/residents", params={"q": res.national_id[:9]}, headers=headers(token))
    assert res.national_id in [x["national_id"] for x in found.json()["residents"]]


# --------------------------------------------------------------------------- uploads


def test_upload_checks_hash_type_size_and_is_idempotent(client, session, token):
    photo = jpeg()
    first, second = put(client, token, photo), put(client, token, photo)
    assert (first.status_code, second.status_code) == (201, 200)
    assert count(session, Attachment) == 1
    assert client.head(f"/api/v1/field/attachments/{sha(photo)}", headers=headers(token)).status_code == 200
    assert client.head(f"/api/v1/field/attachments/{'0' * 64}", headers=headers(token)).status_code == 404

    bad_hash = client.put(
        f"/api/v1/field/attachments/{'a' * 64}",
        params={"procedure": PROC, "document": "original_scan", "filename": "x.jpg"},
        content=photo,
        headers=headers(token),
    )
    assert bad_hash.status_code == 422 and bad_hash.json()["error"]["code"] == "hash_mismatch"
    exe = b"MZ\x90\x00" + b"\x00" * 100
    wrong_type = put(client, token, exe)
    assert wrong_type.status_code == 422 and wrong_type.json()["error"]["code"] == "upload_type"
    assert "PDF" in wrong_type.json()["error"]["vi"]
    unknown_doc = put(client, token, jpeg(seed=5), document="passport")
    assert unknown_doc.status_code == 422 and unknown_doc.json()["error"]["code"] == "unknown_document"
    big = jpeg(n=11 * 1024 * 1024)
    too_big = put(client, token, big)
    assert too_big.status_code == 422 and too_big.json()["error"]["code"] == "upload_too_big"
    assert count(session, Attachment) == 1


# --------------------------------------------------------------------------- dossiers


def test_field_dossier_accepted_once_with_official_code_and_device_time_kept(client, session, token):
    res = resident(session)
    visit = SupportVisit(supporter_id=user(session, "supporter").id, resident_id=res.id, planned_for=MONDAY.date())
    session.add(visit)
    session.commit()
    body = capture(client, session, token, visit_id=visit.id)
    clock.set_now(MONDAY + timedelta(hours=2))  # reception two hours after capture
    body["sent_at"] = (MONDAY + timedelta(hours=2)).isoformat()
    r = client.post("/api/v1/field/dossiers", json=body, headers=headers(token))
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["dossier_code"].startswith("X01-261123-") and answer["flags"] == {}
    d = session.exec(select(Dossier).where(Dossier.client_uuid == body["client_uuid"])).one()
    assert d.channel == "field" and d.on_behalf and d.consent_id is not None and d.status == 1
    assert d.submitted_at == MONDAY + timedelta(hours=2)  # the server's moment, not the device's
    assert d.captured_at == datetime(2026, 11, 23, 8, 40)
    assert d.provisional_code == body["provisional_code"]
    atts = session.exec(select(Attachment).where(Attachment.dossier_id == d.id)).all()
    assert sorted(a.filename for a in atts) == ["trang-1.jpg", "trang-2.jpg"]
    session.refresh(visit)
    assert visit.status == "done"
    op = session.exec(select(SyncOperation).where(SyncOperation.op_uuid == body["client_uuid"])).one()
    assert op.response["dossier_code"] == d.code  # the answer was stored in the dossier's own transaction
    from onestop.services.field_sync import find_by_provisional_code

    assert [
        x.id
        for x in find_by_provisional_code(
            session, body["provisional_code"].lower(), supporter_id=d.acting_user_id, device_id=DEVICE
        )
    ] == [d.id]


def test_response_lost_after_commit_resend_gives_same_answer_and_one_dossier(client, session, token):
    body = capture(client, session, token)
    first = client.post("/api/v1/field/dossiers", json=body, headers=headers(token))
    assert first.status_code == 201
    # the phone never saw that answer; it resends the same record a minute later (new sent_at)
    clock.set_now(MONDAY + timedelta(minutes=1))
    again = client.post(
        "/api/v1/field/dossiers", json={**body, "sent_at": "2026-11-23T09:01:00"}, headers=headers(token)
    )
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replay"] == "true"
    assert count(session, Dossier) == 1 and count(session, SyncOperation) == 2  # consent + dossier


def test_dossier_before_its_photos_lists_what_is_missing_then_completes(client, session, token):
    res = resident(session)
    photos = [jpeg(seed=41), jpeg(seed=42)]
    cid = str(uuid.uuid4())
    body = dossier_payload(session, res, photos, cid)
    r = client.post("/api/v1/field/dossiers", json=body, headers=headers(token))
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "uploads_missing" and "thiếu 3 tệp" in err["vi"]
    assert sorted(err["missing"]["attachments"]) == sorted(sha(p) for p in photos)
    assert err["missing"]["consent"] == cid
    assert count(session, Dossier) == 0 and count(session, SyncOperation) == 0
    consent(client, token, res, png(), cid)
    put(client, token, photos[0])
    r = client.post("/api/v1/field/dossiers", json=body, headers=headers(token))
    assert r.status_code == 422 and r.json()["error"]["missing"] == {"attachments": [sha(photos[1])], "consent": None}
    put(client, token, photos[1])
    r = client.post("/api/v1/field/dossiers", json=body, headers=headers(token))
    assert r.status_code == 201 and count(session, Dossier) == 1


def test_same_uuid_with_changed_content_is_a_conflict_and_nothing_is_overwritten(client, session, token):
    body = capture(client, session, token)
    assert client.post("/api/v1/field/dossiers", json=body, headers=headers(token)).status_code == 201
    changed = json.loads(json.dumps(body))
    changed["form_data"]["copies"] = 9
    r = client.post("/api/v1/field/dossiers", json=changed, headers=headers(token))
    assert r.status_code == 409 and r.json()["error"]["code"] == "uuid_conflict" and r.json()["error"]["vi"]
    d = session.exec(select(Dossier)).one()
    assert d.form_data["copies"] == 3 and count(session, Dossier) == 1
    # a consent UUID reused as a dossier UUID is a conflict too, never a second meaning
    other = capture(client, session, token, offset=1, seed=1)
    other["client_uuid"] = body["consent_uuid"]
    assert client.post("/api/v1/field/dossiers", json=other, headers=headers(token)).status_code == 409


def test_a_permanently_invalid_item_does_not_block_the_others(client, session, token):
    bodies = [capture(client, session, token, offset=i, seed=i) for i in range(3)]
    bodies[1]["resident_id"] = None
    bodies[1]["resident_national_id"] = "001099999999"  # nobody in the registry
    bodies.append(capture(client, session, token, offset=3, seed=3))
    bodies[3]["form_data"]["copies"] = "nhiều"  # not a number
    answers = [client.post("/api/v1/field/dossiers", json=b, headers=headers(token)) for b in bodies]
    assert [a.status_code for a in answers] == [201, 422, 201, 422]
    assert answers[1].json()["error"]["code"] == "resident_not_found"
    assert answers[3].json()["error"]["code"] == "form_invalid" and "copies" in answers[3].json()["error"]["errors"]
    assert count(session, Dossier) == 2
    # the supporter corrects the form and sends it again under the same UUID: accepted
    bodies[3]["form_data"]["copies"] = 2
    assert client.post("/api/v1/field/dossiers", json=bodies[3], headers=headers(token)).status_code == 201


def test_clock_skew_and_possible_duplicate_are_flagged_for_the_officer(client, session, token):
    first = capture(client, session, token)
    assert client.post("/api/v1/field/dossiers", json=first, headers=headers(token)).status_code == 201
    code = session.exec(select(Dossier.code)).one()
    # same person, same procedure, still open; the device clock is 95 minutes slow
    second = capture(client, session, token, seed=7, sent_at=(MONDAY - timedelta(minutes=95)).isoformat())
    r = client.post("/api/v1/field/dossiers", json=second, headers=headers(token))
    assert r.status_code == 201, r.text
    assert r.json()["flags"] == {"clock_skew_minutes": 95, "possible_duplicate_of": code}
    d = session.exec(select(Dossier).where(Dossier.client_uuid == second["client_uuid"])).one()
    assert d.flags == {"clock_skew_minutes": 95, "possible_duplicate_of": code}
    # a clock five minutes off is normal and not flagged
    third = capture(client, session, token, offset=2, seed=8, sent_at=(MONDAY + timedelta(minutes=5)).isoformat())
    assert client.post("/api/v1/field/dossiers", json=third, headers=headers(token)).json()["flags"] == {}


def test_consent_must_belong_to_this_resident_and_inputs_are_checked(client, session, token):
    body = capture(client, session, token)
    body["resident_id"] = resident(session, 5).id  # consent was given by someone else
    body["form_data"] = form_for(session, PROC, resident(session, 5))
    r = client.post("/api/v1/field/dossiers", json=body, headers=headers(token))
    assert r.status_code == 400 and r.json()["error"]["code"] == "consent_required"
    for broken, code in [
        ({"client_uuid": "x"}, "bad_uuid"),
        ({"provisional_code": "F7K3-M2QA"}, "bad_provisional_code"),
        ({"captured_at": "yesterday"}, "bad_time"),
        ({"form_data": [1]}, "bad_form_data"),
    ]:
        r = client.post("/api/v1/field/dossiers", json={**body, **broken}, headers=headers(token))
        assert r.json()["error"]["code"] == code, (broken, r.text)
        assert r.json()["error"]["vi"] and r.json()["error"]["en"]
    r = client.post("/api/v1/field/dossiers", content=b"{not json", headers=headers(token))
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_json"
    assert count(session, Dossier) == 0


def test_concurrent_first_sends_of_one_uuid_make_one_dossier(client, session, token):
    body = capture(client, session, token)
    answers: list[tuple[int, dict]] = []

    def send() -> None:
        with TestClient(Starlette(routes=routes())) as c:
            r = c.post("/api/v1/field/dossiers", json=body, headers=headers(token))
            answers.append((r.status_code, r.json()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {s for s, _ in answers} == {201}, answers
    assert len({json.dumps(a, sort_keys=True) for _, a in answers}) == 1
    assert count(session, Dossier) == 1
    with new_session() as s:
        assert s.exec(select(func.count()).select_from(Consent)).one() == 1


# --------------------------------------------------------------------------- the device's sync engine (node)


def _node() -> str | None:
    venv_node = ROOT / ".venv" / "bin" / "node"
    return str(venv_node) if venv_node.exists() else shutil.which("node")


ENGINE_TEST = r"""
import assert from "node:assert/strict";
const { SyncEngine, backoffDelay, classify, BACKOFF } = await import(process.env.SYNC_JS);

// ---- backoff: exponential, jittered, never above the cap
for (let a = 1; a <= 60; a++) {
  for (const r of [0, 0.5, 0.999]) {
    const d = backoffDelay(a, { random: () => r });
    assert.ok(d <= BACKOFF.capMs && d >= Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** (a - 1)) / 2, `${a} ${d}`);
  }
}
assert.equal(backoffDelay(1, { random: () => 1 }), 5000);
assert.equal(backoffDelay(40, { random: () => 1 }), BACKOFF.capMs);
assert.equal(classify(503, null), "retry");
assert.equal(classify(0, null), "retry");
assert.equal(classify(409, { error: { code: "uuid_conflict" } }), "attention");
assert.equal(classify(422, { error: { code: "uploads_missing" } }), "missing");

// ---- a fake server with the real API's semantics
function fakeServer(clock) {
  const s = { blobs: new Set(), consents: new Map(), dossiers: new Map(), created: new Map(), hits: [],
              downUntil: 0, dropNextAnswer: false, unauthorised: false };
  const fail = () => { s.hits.push(clock.t); return s.unauthorised ? { status: 401, body: { error: { code: "device_signed_out", vi: "x", en: "x" } } }
                                               : clock.t < s.downUntil ? { status: 500, body: null } : null; };
  s.api = {
    async putAttachment(sha, blob) { const f = fail(); if (f) return f; const had = s.blobs.has(sha); s.blobs.add(sha); return { status: had ? 200 : 201, body: {} }; },
    async postJSON(path, json) {
      const f = fail(); if (f) return f;
      if (path === "/consents") {
        if (!s.blobs.has(json.sha256)) return { status: 422, body: { error: { code: "uploads_missing", vi: "x", en: "x", missing: { attachments: [], consent: json.client_uuid } } } };
        s.consents.set(json.client_uuid, 1); return { status: 201, body: { consent_id: 1 } };
      }
      const key = JSON.stringify({ ...json, sent_at: null });
      const old = s.dossiers.get(json.client_uuid);
      if (old) return old.key === key ? { status: 201, body: old.answer } : { status: 409, body: { error: { code: "uuid_conflict", vi: "xung đột", en: "conflict" } } };
      if (json.form_data.bad) return { status: 422, body: { error: { code: "form_invalid", vi: "Tờ khai chưa đúng", en: "Form invalid" } } };
      const missing = json.attachments.map((a) => a.sha256).filter((h) => !s.blobs.has(h));
      const consentMissing = json.consent_uuid && !s.consents.has(json.consent_uuid);
      if (missing.length || consentMissing) return { status: 422, body: { error: { code: "uploads_missing", vi: "x", en: "x", missing: { attachments: missing, consent: consentMissing ? json.consent_uuid : null } } } };
      const answer = { dossier_code: `X01-261123-${String(s.dossiers.size + 1).padStart(4, "0")}` };
      s.dossiers.set(json.client_uuid, { key, answer });
      s.created.set(json.client_uuid, (s.created.get(json.client_uuid) || 0) + 1);
      if (s.dropNextAnswer) { s.dropNextAnswer = false; return { status: 0, body: null }; }  // committed, answer lost
      return { status: 201, body: answer };
    },
  };
  return s;
}

function memoryStore(items) {
  const map = new Map(items.map((i) => [i.client_uuid, i]));
  let state = null;
  return {
    map, released: [],
    async listOutbox() { return [...map.values()].map((i) => structuredClone(i)); },
    async putItem(i) { map.set(i.client_uuid, structuredClone(i)); },
    async getBlob(sha) { return sha.startsWith("lost") ? null : new Uint8Array([1, 2, 3]); },
    async releaseBlobs(i) { this.released.push(i.client_uuid); },
    async getSyncState() { return state && { ...state }; },
    async setSyncState(s) { state = { ...s }; },
  };
}

let n = 0;
function item(extra = {}) {
  n++;
  return { client_uuid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, user_id: 7, state: "queued",
           created_at: `2026-11-23T08:${String(n).padStart(2, "0")}:00Z`, procedure_code: "2.000815",
           resident: { id: n }, form_data: { copies: 1 }, provisional_code: "F7K3-M2QQ",
           captured_at: "2026-11-23T08:00:00Z",
           attachments: [{ sha256: `p${n}a`, document_code: "original_scan", filename: "a.jpg", uploaded: false },
                         { sha256: `p${n}b`, document_code: "original_scan", filename: "b.jpg", uploaded: false }],
           consent: { client_uuid: `c${n}`, method: "signature", sha256: `s${n}`, captured_at: "2026-11-23T08:00:00Z", uploaded: false, recorded: false },
           ...extra };
}

// ---- a server error for an hour: capped backoff, then every item exactly once
{
  const clock = { t: 1_000_000 };
  const srv = fakeServer(clock);
  srv.downUntil = clock.t + 3600_000;
  const store = memoryStore([item(), item(), item()]);
  const engine = new SyncEngine({ store, api: srv.api, userId: 7, now: () => clock.t, random: () => 0.5 });
  let passes = 0;
  for (;;) {
    const r = await engine.run();
    passes++;
    if (r.stopped === "retry" || r.stopped === "backoff") { clock.t = r.nextTryAt; continue; }
    assert.equal(r.stopped, null);
    break;
  }
  const failures = srv.hits.filter((t) => t < srv.downUntil);
  const gaps = failures.slice(1).map((t, i) => t - failures[i]);
  assert.ok(Math.max(...gaps) <= BACKOFF.capMs, "gap above the cap");
  assert.ok(failures.length <= 25, `too many tries while down: ${failures.length}`);
  assert.ok(clock.t - srv.downUntil <= BACKOFF.capMs, "recovered too late");
  assert.deepEqual([...srv.created.values()], [1, 1, 1]);
  assert.ok([...store.map.values()].every((i) => i.state === "sent" && i.result.dossier_code));
  console.log(`hour down: ${failures.length} tries, max gap ${Math.max(...gaps) / 1000}s, ${passes} passes`);
}

// ---- one permanently invalid item among valid ones: it is parked, the others go
{
  const clock = { t: 0 };
  const srv = fakeServer(clock);
  const store = memoryStore([item(), item({ form_data: { bad: true } }), item()]);
  const r = await new SyncEngine({ store, api: srv.api, userId: 7, now: () => clock.t }).run();
  assert.equal(r.sent, 2); assert.equal(r.attention, 1);
  const states = [...store.map.values()].map((i) => i.state);
  assert.deepEqual(states, ["sent", "attention", "sent"]);
  assert.equal([...store.map.values()][1].last_error.vi, "Tờ khai chưa đúng");
  assert.equal(store.released.length, 2);  // photos of sent items are freed, the parked item keeps its own
}

// ---- uploads the device believed done but the server lacks: 422 lists them, the engine repairs
{
  const clock = { t: 0 };
  const srv = fakeServer(clock);
  const it = item();
  it.attachments.forEach((a) => { a.uploaded = true; });
  const store = memoryStore([it]);
  const r = await new SyncEngine({ store, api: srv.api, userId: 7, now: () => clock.t }).run();
  assert.equal(r.sent, 1);
  assert.ok(srv.blobs.has(it.attachments[0].sha256) && srv.blobs.has(it.attachments[1].sha256));
}

// ---- the answer lost after the server committed: the resend gets the same answer, one dossier
{
  const clock = { t: 0 };
  const srv = fakeServer(clock);
  srv.dropNextAnswer = true;
  const store = memoryStore([item()]);
  const engine = new SyncEngine({ store, api: srv.api, userId: 7, now: () => clock.t });
  const first = await engine.run();
  assert.equal(first.stopped, "retry");
  assert.equal([...store.map.values()][0].state, "queued");
  clock.t = first.nextTryAt;
  const second = await engine.run();
  assert.equal(second.sent, 1);
  assert.deepEqual([...srv.created.values()], [1]);
  assert.equal([...store.map.values()][0].result.dossier_code, "X01-261123-0001");
}

// ---- signed out: the pass stops, the items stay queued; another user's items are not touched
{
  const clock = { t: 0 };
  const srv = fakeServer(clock);
  srv.unauthorised = true;
  const store = memoryStore([item(), item({ user_id: 8 })]);
  const r = await new SyncEngine({ store, api: srv.api, userId: 7, now: () => clock.t }).run();
  assert.equal(r.stopped, "auth");
  assert.deepEqual([...store.map.values()].map((i) => i.state), ["queued", "queued"]);
  assert.equal(srv.hits.length, 1);
}

// ---- a photo gone from the device: that item needs attention, nothing is sent half-way
{
  const clock = { t: 0 };
  const srv = fakeServer(clock);
  const it = item();
  it.attachments[0].sha256 = "lost-photo";
  const store = memoryStore([it]);
  const r = await new SyncEngine({ store, api: srv.api, userId: 7, now: () => clock.t }).run();
  assert.equal(r.attention, 1);
  assert.equal([...store.map.values()][0].last_error.code, "local_file_missing");
  assert.equal(srv.dossiers.size, 0);
}
console.log("ok");
"""


def test_device_sync_engine_backoff_faults_and_exactly_once(tmp_path):
    """field_app/js/sync.js against a fake server: an hour of 500s, a bad item, missing uploads, 401."""
    node = _node()
    if node is None:
        pytest.skip("node is not available")
    script = tmp_path / "engine.test.mjs"
    script.write_text(ENGINE_TEST, encoding="utf-8")
    proc = subprocess.run(
        [node, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYNC_JS": (ROOT / "field_app" / "js" / "sync.js").as_uri()},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("ok")


QR_TEST = r"""
const { encodeQr } = await import(process.env.QR_JS);
const cases = JSON.parse(process.argv[2]);
console.log(JSON.stringify(cases.map(([t, v, m]) => encodeQr(t, { version: v, mask: m }).map((r) => r.map((b) => (b ? 1 : 0)).join("")))));
"""


def test_receipt_qr_encoder_matches_the_python_qrcode_package(tmp_path):
    """field_app/js/qr.js module for module against `qrcode` (byte mode, level M, every mask)."""
    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, QRData

    node = _node()
    if node is None:
        pytest.skip("node is not available")
    texts = [
        "F7K3-M2QQ",
        "Hello",
        "Biên nhận tạm F7K3-M2QQ · Chứng thực bản sao · 23/11/2026 · 0901000002",
        "x" * 100,
        "é" * 90,
        "a" * 200,
    ]
    cases = []
    for text in texts:
        for mask in range(8):
            qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask)
            qr.add_data(QRData(text.encode(), mode=MODE_8BIT_BYTE))
            qr.make(fit=True)
            cases.append((text, qr.version, mask, ["".join("1" if b else "0" for b in row) for row in qr.modules]))
    assert {c[1] for c in cases} >= {1, 6, 9, 10}
    script = tmp_path / "qr.test.mjs"
    script.write_text(QR_TEST, encoding="utf-8")
    proc = subprocess.run(
        [node, str(script), json.dumps([c[:3] for c in cases])],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QR_JS": (ROOT / "field_app" / "js" / "qr.js").as_uri()},
    )
    assert proc.returncode == 0, proc.stderr
    ours = json.loads(proc.stdout)
    assert [c[3] for c in cases] == ours


def test_service_worker_is_stamped_with_the_shell_version(client):
    r = client.get("/field/sw.js")
    assert r.status_code == 200 and "__SHELL_VERSION__" not in r.text
    assert r.headers["cache-control"] == "no-cache"
    m = client.get("/field/manifest.webmanifest")
    assert m.status_code == 200 and m.headers["content-type"].startswith("application/manifest+json")
    assert json.loads(m.content)["scope"] == "/field/"
