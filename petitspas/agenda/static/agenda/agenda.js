/* The agenda's map: Leaflet markers for the sites of the sessions listed. The list works
   without it (and without JavaScript); the map follows the list when htmx replaces it. */
(function () {
  "use strict";
  var mapElement = document.getElementById("agenda-map");
  var map = null;
  var layer = null;

  function markers() {
    var data = document.getElementById("agenda-markers");
    return data ? JSON.parse(data.textContent) : [];
  }

  function popup(marker) {
    // Built as nodes, never as HTML: names come from the database.
    var content = document.createElement("div");
    var link = document.createElement("a");
    link.href = "?lieu=" + encodeURIComponent(marker.site);
    link.textContent = marker.name;
    content.appendChild(link);
    content.appendChild(document.createElement("br"));
    content.appendChild(document.createTextNode(marker.town));
    return content;
  }

  function draw() {
    if (!mapElement || !window.L) {
      return;
    }
    var data = markers();
    if (!data.length) {
      mapElement.hidden = true;
      return;
    }
    mapElement.hidden = false;
    if (!map) {
      map = L.map(mapElement, { scrollWheelZoom: false });
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
        maxZoom: 19,
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
      }).addTo(map);
      layer = L.layerGroup().addTo(map);
    }
    layer.clearLayers();
    var bounds = [];
    data.forEach(function (marker) {
      L.marker([marker.lat, marker.lng], { title: marker.name, alt: marker.name })
        .bindPopup(popup(marker))
        .addTo(layer);
      bounds.push([marker.lat, marker.lng]);
    });
    map.invalidateSize();
    map.fitBounds(bounds, { maxZoom: 15, padding: [24, 24] });
  }

  // The language switch brings the family back to the page they are on, filters included.
  function followLanguageSwitch() {
    document.querySelectorAll(".pp-languages input[name=next]").forEach(function (input) {
      input.value = window.location.pathname + window.location.search;
    });
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "agenda-results") {
      draw();
    }
  });
  document.body.addEventListener("htmx:pushedIntoHistory", followLanguageSwitch);
  window.addEventListener("popstate", followLanguageSwitch);
  draw();
})();
