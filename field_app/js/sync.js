// The outbox sync engine: sends what the device captured, exactly once, and never loses it.
//
// No DOM here: the store (IndexedDB in the browser, a Map in tests) and the HTTP
// API are passed in, so tests/integration/test_field_sync.py runs this very file
// with node against a fake server (an hour of errors, a bad item, lost uploads).
//
// Item states: "queued" → "sending" → "sent" (with the official dossier code)
//                                    ↘ "attention" (the server's reason; the person decides)
// An item is written back to the store after every step, so a tab closed in the
// middle resumes where it was ("sending" is treated as "queued" on the next run).

/** Name of the Web Lock that makes one sync at a time across all tabs of the app. */
export const SYNC_LOCK = "onestop-field-sync";
/** Backoff after a network or server failure: 5 s, 10 s, 20 s … capped at 5 minutes. */
export const BACKOFF = Object.freeze({ baseMs: 5_000, capMs: 5 * 60_000 });

/**
 * Delay before the next try after `attempt` failures in a row: exponential, capped, with
 * "equal jitter" (half fixed, half random) so a village of phones coming back online at
 * once does not hit the server in step.  Never more than capMs, never less than half the
 * un-jittered delay.
 */
export function backoffDelay(attempt, { baseMs = BACKOFF.baseMs, capMs = BACKOFF.capMs, random = Math.random } = {}) {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** What an HTTP answer means for an outbox item. status 0 = no answer (offline, timeout). */
export function classify(status, body) {
  if (status === 200 || status === 201) return "ok";
  if (status === 401) return "auth";
  if (status === 422 && body && body.error && body.error.code === "uploads_missing") return "missing";
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return "retry";
  return "attention";
}

const NETWORK_ERROR = {
  code: "network",
  vi: "Chưa kết nối được máy chủ. Ứng dụng sẽ tự thử lại.",
  en: "Could not reach the server. The app will try again.",
};
const SERVER_ERROR = {
  code: "server",
  vi: "Máy chủ đang bận hoặc gặp sự cố. Ứng dụng sẽ tự thử lại.",
  en: "The server is busy or having trouble. The app will try again.",
};
const BLOB_LOST = {
  code: "local_file_missing",
  vi: "Không còn tìm thấy ảnh của hồ sơ này trên máy. Vui lòng chụp lại.",
  en: "A photo of this dossier is no longer on the device. Please take it again.",
};
const MISSING_AGAIN = {
  code: "uploads_missing",
  vi: "Máy chủ vẫn báo thiếu tệp sau khi đã gửi lại. Vui lòng thử lại sau.",
  en: "The server still reports missing files after they were sent again. Please try later.",
};

function errorOf(status, body) {
  if (body && body.error && body.error.vi) return body.error;
  if (status === 0) return NETWORK_ERROR;
  if (status >= 500 || status === 429) return SERVER_ERROR;
  return { code: `http_${status}`, vi: `Máy chủ từ chối (mã ${status}).`, en: `Refused by the server (${status}).` };
}

/** The JSON a dossier is sent as; `sent_at` lets the server measure the device's clock skew. */
export function dossierPayload(item, nowMs) {
  return {
    client_uuid: item.client_uuid,
    procedure_code: item.procedure_code,
    resident_id: item.resident.id ?? null,
    resident_national_id: item.resident.national_id ?? null,
    form_data: item.form_data,
    attachments: item.attachments.map((a) => ({ sha256: a.sha256, document_code: a.document_code, filename: a.filename })),
    consent_uuid: item.consent ? item.consent.client_uuid : null,
    provisional_code: item.provisional_code,
    captured_at: item.captured_at,
    sent_at: new Date(nowMs).toISOString(),
    visit_id: item.visit_id ?? null,
    center_code: item.center_code || "",
  };
}

export class SyncEngine {
  /**
   * store: { listOutbox(), putItem(item), getBlob(sha) → Blob|Uint8Array|null, releaseBlobs(item),
   *          getSyncState(), setSyncState(state) }
   * api:   { putAttachment(sha, blob, params) → {status, body}, postJSON(path, json) → {status, body} }
   */
  constructor({ store, api, userId, now = () => Date.now(), random = Math.random, onProgress = () => {} }) {
    Object.assign(this, { store, api, userId, now, random, onProgress });
  }

  /** Items of this user that still have to go, oldest first. */
  async pending() {
    const all = await this.store.listOutbox();
    return all
      .filter((i) => i.user_id === this.userId && (i.state === "queued" || i.state === "sending"))
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  }

  /**
   * One pass over the outbox.  Without `force` it waits out the backoff of the last failure.
   * Returns {total, done, sent, attention, stopped: null|"retry"|"auth"|"backoff", nextTryAt}.
   */
  async run({ force = false } = {}) {
    const state = (await this.store.getSyncState()) || { failures: 0, next_try_at: 0 };
    const items = await this.pending();
    const report = { total: items.length, done: 0, sent: 0, attention: 0, stopped: null, nextTryAt: null, error: null };
    if (!force && state.next_try_at && this.now() < state.next_try_at && items.length) {
      report.stopped = "backoff";
      report.nextTryAt = state.next_try_at;
      return report;
    }
    this.onProgress({ ...report });
    for (const item of items) {
      item.state = "sending";
      await this.store.putItem(item);
      let outcome;
      try {
        outcome = await this.push(item);
      } catch (err) {
        outcome = { kind: "retry", error: { ...NETWORK_ERROR, detail: String(err) } };
      }
      if (outcome.kind === "ok") {
        Object.assign(item, { state: "sent", result: outcome.body, sent_at: new Date(this.now()).toISOString(), last_error: null });
        await this.store.putItem(item);
        await this.store.releaseBlobs(item);
        report.sent++;
        state.failures = 0;
        state.next_try_at = 0;
      } else if (outcome.kind === "attention") {
        Object.assign(item, { state: "attention", last_error: outcome.error });
        await this.store.putItem(item);
        report.attention++;
      } else {
        // Network, server trouble or sign-in: the item stays queued, nothing is lost; stop the pass,
        // because every other item would meet the same trouble.
        item.state = "queued";
        item.attempts = (item.attempts || 0) + 1;
        item.last_error = outcome.error;
        await this.store.putItem(item);
        report.stopped = outcome.kind;
        report.error = outcome.error;
        if (outcome.kind === "retry") {
          state.failures = (state.failures || 0) + 1;
          state.next_try_at = this.now() + backoffDelay(state.failures, { random: this.random });
          report.nextTryAt = state.next_try_at;
        }
        break;
      }
      report.done++;
      this.onProgress({ ...report });
    }
    await this.store.setSyncState(state);
    this.onProgress({ ...report, finished: true });
    return report;
  }

  async upload(sha, params) {
    const blob = await this.store.getBlob(sha);
    if (!blob) return { kind: "attention", error: BLOB_LOST };
    const r = await this.api.putAttachment(sha, blob, params);
    const kind = classify(r.status, r.body);
    return kind === "ok" ? { kind } : { kind, error: errorOf(r.status, r.body) };
  }

  /** Send one item: consent, photos, then the dossier; repairs "missing" answers twice at most. */
  async push(item) {
    for (let round = 0; round < 3; round++) {
      const c = item.consent;
      if (c && !c.recorded) {
        if (!c.uploaded) {
          const up = await this.upload(c.sha256, { purpose: "consent", filename: c.filename || "dong-y.png" });
          if (up.kind !== "ok") return up;
          c.uploaded = true;
          await this.store.putItem(item);
        }
        const r = await this.api.postJSON("/consents", {
          client_uuid: c.client_uuid, resident_id: item.resident.id ?? null,
          resident_national_id: item.resident.national_id ?? null, method: c.method, sha256: c.sha256,
          captured_at: c.captured_at, place: c.place || "",
        });
        const kind = classify(r.status, r.body);
        if (kind === "missing") { c.uploaded = false; await this.store.putItem(item); continue; }
        if (kind !== "ok") return { kind, error: errorOf(r.status, r.body) };
        c.recorded = true;
        await this.store.putItem(item);
      }
      for (const a of item.attachments) {
        if (a.uploaded) continue;
        const up = await this.upload(a.sha256, {
          purpose: "document", procedure: item.procedure_code, document: a.document_code, filename: a.filename,
        });
        if (up.kind !== "ok") return up;
        a.uploaded = true;
        await this.store.putItem(item);
      }
      const r = await this.api.postJSON("/dossiers", dossierPayload(item, this.now()));
      const kind = classify(r.status, r.body);
      if (kind === "ok") return { kind, body: r.body };
      if (kind !== "missing") return { kind, error: errorOf(r.status, r.body) };
      const missing = r.body.error.missing || {};
      for (const a of item.attachments) if ((missing.attachments || []).includes(a.sha256)) a.uploaded = false;
      if (c && missing.consent) { c.uploaded = false; c.recorded = false; }
      await this.store.putItem(item);
    }
    return { kind: "attention", error: MISSING_AGAIN };
  }
}

/** The real HTTP API for the browser (fetch with a timeout; no answer → status 0). */
export function httpApi({ base = "/api/v1/field", token, deviceId, fetchImpl = (...a) => fetch(...a), timeoutMs = 60_000 }) {
  async function call(method, path, { json, body, params, headers = {} } = {}) {
    const query = params ? `?${new URLSearchParams(params)}` : "";
    const ctl = typeof AbortController === "function" ? new AbortController() : null;
    const timer = ctl ? setTimeout(() => ctl.abort(), timeoutMs) : null;
    try {
      const res = await fetchImpl(base + path + query, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(deviceId ? { "X-Device-Id": deviceId } : {}),
          ...(json !== undefined ? { "Content-Type": "application/json" } : {}),
          ...headers,
        },
        body: json !== undefined ? JSON.stringify(json) : body,
        cache: "no-store",
        signal: ctl ? ctl.signal : undefined,
      });
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      return { status: res.status, body: data, headers: res.headers };
    } catch {
      return { status: 0, body: null };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
  return {
    call,
    putAttachment: (sha, blob, params) => call("PUT", `/attachments/${sha}`, {
      body: blob, params, headers: { "Content-Type": "application/octet-stream" },
    }),
    postJSON: (path, json) => call("POST", path, { json }),
  };
}
