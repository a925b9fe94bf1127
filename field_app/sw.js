// Service worker of the field app (scope /field/): the app shell from the cache, so the app
// opens with no network at all.  Data never goes through here: the outbox lives in IndexedDB
// and the sync API (/api/…) is always the network.
//
// The server stamps VERSION with a hash of the shell files and fills SHELL with their list
// (onestop/api/field_app.py), so any change to the app installs a new cache and drops the old.

const VERSION = "__SHELL_VERSION__";
const CACHE = `onestop-field-${VERSION}`;
const SHELL = ["/field/", "/field/index.html", "/field/app.css", "/field/manifest.webmanifest", "/field/js/app.js", "/field/js/db.js", "/field/js/i18n.js", "/field/js/media.js", "/field/js/qr.js", "/field/js/sync.js", "/field/js/validate.js", "/field/icons/icon.svg", "/field/icons/icon-192.png", "/field/icons/icon-512.png"]; // @shell

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("onestop-field-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith("/field/") || url.pathname === "/field/sw.js") return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (event.request.mode === "navigate") {
      const shell = await cache.match("/field/index.html", { ignoreVary: true });
      if (shell) return shell;
    }
    // ignoreVary: the app server adds "Vary: Origin" (CORS), and module scripts carry an Origin
    // header that the precache requests did not; without it nothing would match offline.
    const hit = await cache.match(event.request, { ignoreSearch: true, ignoreVary: true });
    if (hit) return hit;
    return fetch(event.request);
  })());
});
