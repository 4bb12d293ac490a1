/* Live events on signed-in pages: GET /api/v1/stream (Server-Sent Events). A comment on the
 * activity shown appears in its thread, an approval or return changes the status badge, the
 * unread badge counts up, and a toast says what happened — without a reload.
 * Events carry the notification id. A resume may repeat some (the server replays a margin
 * behind the last id so that none is lost), so ids already handled are skipped. */
(function () {
  "use strict";

  if (!self.EventSource) return;
  const person = document.querySelector('meta[name="kinerjaku-person"]')?.content;
  if (!person) return;
  const i18nElement = document.getElementById("kinerjaku-i18n");
  const i18n = i18nElement ? JSON.parse(i18nElement.textContent) : {};
  const t = (key, values) => (self.KinerjakuApp ? self.KinerjakuApp.t(key, values)
    : (i18n[key] || key).replace(/%\((\w+)\)[sd]/g, (_, n) => String(values?.[n] ?? "")));
  const locale = i18n.locale === "en" ? "en-GB" : "id-ID";

  // Per tab and per person: the newest id and the ids handled, kept across page loads.
  const KEY = `kinerjaku:live:${person}`;
  const MAX_SEEN = 300;
  let state;
  try {
    state = JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch (error) {
    state = {};
  }
  const seen = new Set(state.seen || []);
  const pageCursor = Number(document.querySelector('meta[name="kinerjaku-last-event"]')?.content
    || 0);
  // The page was drawn from the database up to pageCursor: everything up to it is shown.
  let cursor = Math.max(Number(state.last || 0), pageCursor);

  function remember(id) {
    seen.add(id);
    if (id > cursor) cursor = id;
    const ids = Array.from(seen).sort((a, b) => a - b).slice(-MAX_SEEN);
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ last: cursor, seen: ids }));
    } catch (error) { /* storage full or disabled: de-duplication still works in memory */ }
  }

  /* ---- what an event changes on the page -------------------------------------------------- */

  function appendComment(activityId, comment) {
    const list = document.querySelector(`#comments[data-activity-id="${CSS.escape(activityId)}"]`);
    const template = document.getElementById("tpl-comment");
    if (!list || !template || !comment) return false;
    if (list.querySelector(`[data-comment-id="${CSS.escape(String(comment.id))}"]`)) return true;
    // Written on this phone: it is drawn already under the id the phone gave it.
    const mine = comment.client_id
      && list.querySelector(`[data-client-id="${CSS.escape(comment.client_id)}"]`);
    if (mine) {
      mine.dataset.commentId = comment.id;
      mine.querySelector(".sync-mark")?.remove();
      return true;
    }
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.commentId = comment.id;
    item.querySelector(".comment-author").textContent = comment.author_name || "";
    item.querySelector(".comment-body").textContent = comment.body || "";
    const time = item.querySelector(".comment-time");
    if (time && comment.created_at) {
      const when = new Date(comment.created_at.endsWith("Z") || comment.created_at.includes("+")
        ? comment.created_at : `${comment.created_at}Z`);
      time.dateTime = when.toISOString();
      time.textContent = new Intl.DateTimeFormat(locale, { dateStyle: "medium",
        timeStyle: "short" }).format(when);
    }
    list.append(item);
    document.querySelector(".comments-empty")?.remove();
    return true;
  }

  function updateStatus(activityId, status, version) {
    if (!status) return;
    const id = CSS.escape(activityId);
    const cards = Array.from(document.querySelectorAll(`[data-activity-id="${id}"]`));
    // A card drawn from a newer version than the event's already shows something later.
    const fresh = cards.filter((card) => !version || !card.dataset.version
      || Number(card.dataset.version) <= Number(version));
    const badges = fresh.flatMap((card) => Array.from(
      card.querySelectorAll(".status:not(.status-late)")));
    badges.push(...document.querySelectorAll(`[data-activity-status="${id}"]`));
    // The activity's own page shows its badge next to the comment thread.
    if (document.querySelector(`#comments[data-activity-id="${id}"]`)) {
      badges.push(...document.querySelectorAll(".facts .status:not(.status-late)"));
    }
    for (const badge of new Set(badges)) {
      badge.className = `status status-${status}`;
      badge.textContent = t(`status:${status}`);
    }
    fresh.forEach((card) => {
      if (version && card.dataset.version) card.dataset.version = version;
    });
  }

  function bumpUnread() {
    document.querySelectorAll("[data-unread-badge]").forEach((badge) => {
      const count = Number.parseInt(badge.firstChild?.textContent || "0", 10) + 1;
      badge.firstChild.textContent = String(count);
      badge.hidden = false;
    });
  }

  /* A submission (an activity, an SKP, a leave request) on the supervisor's team view (/tim,
   * the review inbox): that person's section is drawn again from the server, with its forms,
   * unless the supervisor is typing in it. */
  async function refreshPerson(personId) {
    const selector = `section.team-person[data-person-id="${CSS.escape(String(personId))}"]`;
    const section = document.querySelector(selector);
    if (!section || section.contains(document.activeElement)) return;
    try {
      const response = await fetch(location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector(selector);
      if (fresh && !section.contains(document.activeElement)) section.replaceWith(fresh);
    } catch (error) { /* offline: the next event or a reload brings it */ }
  }

  let toastTimer;
  function toast(text) {
    const element = document.getElementById("live-toast");
    if (!element || !text) return;
    element.textContent = text;
    element.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { element.hidden = true; }, 6000);
  }

  function describe(kind, message) {
    const data = message.data || {};
    if (kind === "comment") {
      return t("New comment from %(name)s", { name: data.comment?.author_name || "" });
    }
    // Evaluations share these kinds; their titles say what was approved or returned.
    if (kind === "approved" && data.activity_id) return t("Your activity was approved.");
    if (kind === "returned" && data.activity_id) return t("Your activity was returned.");
    return message.title;
  }

  function handle(kind, event) {
    const id = Number(event.lastEventId);
    if (!id || seen.has(id)) return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    remember(id);
    const data = message.data || {};
    // Adding a comment is idempotent (by its id): always safe, even for a replayed event that
    // committed just after the page was drawn.
    if (kind === "comment" && data.activity_id) appendComment(data.activity_id, data.comment);
    // The page was drawn with everything up to its cursor: an older status would be stale.
    if (id <= pageCursor) return;
    if ((kind === "approved" || kind === "returned") && data.activity_id) {
      updateStatus(data.activity_id, data.status || kind, data.version);
    }
    if (kind === "submitted" && data.person_id) refreshPerson(data.person_id);
    if (!message.read) bumpUnread();
    toast(describe(kind, message));
    document.dispatchEvent(new CustomEvent("kinerjaku:live", { detail: message }));
  }

  /* ---- the stream ------------------------------------------------------------------------- */

  const KINDS = ["comment", "approved", "returned", "feedback", "reminder", "digest", "submitted",
    "message"];
  let source;

  function connect() {
    // The browser resends Last-Event-ID itself on reconnects; the query covers a new page.
    source = new EventSource(`/api/v1/stream${cursor ? `?last_event_id=${cursor}` : ""}`);
    KINDS.forEach((kind) => source.addEventListener(kind, (event) => handle(kind, event)));
    source.addEventListener("error", () => {
      // Closed for good (a 401 after signing out elsewhere, say): try again later, gently.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 15000);
    });
  }

  window.addEventListener("pagehide", () => source && source.close());
  window.addEventListener("pageshow", (event) => { if (event.persisted) connect(); });
  connect();
  self.KinerjakuLive = { seen, get cursor() { return cursor; } };
}());
