/* OneStop push service worker, served at /sw.js with scope "/".
 *
 * Why so small: this worker only shows notifications and opens the right page.
 * It never caches the app (the field app at /field/ has its own worker for offline use).
 *
 * Payload (JSON, from onestop.services.push.payload_for):
 *   {id, kind, title, body, url, tag, ts}
 *
 * A notification is shown once per id: the server retries a message to all of a
 * person's devices when one device's push service failed, so a device that already
 * showed it ignores the copy (tag replaces, and a small list of seen ids skips it).
 */
"use strict";

const SEEN_CACHE = "onestop-push-seen-v1";
const SEEN_KEEP = 200;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function safeUrl(raw) {
  // Only pages of this site: a push payload must never send someone elsewhere.
  try {
    const url = new URL(raw || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch (e) {
    return self.location.origin + "/";
  }
}

async function alreadySeen(id) {
  if (id === undefined || id === null) return false;
  const cache = await caches.open(SEEN_CACHE);
  const key = new Request(`/__push_seen/${encodeURIComponent(id)}`);
  if (await cache.match(key)) return true;
  await cache.put(key, new Response(String(Date.now())));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - SEEN_KEEP))) await cache.delete(old);
  return false;
}

async function tellPages(message) {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const page of pages) page.postMessage(message);
}

async function handlePush(data) {
  if (await alreadySeen(data.id)) return;
  const title = data.title || "Một cửa điện tử";
  await self.registration.showNotification(title, {
    body: data.body || "",
    tag: data.tag || (data.id !== undefined ? `onestop-${data.id}` : undefined),
    renotify: false,
    icon: "/logo.svg",
    badge: "/logo.svg",
    lang: "vi",
    timestamp: data.ts ? Date.parse(data.ts) : Date.now(),
    data: { url: safeUrl(data.url), id: data.id, kind: data.kind },
  });
  // An open tab refreshes its bell at once instead of waiting for its next poll.
  await tellPages({ type: "onestop-push", id: data.id, kind: data.kind, title, url: data.url });
}

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (e) {
      data = { title: event.data.text() };
    }
  }
  event.waitUntil(handlePush(data));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = safeUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const page of pages) {
        if (page.url === target && "focus" in page) return page.focus();
      }
      for (const page of pages) {
        if ("navigate" in page && new URL(page.url).origin === self.location.origin) {
          await page.focus();
          return page.navigate(target);
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});

// The browser rotated the subscription (expiry, key change): register the new one for the same person.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch("/api/v1/push/key", { credentials: "same-origin" });
      const { publicKey } = await res.json();
      const padding = "=".repeat((4 - (publicKey.length % 4)) % 4);
      const raw = atob((publicKey + padding).replace(/-/g, "+").replace(/_/g, "/"));
      const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
      const sub = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      await fetch("/api/v1/push/subscribe", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(sub.toJSON()),
      });
    })(),
  );
});
