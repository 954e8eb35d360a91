/* The area's map: IRIS coloured by the chosen indicator in five classes (quantiles), the
   area's contour over them, and a legend. The table beside it holds the same values and
   is the page's content; this only draws them. Data come from json_script blocks. */
(function () {
  "use strict";
  var element = document.getElementById("choropleth-map");
  if (!element || !window.L) {
    return;
  }
  var featuresNode = document.getElementById("choropleth-features");
  var areaNode = document.getElementById("choropleth-area");
  var features = featuresNode ? JSON.parse(featuresNode.textContent) : null;
  var area = areaNode ? JSON.parse(areaNode.textContent) : null;
  var unit = element.dataset.unit ? " " + element.dataset.unit : "";
  var COLOURS = ["#fff5eb", "#fdbe85", "#fd8d3c", "#d94701", "#8c2d04"];
  element.hidden = false;

  var map = L.map(element, { scrollWheelZoom: false });
  var tiles = L.tileLayer(element.dataset.tilesUrl, {
    maxZoom: 19,
    attribution: element.dataset.attribution,
  });
  var note = document.getElementById("choropleth-tiles-error");
  tiles.on("tileerror", function () {
    if (note) {
      note.hidden = false;
    }
  });
  tiles.addTo(map);

  function format(value) {
    return value.toLocaleString("fr-FR", { maximumFractionDigits: 1 }) + unit;
  }

  var breaks = [];
  var values = [];
  var bounds = null;
  if (features && features.features.length) {
    values = features.features
      .map(function (f) {
        return f.properties.value;
      })
      .filter(function (v) {
        return v !== null;
      })
      .sort(function (a, b) {
        return a - b;
      });
    // Quantile breaks, each shown once: few IRIS or equal values give fewer classes.
    for (var i = 1; i < COLOURS.length && values.length; i++) {
      var edge = values[Math.min(values.length - 1, Math.floor((i * values.length) / COLOURS.length))];
      var last = breaks.length ? breaks[breaks.length - 1] : values[0];
      if (edge > last && format(edge) !== format(last)) {
        breaks.push(edge);
      }
    }
    var classOf = function (value) {
      var k = 0;
      while (k < breaks.length && value >= breaks[k]) {
        k++;
      }
      return k;
    };
    var layer = L.geoJSON(features, {
      style: function (feature) {
        var value = feature.properties.value;
        return {
          color: "#333",
          weight: 1,
          fillOpacity: 0.75,
          fillColor: value === null ? "#dddddd" : COLOURS[classOf(value)],
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties;
        var text = (p.name || p.code) + " (" + p.code + ") : " + (p.value === null ? "pas de valeur" : format(p.value));
        featureLayer.bindTooltip(text);
      },
    }).addTo(map);
    bounds = layer.getBounds();
  }
  if (area) {
    var outline = L.geoJSON(area, {
      interactive: false,
      style: { color: "#000091", weight: 3, fill: false, dashArray: "6 4" },
    }).addTo(map);
    bounds = bounds ? bounds.extend(outline.getBounds()) : outline.getBounds();
  }
  if (bounds && bounds.isValid()) {
    map.fitBounds(bounds, { padding: [10, 10] });
  }

  var legend = document.getElementById("choropleth-legend");
  if (legend && values.length) {
    var edges = [null].concat(breaks);
    COLOURS.slice(0, breaks.length + 1).forEach(function (colour, index) {
      var low = edges[index];
      var high = edges[index + 1];
      var label;
      if (!breaks.length) {
        label = "toutes les IRIS : " + format(values[0]);
      } else if (low === null) {
        label = "moins de " + format(high);
      } else if (high === undefined) {
        label = format(low) + " et plus";
      } else {
        label = format(low) + " à moins de " + format(high);
      }
      var item = document.createElement("span");
      item.className = "pp-legend__item";
      var swatch = document.createElement("span");
      swatch.className = "pp-legend__swatch pp-legend__swatch--" + index;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(label));
      legend.appendChild(item);
    });
    var none = document.createElement("span");
    none.className = "pp-legend__item";
    var swatchNone = document.createElement("span");
    swatchNone.className = "pp-legend__swatch pp-legend__swatch--none";
    none.appendChild(swatchNone);
    none.appendChild(document.createTextNode("pas de valeur ; contour bleu : le quartier"));
    legend.appendChild(none);
    legend.hidden = false;
  }
})();
