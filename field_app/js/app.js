// The field app's screens: sign in once, capture dossiers offline, show a provisional
// receipt, and an outbox that sends itself when the connection returns.
//
// Everything the person captured is written to IndexedDB (one durable transaction)
// before the screen says "saved".  Sending happens in sync.js, one run at a time across
// tabs (Web Locks), on load, on the `online` event, on the button, and after a backoff.

import { lang, setLang, t, tm } from "./i18n.js";
import { Store } from "./db.js";
import { SYNC_LOCK, SyncEngine, httpApi } from "./sync.js";
import { shownFields, validateForm } from "./validate.js";
import { qrSvg } from "./qr.js";
import {
  SignaturePad, compressPhoto, formatBytes, newProvisionalCode, roomFor, sha256Hex, storageInfo,
} from "./media.js";

const S = {
  store: null, deviceId: "", session: null, catalog: null, visits: null, tab: "capture", screen: "pick",
  draft: null, receipt: null, outbox: [], storage: {}, syncText: "", syncProgress: null, needSignIn: false,
  procFilter: "", message: "",
};
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("onestop-field") : null;
let retryTimer = null;
let lastView = "";

// ------------------------------------------------------------------ tiny DOM helper (no innerHTML for data)

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = !!v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const fmtTime = (iso) => {
  if (!iso) return t("never");
  const d = new Date(iso);
  return d.toLocaleString(lang() === "en" ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" });
};
const label = (obj, base = "name") => (lang() === "en" ? obj[`${base}_en`] : obj[`${base}_vi`]) || obj[`${base}_vi`] || "";

// ------------------------------------------------------------------ session and lists

function api() {
  return httpApi({ token: S.session && S.session.token, deviceId: S.deviceId });
}

async function signIn(login, password) {
  const r = await httpApi({ deviceId: S.deviceId }).postJSON("/session", {
    login, password, device_id: S.deviceId, device_label: navigator.userAgent.slice(0, 80),
  });
  if (r.status !== 201) return r.status === 0 ? t("sign_in_offline") : tm(r.body && r.body.error);
  S.session = { token: r.body.token, expires_at: r.body.expires_at, user: r.body.user, center: r.body.center };
  await S.store.setMeta("session", S.session);
  S.needSignIn = false;
  askPersistence();
  await refreshLists();
  sync({ force: true });
  return "";
}

async function signOut() {
  const waiting = S.outbox.filter((i) => i.state !== "sent" && i.user_id === S.session.user.id).length;
  if (waiting && !confirm(t("sign_out_confirm", { n: waiting }))) return;
  api().call("DELETE", "/session");
  S.session = null;
  await S.store.deleteMeta("session");
  render();
}

async function refreshLists() {
  if (!S.session || !navigator.onLine) return;
  const a = api();
  const cat = await a.call("GET", "/catalog", { headers: S.catalog && S.catalog.etag ? { "If-None-Match": S.catalog.etag } : {} });
  if (cat.status === 200) {
    S.catalog = { etag: cat.headers.get("etag"), data: cat.body, fetched_at: new Date().toISOString() };
    await S.store.setMeta("catalog", S.catalog);
  } else if (cat.status === 304 && S.catalog) {
    S.catalog.fetched_at = new Date().toISOString();
    await S.store.setMeta("catalog", S.catalog);
  } else if (cat.status === 401) {
    S.needSignIn = true;
  }
  const vis = await a.call("GET", "/visits");
  if (vis.status === 200) {
    S.visits = { data: vis.body.visits, fetched_at: new Date().toISOString() };
    await S.store.setMeta("visits", S.visits);
  }
  renderSoft();
}

async function askPersistence() {
  if (navigator.storage && navigator.storage.persist) {
    try { await navigator.storage.persist(); } catch { /* the browser decides */ }
  }
  S.storage = await storageInfo();
}

// ------------------------------------------------------------------ sync

async function loadOutbox() {
  S.outbox = (await S.store.listOutbox()).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}

async function sync({ force = false } = {}) {
  if (!S.session || S.needSignIn) return;
  if (!navigator.onLine && !force) return;
  const run = async (lock) => {
    if (lock === null) { S.syncText = t("sync_busy_other_tab"); renderSoft(); return; }
    const engine = new SyncEngine({
      store: S.store, api: api(), userId: S.session.user.id,
      onProgress: (p) => {
        S.syncProgress = p;
        S.syncText = p.finished ? "" : t("syncing", { done: p.done, total: p.total });
        loadOutbox().then(renderSoft);
      },
    });
    const report = await engine.run({ force });
    S.syncProgress = null;
    if (report.stopped === "auth") { S.needSignIn = true; S.syncText = t("need_sign_in_again"); }
    else if (report.nextTryAt) {
      S.syncText = t("sync_retry_at", { time: new Date(report.nextTryAt).toLocaleTimeString() });
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => sync(), Math.max(1000, report.nextTryAt - Date.now()));
    } else S.syncText = report.total ? t("sync_done") : t("sync_nothing");
    await loadOutbox();
    S.storage = await storageInfo();
    if (channel) channel.postMessage("outbox-changed");
    renderSoft();
  };
  if (navigator.locks && navigator.locks.request) {
    await navigator.locks.request(SYNC_LOCK, { ifAvailable: true }, run);
  } else {
    await run(true);
  }
}

// ------------------------------------------------------------------ capture

function procedureByCode(code) {
  return S.catalog ? S.catalog.data.procedures.find((p) => p.code === code) : null;
}

function prefillOf(resident) {
  if (!resident || !resident.id) return null;
  return {
    "resident.full_name": resident.full_name, "resident.national_id": resident.national_id,
    "resident.date_of_birth": resident.date_of_birth, "resident.gender": resident.gender,
    "resident.phone": resident.phone, "resident.address": resident.address,
  };
}

function newDraft(resident, visitId = null) {
  return {
    client_uuid: crypto.randomUUID(), provisional_code: newProvisionalCode(), resident, visit_id: visitId,
    procedure_code: null, form_data: {}, photos: [], blobs: new Map(), consent: null, place: resident.address || "",
    errors: {}, problems: [], created_at: new Date().toISOString(), editing: false,
  };
}

function startDraft(resident, visitId) {
  S.draft = newDraft(resident, visitId);
  S.screen = "pick";
  render();
}

function chooseProcedure(code) {
  const d = S.draft;
  d.procedure_code = code;
  const proc = procedureByCode(code);
  const prefill = prefillOf(d.resident) || {};
  d.form_data = {};
  for (const f of proc.form_schema.fields) {
    if (f.autofill && prefill[f.autofill] !== undefined && prefill[f.autofill] !== "") d.form_data[f.name] = prefill[f.autofill];
  }
  if (!d.resident.id) {
    for (const f of proc.form_schema.fields) {
      if (f.autofill === "resident.national_id") d.form_data[f.name] = d.resident.national_id;
      if (f.autofill === "resident.full_name") d.form_data[f.name] = d.resident.full_name;
    }
  }
  S.screen = "form";
  render();
}

async function addPhotos(docCode, files) {
  const d = S.draft;
  S.message = t("photo_saving");
  render();
  for (const file of files) {
    try {
      const blob = await compressPhoto(file);
      if (!(await roomFor(blob.size))) { S.message = t("quota_full"); render(); return; }
      const sha = await sha256Hex(blob);
      if (d.photos.some((p) => p.sha256 === sha && p.document_code === docCode)) continue;
      const n = d.photos.filter((p) => p.document_code === docCode).length + 1;
      d.photos.push({ sha256: sha, document_code: docCode, filename: `${docCode}-${n}.jpg`, mime: "image/jpeg",
        size: blob.size, url: URL.createObjectURL(blob), uploaded: false });
      d.blobs.set(sha, { sha256: sha, blob, mime: "image/jpeg", size: blob.size });
    } catch {
      S.message = t("photo_failed");
      render();
      return;
    }
  }
  S.message = "";
  render();
}

async function addConsentPhoto(files) {
  const file = files[0];
  if (!file) return;
  try {
    const blob = await compressPhoto(file);
    if (!(await roomFor(blob.size))) { S.message = t("quota_full"); render(); return; }
    const sha = await sha256Hex(blob);
    S.draft.consent = { client_uuid: crypto.randomUUID(), method: "photo", sha256: sha, mime: "image/jpeg",
      filename: "giay-dong-y.jpg", captured_at: new Date().toISOString(), uploaded: false, recorded: false };
    S.draft.blobs.set(sha, { sha256: sha, blob, mime: "image/jpeg", size: blob.size });
  } catch {
    S.message = t("photo_failed");
  }
  render();
}

function readForm() {
  const d = S.draft;
  document.querySelectorAll("[data-field]").forEach((el) => {
    const name = el.dataset.field;
    if (el.type === "checkbox") d.form_data[name] = el.checked;
    else if (el.value === "") delete d.form_data[name];
    else d.form_data[name] = el.value;
  });
  const place = document.getElementById("consent-place");
  if (place) d.place = place.value;
}

// A field with a condition (show_if) appears only while the earlier choice holds the value: the same
// rule as validate.js / forms.py, re-applied in place (no re-render: a signature in progress survives).
function applyConditions(schema) {
  readForm();
  const shown = shownFields(schema, S.draft.form_data);
  document.querySelectorAll("[data-wrap]").forEach((el) => { el.hidden = !shown.has(el.dataset.wrap); });
}

async function saveDraft() {
  readForm();
  const d = S.draft;
  const proc = procedureByCode(d.procedure_code);
  const schema = proc.form_schema;
  const shown = shownFields(schema, d.form_data);
  for (const name of Object.keys(d.form_data)) if (!shown.has(name)) delete d.form_data[name]; // never sent
  const result = validateForm(schema, d.form_data, { prefill: prefillOf(d.resident) });
  d.errors = result.errors;
  d.problems = [];
  const nErrors = Object.keys(result.errors).length;
  if (nErrors) d.problems.push(t("fix_errors", { n: nErrors }));
  const missingDocs = schema.documents.filter((doc) => doc.required && !doc.state_held
    && !d.photos.some((p) => p.document_code === doc.code));
  if (missingDocs.length) d.problems.push(t("need_documents", { names: missingDocs.map((x) => label(x)).join(", ") }));
  if (d.pad && !d.pad.isEmpty()) {
    const blob = await d.pad.toBlob();
    const sha = await sha256Hex(blob);
    d.consent = { client_uuid: crypto.randomUUID(), method: "signature", sha256: sha, mime: "image/png",
      filename: "chu-ky.png", captured_at: new Date().toISOString(), uploaded: false, recorded: false };
    d.blobs.set(sha, { sha256: sha, blob, mime: "image/png", size: blob.size });
  }
  if (!d.consent) d.problems.push(t("need_consent"));
  if (d.problems.length) { render(); return; }
  d.consent.place = d.place;
  const item = {
    client_uuid: d.client_uuid, user_id: S.session.user.id, state: "queued", created_at: d.created_at,
    captured_at: d.captured_at || new Date().toISOString(), provisional_code: d.provisional_code,
    procedure_code: proc.code, procedure_name_vi: proc.name_vi, procedure_name_en: proc.name_en,
    resident: d.resident, visit_id: d.visit_id, center_code: S.session.center ? S.session.center.code : "",
    form_data: result.clean,
    attachments: d.photos.map(({ sha256, document_code, filename, mime, size }) => ({ sha256, document_code, filename, mime, size, uploaded: false })),
    consent: d.consent, attempts: 0, last_error: null, result: null,
    helper: { name: S.session.user.full_name, phone: S.session.user.phone },
  };
  const saveBtn = document.getElementById("save-btn");
  if (saveBtn) { saveBtn.disabled = true; saveBtn.textContent = t("saving"); }
  await S.store.saveCapture(item, [...d.blobs.values()]);
  S.receipt = item;
  S.draft = null;
  S.screen = "receipt";
  await loadOutbox();
  S.storage = await storageInfo();
  if (channel) channel.postMessage("outbox-changed");
  render();
  sync();
}

async function editItem(item) {
  const d = newDraft(item.resident, item.visit_id);
  Object.assign(d, { client_uuid: item.client_uuid, provisional_code: item.provisional_code, created_at: item.created_at,
    captured_at: item.captured_at, procedure_code: item.procedure_code, form_data: { ...item.form_data },
    consent: item.consent, place: item.consent ? item.consent.place : "", editing: true });
  for (const a of item.attachments) {
    const blob = await S.store.getBlob(a.sha256);
    d.photos.push({ ...a, url: blob ? URL.createObjectURL(blob) : "" });
    if (blob) d.blobs.set(a.sha256, { sha256: a.sha256, blob, mime: a.mime, size: a.size });
  }
  if (item.consent) {
    const blob = await S.store.getBlob(item.consent.sha256);
    if (blob) d.blobs.set(item.consent.sha256, { sha256: item.consent.sha256, blob, mime: item.consent.mime, size: blob.size });
  }
  S.draft = d;
  S.tab = "capture";
  S.screen = "form";
  render();
}

// ------------------------------------------------------------------ views

function header() {
  const online = navigator.onLine;
  return h("header", { class: "top" },
    h("div", { class: "title-row" },
      h("h1", {}, t("app_title")),
      h("button", { class: "lang", type: "button", onclick: () => { setLang(lang() === "vi" ? "en" : "vi"); render(); } }, t("lang_switch"))),
    h("div", { class: `net ${online ? "on" : "off"}`, role: "status", id: "net" }, online ? `● ${t("online")}` : `● ${t("offline")}`),
    S.session ? h("nav", { class: "tabs" },
      h("button", { type: "button", class: S.tab === "capture" ? "tab active" : "tab", onclick: () => { S.tab = "capture"; render(); } }, t("tab_capture")),
      h("button", { type: "button", id: "tab-outbox", class: S.tab === "outbox" ? "tab active" : "tab", onclick: () => { S.tab = "outbox"; render(); } },
        t("tab_outbox"), " ", h("span", { class: "count", id: "pending-count" }, String(S.outbox.filter((i) => i.state !== "sent").length)))) : null);
}

function syncBar() {
  const pending = S.outbox.filter((i) => i.state === "queued" || i.state === "sending").length;
  const p = S.syncProgress;
  return h("section", { class: "syncbar" },
    h("button", { type: "button", class: "primary big", id: "sync-btn", onclick: () => sync({ force: true }) },
      `${t("sync_now")}${pending ? ` (${pending})` : ""}`),
    p && p.total ? h("progress", { max: p.total, value: p.done, id: "sync-progress" }) : null,
    S.syncText ? h("p", { class: "sync-text", role: "status", id: "sync-text" }, S.syncText) : null);
}

function signInView() {
  let err = "";
  const form = h("form", { class: "card", onsubmit: async (e) => {
    e.preventDefault();
    const btn = form.querySelector("button");
    btn.disabled = true;
    err = await signIn(form.login.value, form.password.value);
    btn.disabled = false;
    if (err) { form.querySelector(".error").textContent = err; } else render();
  } },
  h("h2", {}, t("sign_in_title")),
  h("p", { class: "hint" }, t("sign_in_hint")),
  S.needSignIn ? h("p", { class: "warn" }, t("need_sign_in_again")) : null,
  h("label", {}, t("login"), h("input", { name: "login", autocomplete: "username", inputmode: "tel", required: true, value: S.session ? S.session.user.phone : "" })),
  h("label", {}, t("password"), h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
  h("p", { class: "error", role: "alert" }, err),
  h("button", { type: "submit", class: "primary big" }, t("sign_in")));
  return form;
}

function personPicker() {
  const visits = (S.visits && S.visits.data) || [];
  const manual = h("form", { class: "card", onsubmit: (e) => {
    e.preventDefault();
    const nid = manual.nid.value.replace(/[^0-9]/g, "");
    const name = manual.fullname.value.trim();
    const err = manual.querySelector(".error");
    if (nid.length !== 12) { err.textContent = t("bad_nid"); return; }
    if (!name) { err.textContent = t("need_name"); return; }
    startDraft({ id: null, national_id: nid, full_name: name, address: "" }, null);
  } },
  h("h3", {}, t("other_person")),
  h("label", {}, t("national_id"), h("input", { name: "nid", inputmode: "numeric", maxlength: 14 })),
  h("label", {}, t("full_name"), h("input", { name: "fullname", autocomplete: "off" })),
  h("p", { class: "error", role: "alert" }),
  h("button", { type: "submit", class: "secondary" }, t("use_person")));
  return h("section", {},
    h("h2", {}, t("step_person")),
    h("p", { class: "meta" }, t("visits_at", { time: fmtTime(S.visits && S.visits.fetched_at) })),
    visits.length ? h("ul", { class: "list" }, visits.map((v) => h("li", {},
      h("button", { type: "button", class: "person", onclick: () => startDraft(v.resident, v.id) },
        h("strong", {}, v.resident.full_name),
        h("span", {}, `${v.resident.date_of_birth.split("-").reverse().join("/")} · ${v.resident.address}`),
        v.purpose ? h("em", {}, v.purpose) : null)))) : h("p", { class: "hint" }, t("no_visits")),
    manual);
}

function procedurePicker() {
  const d = S.draft;
  if (!S.catalog) return h("p", { class: "warn" }, t("no_catalog"));
  const fold = (s) => s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  const search = h("input", { type: "search", placeholder: t("search_procedure"), value: S.procFilter, id: "proc-search",
    oninput: (e) => { S.procFilter = e.target.value; const list = document.getElementById("proc-list"); list.replaceWith(procList()); } });
  const procList = () => {
    const f = fold(S.procFilter);
    return h("ul", { class: "list", id: "proc-list" }, S.catalog.data.procedures
      .filter((p) => !f || fold(`${p.name_vi} ${p.name_en} ${p.code}`).includes(f))
      .map((p) => h("li", {}, h("button", { type: "button", class: "proc", onclick: () => chooseProcedure(p.code) },
        h("strong", {}, label(p)), h("span", {}, p.field ? label(p.field) : "")))));
  };
  return h("section", {},
    h("div", { class: "chosen" }, h("span", {}, `${t("step_person")}: `, h("strong", {}, d.resident.full_name)),
      h("button", { type: "button", class: "link", onclick: () => { S.draft = null; render(); } }, t("change"))),
    h("h2", {}, t("step_procedure")),
    h("p", { class: "meta" }, t("catalog_at", { time: fmtTime(S.catalog.fetched_at) })),
    search, procList());
}

function fieldInput(f, d, prefill, onChoice) {
  const value = d.form_data[f.name];
  const locked = f.registry_authoritative && prefill && prefill[f.autofill] !== undefined;
  const common = { "data-field": f.name, id: `f-${f.name}`, readonly: locked || null, "aria-invalid": d.errors[f.name] ? "true" : null };
  if (f.type === "checkbox") {
    return h("label", { class: "check" }, h("input", { ...common, type: "checkbox", checked: value === true }), label(f, "label"));
  }
  let input;
  if (f.type === "select") {
    input = h("select", { ...common, onchange: onChoice }, h("option", { value: "" }, "—"),
      f.options.map((o) => h("option", { value: o.value, selected: o.value === value || null }, label(o, "label"))));
    if (value !== undefined) input.value = value;
  } else if (f.type === "textarea") {
    input = h("textarea", { ...common, rows: 3 }, value ?? "");
  } else {
    const type = f.type === "date" ? "date" : f.type === "email" ? "email" : "text";
    const inputmode = ["national_id", "phone"].includes(f.type) ? "numeric" : f.type === "number" ? "decimal" : null;
    input = h("input", { ...common, type, inputmode, value: value ?? "" });
  }
  return h("label", { class: "field" },
    h("span", { class: "label" }, label(f, "label"), f.required ? h("b", { class: "req", "aria-hidden": "true" }, " *") : null),
    input,
    locked ? h("small", { class: "hint" }, t("from_registry")) : null,
    (lang() === "en" ? f.help_en : f.help_vi) ? h("small", { class: "hint" }, lang() === "en" ? f.help_en : f.help_vi) : null);
}

function formView() {
  const d = S.draft;
  const proc = procedureByCode(d.procedure_code);
  if (!proc) return h("p", { class: "warn" }, t("no_catalog"));
  const prefill = prefillOf(d.resident);
  const shown = shownFields(proc.form_schema, d.form_data);
  const onChoice = () => applyConditions(proc.form_schema);
  const fields = proc.form_schema.fields.map((f) => h("div", { "data-wrap": f.name, hidden: !shown.has(f.name) },
    fieldInput(f, d, prefill, onChoice),
    d.errors[f.name] ? h("p", { class: "error", role: "alert" }, tm(d.errors[f.name])) : null));
  const docs = proc.form_schema.documents.map((doc) => {
    if (doc.state_held) return h("div", { class: "doc held" }, h("strong", {}, label(doc)), h("small", {}, t("state_held")));
    const photos = d.photos.filter((p) => p.document_code === doc.code);
    return h("div", { class: "doc" },
      h("strong", {}, label(doc), " ", h("small", {}, `(${doc.required ? t("required") : t("optional")})`)),
      h("div", { class: "thumbs" }, photos.map((p) => h("figure", {},
        h("img", { src: p.url, alt: p.filename }),
        h("button", { type: "button", class: "link", onclick: () => { readForm(); d.photos = d.photos.filter((x) => x !== p); render(); } }, t("remove"))))),
      h("label", { class: "button secondary" }, t("take_photo"),
        h("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, class: "visually-hidden",
          "data-doc": doc.code, onchange: (e) => { readForm(); addPhotos(doc.code, [...e.target.files]); } })));
  });
  // The same canvas node across re-renders, so a signature survives taking a photo afterwards.
  if (!d.canvas) d.canvas = h("canvas", { class: "signature", id: "signature", "aria-label": t("sign_here") });
  const canvas = d.canvas;
  const view = h("section", { class: "form" },
    h("div", { class: "chosen" }, h("span", {}, h("strong", {}, d.resident.full_name), " · ", label(proc)),
      d.editing ? null : h("button", { type: "button", class: "link", onclick: () => { readForm(); S.screen = "pick"; d.procedure_code = null; render(); } }, t("change"))),
    h("h2", {}, t("step_form")), fields,
    h("h2", {}, t("step_documents")), docs,
    h("h2", {}, t("step_consent")),
    h("p", { class: "consent-text" }, t("consent_text")),
    d.consent && d.consent.method === "photo" ? h("p", { class: "ok" }, `✓ ${t("consent_photo_taken")}`)
      : d.consent && d.editing ? h("p", { class: "ok" }, "✓") : h("div", {},
        h("p", {}, t("sign_here")), canvas,
        h("button", { type: "button", class: "link", onclick: () => d.pad && d.pad.clear() }, t("clear_signature"))),
    h("label", { class: "button secondary" }, t("or_photo_consent"),
      h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden", id: "consent-photo",
        onchange: (e) => { readForm(); addConsentPhoto([...e.target.files]); } })),
    h("label", { class: "field" }, h("span", { class: "label" }, t("place")), h("input", { id: "consent-place", value: d.place })),
    d.problems.length ? h("div", { class: "problems", role: "alert" }, d.problems.map((p) => h("p", {}, p))) : null,
    S.message ? h("p", { class: "warn", role: "status" }, S.message) : null,
    h("button", { type: "button", class: "primary big", id: "save-btn", onclick: () => saveDraft() }, t("save")));
  requestAnimationFrame(() => {
    if (!d.pad && d.canvas.isConnected) d.pad = new SignaturePad(d.canvas);
  });
  return view;
}

function receiptView() {
  const r = S.receipt;
  const name = lang() === "en" ? r.procedure_name_en : r.procedure_name_vi;
  // Short on purpose (a small, easily scanned code): whoever scans it can read the code,
  // the procedure and whom to call, with no network.
  const qrText = [`OneStop ${r.provisional_code}`, r.resident.full_name, r.procedure_code,
    r.captured_at.slice(0, 16).replace("T", " "), r.helper.phone].join("\n");
  const qr = h("div", { class: "qr" });
  try {
    qr.innerHTML = qrSvg(qrText, { label: `QR ${r.provisional_code}` }); // our own SVG string
  } catch {
    qr.innerHTML = qrSvg(`OneStop ${r.provisional_code}`, { label: `QR ${r.provisional_code}` });
  }
  return h("section", { class: "receipt card", id: "receipt" },
    h("p", { class: "ok big-ok" }, `✓ ${t("saved")}`),
    h("h2", {}, t("receipt_title")),
    h("p", { class: "code-label" }, t("receipt_code")),
    h("p", { class: "code", id: "receipt-code" }, r.provisional_code),
    qr,
    h("dl", {},
      h("dt", {}, t("receipt_person")), h("dd", {}, r.resident.full_name),
      h("dt", {}, t("receipt_procedure")), h("dd", {}, name),
      h("dt", {}, t("receipt_time")), h("dd", {}, fmtTime(r.captured_at)),
      h("dt", {}, t("receipt_helper")), h("dd", {}, `${r.helper.name} · ${r.helper.phone}`)),
    h("p", { class: "hint" }, t("receipt_note")),
    h("div", { class: "actions no-print" },
      h("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("print")),
      h("button", { type: "button", class: "primary", id: "new-capture", onclick: () => { S.receipt = null; S.screen = "pick"; render(); } }, t("new_capture")),
      h("button", { type: "button", class: "link", onclick: () => { S.tab = "outbox"; render(); } }, t("see_outbox"))));
}

function outboxItem(i) {
  const name = lang() === "en" ? i.procedure_name_en : i.procedure_name_vi;
  const badge = { queued: "state_queued", sending: "state_sending", sent: "state_sent", attention: "state_attention" }[i.state];
  const flags = (i.result && i.result.flags) || {};
  return h("li", { class: `item ${i.state}`, "data-uuid": i.client_uuid, "data-state": i.state },
    h("div", { class: "item-head" }, h("strong", {}, i.resident.full_name), h("span", { class: `badge ${i.state}` }, t(badge))),
    h("p", {}, name),
    h("p", { class: "meta" }, `${t("receipt_code")}: ${i.provisional_code} · ${t("captured")} ${fmtTime(i.captured_at)}`,
      i.attempts && i.state !== "sent" ? ` · ${t("attempts", { n: i.attempts })}` : ""),
    i.state === "sent" ? h("p", { class: "official" }, `${t("official_code")}: `, h("strong", { class: "official-code" }, i.result.dossier_code)) : null,
    flags.clock_skew_minutes ? h("p", { class: "meta" }, t("flag_skew", { n: flags.clock_skew_minutes })) : null,
    flags.possible_duplicate_of ? h("p", { class: "meta" }, t("flag_duplicate", { code: flags.possible_duplicate_of })) : null,
    i.state !== "sent" && i.last_error ? h("p", { class: i.state === "attention" ? "error" : "meta" }, tm(i.last_error)) : null,
    i.state === "attention" ? h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => editItem(i) }, t("edit")),
      h("button", { type: "button", class: "secondary", onclick: async () => {
        await S.store.putItem({ ...i, state: "queued", last_error: null, attempts: 0 });
        await loadOutbox(); render(); sync({ force: true });
      } }, t("resend")),
      h("button", { type: "button", class: "danger", onclick: async () => {
        if (!confirm(t("discard_confirm"))) return;
        await S.store.deleteItem(i); await loadOutbox(); render();
      } }, t("discard"))) : null);
}

function outboxView() {
  const st = S.storage || {};
  return h("section", {},
    syncBar(),
    S.outbox.length ? h("ul", { class: "list outbox", id: "outbox" }, S.outbox.map(outboxItem)) : h("p", { class: "hint" }, t("outbox_empty")),
    h("div", { class: "card meta-box" },
      h("p", { id: "storage" }, t("storage", { used: formatBytes(st.usage), quota: formatBytes(st.quota) })),
      h("p", {}, st.persisted ? t("storage_persisted") : t("storage_not_persisted")),
      h("p", {}, t("catalog_at", { time: fmtTime(S.catalog && S.catalog.fetched_at) })),
      h("p", {}, t("visits_at", { time: fmtTime(S.visits && S.visits.fetched_at) })),
      h("button", { type: "button", class: "secondary", onclick: () => refreshLists() }, t("refresh")),
      S.session ? h("p", {}, `${t("signed_in_as")}: ${S.session.user.full_name}`) : null,
      h("button", { type: "button", class: "link", onclick: () => signOut() }, t("sign_out"))));
}

/** Re-render unless the person is filling a form (then only the header), so typing is never interrupted. */
function renderSoft() {
  if (S.tab === "capture" && S.screen === "form" && S.draft) {
    const old = document.querySelector("header.top");
    if (old) old.replaceWith(header());
    return;
  }
  render();
}

function render() {
  const root = document.getElementById("app");
  const scroll = window.scrollY;
  const keepForm = S.tab === "capture" && S.screen === "form" && S.draft && document.getElementById("save-btn");
  if (keepForm) readForm();
  document.title = t("app_title");
  let body;
  if (!S.session || S.needSignIn) body = signInView();
  else if (S.tab === "outbox") body = outboxView();
  else if (S.screen === "receipt" && S.receipt) body = receiptView();
  else if (!S.draft) body = h("div", {}, syncBar(), personPicker());
  else if (S.screen === "form" && S.draft.procedure_code) body = formView();
  else body = procedurePicker();
  root.replaceChildren(header(), h("main", {}, body));
  // A new screen starts at its top (the receipt's code must be the first thing seen).
  const view = `${S.tab}/${S.session ? S.screen : "signin"}/${S.draft ? S.draft.procedure_code : ""}`;
  if (view !== lastView) window.scrollTo(0, 0);
  else if (keepForm) window.scrollTo(0, scroll);
  lastView = view;
}

// ------------------------------------------------------------------ start

async function boot() {
  setLang(lang());
  S.store = await Store.open();
  S.deviceId = await S.store.getMeta("device_id");
  if (!S.deviceId) {
    S.deviceId = `dev-${crypto.randomUUID()}`;
    await S.store.setMeta("device_id", S.deviceId);
  }
  S.session = await S.store.getMeta("session");
  if (S.session && new Date(S.session.expires_at) < new Date()) S.needSignIn = true;
  S.catalog = await S.store.getMeta("catalog");
  S.visits = await S.store.getMeta("visits");
  await loadOutbox();
  S.storage = await storageInfo();
  render();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/", updateViaCache: "none" }).catch(() => {});
  }
  window.addEventListener("online", () => { renderSoft(); refreshLists(); sync({ force: true }); });
  window.addEventListener("offline", () => renderSoft());
  if (channel) channel.onmessage = async () => { await loadOutbox(); renderSoft(); };
  if (S.session && !S.needSignIn && navigator.onLine) {
    askPersistence();
    refreshLists();
    sync();
  }
}

window.fieldApp = { state: S, sync, render }; // for the e2e test and for support over the phone
boot().catch((err) => {
  document.getElementById("app").textContent = `Lỗi khởi động / Start-up error: ${err}`;
});
