/* Petits Pas — the field sheet (attendance/_sheet.html). No build step; loaded after htmx.

   The page works without this file (one plain POST per save). With it:
   - + and − on the anonymous counters, never below 0;
   - a family found by search joins the list, present, in one tap;
   - everything typed is kept as a draft in localStorage, per session, so that a reload
     or a lost connection loses nothing;
   - a save that fails to reach the server leaves the form as typed, with the same
     client_id, so that the retry is recognised by the server and never counted twice;
   - after a successful save, a new client_id for the next one;
   - a draft restored after a colleague saved the sheet (its based_on is not the page's
     data-pp-version, nor its own save's client_id) is never sent by itself: a warning says
     so and each value that differs from what is stored shows the stored one. The form
     then takes the current version: the next save, made knowingly, goes through. A save
     the server refuses for the same reason (409, a colleague saved while this page was
     open) is shown like any answer, with what was typed;
   - "Tous présents" marks present every family not marked yet, then the exceptions are
     tapped; the totals add up as boxes are ticked (and counters changed), before saving;
   - a save that cannot reach the server waits in the queue of web/offline.js, with its
     client_id, and is sent by itself when the connection comes back: the sheet says it
     waits, then that it was sent (or shows the answer, as for any save, when it was not
     accepted). A save made here meanwhile replaces the waiting one. */
(function () {
  "use strict";

  var DRAFT_PREFIX = "petitspas:terrain:seance:";
  var DRAFT_MAX_AGE = 7 * 24 * 3600 * 1000;
  // Not part of the draft: the token, the buttons, the search and the quick-create boxes,
  // and the walk-in ids (they travel inside their rows).
  var TRANSIENT = {
    csrfmiddlewaretoken: true,
    action: true,
    q: true,
    new_first_name: true,
    new_code: true,
    new_client_id: true,
    walk_in: true,
  };
  var MESSAGES = {
    save: "Pas de connexion : rien n'est perdu, appuyez à nouveau sur Enregistrer",
    create:
      "Pas de connexion : la famille n'est pas encore créée, appuyez à nouveau sur « Créer et ajouter ».",
    search: "Pas de connexion : la recherche n'a pas abouti. Réessayez ou créez la famille.",
    signedOut:
      "Votre session a expiré : gardez cette page ouverte, reconnectez-vous dans un autre onglet, puis appuyez à nouveau sur Enregistrer. Rien n'est perdu.",
  };
  var QUEUE = {
    waiting: "En attente de connexion — sera envoyé automatiquement. Rien n'est perdu, vous pouvez fermer cette page.",
    signedOut:
      "En attente : votre session a expiré. Reconnectez-vous dans un autre onglet, l'enregistrement sera envoyé ensuite. Rien n'est perdu.",
    sent: "Envoyé : l'enregistrement fait sans connexion est arrivé.",
    sentBefore:
      "L'enregistrement en attente est envoyé. Ce que vous avez changé depuis n'est pas encore enregistré : appuyez sur Enregistrer.",
    refused: "L'enregistrement en attente n'a pas été accepté (erreur {status}) : rien n'a été enregistré. Vérifiez la feuille puis appuyez à nouveau sur Enregistrer.",
  };
  // The totals a family marked present adds to (data-pp-counts), and the age bands.
  var BANDS = ["children_under_1", "children_1_3", "children_3_6", "children_other"];

  document.documentElement.classList.add("pp-js");

  function sheetForm() {
    return document.querySelector("form[data-pp-record]");
  }

  function uuid4() {
    var cryptoApi = window.crypto;
    if (typeof cryptoApi.randomUUID === "function") {
      return cryptoApi.randomUUID();
    }
    // randomUUID needs a secure context; getRandomValues does not.
    var bytes = cryptoApi.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function isKept(element) {
    return element.name && !TRANSIENT[element.name] && element.type !== "submit" && element.type !== "button";
  }

  /* ---- Draft ---- */

  function draftKey(form) {
    return DRAFT_PREFIX + form.getAttribute("data-pp-record");
  }

  function keptFields(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!isKept(element)) return;
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) return;
      fields.push([element.name, element.value]);
    });
    return fields;
  }

  function currentDraft(form) {
    var rows = Array.prototype.map.call(form.querySelectorAll("[data-pp-added]"), function (row) {
      return row.outerHTML;
    });
    return { savedAt: Date.now(), fields: keptFields(form), rows: rows };
  }

  function writeDraft() {
    var form = sheetForm();
    if (!form) return;
    try {
      window.localStorage.setItem(draftKey(form), JSON.stringify(currentDraft(form)));
    } catch (error) {
      // Private browsing or a full storage: the form itself still holds everything.
    }
  }

  function readDraft(form) {
    try {
      var draft = JSON.parse(window.localStorage.getItem(draftKey(form)) || "null");
      if (draft && Date.now() - draft.savedAt < DRAFT_MAX_AGE) return draft;
    } catch (error) {
      // An unreadable draft is no draft.
    }
    return null;
  }

  function clearDraft(form) {
    try {
      window.localStorage.removeItem(draftKey(form));
    } catch (error) {
      // Nothing to clear.
    }
  }

  // What the server rendered, before a draft is laid over it: name -> value.
  function storedValues(form) {
    var stored = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.type === "radio" && element.checked) stored[element.name] = element.value;
      else if (element.classList.contains("pp-counter__input")) stored[element.name] = element.value;
    });
    return stored;
  }

  function noteStored(after, text) {
    var note = document.createElement("p");
    note.className = "pp-stored fr-text--sm fr-mb-0";
    note.setAttribute("data-pp-stored", "");
    note.textContent = "Actuellement enregistré : " + text;
    after.after(note);
  }

  // Beside each value of the restored draft that differs from what is stored, the stored one.
  function showStored(form, stored) {
    Array.prototype.forEach.call(form.querySelectorAll(".pp-family"), function (row) {
      var checked = row.querySelector(".pp-mark__input:checked");
      var name = row.querySelector(".pp-mark__input").name;
      var was = stored[name];
      if (!was || (checked && checked.value === was)) return;
      var label = row.querySelector('label[for="' + name + "-" + was + '"]');
      noteStored(row.querySelector(".pp-marks"), label ? label.textContent : was);
    });
    Array.prototype.forEach.call(form.querySelectorAll(".pp-counter__input"), function (input) {
      var was = stored[input.name];
      if (was === undefined || (parseInt(input.value, 10) || 0) === (parseInt(was, 10) || 0)) return;
      noteStored(input.closest(".pp-counter__controls"), was);
    });
  }

  function restoreDraft(form) {
    var draft = readDraft(form);
    if (!draft) return;
    var stored = storedValues(form);
    var list = document.getElementById("pp-households");
    if (list) {
      draft.rows.forEach(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var row = holder.content.firstElementChild;
        var pk = row && row.getAttribute("data-household");
        if (pk && !list.querySelector('[data-household="' + pk + '"]')) list.appendChild(row);
      });
    }
    var values = {};
    draft.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!isKept(element)) return;
      var kept = values[element.name];
      if (element.type === "radio") {
        // A family the draft never marked keeps what is stored (a colleague's mark).
        if (kept) element.checked = kept.indexOf(element.value) !== -1;
      } else if (element.type === "checkbox") {
        element.checked = Boolean(kept) && kept.indexOf(element.value) !== -1;
      } else if (kept) {
        element.value = kept[0];
      }
    });
    var version = form.getAttribute("data-pp-version") || "";
    var basedOn = values.based_on ? values.based_on[0] : null;
    var ownSave = values.client_id ? values.client_id[0] : null;
    if (version && basedOn !== version && ownSave !== version) {
      form.querySelector("[data-pp-conflict-notice]").hidden = false;
      showStored(form, stored);
    }
    form.elements.based_on.value = version;
    var notice = form.querySelector("[data-pp-draft-notice]");
    if (notice) notice.hidden = false;
  }

  /* ---- What the sheet shows ---- */

  function setTotal(form, name, value) {
    var cell = form.querySelector('[data-total="' + name + '"]');
    if (!cell) return;
    cell.textContent = String(value);
    // A total shown only when there is something to show (children over 6).
    if (name === "children_other") cell.parentElement.hidden = value === 0;
  }

  // The totals as the sheet stands, saved or not: each family marked present adds its
  // parents and children (data-pp-counts, by age band on the session's day); an open
  // session's totals are its counters.
  function liveTotals(form) {
    var totals = { adults: 0, children_under_1: 0, children_1_3: 0, children_3_6: 0, children_other: 0 };
    var list = document.getElementById("pp-households");
    var families = 0;
    if (list) {
      Array.prototype.forEach.call(list.querySelectorAll("[data-household]"), function (row) {
        if (!row.querySelector('input[value="present"]:checked')) return;
        families += 1;
        (row.getAttribute("data-pp-counts") || "").split(" ").forEach(function (pair) {
          var parts = pair.split(":");
          if (parts.length === 2 && parts[0] in totals) totals[parts[0]] += parseInt(parts[1], 10) || 0;
        });
      });
      setTotal(form, "families", families);
    } else {
      Array.prototype.forEach.call(form.querySelectorAll(".pp-counter__input"), function (input) {
        var value = parseInt(input.value, 10);
        totals[input.name] = isNaN(value) || value < 0 ? 0 : value;
      });
    }
    totals.children = BANDS.reduce(function (sum, band) {
      return sum + (totals[band] || 0);
    }, 0);
    Object.keys(totals).forEach(function (name) {
      setTotal(form, name, totals[name]);
    });
    return { families: families, adults: totals.adults, children: totals.children };
  }

  function updateCount() {
    var form = sheetForm();
    if (!form) return;
    var totals = liveTotals(form);
    var list = document.getElementById("pp-households");
    var out = form.querySelector("[data-pp-count]");
    if (!out || !list) return;
    var families = list.querySelectorAll("[data-household]").length;
    var present = totals.families;
    var marked = list.querySelectorAll('input[type="radio"]:checked').length;
    var text = present + (present > 1 ? " familles présentes" : " famille présente");
    if (families > marked) text += " · " + (families - marked) + " à pointer";
    out.textContent = text;
  }

  function showAlert(message) {
    var form = sheetForm();
    var alert = form && form.querySelector("#pp-offline");
    if (!alert) return;
    alert.querySelector("[data-pp-offline-text]").textContent = message;
    alert.hidden = false;
  }

  function hideAlert() {
    var form = sheetForm();
    var alert = form && form.querySelector("#pp-offline");
    if (alert) alert.hidden = true;
  }

  function showQueue(message, kind) {
    var form = sheetForm();
    var box = form && form.querySelector("#pp-queue");
    if (!box) return;
    box.className = "fr-alert fr-alert--sm fr-mb-1w fr-alert--" + (kind || "info");
    box.querySelector("[data-pp-queue-text]").textContent = message;
    box.hidden = false;
  }

  function hideQueue() {
    var form = sheetForm();
    var box = form && form.querySelector("#pp-queue");
    if (box) box.hidden = true;
  }

  function announce(container, message) {
    if (!container) return;
    var note = document.createElement("p");
    note.className = "fr-text--sm fr-my-1w";
    note.setAttribute("role", "status");
    note.textContent = message;
    container.replaceChildren(note);
  }

  /* ---- Taps ---- */

  function step(button) {
    var input = document.getElementById(button.getAttribute("data-pp-target"));
    var value = parseInt(input.value, 10);
    if (isNaN(value) || value < 0) value = 0;
    input.value = String(Math.max(0, value + parseInt(button.getAttribute("data-pp-step"), 10)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function addWalkIn(button) {
    var pk = button.getAttribute("data-pp-add");
    var list = document.getElementById("pp-households");
    var row = list.querySelector('[data-household="' + pk + '"]');
    if (!row) {
      row = document.getElementById("pp-row-" + pk).content.firstElementChild.cloneNode(true);
      list.appendChild(row);
    }
    var present = row.querySelector('input[value="present"]');
    present.checked = true;
    var code = row.querySelector(".pp-family__code").textContent;
    document.getElementById("pp-q").value = "";
    announce(document.getElementById("pp-search-results"), "La famille " + code + " est ajoutée, présente.");
    present.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Every family not marked yet, present: then tap the exceptions.
  function allPresent(button) {
    var list = document.getElementById("pp-households");
    var marked = 0;
    Array.prototype.forEach.call(list.querySelectorAll("[data-household]"), function (row) {
      if (row.querySelector('input[type="radio"]:checked')) return;
      row.querySelector('input[value="present"]').checked = true;
      marked += 1;
    });
    var hint = document.getElementById("pp-all-present-hint");
    if (hint) {
      hint.textContent = marked
        ? marked + (marked > 1 ? " familles marquées présentes" : " famille marquée présente") + " : touchez les absents."
        : "Toutes les familles sont déjà pointées.";
    }
    button.dispatchEvent(new Event("change", { bubbles: true }));
    writeDraft();
    updateCount();
  }

  document.addEventListener("click", function (event) {
    var form = sheetForm();
    var target = event.target.closest("[data-pp-step], [data-pp-add], [data-pp-all-present], [data-pp-draft-discard]");
    if (!form || !target || !form.contains(target)) return;
    event.preventDefault();
    if (target.hasAttribute("data-pp-step")) step(target);
    else if (target.hasAttribute("data-pp-add")) addWalkIn(target);
    else if (target.hasAttribute("data-pp-all-present")) allPresent(target);
    else {
      clearDraft(form);
      window.location.reload();
    }
  });

  // Enter in a text box must not save the sheet by surprise.
  document.addEventListener("keydown", function (event) {
    var form = sheetForm();
    var field = event.target;
    if (event.key !== "Enter" || !form || !form.contains(field) || field.tagName !== "INPUT") return;
    if (field.type === "submit" || field.type === "button") return;
    event.preventDefault();
    var quickCreate = field.closest("#pp-quick-create");
    if (quickCreate) quickCreate.querySelector("button[value='create']").click();
    // The search box searches at once (its hx-trigger listens for this event: an htmx
    // filter such as keyup[key=='Enter'] would need eval, which the CSP forbids).
    else if (field.id === "pp-q" && window.htmx) window.htmx.trigger(field, "pp-search");
  });

  function onEdit(event) {
    var form = sheetForm();
    if (!form || !form.contains(event.target) || !isKept(event.target)) return;
    writeDraft();
    updateCount();
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  /* ---- Requests ---- */

  function kindOf(element) {
    if (!element || !element.closest) return null;
    if (element.matches("form[data-pp-record]")) return "save";
    if (element.closest("#pp-quick-create")) return "create";
    if (element.closest(".pp-walk-in")) return "search";
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var kind = kindOf(event.detail.elt);
    if (!kind) return;
    hideAlert();
    if (kind === "save") {
      hideQueue();
      writeDraft();
    }
  });

  function offlineQueue() {
    return (window.PetitsPas && window.PetitsPas.offline) || null;
  }

  // The save could not reach the server: it waits, with this client_id, and goes by itself.
  function queueSave(form) {
    var queue = offlineQueue();
    if (!queue) return false;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "save");
    var queued = queue.put({
      session: form.getAttribute("data-pp-record"),
      url: form.getAttribute("action"),
      label: form.getAttribute("data-pp-label") || "",
      clientId: form.elements.client_id.value,
      body: body.toString(),
      draftKey: draftKey(form),
      draft: currentDraft(form),
    });
    if (queued) showQueue(QUEUE.waiting);
    return queued;
  }

  function failed(event) {
    var kind = kindOf(event.detail.elt);
    if (!kind) return;
    // No answer at all: the save waits for the connection. An answer that is an error
    // (a server fault) is shown; the person saves again.
    if (kind === "save" && event.type !== "htmx:responseError" && queueSave(sheetForm())) return;
    showAlert(MESSAGES[kind]);
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);

  // A session that expired while the sheet was open answers an htmx request with
  // HX-Redirect to the sign-in page: following it would leave the sheet and what is typed
  // in it. Stay, say so; the next save, once signed in again, goes through.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var form = sheetForm();
    var xhr = event.detail.xhr;
    var login = form && form.getAttribute("data-pp-login");
    var redirect = xhr && xhr.getResponseHeader("HX-Redirect");
    if (!login || !redirect || !kindOf(event.detail.elt)) return;
    if (new URL(redirect, window.location.href).pathname !== login) return;
    event.preventDefault();
    writeDraft();
    showAlert(MESSAGES.signedOut);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = sheetForm();
    var xhr = event.detail.xhr;
    var login = form && form.getAttribute("data-pp-login");
    // A session that expired answers with the sign-in page: never swap it into the sheet.
    if (login && xhr && xhr.responseURL && new URL(xhr.responseURL).pathname === login) {
      event.detail.shouldSwap = false;
      showAlert(MESSAGES.signedOut);
    } else if (xhr && xhr.status === 409 && kindOf(event.detail.requestConfig.elt) === "save") {
      // A colleague saved in between: the answer is the sheet as typed, with her marks.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function showResult() {
    var result = document.getElementById("pp-result");
    if (result) {
      result.scrollIntoView({ block: "start" });
      result.focus({ preventScroll: true });
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 409) {
      updateCount();
      showResult();
    }
  });

  // A quick-created family arrives out of band: keep it in the draft.
  document.addEventListener("htmx:oobAfterSwap", function () {
    writeDraft();
    updateCount();
  });

  // The server answers a save with a fresh sheet and this event.
  document.body.addEventListener("pp-saved", function () {
    var form = sheetForm();
    if (!form) return;
    // This save carried the sheet as it stands: a waiting one is superseded.
    var queue = offlineQueue();
    if (queue) queue.remove(form.getAttribute("data-pp-record"));
    clearDraft(form);
    form.querySelector("input[name='client_id']").value = uuid4();
    updateCount();
    showResult();
  });

  /* ---- Saves sent again (web/offline.js) ---- */

  function swapSheet(html) {
    var current = document.getElementById("pp-record");
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.querySelector("#pp-record");
    if (!current || !fresh) return false;
    current.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    return true;
  }

  function versionIn(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var sent = holder.content.querySelector("form[data-pp-record]");
    return sent ? sent.getAttribute("data-pp-version") : null;
  }

  document.addEventListener("pp-queue", function (event) {
    var form = sheetForm();
    var detail = event.detail;
    if (!form || String(detail.item.session) !== form.getAttribute("data-pp-record")) return;
    detail.handled = true;
    if (detail.outcome === "waiting") {
      showQueue(QUEUE.waiting);
    } else if (detail.outcome === "signed-out") {
      showQueue(QUEUE.signedOut, "warning");
    } else if (detail.outcome === "sent") {
      var unchanged = JSON.stringify(keptFields(form)) === JSON.stringify(detail.item.draft.fields);
      if (unchanged && swapSheet(detail.html)) {
        form = sheetForm();
        clearDraft(form);
        form.querySelector("input[name='client_id']").value = uuid4();
        updateCount();
        showQueue(QUEUE.sent, "success");
        showResult();
      } else {
        // Changed since it was queued: keep what is typed, on top of the save just made.
        var version = versionIn(detail.html);
        if (version !== null) {
          form.setAttribute("data-pp-version", version);
          form.elements.based_on.value = version;
        }
        form.querySelector("input[name='client_id']").value = uuid4();
        writeDraft();
        showQueue(QUEUE.sentBefore, "success");
      }
    } else if (detail.outcome === "refused") {
      hideQueue();
      if ((detail.status === 200 || detail.status === 409) && swapSheet(detail.html)) {
        updateCount();
        showResult();
      } else {
        showAlert(QUEUE.refused.replace("{status}", detail.status));
      }
    }
  });

  var form = sheetForm();
  if (form) {
    restoreDraft(form);
    var queue = offlineQueue();
    if (queue && queue.waiting(form.getAttribute("data-pp-record"))) {
      // The draft restored is the save that waits: say that, not "press Save".
      var notice = form.querySelector("[data-pp-draft-notice]");
      if (notice) notice.hidden = true;
      showQueue(QUEUE.waiting);
    }
    updateCount();
  }
  if (window.htmx) {
    window.htmx.onLoad(function () {
      updateCount();
    });
  }
})();
