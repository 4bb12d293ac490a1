/* Kinerjaku on every page: the service worker and its update prompt, the offline banner, the
 * outbox (badge, replay with backoff, Background Sync, decisions after a 409 or 4xx), the
 * working set kept for offline use, and a clean phone after signing out.
 * Pages work without it; this adds what needs a script. Needs store.js loaded first. */
(function () {
  "use strict";

  const K = self.Kinerjaku;
  const i18nElement = document.getElementById("kinerjaku-i18n");
  const i18n = i18nElement ? JSON.parse(i18nElement.textContent) : {};
  const personMeta = document.querySelector('meta[name="kinerjaku-person"]');
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  // The offline shell carries no person; the store remembers who last signed in here (and
  // forgets it at sign-out): start() asks it.
  const isShell = Boolean(document.querySelector("[data-offline-view]"));
  let signedIn = Boolean(personMeta && personMeta.content);

  /** A message from the page's catalogue, with %(name)s placeholders filled in. */
  function t(key, values) {
    return (i18n[key] || key).replace(/%\((\w+)\)[sd]/g, (_, name) => String(values?.[name] ?? ""));
  }

  const english = t("locale") === "en";
  const clockFormat = new Intl.DateTimeFormat(english ? "en-US" : "id-ID",
    { hour: english ? "numeric" : "2-digit", minute: "2-digit", timeZone: "UTC" });

  /** "07.30–09.00" in Bahasa Indonesia, "7:30 AM–9:00 AM" in English: the server's one time
   * format of the language (app.core.templating.clock), so a page never mixes two. */
  function timeRange(start, end) {
    const clock = (value) => {
      if (!value) return "";
      const [hours, minutes] = value.split(":").map(Number);
      return clockFormat.format(new Date(Date.UTC(1970, 0, 1, hours, minutes)));
    };
    return start ? `${clock(start)}–${clock(end)}` : "";
  }

  /* ---- connectivity and updates ---------------------------------------------------------- */

  function showConnectivity() {
    const banner = document.getElementById("connection-banner");
    if (banner) banner.hidden = navigator.onLine;
  }

  function offerUpdate(registration) {
    const prompt = document.getElementById("update-prompt");
    if (!prompt || !registration.waiting) return;
    prompt.hidden = false;
    prompt.querySelector("button").addEventListener("click", () => {
      // Open forms keep their drafts as they are typed, so the reload loses nothing.
      document.dispatchEvent(new CustomEvent("kinerjaku:before-update"));
      document.documentElement.dataset.updateAccepted = "1";
      // Another tab may have let the new worker in already: then there is nothing left to
      // wait for, and a plain reload brings this page under it.
      if (registration.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
      else window.location.reload();
    }, { once: true });
  }

  async function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) {
          offerUpdate(registration);
        }
      });
    });
    let reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (reloading || !document.documentElement.dataset.updateAccepted) return;
      reloading = true;
      window.location.reload();
    });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox") renderOutbox();
    });
  }

  /* ---- the outbox ------------------------------------------------------------------------ */

  const RETRY_MAX = 5 * 60 * 1000;
  let retryDelay = 0;
  let retryTimer = null;
  let flushing = null;
  let flushAgain = null;

  function scheduleRetry() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, RETRY_MAX);
    clearTimeout(retryTimer);
    // Jitter keeps a whole office coming back online from hitting the server at once.
    retryTimer = setTimeout(flush, retryDelay * (0.75 + Math.random() / 2));
  }

  async function requestBackgroundSync() {
    try {
      const registration = await navigator.serviceWorker?.ready;
      await registration?.sync?.register("outbox");
    } catch (error) {
      // No Background Sync (Safari, Firefox): the online event, app start and the timer do it.
    }
  }

  function flush() {
    if (!signedIn || !K) return Promise.resolve(null);
    if (flushing) {
      // The running pass may have read the outbox before the caller's entry was queued: one
      // more pass right after it sends that too, so a caller can wait for its own write.
      if (!flushAgain) {
        flushAgain = flushing.then(() => {
          flushAgain = null;
          return flush();
        });
      }
      return flushAgain;
    }
    flushing = K.flush().then((result) => {
      retryDelay = 0;
      clearTimeout(retryTimer);
      return result;
    }).catch((error) => {
      if (error instanceof K.RetryLater) {
        scheduleRetry();
        requestBackgroundSync();
      } else {
        console.warn("Outbox:", error);
      }
      return null;
    }).finally(() => {
      flushing = null;
      renderOutbox();
    });
    return flushing;
  }

  async function renderOutbox() {
    if (!K || !signedIn) return;
    const entries = await K.entries();
    const badge = document.getElementById("outbox-badge");
    if (badge) {
      // Count what the person saved (an activity and its photo are one), not requests.
      const items = new Set(entries.map((e) => e.activityId || e.id)).size;
      badge.hidden = items === 0;
      badge.textContent = t("%(n)s waiting to sync", { n: items });
    }
    renderAttention(entries.filter((e) => e.state === "attention"));
    markPending();
    document.dispatchEvent(new CustomEvent("kinerjaku:outbox", { detail: entries }));
  }

  function describe(entry) {
    const error = entry.error || {};
    if (entry.result === "conflict") return t("Changed elsewhere meanwhile.");
    const fields = Object.values(error.fields || {});
    return [error.message, ...fields].filter(Boolean).join(" ");
  }

  function renderAttention(entries) {
    const panel = document.getElementById("outbox-attention");
    if (!panel) return;
    panel.hidden = entries.length === 0;
    const list = panel.querySelector("ul");
    list.replaceChildren(...entries.map((entry) => {
      const item = document.createElement("li");
      item.className = "attention-item";
      item.dataset.seq = entry.seq;
      const text = document.createElement("p");
      const what = entry.data?.description || entry.server?.description || entry.filename || "";
      text.textContent = `${what} — ${describe(entry)}`;
      item.append(text);
      if (entry.result === "conflict" && entry.op === "update" && entry.server) {
        const server = document.createElement("p");
        server.className = "muted";
        server.textContent = t("On the server: %(text)s", { text: entry.server.description });
        item.append(server, button(t("Keep my version"), () => K.resolve(entry.seq, "mine")
          .then(flush)));
      }
      item.append(button(entry.result === "conflict" ? t("Use the server's version")
        : t("Discard this change"), () => K.resolve(entry.seq, "server").then(renderOutbox)));
      return item;
    }));
  }

  function button(label, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button small";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  /** Set once this page asked the server for the working set: until then the phone's synced
   * copies may include activities deleted since (a draft deleted a moment ago). */
  let workingSetChecked = false;

  /** On a day list: add activities saved on this phone that the page does not show yet, bring
   * cards up to date with the phone's copy, and mark every card that waits with "waiting to
   * sync". */
  async function markPending() {
    const list = document.getElementById("activity-list");
    if (!list || !list.dataset.day || !K) return;
    const local = await K.activitiesOn(list.dataset.day);
    const template = document.getElementById("tpl-activity-card");
    const kept = new Set(local.map((activity) => activity.id));
    for (const card of list.querySelectorAll("[data-local-card]")) {
      if (!kept.has(card.dataset.activityId)) card.remove();
    }
    for (const activity of local) {
      let card = list.querySelector(`[data-activity-id="${activity.id}"]`);
      // Saved on this phone: waiting, or (once the working set is fresh) sent after the
      // server drew this page.
      if (!card && template && (activity._sync || workingSetChecked)) {
        card = renderCard(template, activity);
        card.dataset.localCard = "1";
        list.append(card);
        document.getElementById("activity-list-empty")?.remove();
      } else if (card && (activity._sync
          || Number(card.dataset.version || 0) < Number(activity.version || 0))) {
        // The page was drawn before an edit waiting here, or before a sync or a decision on
        // a conflict changed it: show what the phone now holds.
        fillCard(card, activity);
      }
      const mark = card?.querySelector(".sync-mark");
      if (mark) mark.hidden = !activity._sync;
    }
  }

  function renderCard(template, activity) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.activityId = activity.id;
    fillCard(card, activity);
    const unit = activity.unit ? ` ${activity.unit}` : "";
    card.querySelector(".activity-meta").textContent = activity.quantity !== null
      && activity.quantity !== undefined && activity.quantity !== ""
      ? `${activity.quantity}${unit}` : "";
    return card;
  }

  /** Time, description and status of a card (one the server drew, or a blank one). */
  function fillCard(card, activity) {
    card.dataset.version = activity.version || "";
    card.querySelector(".activity-time").textContent = timeRange(activity.start_time,
      activity.end_time);
    card.querySelector(".activity-description").textContent = activity.description;
    const status = card.querySelector(".status");
    const shown = K.shownStatus(activity);
    status.className = `status status-${shown}`;
    status.textContent = t(`status:${shown}`);
  }

  /* ---- the working set ------------------------------------------------------------------- */

  async function refreshWorkingSet() {
    const last = await K.getMeta("refreshed_at");
    // Once a few minutes is plenty; Beranda asks for it on every visit.
    if (last && Date.now() - Date.parse(last) < 3 * 60 * 1000 && !document.getElementById("activity-list")) return;
    try {
      await K.refresh();
    } catch (error) {
      // Offline or signed out: the copy from last time stays.
    }
  }

  async function persistStorage() {
    // iOS and some Android browsers evict storage of unused sites; ask to keep ours.
    if (navigator.storage && navigator.storage.persist) {
      try {
        if (!(await navigator.storage.persisted())) await navigator.storage.persist();
      } catch (error) {
        // Not granted: the outbox still works, it is just not protected from eviction.
      }
    }
  }

  async function start() {
    if (K && isShell) signedIn = (await K.owner()) !== undefined;
    if (!K || !signedIn) return;
    if (personMeta && personMeta.content) {
      await K.adopt(Number(personMeta.content), csrfMeta ? csrfMeta.content : null);
      await K.setMeta("today", document.documentElement.dataset.today || null);
    }
    persistStorage();
    K.onChange(renderOutbox);
    await renderOutbox();
    // Replay at app start: iOS has no Background Sync at all.
    if (navigator.onLine) await flush();
    if (navigator.onLine) {
      refreshWorkingSet().then(() => { workingSetChecked = true; }).then(renderOutbox);
    } else {
      workingSetChecked = true;
    }
  }

  /* ---- signing out ----------------------------------------------------------------------- */

  /** Notifications stop with the session: the browser drops this device's push subscription,
   * and the form tells the server which one it was. Never holds up the sign-out. */
  async function forgetPushDevice(form) {
    try {
      const reg = "serviceWorker" in navigator && await navigator.serviceWorker.getRegistration();
      const subscription = reg && reg.pushManager && await reg.pushManager.getSubscription();
      if (!subscription) return;
      if (form.elements.push_endpoint) form.elements.push_endpoint.value = subscription.endpoint;
      await subscription.unsubscribe();
    } catch (error) {
      // The server forgets the device when its push service next answers that it is gone.
    }
  }

  /** Signing out never loses an unsent entry: the person sees what waits and may send it
   * first; signing out anyway seals it to them on this phone (store.js seal()) until they
   * sign in here again. */
  function guardSignOut() {
    for (const form of document.querySelectorAll("form[data-sign-out]")) {
      form.addEventListener("submit", async (event) => {
        if (form.dataset.cleared) return;
        event.preventDefault();
        const waiting = K ? await K.entries() : [];
        if (waiting.length) offerToSend(form, waiting);
        else await signOut(form);
      });
    }
  }

  async function signOut(form) {
    if (K) await K.seal();
    await forgetPushDevice(form);
    form.dataset.cleared = "1";
    form.submit();
  }

  /** What an outbox entry is, in the person's words. */
  function entryLabel(entry) {
    return entry.data?.description || entry.data?.body || entry.filename || t("Saved on this phone");
  }

  function offerToSend(form, waiting) {
    const dialog = document.getElementById("sign-out-dialog");
    if (!dialog) return;
    const list = dialog.querySelector("[data-slot=waiting]");
    const status = dialog.querySelector("[data-slot=status]");
    const items = new Map();
    waiting.forEach((entry) => {
      const key = entry.activityId || entry.id;
      if (!items.has(key) || entry.op === "create") items.set(key, entryLabel(entry));
    });
    list.replaceChildren(...[...items.values()].map((label) => {
      const item = document.createElement("li");
      item.textContent = label;
      return item;
    }));
    dialog.querySelector("[data-slot=count]").textContent =
      t("%(n)s items have not been sent yet.", { n: items.size });
    status.textContent = "";
    const [send, leave, cancel] = ["send", "leave", "cancel"].map(
      (name) => dialog.querySelector(`[data-action=${name}]`));
    send.onclick = async () => {
      send.disabled = true;
      status.textContent = t("Sending…");
      await flush();
      send.disabled = false;
      if ((await K.pendingCount()) === 0) {
        status.textContent = t("Everything was sent. Signing out…");
        await signOut(form);
      } else {
        status.textContent = t("Not everything could be sent (no connection, or an item needs your decision). You can sign out anyway: it stays on this phone for you.");
      }
    };
    leave.onclick = () => signOut(form);
    cancel.onclick = () => dialog.close();
    dialog.showModal();
    send.focus();
  }

  self.KinerjakuApp = { t, flush, renderOutbox, requestBackgroundSync, renderCard, timeRange };

  window.addEventListener("online", () => { showConnectivity(); flush(); });
  window.addEventListener("offline", showConnectivity);
  showConnectivity();
  guardSignOut();
  registerWorker().catch((error) => console.warn("Service worker not registered:", error));
  start().catch((error) => console.warn("Offline store unavailable:", error));

  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }

  // A page that reports a saved form clears the draft that form kept while it was typed.
  for (const element of document.querySelectorAll("[data-clear-draft]")) {
    try {
      localStorage.removeItem(`kinerjaku:${element.dataset.clearDraft}`);
    } catch (error) {
      // Nothing to clear.
    }
  }
}());
