/* The coverage map: one circle per town, where its hotels are on average, sized by the
   children living there and coloured by the share of its hotels visited. The table beside
   it is the page's content and works without this script; when the tiles cannot load, the
   circles stay on a blank background and a note says so. */
(function () {
  "use strict";
  var element = document.getElementById("coverage-map");
  var data = document.getElementById("coverage-points");
  if (!element || !data || !window.L) {
    return;
  }
  var points = JSON.parse(data.textContent) || [];
  if (!points.length) {
    return;
  }
  element.hidden = false;

  function line(parent, text) {
    parent.appendChild(document.createTextNode(text));
    parent.appendChild(document.createElement("br"));
  }

  function popup(point) {
    // Built as nodes, never as HTML: names come from the database.
    var content = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.town;
    content.appendChild(title);
    content.appendChild(document.createElement("br"));
    line(content, point.hotels_visited + " hôtel(s) visité(s) sur " + point.hotels_reference);
    line(content, point.hotel_children_reference + " enfant(s) y vivent");
    line(content, point.hotel_children_reached + " touché(s), " +
      point.hotel_children_not_reached + " non atteint(s)");
    return content;
  }

  function colour(point) {
    if (point.hotels_visited === point.hotels_reference) {
      return "#18753c";
    }
    return point.hotels_visited > 0 ? "#b34000" : "#ce0500";
  }

  var map = L.map(element, { scrollWheelZoom: false });
  var tiles = L.tileLayer(element.dataset.tilesUrl, {
    maxZoom: 19,
    attribution: element.dataset.attribution,
  });
  var note = document.getElementById("coverage-map-tiles-error");
  tiles.on("tileerror", function () {
    if (note) {
      note.hidden = false;
    }
    element.classList.add("pp-covmap--no-tiles");
  });
  tiles.addTo(map);

  var bounds = [];
  points.forEach(function (point) {
    var children = Number(point.hotel_children_reference) || 0;
    L.circleMarker([point.lat, point.lng], {
      radius: 6 + Math.sqrt(children) / 2,
      color: colour(point),
      weight: 2,
      fillOpacity: 0.45,
    })
      .bindTooltip(point.town)
      .bindPopup(popup(point))
      .addTo(map);
    bounds.push([point.lat, point.lng]);
  });
  map.fitBounds(bounds, { maxZoom: 13, padding: [24, 24] });
})();
