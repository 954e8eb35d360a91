/* Petits Pas — offline use on a phone (base.html, every page). Read docs/security.md,
   "Offline".

   - Registers the service worker (/sw.js, web/templates/web/sw.js).
   - A page that names a list of pages to keep (data-pp-offline-list: "Aujourd'hui", "Ma
     semaine") asks the worker to keep the sheets of the coming week, and says so when done.
   - Saves made without a connection wait in a queue (localStorage, "petitspas:attente:",
     one per session: the last one made) and are sent again, with the same client id, when
     the connection comes back ("online"), at each page opened, when the page is shown
     again, and every 30 seconds while one waits. The server counts a client id once, so a
     save sent twice is never counted twice.
     The field sheet (attendance/field.js) puts saves in the queue and shows what became of
     those of its session (event "pp-queue" on document, detail {item, outcome, html,
     status}; it sets detail.handled). Other pages show a short notice.
   - Who: the queue and the kept pages are filed under the signed-in person's key
     (<body data-pp-offline-key>). A page of someone else deletes them (with a notice that
     saves of another account were not sent); a signed-out page deletes the kept pages but
     keeps the queue, with a notice: signing in again with the same account sends it.
     Signing out (web/session.js) asks first when a save waits, then deletes everything. */
(function () {
  "use strict";

  var QUEUE_PREFIX = "petitspas:attente:";
  var PAGES_PREFIX = "petitspas-pages-";
  var RETRY_EVERY = 30 * 1000;
  var QUEUE_MAX_AGE = 7 * 24 * 3600 * 1000;
  var body = document.body;
  var key = body.getAttribute("data-pp-offline-key") || "";
  var signedOut = body.hasAttribute("data-pp-signed-out");
  var inFlight = {};

  /* ---- The queue ---- */

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function items() {
    var store = storage();
    var found = [];
    if (!store) return found;
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (!name || name.indexOf(QUEUE_PREFIX) !== 0) continue;
      try {
        var item = JSON.parse(store.getItem(name));
        if (item && item.session) found.push(item);
      } catch (error) {
        // An unreadable entry is no entry.
      }
    }
    return found;
  }

  function mine() {
    return items().filter(function (item) {
      return key && item.key === key;
    });
  }

  function remove(session) {
    var store = storage();
    if (store) store.removeItem(QUEUE_PREFIX + session);
  }

  function put(item) {
    var store = storage();
    if (!store) return false;
    try {
      item.key = key;
      item.queuedAt = Date.now();
      store.setItem(QUEUE_PREFIX + item.session, JSON.stringify(item));
      return true;
    } catch (error) {
      return false;
    }
  }

  function waiting(session) {
    return (
      mine().filter(function (item) {
        return String(item.session) === String(session);
      })[0] || null
    );
  }

  /* ---- Notices on pages other than the sheet ---- */

  function noticeBox() {
    var box = document.getElementById("pp-queue-notice");
    if (box) return box;
    var main = document.querySelector("#contenu .fr-container") || document.getElementById("contenu");
    if (!main) return null;
    box = document.createElement("div");
    box.id = "pp-queue-notice";
    box.setAttribute("aria-live", "polite");
    main.insertBefore(box, main.firstChild);
    return box;
  }

  function notice(kind, text, link) {
    var box = noticeBox();
    if (!box) return;
    var alert = document.createElement("div");
    alert.className = "fr-alert fr-alert--sm fr-mb-3w fr-alert--" + kind;
    var p = document.createElement("p");
    p.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      p.append(" ", a);
    }
    alert.appendChild(p);
    box.replaceChildren(alert);
  }

  function plural(n, one, many) {
    return n + " " + (n > 1 ? many : one);
  }

  function showWaiting() {
    // The sheet says it for its own session.
    var sheet = document.querySelector("form[data-pp-record]");
    var n = mine().filter(function (item) {
      return !sheet || String(item.session) !== sheet.getAttribute("data-pp-record");
    }).length;
    if (!n) return;
    notice(
      "info",
      plural(n, "enregistrement", "enregistrements") +
        " en attente de connexion — " +
        (n > 1 ? "seront envoyés" : "sera envoyé") +
        " automatiquement.",
    );
  }

  /* ---- Sending again ---- */

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function loginPath() {
    var form = document.querySelector("[data-pp-login]");
    return form ? form.getAttribute("data-pp-login") : "/compte/connexion/";
  }

  function isSignIn(response) {
    var redirect = response.headers.get("HX-Redirect");
    var login = loginPath();
    if (redirect && new URL(redirect, window.location.href).pathname === login) return true;
    return response.redirected && new URL(response.url).pathname === login;
  }

  function isSaved(response) {
    var trigger = response.headers.get("HX-Trigger-After-Settle") || response.headers.get("HX-Trigger") || "";
    return trigger.indexOf("pp-saved") !== -1;
  }

  function report(item, outcome, html, status) {
    var detail = { item: item, outcome: outcome, html: html || "", status: status || 0, handled: false };
    document.dispatchEvent(new CustomEvent("pp-queue", { detail: detail }));
    if (detail.handled) return;
    if (outcome === "sent") {
      notice("success", "Envoyé : les présences de " + item.label + " sont enregistrées.");
    } else if (outcome === "refused") {
      notice("warning", "Les présences de " + item.label + " n'ont pas été enregistrées.", {
        href: item.url,
        text: "Ouvrir la feuille pour les revoir",
      });
    } else if (outcome === "signed-out") {
      notice("warning", "Votre session a expiré : reconnectez-vous, les présences en attente seront envoyées ensuite.");
    }
  }

  // A refused save becomes the sheet's draft again, so that opening the sheet shows it.
  function backToDraft(item) {
    var store = storage();
    if (!store || !item.draft || !item.draftKey) return;
    try {
      store.setItem(item.draftKey, JSON.stringify(item.draft));
    } catch (error) {
      // The answer shown on the sheet still has it.
    }
  }

  function send(item) {
    if (inFlight[item.session]) return Promise.resolve();
    inFlight[item.session] = true;
    var data = new URLSearchParams(item.body);
    var token = csrfToken();
    if (token) data.set("csrfmiddlewaretoken", token);
    return window
      .fetch(item.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": token },
      })
      .then(function (response) {
        return response.text().then(function (html) {
          if (isSignIn(response)) {
            report(item, "signed-out");
          } else if (response.ok && isSaved(response)) {
            remove(item.session);
            report(item, "sent", html, response.status);
          } else if (response.status >= 500 || response.status === 429) {
            report(item, "waiting");
          } else {
            // A colleague saved in between (409), a value refused, a sheet no longer open
            // to this person: nothing was saved; the person decides.
            remove(item.session);
            backToDraft(item);
            report(item, "refused", html, response.status);
          }
        });
      })
      .catch(function () {
        report(item, "waiting");
      })
      .then(function () {
        delete inFlight[item.session];
      });
  }

  function replay() {
    if (!key) return Promise.resolve();
    return mine().reduce(function (previous, item) {
      return previous.then(function () {
        return send(item);
      });
    }, Promise.resolve());
  }

  /* ---- Whose data ---- */

  function deleteKeptPages(except) {
    if (!window.caches) return Promise.resolve();
    return window.caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PAGES_PREFIX) === 0 && name !== PAGES_PREFIX + except;
            })
            .map(function (name) {
              return window.caches.delete(name);
            }),
        );
      })
      .catch(function () {});
  }

  function forgetOthers() {
    var others = items().filter(function (item) {
      return item.key !== key || Date.now() - item.queuedAt > QUEUE_MAX_AGE;
    });
    others.forEach(function (item) {
      remove(item.session);
    });
    deleteKeptPages(key);
    return others.length;
  }

  // Signing out: every queued save and every kept page (web/session.js calls it).
  function forgetAll() {
    items().forEach(function (item) {
      remove(item.session);
    });
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
    return deleteKeptPages("");
  }

  /* ---- The worker ---- */

  function keepWeek(worker) {
    var status = document.querySelector("[data-pp-offline-list]");
    if (!status || !worker) return;
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      var answer = event.data || {};
      if (answer.error || !answer.kept) return;
      var sheets = answer.kept - 1;
      status.textContent =
        "Disponible sans connexion sur ce téléphone : « Aujourd'hui »" +
        (sheets ? " et " + plural(sheets, "feuille", "feuilles") + " de vos séances des 7 prochains jours." : ".");
      status.setAttribute("data-pp-kept", String(answer.kept));
      status.hidden = false;
    };
    worker.postMessage({ type: "keep", list: status.getAttribute("data-pp-offline-list") }, [channel.port2]);
  }

  function startWorker() {
    if (!("serviceWorker" in navigator)) return;
    var script = body.getAttribute("data-pp-worker");
    if (!script) return;
    navigator.serviceWorker
      .register(script, { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        if (signedOut) registration.active.postMessage({ type: "forget" });
        else if (key) keepWeek(registration.active);
      })
      .catch(function () {
        // No worker (private browsing, an old browser): the drafts and the queue still work.
      });
  }

  window.PetitsPas = window.PetitsPas || {};
  window.PetitsPas.offline = {
    put: put,
    remove: remove,
    waiting: waiting,
    replay: replay,
    count: function () {
      return mine().length;
    },
    forgetAll: forgetAll,
  };

  if (signedOut) {
    deleteKeptPages("");
    if (items().length) {
      notice(
        "warning",
        "Des présences saisies sans connexion n'ont pas encore été envoyées : reconnectez-vous avec le même compte pour les envoyer.",
      );
    }
  } else if (key) {
    var dropped = forgetOthers();
    if (dropped) {
      notice(
        "info",
        plural(dropped, "enregistrement", "enregistrements") +
          " d'un autre compte, jamais " +
          (dropped > 1 ? "envoyés, ont été effacés" : "envoyé, a été effacé") +
          " de ce téléphone.",
      );
    }
    showWaiting();
    window.addEventListener("online", replay);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) replay();
    });
    window.setInterval(function () {
      if (mine().length && navigator.onLine !== false) replay();
    }, RETRY_EVERY);
    // After field.js (deferred) has listened for the answers.
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", replay);
    else window.setTimeout(replay, 0);
  }
  startWorker();
})();
