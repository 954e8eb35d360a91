/* The coding screen: a selection made in the transcript fills the coding form with its
   text and its offsets (characters from the transcript's start). Without this script the
   form still works: the passage is typed or pasted, and the server finds it. */
(function () {
  "use strict";
  var form = document.querySelector("form.inquiry-coding");
  var transcript = form && document.getElementById(form.dataset.transcript);
  if (!form || !transcript) return;
  var start = form.querySelector("input[name=start]");
  var end = form.querySelector("input[name=end]");
  var excerpt = form.querySelector("textarea[name=excerpt]");
  var status = document.getElementById("selection-etat");
  transcript.setAttribute("tabindex", "0");

  function offsetOf(node, offset) {
    var range = document.createRange();
    range.selectNodeContents(transcript);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function takeSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!transcript.contains(range.commonAncestorContainer)) return;
    var from = offsetOf(range.startContainer, range.startOffset);
    var to = offsetOf(range.endContainer, range.endOffset);
    var text = transcript.textContent.slice(from, to);
    // Blanks around a selection are not part of the passage.
    var lead = text.length - text.replace(/^\s+/, "").length;
    var trail = text.length - text.replace(/\s+$/, "").length;
    from += lead;
    to -= trail;
    if (to <= from) return;
    start.value = from;
    end.value = to;
    excerpt.value = transcript.textContent.slice(from, to);
    status.textContent = "Passage sélectionné : " + (to - from) + " caractères. Choisissez ses thèmes ou codes.";
  }

  transcript.addEventListener("mouseup", takeSelection);
  transcript.addEventListener("keyup", takeSelection);
  transcript.addEventListener("touchend", function () { window.setTimeout(takeSelection, 50); });
  // A passage typed by hand is found by its text: the offsets of an earlier selection go.
  excerpt.addEventListener("input", function () {
    start.value = "";
    end.value = "";
    status.textContent = "";
  });
})();
