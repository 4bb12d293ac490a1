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

/* ---- Web Push ---------------------------------------------------------------------------- */

const ICON = "/static/pwa/icons/icon-192.png";
const BADGE = "/static/pwa/icons/badge-96.png";

/** A path of ours to open; anything else (another origin, garbage) opens Beranda. */
function screenUrl(url) {
  try {
    const target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.href : `${self.location.origin}/`;
  } catch (error) {
    return `${self.location.origin}/`;
  }
}

async function ourWindows() {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true });
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil((async () => {
    // The person is looking at the app: the live stream shows it already, so no banner;
    // the page hears of it in case the stream is still reconnecting.
    const looking = (await ourWindows()).find((c) => c.focused && c.visibilityState === "visible");
    if (looking) {
      looking.postMessage({ type: "push", notification: data });
      return;
    }
    await self.registration.showNotification(data.title || "Kinerjaku", {
      body: data.body || "",
      icon: ICON,
      badge: BADGE,
      // Repeats about the same thing replace each other instead of piling up.
      tag: data.tag || undefined,
      data: { url: screenUrl(data.url), id: data.id, kind: data.kind },
    });
  })());
});

/** Bring up the screen a notification is about: a window already there, one of ours sent
 * there, or a new one. */
async function openScreen(url) {
  const windows = await ourWindows();
  const exact = windows.find((c) => c.url === url);
  if (exact) return exact.focus();
  const ours = windows.find((c) => "navigate" in c);
  if (ours) {
    const moved = await ours.navigate(url);
    try {
      await (moved || ours).focus();
    } catch (error) {
      // Focusing needs the click's user activation; the screen is open either way.
    }
    return moved || ours;
  }
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const opening = openScreen(screenUrl(event.notification.data && event.notification.data.url));
  // A click the browser dispatched keeps the worker alive until the screen is open; an
  // event made by script (a test) may not extend itself, and needs not.
  if (event.isTrusted) event.waitUntil(opening);
});

function keyBytes(base64url) {
  const raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** The push service replaced or dropped our subscription: make a new one and tell the server,
 * which forgets the old endpoint when the push service next answers 404/410 for it. */
async function resubscribe(event) {
  const csrf = await self.Kinerjaku.getMeta("csrf_token");
  let subscription = event.newSubscription;
  if (!subscription) {
    const response = await fetch("/api/v1/push/public-key", { credentials: "same-origin" });
    if (!response.ok) return; // signed out: nothing to renew
    const { public_key: key } = await response.json();
    subscription = await self.registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  }
  const headers = { "Content-Type": "application/json", "X-CSRFToken": csrf || "" };
  if (event.oldSubscription && event.oldSubscription.endpoint !== subscription.endpoint) {
    await fetch("/api/v1/push-subscriptions", { method: "DELETE", credentials: "same-origin",
      headers, body: JSON.stringify({ endpoint: event.oldSubscription.endpoint }) })
      .catch(() => null);
  }
  await fetch("/api/v1/push-subscriptions", { method: "POST", credentials: "same-origin",
    headers, body: JSON.stringify(subscription.toJSON()) });
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe(event));
});
