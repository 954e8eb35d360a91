// The day's children: after a tap swaps a child's row, put the focus back on the row's
// main button (or on the refusal, when there is one), so that a keyboard or screen
// reader user stays where they were. Without JavaScript the forms post as usual.
(function () {
  "use strict";
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var row = event.detail.elt;
    if (!row || !row.classList || !row.classList.contains("pp-presence__row")) {
      row = document.getElementById(event.detail.target && event.detail.target.id);
    }
    if (!row || !row.classList || !row.classList.contains("pp-presence__row")) {
      return;
    }
    var alert = row.querySelector(".pp-presence__error");
    if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
      return;
    }
    var main = row.querySelector("[id^='geste-']");
    if (main) {
      main.focus();
    }
  });
})();
