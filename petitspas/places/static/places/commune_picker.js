/* Town picker (places/_commune_picker.html): as the person types in the town box, htmx fills
   the datalist with the matching communes. The box works without it (a plain text field
   checked by the form). The options' address comes from the script tag's data attribute. */
(function () {
  "use strict";
  var script = document.currentScript;
  var optionsUrl = script && script.getAttribute("data-pp-commune-options");

  function enhance() {
    var input = document.getElementById("id_commune");
    if (!input || !optionsUrl || !window.htmx) return;
    input.setAttribute("hx-get", optionsUrl);
    input.setAttribute("hx-trigger", "input changed delay:250ms");
    input.setAttribute("hx-target", "#communes-proposees");
    input.setAttribute("hx-swap", "innerHTML");
    window.htmx.process(input);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
