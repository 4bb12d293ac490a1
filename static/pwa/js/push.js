/* Web Push on the page: asking at a sensible moment (on Beranda after the first saved activity,
 * never on a first visit, once per person on this device), the on/off switch and device list on Profil, and install guidance where push
 * needs the app on the home screen (iPhone and iPad, iOS 16.4+). Needs store.js and app.js. */
(function () {
  "use strict";

  const API = "/api/v1/push-subscriptions";
  const ASK_FLAG = "kinerjaku:push-ask";
  const LATER = "kinerjaku:push-later";
  const LATER_DAYS = 7;
  /** Set once the question was shown to this person here: it is never repeated. */
  const ASKED = "kinerjaku:push-asked:";

  const t = (key, values) => (self.KinerjakuApp ? self.KinerjakuApp.t(key, values) : key);
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  const supported = "serviceWorker" in navigator && "PushManager" in window
    && "Notification" in window;
  const ios = /iPad|iPhone|iPod/.test(navigator.userAgent)
    || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  const standalone = navigator.standalone === true
    || window.matchMedia("(display-mode: standalone)").matches;
  /** On iPhone and iPad, Safari offers push only to an app added to the home screen. */
  const needsInstall = ios && !standalone;

  function storage(action, key, value) {
    try {
      if (action === "get") return localStorage.getItem(key);
      if (action === "set") localStorage.setItem(key, value);
      else localStorage.removeItem(key);
    } catch (error) {
      // Private mode or storage blocked: the prompt simply shows less cleverly.
    }
    return null;
  }

  function keyBytes(base64url) {
    const raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  async function registration() {
    return navigator.serviceWorker.ready;
  }

  async function current() {
    if (!supported) return null;
    return (await registration()).pushManager.getSubscription();
  }

  function send(method, url, body) {
    return fetch(url, { method, credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() } });
  }

  async function newSubscription(reg) {
    const response = await fetch("/api/v1/push/public-key", { credentials: "same-origin" });
    if (!response.ok) throw new Error(`public key: ${response.status}`);
    const { public_key: key } = await response.json();
    return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  }

  /** Ask for permission (from a click), subscribe this device and tell the server. */
  async function enable() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") return permission;
    const reg = await registration();
    let subscription = await reg.pushManager.getSubscription() || await newSubscription(reg);
    let response = await send("POST", API, subscription.toJSON());
    if (response.status === 404) {
      // This browser's endpoint is bound to whoever used it before: start afresh.
      await subscription.unsubscribe();
      subscription = await newSubscription(reg);
      response = await send("POST", API, subscription.toJSON());
    }
    if (!response.ok) throw new Error(`subscribe: ${response.status}`);
    storage("remove", ASK_FLAG);
    document.dispatchEvent(new CustomEvent("kinerjaku:push-changed", { detail: true }));
    return "granted";
  }

  /** Stop push on this device: the server forgets it first, then the browser. */
  async function disable() {
    const subscription = await current();
    if (!subscription) return;
    const response = await send("DELETE", API, { endpoint: subscription.endpoint });
    if (!response.ok && response.status !== 404) throw new Error(`unsubscribe: ${response.status}`);
    await subscription.unsubscribe();
    document.dispatchEvent(new CustomEvent("kinerjaku:push-changed", { detail: false }));
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.assign(node, attributes || {});
    if (text) node.textContent = text;
    return node;
  }

  /* ---- the question, after the first saved activity -------------------------------------- */

  function postponed() {
    const later = Number(storage("get", LATER) || 0);
    return later && Date.now() - later < LATER_DAYS * 86400 * 1000;
  }

  const person = () => document.querySelector('meta[name="kinerjaku-person"]')?.content || "";
  /** Beranda only: the question must not follow the person to every page. */
  const onBeranda = () => document.body.classList.contains("page-home");

  async function shouldAsk() {
    if (!supported || needsInstall || !storage("get", ASK_FLAG) || postponed()) return false;
    if (!onBeranda() || storage("get", ASKED + person())) return false;
    if (Notification.permission === "denied") return false;
    return !(await current());
  }

  function showQuestion() {
    const main = document.getElementById("main");
    if (!main || document.getElementById("push-ask")) return;
    storage("set", ASKED + person(), "1");
    const panel = element("section", { id: "push-ask", className: "card push-ask" });
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-labelledby", "push-ask-title");
    const title = element("h2", { id: "push-ask-title" },
      t("Get reminders and feedback on this phone?"));
    const text = element("p", { className: "hint" }, t("Kinerjaku can remind you at 15.30 when nothing is logged yet, and tell you when your supervisor comments on, approves or returns an activity. You can switch this off in Profile."));
    const yes = element("button", { type: "button", className: "button" }, t("Turn on"));
    yes.dataset.pushEnable = "";
    const later = element("button", { type: "button", className: "button secondary" }, t("Later"));
    later.dataset.pushLater = "";
    const close = element("button", { type: "button", className: "close-card" }, "×");
    close.setAttribute("aria-label", t("Close"));
    close.dataset.pushClose = "";
    const status = element("p", { className: "hint" });
    status.setAttribute("role", "status");
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        const result = await enable();
        if (result === "granted") panel.remove();
        else {
          storage("remove", ASK_FLAG);
          status.textContent = t("Notifications are blocked for this site. Allow them in the browser's site settings.");
        }
      } catch (error) {
        console.warn("Push:", error);
        status.textContent = t("Could not turn on notifications. Please try again.");
        yes.disabled = false;
      }
    });
    const dismiss = () => {
      storage("set", LATER, String(Date.now()));
      storage("remove", ASK_FLAG);
      panel.remove();
      main.focus();
    };
    later.addEventListener("click", dismiss);
    close.addEventListener("click", dismiss);
    const actions = element("p", { className: "actions" });
    actions.append(yes, " ", later);
    panel.append(close, title, text, actions, status);
    main.prepend(panel);
  }

  /* ---- Profil: the switch and the devices ------------------------------------------------- */

  async function renderDevices(section) {
    const list = section.querySelector("[data-push-devices]");
    if (!list) return;
    const response = await fetch(API, { credentials: "same-origin" });
    if (!response.ok) return;
    const devices = await response.json();
    const mine = (await current().catch(() => null))?.endpoint;
    list.replaceChildren(...devices.map((device) => {
      const item = element("li");
      item.dataset.deviceId = device.id;
      const label = device.endpoint === mine ? t("This device") : (device.user_agent || "—");
      item.append(element("span", {}, label), " ");
      const remove = element("button", { type: "button", className: "button small danger" },
        t("Remove"));
      remove.addEventListener("click", async () => {
        const answer = await fetch(`${API}/${device.id}`, { method: "DELETE",
          credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
        if (answer.ok || answer.status === 404) {
          if (device.endpoint === mine) await (await current())?.unsubscribe();
          await renderSettings(section);
        }
      });
      item.append(remove);
      return item;
    }));
    section.querySelector("[data-push-devices-empty]").hidden = devices.length > 0;
  }

  async function renderSettings(section) {
    const toggle = section.querySelector("[data-push-toggle]");
    const status = section.querySelector("[data-push-status]");
    const show = (name) => {
      for (const part of section.querySelectorAll("[data-push-part]")) {
        part.hidden = part.dataset.pushPart !== name;
      }
    };
    if (needsInstall) return show("install");
    if (!supported) return show("unsupported");
    show("switch");
    const on = Notification.permission === "granted" && Boolean(await current());
    toggle.checked = on;
    toggle.disabled = Notification.permission === "denied";
    status.textContent = Notification.permission === "denied"
      ? t("Notifications are blocked for this site. Allow them in the browser's site settings.")
      : on ? t("Notifications are on for this device.") : t("Notifications are off for this device.");
    await renderDevices(section).catch(() => null);
    section.dataset.ready = "1";
  }

  function initSettings(section) {
    const toggle = section.querySelector("[data-push-toggle]");
    const status = section.querySelector("[data-push-status]");
    toggle?.addEventListener("change", async () => {
      toggle.disabled = true;
      try {
        if (toggle.checked) await enable();
        else await disable();
      } catch (error) {
        console.warn("Push:", error);
        status.textContent = t("Could not turn on notifications. Please try again.");
      }
      await renderSettings(section);
    });
    renderSettings(section).catch((error) => console.warn("Push:", error));
  }

  /* ---- wiring ---------------------------------------------------------------------------- */

  // The form navigates away right after a save; the next screen asks.
  document.addEventListener("kinerjaku:activity-saved", () => {
    if (supported && !needsInstall && !postponed()) storage("set", ASK_FLAG, "1");
  });
  if (supported) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "push") {
        document.dispatchEvent(new CustomEvent("kinerjaku:push", { detail: event.data.notification }));
      }
    });
  }
  const settings = document.querySelector("[data-push-settings]");
  if (settings) initSettings(settings);
  else shouldAsk().then((ask) => { if (ask) showQuestion(); })
    .catch((error) => console.warn("Push:", error));

  self.KinerjakuPush = { enable, disable, current, needsInstall, supported };
}());
