/* The team of each half-day on the week grid (childcare/_staffing_cell.html): htmx posts
 * a person added or removed and swaps the half-day's block. A refusal (400, 409) comes
 * back as the block with its French message, so it is swapped too; an expired session
 * answers with the sign-in page, which is never swapped in: the page is reloaded instead.
 * After a swap, the focus goes back to the block's select. */
(function () {
  "use strict";

  function staffingBlock(element) {
    return element && element.closest ? element.closest(".pp-staffing-wrap") : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var block = staffingBlock(event.detail.target);
    if (!block) return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && new URL(xhr.responseURL).pathname.indexOf("/compte/connexion/") === 0) {
      event.detail.shouldSwap = false;
      window.location.reload();
      return;
    }
    if (xhr && (xhr.status === 400 || xhr.status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var block = staffingBlock(event.detail.target);
    if (!block) return;
    var select = block.querySelector("select");
    if (select) select.focus();
  });
})();
