/* The comment form on an activity: the comment is kept on the phone, shown at once with
 * "waiting to sync", and sent through the outbox, so feedback written with no signal is not
 * lost. Needs store.js and app.js; the page has #comments, #tpl-comment and the form. */
(function () {
  "use strict";

  const K = self.Kinerjaku;
  const t = (key, values) => self.KinerjakuApp.t(key, values);

  function draw(list, comment) {
    const template = document.getElementById("tpl-comment");
    if (!list || !template) return null;
    const existing = list.querySelector(`[data-client-id="${CSS.escape(comment.client_id || "")}"]`)
      || list.querySelector(`[data-comment-id="${CSS.escape(String(comment.id))}"]`);
    const item = existing || template.content.firstElementChild.cloneNode(true);
    item.dataset.commentId = comment.id;
    if (comment.client_id) item.dataset.clientId = comment.client_id;
    item.querySelector(".comment-author").textContent = comment.author_name || "";
    item.querySelector(".comment-body").textContent = comment.body || "";
    const time = item.querySelector(".comment-time");
    if (time && comment.created_at) {
      const when = new Date(comment.created_at);
      time.dateTime = when.toISOString();
      time.textContent = when.toLocaleString(t("locale") === "en" ? "en-GB" : "id-ID",
        { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    }
    let mark = item.querySelector(".sync-mark");
    if (comment._sync && !mark) {
      mark = document.createElement("span");
      mark.className = "sync-mark";
      mark.textContent = t("waiting to sync");
      item.querySelector(".comment-meta")?.append(" ", mark);
    } else if (!comment._sync && mark) {
      mark.remove();
    }
    if (!existing) list.append(item);
    document.querySelector(".comments-empty")?.remove();
    return item;
  }

  /** Draw the phone's copy of the thread (offline), or mark what still waits (online). */
  async function refreshThread(list) {
    const comments = await K.commentsOf(list.dataset.activityId);
    for (const comment of comments) {
      const onPage = list.querySelector(`[data-comment-id="${CSS.escape(String(comment.id))}"]`)
        || (comment.client_id
          && list.querySelector(`[data-client-id="${CSS.escape(comment.client_id)}"]`));
      if (comment._sync || !onPage || list.dataset.offline) draw(list, comment);
    }
  }

  function init(form, list) {
    if (!form || !list || !K || !window.indexedDB || form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    refreshThread(list);
    document.addEventListener("kinerjaku:outbox", () => refreshThread(list));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const field = form.elements.body;
      const body = field.value.trim();
      if (!body) {
        field.setAttribute("aria-invalid", "true");
        field.focus();
        return;
      }
      const comment = await K.addComment(list.dataset.activityId, body);
      field.value = "";
      field.removeAttribute("aria-invalid");
      draw(list, comment);
      if (navigator.onLine) await self.KinerjakuApp.flush();
      else self.KinerjakuApp.requestBackgroundSync();
      refreshThread(list);
    });
  }

  self.KinerjakuComments = { init, refreshThread };
  init(document.querySelector("form.comment-form"), document.getElementById("comments"));
}());
