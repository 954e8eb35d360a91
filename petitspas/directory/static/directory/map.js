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

  function popup(group) {
    // Built as nodes, never as HTML: names come from the database.
    var content = document.createElement("div");
    group.forEach(function (marker, index) {
      if (index) {
        content.appendChild(document.createElement("hr"));
      }
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.number + ". " + marker.name;
      content.appendChild(link);
      content.appendChild(document.createElement("br"));
      content.appendChild(document.createTextNode(marker.structure));
    });
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

  // Services at the same place share one marker ("2·3"), whose popup lists them all.
  var groups = [];
  var byPoint = {};
  markers.forEach(function (marker) {
    var key = marker.lat + "," + marker.lng;
    if (!byPoint[key]) {
      byPoint[key] = [];
      groups.push(byPoint[key]);
    }
    byPoint[key].push(marker);
  });

  var bounds = [];
  groups.forEach(function (group) {
    var first = group[0];
    var numbers = group.map(function (m) {
      return String(Number(m.number));
    });
    var label = group
      .map(function (m) {
        return m.number + ". " + m.name;
      })
      .join(" ; ");
    var icon = L.divIcon({
      className: "pp-dirmap__marker" + (group.length > 1 ? " pp-dirmap__marker--group" : ""),
      html: numbers.join("·"),
      iconSize: null,
      iconAnchor: [14, 14],
      popupAnchor: [0, -14],
    });
    L.marker([first.lat, first.lng], { icon: icon, title: label, alt: label })
      .bindPopup(popup(group))
      .on("click", function () {
        group.forEach(function (marker) {
          var item = document.getElementById(marker.anchor);
          if (item) {
            item.classList.add("pp-dir__item--active");
            window.setTimeout(function () {
              item.classList.remove("pp-dir__item--active");
            }, 2000);
          }
        });
      })
      .addTo(map);
    bounds.push([first.lat, first.lng]);
  });
  // Room above the markers for their popups.
  map.fitBounds(bounds, { maxZoom: 16, paddingTopLeft: [28, 90], paddingBottomRight: [28, 28] });
})();
