/* Drawing or adjusting an area's contour with Leaflet-Geoman. The form's "Contour
   (GeoJSON)" field is the truth: the map starts from it and writes every change back to
   it, so the form works without this script (paste a GeoJSON) and nothing typed is lost. */
(function () {
  "use strict";
  var element = document.getElementById("area-draw-map");
  var field = document.getElementById("id_geometry");
  if (!element || !field || !window.L || !L.PM) {
    return;
  }
  var status = document.getElementById("area-map-status");
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false }).setView([48.8566, 2.3522], 12);
  L.tileLayer(element.dataset.tilesUrl, {
    maxZoom: 19,
    attribution: element.dataset.attribution,
  }).addTo(map);
  map.pm.setLang("fr");
  map.pm.addControls({
    position: "topleft",
    drawMarker: false,
    drawCircleMarker: false,
    drawPolyline: false,
    drawRectangle: true,
    drawCircle: false,
    drawText: false,
    cutPolygon: false,
    rotateMode: false,
  });

  var drawn = L.featureGroup().addTo(map);

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function write() {
    var polygons = [];
    drawn.eachLayer(function (layer) {
      var geometry = layer.toGeoJSON().geometry;
      if (geometry.type === "Polygon") {
        polygons.push(geometry.coordinates);
      } else if (geometry.type === "MultiPolygon") {
        polygons = polygons.concat(geometry.coordinates);
      }
    });
    if (!polygons.length) {
      field.value = "";
      say("Aucun contour dessiné.");
      return;
    }
    var geometry =
      polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] } : { type: "MultiPolygon", coordinates: polygons };
    field.value = JSON.stringify(geometry);
    say(polygons.length === 1 ? "Contour dessiné : 1 polygone." : "Contour dessiné : " + polygons.length + " polygones.");
  }

  function watch(layer) {
    layer.on("pm:edit pm:dragend pm:remove", write);
    drawn.addLayer(layer);
  }

  function load() {
    var text = field.value.trim();
    if (!text) {
      return;
    }
    try {
      var geometry = JSON.parse(text);
      L.geoJSON(geometry).eachLayer(watch);
      if (drawn.getLayers().length) {
        map.fitBounds(drawn.getBounds(), { padding: [10, 10] });
        say("Contour chargé : modifiez-le avec l'outil « modifier ».");
      }
    } catch (error) {
      say("Le contour du champ n'est pas lisible : redessinez-le.");
    }
  }

  // An area made of IRIS: their contour, dashed, and a button that copies it into an
  // editable drawing (saved as the area's own contour).
  var outlineNode = document.getElementById("area-outline");
  var adjust = document.getElementById("area-adjust-outline");
  var tools = document.getElementById("area-outline-tools");
  if (outlineNode) {
    var outline = L.geoJSON(JSON.parse(outlineNode.textContent), {
      pmIgnore: true,
      interactive: false,
      style: { color: "#000091", weight: 2, dashArray: "6 4", fillOpacity: 0.05 },
    }).addTo(map);
    if (!field.value.trim()) {
      map.fitBounds(outline.getBounds(), { padding: [10, 10] });
    }
    if (adjust && tools) {
      tools.hidden = false;
      adjust.addEventListener("click", function () {
        drawn.clearLayers();
        field.value = outlineNode.textContent.trim();
        load();
        map.removeLayer(outline);
        tools.hidden = true;
        write();
        say("Contour des IRIS copié : déplacez ses sommets avec l'outil « modifier ».");
      });
    }
  }

  map.on("pm:create", function (event) {
    watch(event.layer);
    write();
  });
  map.on("pm:remove", function (event) {
    drawn.removeLayer(event.layer);
    write();
  });
  load();
})();
