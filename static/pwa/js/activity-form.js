/* The activity form: recent descriptions on one tap, the unit following the chosen indicator,
 * a draft kept as it is typed, and saving through the outbox, so an activity logged with no
 * signal is kept on the phone and sent when the network returns. Needs store.js and app.js. */
(function () {
  "use strict";

  const K = self.Kinerjaku;
  const MAX_PHOTO_EDGE = 1600;
  const PHOTO_QUALITY = 0.8;
  const MAX_UPLOAD = 5 * 1024 * 1024;
  const FIELDS = ["date", "start_time", "end_time", "description", "quantity", "unit"];

  const t = (key, values) => self.KinerjakuApp.t(key, values);

  function draftKey(form) {
    return `kinerjaku:${form.dataset.draftKey}`;
  }

  function saveDraft(form) {
    const data = {};
    for (const element of form.elements) {
      if (element.name && !["file", "hidden", "submit"].includes(element.type)) {
        data[element.name] = element.value;
      }
    }
    try {
      localStorage.setItem(draftKey(form), JSON.stringify({ savedAt: Date.now(), data }));
    } catch (error) {
      // Storage full or blocked: the form still works, only the draft is not kept.
    }
  }

  function clearDraft(form) {
    try {
      localStorage.removeItem(draftKey(form));
    } catch (error) {
      // Nothing to clear.
    }
  }

  function restoreDraft(form) {
    // A form the server re-rendered carries the typed values; a draft only fills an empty one.
    let stored;
    try {
      stored = JSON.parse(localStorage.getItem(draftKey(form)) || "null");
    } catch (error) {
      return;
    }
    if (!stored || Date.now() - stored.savedAt > 7 * 86400 * 1000) return;
    const description = form.elements.description;
    if (description && !description.value && stored.data.description) {
      for (const [name, value] of Object.entries(stored.data)) {
        if (form.elements[name] && value) form.elements[name].value = value;
      }
      form.dataset.draftRestored = "1";
    }
  }

  /** An indicator measured in a quantity ("48 dokumen") counts each activity's quantity: the
   * field is then required, and starts at 1, so nothing silently counts 0. */
  function countsQuantity(form) {
    return form.elements.target?.selectedOptions[0]?.dataset.aspect === "kuantitas";
  }

  function followQuantity(form) {
    const quantity = form.elements.quantity;
    if (!quantity) return;
    const counted = countsQuantity(form);
    quantity.required = counted;
    if (counted && !quantity.value) quantity.value = "1";
  }

  function followIndicatorUnit(form) {
    const select = form.elements.target;
    const unit = form.elements.unit;
    if (!select || !unit) return;
    let lastDefault = select.selectedOptions[0]?.dataset.unit || "";
    select.addEventListener("change", () => {
      const next = select.selectedOptions[0]?.dataset.unit || "";
      // Replace the unit only when the person has not typed one of their own.
      if (!unit.value || unit.value === lastDefault) unit.value = next;
      lastDefault = next;
      followQuantity(form);
      saveDraft(form);
    });
    if (!unit.value) unit.value = lastDefault;
    followQuantity(form);
  }

  function fillFromSuggestions(form) {
    form.addEventListener("click", (event) => {
      const suggestion = event.target.closest("button[data-fill]");
      if (!suggestion) return;
      const field = form.elements[suggestion.dataset.fill];
      field.value = suggestion.textContent.trim();
      field.focus();
      saveDraft(form);
    });
  }

  /* ---- saving through the outbox --------------------------------------------------------- */

  function readForm(form) {
    const data = {};
    for (const name of FIELDS) {
      const value = (form.elements[name]?.value || "").trim();
      if (value || name === "description" || name === "date") data[name] = value;
    }
    if (data.quantity !== undefined) data.quantity = data.quantity.replace(",", ".");
    const target = form.elements.target?.value || "";
    if (/^\d+$/.test(target)) data.target_id = Number(target);
    else data.work_kind = target || "lainnya";
    return data;
  }

  /** What the server would refuse, said before queueing, next to the field. */
  function check(data, photo, form) {
    const errors = {};
    if (countsQuantity(form) && !data.quantity) errors.quantity = t("This field is required.");
    if (!data.description) errors.description = t("This field is required.");
    if (!data.date) errors.date = t("This field is required.");
    if (!data.start_time) errors.start_time = t("This field is required.");
    if (!data.end_time) errors.end_time = t("This field is required.");
    if (data.start_time && data.end_time && data.end_time <= data.start_time) {
      errors.end_time = t("The end must be after the start.");
    }
    if (data.quantity !== undefined && !/^\d+(\.\d{1,2})?$/.test(data.quantity)) {
      errors.quantity = t("Enter a number.");
    }
    if (photo && photo.size > MAX_UPLOAD) errors.evidence = t("The file is too large.");
    return errors;
  }

  /** The first bytes of each kind of evidence the server accepts. */
  const SIGNATURES = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47], [0x25, 0x50, 0x44, 0x46]];

  /** Whether ``file`` really is a JPEG, PNG, WebP or PDF (whatever its name says), checked
   * before anything is saved: the server would refuse it only after the activity exists. */
  async function isEvidence(file) {
    const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
    const webp = String.fromCharCode(...head.slice(0, 4)) === "RIFF"
      && String.fromCharCode(...head.slice(8, 12)) === "WEBP";
    return webp || SIGNATURES.some((magic) => magic.every((byte, i) => head[i] === byte));
  }

  function showErrors(form, errors) {
    for (const old of form.querySelectorAll(".field-error[data-client]")) old.remove();
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    let first = null;
    for (const [name, message] of Object.entries(errors)) {
      const field = name === "target_id" || name === "work_kind" ? "target" : name;
      const input = form.elements[field];
      const text = document.createElement("p");
      text.className = "field-error";
      text.dataset.client = "1";
      text.id = `${field}-error`;
      text.textContent = message;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", text.id);
        input.closest(".field")?.append(text);
        first = first || input;
      } else {
        form.prepend(text);
      }
    }
    let alert = form.parentElement.querySelector(".form-error[data-client]");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "form-error";
      alert.dataset.client = "1";
      alert.setAttribute("role", "alert");
      form.before(alert);
    }
    alert.textContent = t("Some fields need attention.");
    first?.focus();
  }

  /** A photo made smaller on the phone before it is kept and sent (PDFs go as they are). */
  async function compress(file) {
    if (!file || !file.type.startsWith("image/") || !self.createImageBitmap) return file;
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, MAX_PHOTO_EDGE / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", PHOTO_QUALITY));
      return blob && blob.size < file.size ? blob : file;
    } catch (error) {
      return file;
    }
  }

  async function save(form, submitter) {
    const submit = submitter?.value === "submit";
    const data = readForm(form);
    const file = form.elements.evidence?.files?.[0] || null;
    const photo = await compress(file);
    const errors = check(data, photo, form);
    if (file && !(await isEvidence(file))) {
      errors.evidence = t("This file is not a photo (JPEG, PNG, WebP) or a PDF.");
    }
    if (Object.keys(errors).length) {
      showErrors(form, errors);
      return;
    }
    const editing = form.elements.version && form.dataset.activityId;
    const id = editing ? form.dataset.activityId : form.elements.id.value;
    if (editing) {
      await K.updateActivity(id, data, Number(form.elements.version.value), { submit });
    } else {
      const name = file ? file.name.replace(/\.\w+$/, photo === file ? "$&" : ".jpg") : null;
      await K.createActivity({ ...data, id }, { submit, photo, photoName: name });
    }
    clearDraft(form);
    form.dataset.saved = "1";
    rememberKey(form, id);
    // A good moment to offer push notifications (static/pwa/js/push.js).
    document.dispatchEvent(new CustomEvent("kinerjaku:activity-saved", { detail: { id } }));
    if (navigator.onLine) {
      // Online: send at once, and show the server's objections here, on the form.
      await Promise.race([self.KinerjakuApp.flush(),
        new Promise((done) => setTimeout(done, 8000))]);
      const mine = (await K.entries()).find((e) => e.id === id && e.state === "attention"
        && e.kind === "activity");
      if (mine && mine.result !== "conflict") {
        const fields = { ...(mine.error?.fields || {}) };
        if (!Object.keys(fields).length) fields._form = mine.error?.message || t("Not saved.");
        // The values are still in the form, so the queued copy can go.
        await K.resolve(mine.seq, "server");
        delete form.dataset.saved;
        showErrors(form, fields);
        return;
      }
    } else {
      self.KinerjakuApp.requestBackgroundSync();
    }
    window.location.assign(editing ? `/aktivitas/${id}` : `/?tanggal=${data.date}`);
  }

  /** Back to a saved form (from the back/forward cache or loaded again) must not make Kirim
   * a second activity: the form's history entry keeps the key it was saved under. */
  function rememberKey(form, id) {
    if (!form.elements.id || form.dataset.activityId) return;
    try {
      history.replaceState({ ...(history.state || {}), activityFormKey: id }, "");
    } catch (error) {
      // No history API: the server still refuses nothing worse than a duplicate.
    }
  }

  function restoreKey(form) {
    const key = history.state?.activityFormKey;
    if (form.elements.id && !form.dataset.activityId && key) form.elements.id.value = key;
  }

  function init(form) {
    if (!form || form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    restoreKey(form);
    window.addEventListener("pageshow", () => restoreKey(form));
    restoreDraft(form);
    followIndicatorUnit(form);
    fillFromSuggestions(form);
    form.addEventListener("input", () => saveDraft(form));
    document.addEventListener("kinerjaku:before-update", () => saveDraft(form));
    if (!K || !window.indexedDB) return; // no local store: the plain form post still works
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach((b) => { b.disabled = true; });
      save(form, event.submitter).catch((error) => {
        console.warn("Saving through the outbox failed; sending the form instead.", error);
        form.submit();
      }).finally(() => buttons.forEach((b) => { b.disabled = false; }));
    });
  }

  self.KinerjakuForm = { init };
  init(document.getElementById("activity-form"));
}());
