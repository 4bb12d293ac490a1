/* Kinerjaku's local store and outbox, shared by the pages and the service worker.
 *
 * A classic script (no modules), so the service worker can load it with importScripts.
 * It needs the idb library (vendor/idb-8.0.4.umd.js) loaded first, and it touches no DOM.
 *
 * The outbox rules:
 * - every write made here is queued under its client UUID, in order, and applied at once to
 *   the local copy (marked "waiting to sync");
 * - flush() sends queued activity writes in one batch request (one transaction on the
 *   server) and evidence files one by one, in queue order;
 * - an entry leaves the outbox only after a 2xx answer, or after the person has seen a 4xx
 *   or 409 and chosen what to keep (resolve()); a network error, 429 or 5xx keeps everything
 *   and asks for a retry later;
 * - the server treats every UUID as an idempotency key, so a replay after a lost answer
 *   never duplicates: a replayed create answers "existing", a replayed edit answers 409 with
 *   a copy equal to what was sent, which counts as done.
 */
(function (global) {
  "use strict";

  const DB_NAME = "kinerjaku";
  const DB_VERSION = 1;
  const STORES = ["meta", "activities", "targets", "templates", "progress", "notifications",
    "comments", "outbox"];
  const BATCH_SIZE = 100;
  /** The version of an edit queued behind other writes of the same activity. */
  const FOLLOW = "follow";
  const CONTENT_FIELDS = ["date", "start_time", "end_time", "description", "quantity", "unit",
    "target_id", "work_kind"];

  let dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = global.idb.openDB(DB_NAME, DB_VERSION, {
        upgrade(db) {
          db.createObjectStore("meta");
          db.createObjectStore("activities", { keyPath: "id" }).createIndex("date", "date");
          db.createObjectStore("targets", { keyPath: "id" });
          db.createObjectStore("templates", { keyPath: "id" });
          db.createObjectStore("progress", { keyPath: "indicator_id" });
          db.createObjectStore("notifications", { keyPath: "id" });
          db.createObjectStore("comments", { keyPath: "id" });
          db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        },
      });
    }
    return dbPromise;
  }

  async function getMeta(key) {
    return (await open()).get("meta", key);
  }

  async function setMeta(key, value) {
    return (await open()).put("meta", value, key);
  }

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    const bytes = global.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /* ---- the signed-in person and their working set --------------------------------------- */

  /** Remember who is signed in. A different person on this phone starts from an empty
   * working set; what waits in the outbox stays, sealed to its owner (see seal()), and a
   * person signing in again gets their sealed items back and sends them. */
  async function adopt(personId, csrfToken) {
    const db = await open();
    const current = await db.get("meta", "person_id");
    if (current !== undefined && current !== personId) {
      await claimUnowned(current);
      await clearPersonal();
    }
    await setMeta("person_id", personId);
    if (csrfToken) await setMeta("csrf_token", csrfToken);
    await unseal(personId);
  }

  /** Outbox entries queued before entries carried an owner belong to who was signed in. */
  async function claimUnowned(owner) {
    const db = await open();
    const tx = db.transaction("outbox", "readwrite");
    for (const entry of await tx.store.getAll()) {
      if (entry.owner === undefined) tx.store.put({ ...entry, owner });
    }
    await tx.done;
  }

  const SEAL = "sealed:";

  /** Signing out: what waits in the outbox stays on the phone, unreadable by the pages of
   * anyone else (they only ever see their own entries), with the local copies it needs put
   * aside under the owner's seal; every other personal datum leaves the phone. */
  async function seal() {
    const db = await open();
    const owner = await db.get("meta", "person_id");
    if (owner !== undefined) {
      await claimUnowned(owner);
      const waiting = (await db.getAll("outbox")).filter((e) => e.owner === owner);
      const ids = new Set(waiting.map((e) => e.activityId || e.id));
      const activities = (await db.getAll("activities")).filter((a) => ids.has(a.id));
      const comments = (await db.getAll("comments")).filter((c) => c._sync);
      if (waiting.length) await setMeta(SEAL + owner, { activities, comments });
    }
    await clearPersonal();
  }

  /** Give a returning person back the local copies sealed at their sign-out. */
  async function unseal(personId) {
    const db = await open();
    const sealed = await db.get("meta", SEAL + personId);
    if (!sealed) return;
    const tx = db.transaction(["meta", "activities", "comments"], "readwrite");
    sealed.activities.forEach((a) => tx.objectStore("activities").put(a));
    sealed.comments.forEach((c) => tx.objectStore("comments").put(c));
    tx.objectStore("meta").delete(SEAL + personId);
    await tx.done;
  }

  /** Empty every personal store except the outbox and the seals. */
  async function clearPersonal() {
    const db = await open();
    const tx = db.transaction(STORES, "readwrite");
    const work = STORES.filter((name) => !["meta", "outbox"].includes(name))
      .map((name) => tx.objectStore(name).clear());
    const meta = tx.objectStore("meta");
    for (const key of await meta.getAllKeys()) {
      if (!String(key).startsWith(SEAL)) work.push(meta.delete(key));
    }
    await Promise.all(work.concat(tx.done));
  }

  /** Forget everything kept on this phone, the outbox and seals too. */
  async function clear() {
    const db = await open();
    const tx = db.transaction(STORES, "readwrite");
    await Promise.all(STORES.map((name) => tx.objectStore(name).clear()).concat(tx.done));
  }

  /** The outbox entries of the person signed in here (none when nobody is). */
  async function ownEntries(db) {
    const owner = await db.get("meta", "person_id");
    if (owner === undefined) return [];
    return (await db.getAll("outbox")).filter((e) => e.owner === undefined || e.owner === owner);
  }

  /** Who is signed in on this phone, as far as the store knows (undefined: nobody). */
  async function owner() {
    return getMeta("person_id");
  }

  async function getJson(fetchImpl, url) {
    const response = await fetchImpl(url, { credentials: "same-origin",
      headers: { Accept: "application/json" } });
    if (!response.ok) throw new HttpError(response.status, url);
    return response.json();
  }

  function isoDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  /** Refresh the offline working set: the person, targets, 31 days of activities, templates,
   * progress. Local items still waiting in the outbox are kept over the server's copy. */
  async function refresh({ fetchImpl = global.fetch.bind(global), today } = {}) {
    const me = await getJson(fetchImpl, "/api/v1/me");
    await adopt(me.id);
    const day = today || await getMeta("today") || isoDate(new Date());
    const from = new Date(`${day}T00:00:00`);
    from.setDate(from.getDate() - 31);
    const [targets, templates, progress] = await Promise.all([
      getJson(fetchImpl, `/api/v1/targets?date=${day}`),
      getJson(fetchImpl, "/api/v1/activity-templates"),
      getJson(fetchImpl, "/api/v1/progress").catch(() => null),
    ]);
    const recent = await getJson(fetchImpl, "/api/v1/notifications?per_page=50")
      .catch(() => null);
    const comments = await getJson(fetchImpl, `/api/v1/comments?since=${isoDate(from)}`)
      .catch(() => null);
    const activities = [];
    for (let page = 1; page < 20; page += 1) {
      const batch = await getJson(fetchImpl,
        `/api/v1/activities?from=${isoDate(from)}&to=${day}&per_page=200&page=${page}`);
      const items = Array.isArray(batch) ? batch : (batch.items || []);
      activities.push(...items);
      if (items.length < 200) break;
    }
    const db = await open();
    const pendingIds = new Set((await ownEntries(db)).map((e) => e.activityId || e.id));
    const tx = db.transaction(["meta", "activities", "targets", "templates", "progress",
      "notifications", "comments"], "readwrite");
    tx.objectStore("meta").put(me, "me");
    tx.objectStore("meta").put(new Date().toISOString(), "refreshed_at");
    for (const name of ["targets", "templates", "progress"]) tx.objectStore(name).clear();
    targets.forEach((t) => tx.objectStore("targets").put(t));
    templates.forEach((t) => tx.objectStore("templates").put(t));
    (progress && (progress.indicators || progress.items || progress) || [])
      .forEach((p) => p && p.indicator_id !== undefined && tx.objectStore("progress").put(p));
    if (Array.isArray(recent)) {
      tx.objectStore("notifications").clear();
      recent.forEach((n) => tx.objectStore("notifications").put(n));
    }
    if (Array.isArray(comments)) {
      // Comments still waiting to be sent stay; the server's threads replace the rest.
      const commentStore = tx.objectStore("comments");
      for (const old of await commentStore.getAll()) {
        if (!old._sync) commentStore.delete(old.id);
      }
      comments.forEach((c) => commentStore.put({ ...c,
        author_name: c.author ? c.author.name : c.author_name }));
    }
    const store = tx.objectStore("activities");
    for (const old of await store.getAll()) {
      if (!pendingIds.has(old.id) && old.date >= isoDate(from)) store.delete(old.id);
    }
    activities.forEach((a) => { if (!pendingIds.has(a.id)) store.put(a); });
    await tx.done;
    return { activities: activities.length, targets: targets.length };
  }

  /** The notifications kept for offline reading (the last 50), newest first. */
  async function notifications() {
    const db = await open();
    return (await db.getAll("notifications")).sort((a, b) => b.id - a.id);
  }

  async function activitiesOn(day) {
    const db = await open();
    const items = await db.getAllFromIndex("activities", "date", day);
    return items.sort((a, b) => (a.start_time || "").localeCompare(b.start_time || ""));
  }

  /* ---- queueing -------------------------------------------------------------------------- */

  async function enqueue(entries, localCopies) {
    const db = await open();
    const owner = await db.get("meta", "person_id");
    const tx = db.transaction(["outbox", "activities"], "readwrite");
    for (const entry of entries) {
      tx.objectStore("outbox").add({ state: "pending", attempts: 0, queuedAt: Date.now(),
        owner, ...entry });
    }
    for (const copy of localCopies || []) tx.objectStore("activities").put(copy);
    await tx.done;
    notify();
  }

  /** Queue a new activity (and, optionally, its photo as a Blob). Returns its local copy. */
  async function createActivity(data, { submit = false, photo = null, photoName = null } = {}) {
    const id = data.id || uuid();
    const content = {};
    CONTENT_FIELDS.forEach((name) => { if (data[name] !== undefined) content[name] = data[name]; });
    // "_submitting": sent for approval once the server has it; until then the supervisor
    // cannot have it, and the pages say so.
    const local = { id, ...content, status: submit ? "submitted" : "draft", version: 1,
      attachments: [], _sync: "pending", _submitting: submit };
    const entries = [{ kind: "activity", op: "create", id, data: content }];
    if (submit) entries.push({ kind: "activity", op: "submit", id });
    if (photo) {
      entries.push({ kind: "attachment", op: "attach", id: uuid(), activityId: id,
        blob: photo, filename: photoName || "foto.jpg" });
      local.attachments.push({ id: entries[entries.length - 1].id, kind: "file",
        filename: photoName || "foto.jpg", _sync: "pending" });
    }
    await enqueue(entries, [local]);
    return local;
  }

  /** Queue an edit of an activity. The first edit is based on the version this phone last
   * saw from the server (that is what makes a 409 mean "changed elsewhere"); edits queued
   * behind other writes of the same activity follow them ("follow": the version is taken when
   * it is sent, after the writes before it were answered). */
  async function updateActivity(id, changes, version, { submit = false } = {}) {
    const db = await open();
    const current = (await db.get("activities", id)) || { id };
    const queued = (await ownEntries(db)).some((e) => (e.activityId || e.id) === id);
    const local = { ...current, ...changes, _sync: "pending" };
    if (submit) Object.assign(local, { status: "submitted", _submitting: true });
    const base = queued ? FOLLOW : (version ?? current.version);
    const entries = [{ kind: "activity", op: "update", id, version: base, data: changes }];
    if (submit) entries.push({ kind: "activity", op: "submit", id });
    await enqueue(entries, [local]);
    return local;
  }

  async function submitActivity(id) {
    const db = await open();
    const current = await db.get("activities", id);
    await enqueue([{ kind: "activity", op: "submit", id }],
      current ? [{ ...current, status: "submitted", _sync: "pending", _submitting: true }] : []);
  }

  /** Queue a comment on an activity under its own UUID (the server's idempotency key). */
  async function addComment(activityId, body) {
    const id = uuid();
    const me = (await getMeta("me")) || {};
    const local = { id, client_id: id, activity_id: activityId, body,
      author_name: me.name || "", created_at: new Date().toISOString(), _sync: "pending" };
    const db = await open();
    const owner = await db.get("meta", "person_id");
    const tx = db.transaction(["outbox", "comments"], "readwrite");
    tx.objectStore("outbox").add({ state: "pending", attempts: 0, queuedAt: Date.now(), owner,
      kind: "comment", op: "comment", id, activityId, data: { body } });
    tx.objectStore("comments").put(local);
    await tx.done;
    notify();
    return local;
  }

  async function commentsOf(activityId) {
    const all = await (await open()).getAll("comments");
    return all.filter((c) => c.activity_id === activityId)
      .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  }

  async function entries() {
    return ownEntries(await open());
  }

  async function pendingCount() {
    return (await entries()).length;
  }

  /* ---- sending --------------------------------------------------------------------------- */

  class HttpError extends Error {
    constructor(status, url) {
      super(`HTTP ${status} for ${url}`);
      this.status = status;
    }
  }

  /** A failure worth retrying later: no network, a timeout, 429 or a 5xx. */
  class RetryLater extends Error {}

  function isRetryable(status) {
    return status === 408 || status === 429 || status >= 500;
  }

  async function send(fetchImpl, url, init) {
    let response;
    try {
      response = await fetchImpl(url, { credentials: "same-origin", ...init });
    } catch (error) {
      throw new RetryLater(`network: ${error.message}`);
    }
    if (isRetryable(response.status)) throw new RetryLater(`HTTP ${response.status}`);
    return response;
  }

  function sameContent(sent, server) {
    if (!server) return false;
    return Object.keys(sent || {}).every((name) => {
      const a = sent[name];
      const b = server[name];
      if (name === "quantity" && a !== null && a !== undefined && a !== "") {
        return Number(a) === Number(b);
      }
      return (a === "" ? null : a) === (b === undefined ? null : b);
    });
  }

  async function settle(db, entry, result) {
    const tx = db.transaction(["outbox", "activities"], "readwrite");
    const outbox = tx.objectStore("outbox");
    const activities = tx.objectStore("activities");
    const done = ["created", "existing", "updated", "submitted"].includes(result.result)
      || (result.result === "conflict" && entry.op === "update"
          && result.error && sameContent(entry.data, result.error.current));
    if (done) {
      await outbox.delete(entry.seq);
      const copy = result.activity || (result.error && result.error.current);
      if (copy) {
        const stillQueued = (await outbox.getAll()).some(
          (e) => (e.activityId || e.id) === entry.id);
        const local = await activities.get(entry.id);
        // While later writes for it wait, the local copy (with their changes) stays in front.
        if (!stillQueued) {
          activities.put({ ...copy, attachments: mergeAttachments(copy, local) });
        } else if (local) {
          activities.put({ ...local, version: copy.version });
        }
      }
    } else {
      await outbox.put({ ...entry, state: "attention", result: result.result,
        error: result.error || null, server: (result.error && result.error.current) || null });
      const local = await activities.get(entry.id);
      if (local) activities.put({ ...local, _sync: "attention" });
    }
    await tx.done;
  }

  function mergeAttachments(server, local) {
    const known = new Set((server.attachments || []).map((a) => a.id));
    const waiting = ((local && local.attachments) || []).filter(
      (a) => a._sync && !known.has(a.id));
    return (server.attachments || []).concat(waiting);
  }

  async function sendBatch(fetchImpl, db, run, token) {
    const response = await send(fetchImpl, "/api/v1/activities/batch", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": token || "" },
      body: JSON.stringify({ entries: run.map((e) => {
        const body = { op: e.op, id: e.id, data: e.data || {} };
        if (e.version !== undefined && e.version !== null) body.version = e.version;
        return body;
      }) }),
    });
    if (!response.ok) return stopFor(response);
    const { results } = await response.json();
    for (let i = 0; i < run.length; i += 1) await settle(db, run[i], results[i]);
    return null;
  }

  async function sendAttachment(fetchImpl, db, entry, token) {
    const form = new FormData();
    form.append("id", entry.id);
    form.append("file", entry.blob, entry.filename);
    const response = await send(fetchImpl,
      `/api/v1/activities/${entry.activityId}/attachments`, {
        method: "POST", headers: { Accept: "application/json", "X-CSRFToken": token || "" },
        body: form,
      });
    if (response.ok) {
      const attachment = await response.json();
      const tx = db.transaction(["outbox", "activities"], "readwrite");
      await tx.objectStore("outbox").delete(entry.seq);
      const local = await tx.objectStore("activities").get(entry.activityId);
      if (local) {
        local.attachments = (local.attachments || []).filter((a) => a.id !== attachment.id)
          .concat([attachment]);
        if (!local.attachments.some((a) => a._sync)) delete local._sync;
        tx.objectStore("activities").put(local);
      }
      await tx.done;
      return null;
    }
    if (response.status === 401 || response.status === 400) return stopFor(response);
    const body = await response.json().catch(() => ({}));
    await settle(db, { ...entry, id: entry.activityId },
      { result: response.status === 404 ? "not_found" : "invalid", error: body.error || null });
    return null;
  }

  async function sendComment(fetchImpl, db, entry, token) {
    const response = await send(fetchImpl, `/api/v1/activities/${entry.activityId}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": token || "" },
      body: JSON.stringify({ id: entry.id, body: entry.data.body }),
    });
    if (response.ok) {
      const comment = await response.json();
      const tx = db.transaction(["outbox", "comments"], "readwrite");
      await tx.objectStore("outbox").delete(entry.seq);
      await tx.objectStore("comments").delete(entry.id);
      await tx.objectStore("comments").put({ ...comment, client_id: entry.id,
        author_name: comment.author ? comment.author.name : "" });
      await tx.done;
      return null;
    }
    if (response.status === 401 || response.status === 400) return stopFor(response);
    const body = await response.json().catch(() => ({}));
    await settle(db, entry, { result: response.status === 404 ? "not_found" : "invalid",
      error: body.error || null });
    return null;
  }

  async function stopFor(response) {
    // 401: signed out; 400: usually an expired CSRF token. Nothing is dropped: a fresh page
    // (which brings a new token) or signing in again lets the outbox go on.
    const body = await response.json().catch(() => ({}));
    const code = (body.error && body.error.code) || `http_${response.status}`;
    await setMeta("blocked", { code, status: response.status, at: Date.now() });
    return code;
  }

  async function withLock(task) {
    if (global.navigator && global.navigator.locks) {
      return global.navigator.locks.request("kinerjaku-outbox", task);
    }
    return task();
  }

  /** Send what waits, in order. Resolves {sent, waiting, attention, blocked};
   * rejects with RetryLater when the network or the server should be tried again later. */
  async function flush({ fetchImpl = global.fetch.bind(global) } = {}) {
    return withLock(async () => {
      const db = await open();
      const token = await getMeta("csrf_token");
      await setMeta("blocked", null);
      let sent = 0;
      for (;;) {
        const all = await ownEntries(db);
        const held = new Set(all.filter((e) => e.state === "attention")
          .map((e) => e.activityId || e.id));
        const ready = all.filter((e) => e.state === "pending"
          && !held.has(e.activityId || e.id));
        if (!ready.length) {
          notify();
          return { sent, waiting: all.filter((e) => e.state === "pending").length,
            attention: all.filter((e) => e.state === "attention").length, blocked: null };
        }
        let blocked;
        if (ready[0].kind === "attachment") {
          blocked = await sendAttachment(fetchImpl, db, ready[0], token);
          sent += 1;
        } else if (ready[0].kind === "comment") {
          blocked = await sendComment(fetchImpl, db, ready[0], token);
          sent += 1;
        } else {
          const run = [];
          const inRun = new Set();
          for (const entry of ready) {
            if (entry.kind !== "activity" || run.length >= BATCH_SIZE) break;
            if (entry.version === FOLLOW) {
              // Its base is the answer to the writes before it: wait for them, then take the
              // version they left on the local copy.
              if (inRun.has(entry.id)) break;
              const local = await db.get("activities", entry.id);
              run.push({ ...entry, version: local ? local.version : null });
            } else {
              run.push(entry);
            }
            inRun.add(entry.id);
          }
          blocked = await sendBatch(fetchImpl, db, run, token);
          sent += run.length;
        }
        if (blocked) {
          notify();
          return { sent, waiting: ready.length, attention: held.size, blocked };
        }
      }
    });
  }

  /** The person has seen a 4xx or 409 for ``seq`` and chose: "mine" re-sends their change
   * on top of the server's version, "server" keeps the server's copy and drops theirs. */
  async function resolve(seq, choice) {
    const db = await open();
    const entry = await db.get("outbox", seq);
    if (!entry) return;
    const tx = db.transaction(["outbox", "activities"], "readwrite");
    const server = entry.server;
    if (choice === "mine" && entry.op === "update" && server) {
      await tx.objectStore("outbox").put({ ...entry, state: "pending", version: server.version,
        error: null, server: null, result: null });
    } else {
      await tx.objectStore("outbox").delete(entry.seq);
      if (server) await tx.objectStore("activities").put(server);
      else if (entry.op === "create") await tx.objectStore("activities").delete(entry.id);
    }
    await tx.done;
    notify();
  }

  /** The state a page shows: "queued" while a submission waits on this phone. */
  function shownStatus(activity) {
    return activity._submitting && activity._sync ? "queued" : activity.status;
  }

  /* ---- change notifications -------------------------------------------------------------- */

  const listeners = new Set();

  function notify() {
    listeners.forEach((listener) => { try { listener(); } catch (error) { /* ignore */ } });
    if (global.BroadcastChannel) {
      try { new global.BroadcastChannel("kinerjaku").postMessage({ type: "outbox" }); }
      catch (error) { /* ignore */ }
    }
  }

  function onChange(listener) {
    listeners.add(listener);
    if (global.BroadcastChannel) {
      const channel = new global.BroadcastChannel("kinerjaku");
      channel.onmessage = () => listener();
    }
  }

  global.Kinerjaku = {
    open, getMeta, setMeta, adopt, seal, owner, clear, refresh, activitiesOn, notifications, uuid, isoDate,
    createActivity, updateActivity, submitActivity, addComment, commentsOf, entries,
    pendingCount, flush, resolve, shownStatus,
    onChange, RetryLater, HttpError, sameContent,
  };
}(self));
