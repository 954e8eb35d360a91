/* Petits Pas — what a shared phone keeps after the session ends (base.html).

   The field sheet (attendance/field.js) keeps drafts in localStorage under
   "petitspas:terrain:". They hold family codes, first names and observations: the next
   person to use the phone must not find them.
   - Signing out: if a draft is there (typed, not yet saved) or a save waits for the
     connection (web/offline.js), ask first; the person can stay and save, or wait for the
     connection. Then the drafts, the waiting saves and the pages the service worker kept
     are removed.
   - A page shown to someone signed out (the sign-in page after a session expired, a public
     page) carries data-pp-signed-out on <body>: the drafts are removed (offline.js removes
     the kept pages, and keeps a waiting save for the same account to send). */
(function () {
  "use strict";

  var DRAFT_PREFIX = "petitspas:terrain:";
  var UNSAVED =
    "Des pointages saisis sur ce téléphone ne sont pas encore enregistrés. " +
    "En vous déconnectant, ils seront effacés.\n\n" +
    "Annuler pour revenir à la feuille et appuyer sur Enregistrer, " +
    "OK pour vous déconnecter quand même.";
  var UNSENT =
    "Des présences enregistrées sans connexion n'ont pas encore été envoyées. " +
    "En vous déconnectant, elles seront effacées.\n\n" +
    "Annuler pour rester connecté : elles partiront dès que la connexion reviendra. " +
    "OK pour vous déconnecter quand même.";

  function offline() {
    return (window.PetitsPas && window.PetitsPas.offline) || null;
  }

  function draftKeys() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(DRAFT_PREFIX) === 0) keys.push(key);
      }
    } catch (error) {
      // No storage (private browsing, disabled): nothing was kept.
    }
    return keys;
  }

  function clearDrafts() {
    draftKeys().forEach(function (key) {
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        // Nothing to clear.
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-pp-logout]")) return;
    var queue = offline();
    var unsent = queue ? queue.count() : 0;
    if ((unsent || draftKeys().length) && !window.confirm(unsent ? UNSENT : UNSAVED)) {
      event.preventDefault();
      return;
    }
    clearDrafts();
    if (queue) queue.forgetAll();
  });

  if (document.body.hasAttribute("data-pp-signed-out")) clearDrafts();
})();
