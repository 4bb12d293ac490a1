// Kinerjaku service worker. VERSION and PRECACHE are prepended by the server (app/pwa/views.py).
// Strategy: the app shell is precached under a versioned name; navigations go to the network
// first and fall back to the cached shell; static assets are served cache-first; /api is never
// cached here (the pages keep their own working set in IndexedDB).

// The outbox code the pages use, so Background Sync can send what waits with no page open.
importScripts("/static/pwa/js/vendor/idb-8.0.4.umd.js", "/static/pwa/js/store.js");

const PREFIX = "kinerjaku-";
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
const STATIC_CACHE = `${PREFIX}static-${VERSION}`;
const SHELL_URL = "/shell";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // cache: "reload" skips the HTTP cache, so a new version never precaches stale files.
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
  })());
  // No skipWaiting here: the page offers "Versi baru tersedia — muat ulang" and decides when,
  // so an open form is never thrown away by a silent update.
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, STATIC_CACHE]);
    const names = await caches.keys();
    // Delete only our own stale caches; other caches on this origin are not ours to touch.
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && !keep.has(n))
      .map((n) => caches.delete(n)));
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

async function networkFirstNavigation(event) {
  try {
    const preloaded = await event.preloadResponse;
    if (preloaded) return preloaded;
    return await fetch(event.request);
  } catch (error) {
    // Offline (fetch rejects only on network failure; a 4xx/5xx still resolves above).
    const cache = await caches.open(SHELL_CACHE);
    return (await cache.match(SHELL_URL)) || Response.error();
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // network only: never answer with stale data
  if (request.mode === "navigate") {
    event.respondWith(networkFirstNavigation(event));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  }
});

async function tellClients(message) {
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: "window" });
  clients.forEach((client) => client.postMessage(message));
}

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  // A rejection (network down, server busy) makes the browser try this sync again later.
  event.waitUntil(self.Kinerjaku.flush().then(() => tellClients({ type: "outbox" })));
});
