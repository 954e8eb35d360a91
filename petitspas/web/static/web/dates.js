/* Petits Pas — a date or a time the browser cannot read is refused, never sent as empty
   (base.html, every page).

   A date or time input whose text the browser rejects (31 February, a year left
   unfinished, a phone's picker wheel on an impossible day) has an empty value: the form
   would post "", and the server would see "no date" and save the family without its
   birth date. So, when a form is submitted, every date or time input whose
   validity.badInput is set stops the submission (htmx's too: the listener runs first, in
   the capture phase), gets DSFR's error state and a French message beside it, and the
   first one takes the focus. Nothing typed is touched. The message goes as soon as the
   field reads again. */
(function () {
  "use strict";

  var MESSAGES = {
    date: "Cette date n'existe pas ou est incomplète : vérifiez le jour, le mois et l'année.",
    "datetime-local":
      "Cette date et heure n'existe pas ou est incomplète : vérifiez le jour, le mois, l'année et l'heure.",
    month: "Ce mois est incomplet : vérifiez le mois et l'année.",
    week: "Cette semaine est incomplète : vérifiez la semaine et l'année.",
    time: "Cette heure est incomplète ou invalide : vérifiez les heures et les minutes.",
  };
  var MARK = "data-pp-unreadable";

  function isWatched(element) {
    return (
      element instanceof HTMLInputElement &&
      Object.prototype.hasOwnProperty.call(MESSAGES, element.type)
    );
  }

  function unreadable(form) {
    var found = [];
    for (var i = 0; i < form.elements.length; i++) {
      var element = form.elements[i];
      if (isWatched(element) && !element.disabled && element.validity.badInput) {
        found.push(element);
      }
    }
    return found;
  }

  function errorId(input) {
    return (input.id || input.name || "champ") + "-illisible";
  }

  function describedBy(input) {
    var value = input.getAttribute("aria-describedby");
    return value ? value.split(/\s+/) : [];
  }

  function showError(input) {
    var id = errorId(input);
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.id = id;
      message.className = "fr-error-text";
      input.insertAdjacentElement("afterend", message);
    }
    message.textContent = MESSAGES[input.type];
    if (!input.hasAttribute(MARK)) {
      // What was there before (a server's error state) is restored when cleared.
      input.setAttribute(
        MARK,
        JSON.stringify({
          error: input.classList.contains("fr-input--error"),
          invalid: input.getAttribute("aria-invalid"),
        })
      );
    }
    input.classList.add("fr-input--error");
    input.setAttribute("aria-invalid", "true");
    var ids = describedBy(input);
    if (ids.indexOf(id) === -1) {
      input.setAttribute("aria-describedby", ids.concat(id).join(" "));
    }
    var group = input.closest(".fr-input-group");
    if (group) group.classList.add("fr-input-group--error");
  }

  function clearError(input) {
    if (!input.hasAttribute(MARK)) return;
    var before = JSON.parse(input.getAttribute(MARK));
    input.removeAttribute(MARK);
    var id = errorId(input);
    var message = document.getElementById(id);
    if (message) message.remove();
    if (!before.error) input.classList.remove("fr-input--error");
    if (before.invalid === null) input.removeAttribute("aria-invalid");
    else input.setAttribute("aria-invalid", before.invalid);
    var ids = describedBy(input).filter(function (each) {
      return each !== id;
    });
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
    var group = input.closest(".fr-input-group");
    if (group && !group.querySelector(".fr-input--error, .errorlist")) {
      group.classList.remove("fr-input-group--error");
    }
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var bad = unreadable(form);
      var marked = form.querySelectorAll("[" + MARK + "]");
      for (var i = 0; i < marked.length; i++) {
        if (bad.indexOf(marked[i]) === -1) clearError(marked[i]);
      }
      if (!bad.length) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      bad.forEach(showError);
      bad[0].focus();
    },
    true
  );

  function recheck(event) {
    var input = event.target;
    if (isWatched(input) && input.hasAttribute(MARK) && !input.validity.badInput) {
      clearError(input);
    }
  }
  document.addEventListener("input", recheck, true);
  document.addEventListener("change", recheck, true);
})();
