/* Step 2 of "Copier vers un autre territoire": the new place's fields show only for a site
   that becomes a new place. Without the script they stay visible and are ignored for the
   other choices (the form checks them only for a new place). */
(function () {
  "use strict";

  function enhance(fieldset) {
    var block = fieldset.querySelector("[data-pp-nouveau-lieu]");
    var radios = fieldset.querySelectorAll('input[type="radio"]');
    if (!block || !radios.length) return;
    function update() {
      var checked = fieldset.querySelector('input[type="radio"]:checked');
      block.hidden = !checked || checked.value !== "new";
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function start() {
    document.querySelectorAll("[data-pp-lieu]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
