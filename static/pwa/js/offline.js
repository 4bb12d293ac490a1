/* The offline shell: when the network is gone, the service worker answers every page with
 * /shell, and this script draws the screen that was asked for from the data kept on the
 * phone: Beranda (the day's activities and progress), the activity form, and the targets.
 * Needs store.js, app.js and activity-form.js. */
(function () {
  "use strict";

  const K = self.Kinerjaku;
  const view = document.getElementById("offline-view");
  if (!view || !K) return;
  const t = (key, values) => self.KinerjakuApp.t(key, values);
  const locale = t("locale") === "en" ? "en-GB" : "id-ID";
  const DEFAULT_START = "07:30";

  function clone(id) {
    return document.getElementById(id).content.cloneNode(true);
  }

  function slot(root, name) {
    return root.querySelector(`[data-slot="${name}"]`);
  }

  /** Today's date where the person works (their unit's zone), as YYYY-MM-DD. */
  function localToday(timezone) {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric",
        month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (error) {
      return K.isoDate(new Date());
    }
  }

  function longDate(day) {
    const [year, month, date] = day.split("-").map(Number);
    return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long",
      year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, date)));
  }

  function number(value) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(value));
  }

  async function today() {
    const params = new URLSearchParams(window.location.search);
    const me = (await K.getMeta("me")) || {};
    const day = params.get("tanggal") || localToday(me.timezone);
    const screen = clone("tpl-today");
    slot(screen, "greeting").textContent = me.name || "";
    slot(screen, "date").textContent = longDate(day);
    slot(screen, "log").href = `/aktivitas/baru?tanggal=${day}`;
    const list = screen.querySelector("#activity-list");
    list.dataset.day = day;
    const activities = await K.activitiesOn(day);
    const card = document.getElementById("tpl-activity-card");
    for (const activity of activities) {
      const element = self.KinerjakuApp.renderCard(card, activity);
      element.querySelector(".sync-mark").hidden = !activity._sync;
      list.append(element);
    }
    slot(screen, "empty").hidden = activities.length > 0;
    await progress(slot(screen, "progress"), slot(screen, "progress-section"));
    view.replaceChildren(screen);
  }

  async function progress(list, section) {
    const db = await K.open();
    const rows = await db.getAll("progress");
    const targets = new Map((await db.getAll("targets")).map((target) => [target.id, target]));
    const item = document.getElementById("tpl-progress-item");
    for (const row of rows) {
      const target = Number(row.target_quantity || targets.get(row.indicator_id)?.target_quantity);
      const done = Number(row.approved?.quantity || 0);
      const element = item.content.firstElementChild.cloneNode(true);
      element.dataset.indicatorId = row.indicator_id;
      element.querySelector(".progress-label").textContent = row.description || "";
      const bar = element.querySelector("progress");
      bar.max = target || 1;
      bar.value = Math.min(done, target || 0);
      element.querySelector(".progress-percent").textContent =
        `${number(target ? (done / target) * 100 : 0)} %`;
      element.querySelector(".progress-text").textContent =
        target ? `${number(done)} / ${number(target)} ${row.unit || ""}` : "";
      list.append(element);
    }
    section.hidden = rows.length === 0;
  }

  async function form(existing) {
    const params = new URLSearchParams(window.location.search);
    const me = (await K.getMeta("me")) || {};
    const day = existing ? existing.date : params.get("tanggal") || localToday(me.timezone);
    const screen = clone("tpl-form");
    const element = screen.querySelector("#activity-form");
    element.elements.id.value = K.uuid();
    element.elements.date.value = day;
    // Start where the day's last activity ended, as online.
    const ends = (await K.activitiesOn(day)).map((a) => a.end_time).filter(Boolean).sort();
    const start = ends.length ? ends[ends.length - 1].slice(0, 5) : DEFAULT_START;
    element.elements.start_time.value = start;
    const [hours, minutes] = start.split(":").map(Number);
    const end = Math.min(hours * 60 + minutes + 60, 23 * 60 + 59);
    element.elements.end_time.value =
      `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
    // The targets as last seen online, most used first.
    const db = await K.open();
    const targets = (await db.getAll("targets")).sort((a, b) => (b.usage || 0) - (a.usage || 0));
    const select = element.elements.target;
    const firstOther = select.querySelector('option[value="tambahan"]');
    for (const target of targets) {
      const option = document.createElement("option");
      option.value = String(target.id);
      option.dataset.unit = target.unit || "";
      option.dataset.aspect = target.aspect || "";
      option.textContent = `${target.indicator} — ${target.rhk}`;
      select.insertBefore(option, firstOther);
    }
    select.selectedIndex = 0;
    if (existing) fillFrom(element, existing, screen);
    view.replaceChildren(screen);
    self.KinerjakuForm.init(document.getElementById("activity-form"));
  }

  /** The edit form: the phone's copy of the activity, edited against the version it holds. */
  function fillFrom(element, activity, screen) {
    screen.querySelector("h1").textContent = t("Edit activity");
    element.dataset.activityId = activity.id;
    element.dataset.draftKey = `activity-form:${activity.id}`;
    element.elements.id.remove();
    const version = document.createElement("input");
    version.type = "hidden";
    version.name = "version";
    version.value = activity.version || 1;
    element.prepend(version);
    for (const name of ["description", "start_time", "end_time", "unit", "date"]) {
      if (element.elements[name] && activity[name]) element.elements[name].value = activity[name];
    }
    if (activity.quantity !== null && activity.quantity !== undefined) {
      element.elements.quantity.value = activity.quantity;
    }
    element.elements.target.value = activity.target_id ? String(activity.target_id)
      : (activity.work_kind || "lainnya");
    element.querySelector('[name="evidence"]')?.closest(".field")?.remove();
  }

  /** An activity as kept on the phone, with what can be done to it offline. */
  async function detail(id, editing) {
    const activity = await (await K.open()).get("activities", id);
    if (!activity) {
      view.replaceChildren(clone("tpl-unavailable"));
      return;
    }
    if (editing) {
      if (["draft", "returned"].includes(activity.status)) await form(activity);
      else view.replaceChildren(clone("tpl-unavailable"));
      return;
    }
    const screen = clone("tpl-detail");
    slot(screen, "description").textContent = activity.description;
    slot(screen, "date").textContent = longDate(activity.date);
    slot(screen, "time").textContent = self.KinerjakuApp.timeRange(activity.start_time,
      activity.end_time);
    const status = slot(screen, "status");
    const shown = K.shownStatus(activity);
    status.className = `status status-${shown}`;
    status.textContent = t(`status:${shown}`);
    slot(screen, "sync").hidden = !activity._sync;
    const edit = slot(screen, "edit");
    if (["draft", "returned"].includes(activity.status)) edit.href = `/aktivitas/${id}/ubah`;
    else edit.remove();
    const list = screen.querySelector("#comments");
    list.dataset.activityId = id;
    list.dataset.offline = "1";
    view.replaceChildren(screen);
    self.KinerjakuComments.init(view.querySelector("form.comment-form"), list);
  }

  async function targets() {
    const screen = clone("tpl-today");
    const section = slot(screen, "progress-section");
    await progress(slot(screen, "progress"), section);
    section.hidden = false;
    view.replaceChildren(section);
  }

  /** Notifikasi: the last notifications fetched while online, newest first. */
  async function notifications() {
    const screen = clone("tpl-notifications");
    const items = await K.notifications();
    for (const item of items) {
      const row = clone("tpl-notification");
      slot(row, "unread").hidden = Boolean(item.read);
      const title = slot(row, "title");
      title.textContent = item.title;
      title.href = item.url || "/";
      slot(row, "body").textContent = item.body || "";
      const time = slot(row, "time");
      time.dateTime = item.created_at;
      time.textContent = new Intl.DateTimeFormat(locale, { dateStyle: "medium",
        timeStyle: "short" }).format(new Date(item.created_at));
      slot(screen, "list").append(row);
    }
    slot(screen, "empty").hidden = items.length > 0;
    view.replaceChildren(screen);
  }

  /** Nobody signed in here (signed out, or a new phone): no name, no data, no navigation. */
  async function whoever(draw) {
    if ((await K.owner()) === undefined) {
      view.replaceChildren(clone("tpl-signed-out"));
      return;
    }
    document.querySelector(".app-nav")?.removeAttribute("hidden");
    await draw();
  }

  const routes = { "/": today, "/aktivitas/baru": () => form(), "/target": targets,
    "/notifikasi": notifications };
  const activityPath = window.location.pathname.match(/^\/aktivitas\/([0-9a-f-]{36})(\/ubah)?$/);
  const render = routes[window.location.pathname]
    || (activityPath && (() => detail(activityPath[1], Boolean(activityPath[2]))))
    || (() => view.replaceChildren(clone("tpl-unavailable")));
  whoever(render).catch((error) => {
    console.warn("Offline screen:", error);
    view.replaceChildren(clone("tpl-unavailable"));
  });
  document.addEventListener("kinerjaku:outbox", () => {
    if (window.location.pathname === "/" && document.getElementById("activity-list")) today();
  });
}());
