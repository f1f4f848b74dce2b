// Shared by the map and the timeline: colours by event type, marker styles by status, and one
// cached fetch of the map data. No ingested text is ever written as HTML (textContent only).
"use strict";
(function () {
  var TYPES = {
    "Battles": "#c62828",
    "Explosions/Remote violence": "#ef6c00",
    "Violence against civilians": "#6a1b9a",
    "Protests": "#2e7d32",
    "Riots": "#8d6e63",
    "Strategic developments": "#546e7a",
    "talks": "#1565c0",
    "agreement": "#00838f",
    "withdrawal": "#43a047",
    "deployment": "#f9a825",
    "arms_transfer": "#ad1457",
    "confidence_building": "#26a69a",
    "threat": "#d84315",
    "accusation": "#7e57c2",
    "demand": "#5c6bc0",
    "condemnation": "#78909c",
    "rejection": "#4e342e",
    "enforcement": "#283593",
  };
  var FALLBACK = ["#0277bd", "#9e9d24", "#bf360c", "#4527a0", "#00695c", "#c51162"];

  function colour(type) {
    if (Object.prototype.hasOwnProperty.call(TYPES, type)) return TYPES[type];
    var hash = 0;
    for (var i = 0; i < type.length; i++) hash = (hash * 31 + type.charCodeAt(i)) | 0;
    return FALLBACK[Math.abs(hash) % FALLBACK.length];
  }

  // status → how a marker is drawn around its type colour
  var STATUS = {
    reported: { weight: 1, dashArray: "3 3", fillOpacity: 0.55, color: "#333" },
    corroborated: { weight: 2, dashArray: null, fillOpacity: 0.85, color: "#222" },
    disputed: { weight: 3, dashArray: "4 2", fillOpacity: 0.75, color: "#d50000" },
    verified: { weight: 3, dashArray: null, fillOpacity: 0.95, color: "#000" },
    rejected: { weight: 1, dashArray: "1 3", fillOpacity: 0.2, color: "#999" },
  };

  var cache = {};
  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        });
    }
    return cache[url];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  window.Ceasefire = { colour: colour, status: STATUS, load: load, el: el };
})();
