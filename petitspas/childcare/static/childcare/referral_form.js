// The referral form shows one child row; "Ajouter un enfant" reveals the next spare one.
// Without this script every row is shown: the form works the same.
(function () {
  "use strict";
  var button = document.querySelector("[data-pp-add-child]");
  if (!button) return;
  var spares = function () {
    return Array.prototype.slice.call(document.querySelectorAll(".pp-child--spare"));
  };
  spares().forEach(function (row) { row.hidden = true; });
  button.hidden = spares().length === 0;
  button.addEventListener("click", function () {
    var next = spares()[0];
    if (!next) return;
    next.hidden = false;
    next.classList.remove("pp-child--spare");
    var input = next.querySelector("input");
    if (input) input.focus();
    button.hidden = spares().length === 0;
  });
})();
