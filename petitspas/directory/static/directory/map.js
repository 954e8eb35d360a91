/* The directory's map: numbered Leaflet markers for the services listed beside it (the
   numbers are the list's). The list is the page's content and works without this script;
   when the tiles cannot load, the markers stay on a blank background and a note says so. */
(function () {
  "use strict";
  var element = document.getElementById("directory-map");
  var data = document.getElementById("directory-markers");
  if (!element || !data || !window.L) {
    return;
  }
  var markers = JSON.parse(data.textContent) || [];
  if (!markers.length) {
    return;
  }
  element.hidden = false;

  function popup(marker) {
    // Built as nodes, never as HTML: names come from the database.
    var content = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.number + ". " + marker.name;
    content.appendChild(link);
    content.appendChild(document.createElement("br"));
    content.appendChild(document.createTextNode(marker.structure));
    return content;
  }

  var map = L.map(element, { scrollWheelZoom: false });
  var tiles = L.tileLayer(element.dataset.tilesUrl, {
    maxZoom: 19,
    attribution: element.dataset.attribution,
  });
  var note = document.getElementById("directory-map-tiles-error");
  tiles.on("tileerror", function () {
    if (note) {
      note.hidden = false;
    }
    element.classList.add("pp-dirmap__map--no-tiles");
  });
  tiles.addTo(map);

  var bounds = [];
  markers.forEach(function (marker) {
    var icon = L.divIcon({
      className: "pp-dirmap__marker",
      html: String(Number(marker.number)),
      iconSize: [28, 28],
      iconAnchor: [14, 14],
      popupAnchor: [0, -14],
    });
    L.marker([marker.lat, marker.lng], {
      icon: icon,
      title: marker.number + ". " + marker.name,
      alt: marker.number + ". " + marker.name,
    })
      .bindPopup(popup(marker))
      .on("click", function () {
        var item = document.getElementById(marker.anchor);
        if (item) {
          item.classList.add("pp-dir__item--active");
          window.setTimeout(function () {
            item.classList.remove("pp-dir__item--active");
          }, 2000);
        }
      })
      .addTo(map);
    bounds.push([marker.lat, marker.lng]);
  });
  map.fitBounds(bounds, { maxZoom: 16, padding: [28, 28] });
})();
