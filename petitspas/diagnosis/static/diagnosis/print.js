/* The impact report's "Imprimer" button (no inline script: strict CSP). */
(function () {
  "use strict";
  document.querySelectorAll("[data-pp-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
