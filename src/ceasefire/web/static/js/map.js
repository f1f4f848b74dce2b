// The incident map: an offline basemap (country outlines kept in the repository), markers
// coloured by type and drawn by status, grouped on a pixel grid when they crowd together.
"use strict";
(function () {
  var node = document.getElementById("map");
  if (!node || !window.L || !window.Ceasefire) return;
  var C = window.Ceasefire;
  var CELL = 48; // px: markers closer than this at the current zoom are drawn as one cluster

  var map = L.map(node, { zoomSnap: 0.5, minZoom: 3, maxZoom: 13, worldCopyJump: false });
  map.setView([27.5, 17.5], 5);
  map.attributionControl.addAttribution(node.getAttribute("data-credit") || "");
  var clusters = L.layerGroup().addTo(map);
  var points = [];

  C.load(node.getAttribute("data-basemap")).then(function (geojson) {
    L.geoJSON(geojson, {
      interactive: false,
      style: function (feature) {
        var focus = feature.properties && feature.properties.focus;
        return {
          color: "#7a8a99",
          weight: focus ? 1.5 : 0.8,
          fillColor: focus ? "#f4efe2" : "#e6e9ec",
          fillOpacity: 1,
        };
      },
    }).addTo(map).bringToBack();
  }).catch(function () { node.setAttribute("data-basemap-error", "1"); });

  function popup(point) {
    var box = C.el("div", "popup");
    var link = C.el("a", null, point.sub_type + (point.place ? " — " + point.place : ""));
    link.href = "/incidents/" + encodeURIComponent(point.id);
    box.appendChild(link);
    box.appendChild(C.el("div", "muted", (point.date || "undated") + " · " + point.type + " · " + point.status));
    return box;
  }

  function single(point) {
    var style = C.status[point.status] || C.status.reported;
    var marker = L.circleMarker([point.lat, point.lon], {
      radius: 7,
      fillColor: C.colour(point.type),
      color: style.color,
      weight: style.weight,
      dashArray: style.dashArray,
      fillOpacity: style.fillOpacity,
      className: "incident-marker status-" + point.status,
    });
    marker.bindPopup(popup(point));
    return marker;
  }

  function cluster(members) {
    var lat = 0, lon = 0;
    members.forEach(function (p) { lat += p.lat; lon += p.lon; });
    var count = C.el("span", null, members.length);
    var size = members.length < 10 ? 28 : members.length < 100 ? 34 : 42;
    var icon = L.divIcon({ html: count, className: "cluster", iconSize: [size, size] });
    var marker = L.marker([lat / members.length, lon / members.length], {
      icon: icon,
      title: members.length + " incidents",
    });
    var bounds = L.latLngBounds(members.map(function (p) { return [p.lat, p.lon]; }));
    var sameSpot = bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-6);
    if (sameSpot || map.getZoom() >= map.getMaxZoom()) {
      var list = C.el("div", "popup");
      list.appendChild(C.el("strong", null, members.length + " incidents here"));
      var items = C.el("ul");
      members.slice(0, 30).forEach(function (p) { var li = C.el("li"); li.appendChild(popup(p)); items.appendChild(li); });
      list.appendChild(items);
      marker.bindPopup(list, { maxHeight: 300 });
    } else {
      marker.on("click", function () { map.fitBounds(bounds.pad(0.3)); });
    }
    return marker;
  }

  function draw() {
    clusters.clearLayers();
    var zoom = map.getZoom();
    var cells = {};
    points.forEach(function (p) {
      var px = map.project([p.lat, p.lon], zoom);
      var key = Math.floor(px.x / CELL) + ":" + Math.floor(px.y / CELL);
      (cells[key] = cells[key] || []).push(p);
    });
    var markers = 0, groups = 0;
    Object.keys(cells).forEach(function (key) {
      var members = cells[key];
      if (members.length === 1) { clusters.addLayer(single(members[0])); markers++; }
      else { clusters.addLayer(cluster(members)); groups++; }
    });
    node.setAttribute("data-markers", String(markers));
    node.setAttribute("data-clusters", String(groups));
  }

  function legend(types) {
    var box = document.getElementById("legend");
    if (!box) return;
    box.textContent = "";
    types.forEach(function (type) {
      var item = C.el("span", "legend-item");
      var swatch = C.el("span", "swatch");
      swatch.setAttribute("data-colour", C.colour(type));
      item.appendChild(swatch);
      item.appendChild(C.el("span", null, type));
      box.appendChild(item);
    });
    // colours are set through the CSSOM (allowed by the CSP), never as style attributes
    box.querySelectorAll(".swatch").forEach(function (s) { s.style.backgroundColor = s.getAttribute("data-colour"); });
    var statuses = C.el("span", "legend-item muted", "border: dashed = one source, solid = corroborated, red = disputed, thick = verified");
    box.appendChild(statuses);
  }

  C.load(node.getAttribute("data-points")).then(function (data) {
    points = data.points || [];
    var types = [];
    points.forEach(function (p) { if (types.indexOf(p.type) < 0) types.push(p.type); });
    types.sort();
    legend(types);
    if (data.truncated) {
      var box = document.getElementById("legend");
      if (box) box.appendChild(C.el("span", "legend-item muted truncated", "showing the newest " + points.length + " located incidents: narrow the filters to see the others"));
    }
    node.setAttribute("data-loaded", String(points.length));
    node.setAttribute("data-truncated", data.truncated ? "1" : "0");
    if (points.length) {
      var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; }));
      map.fitBounds(bounds.pad(0.2), { maxZoom: 8 });
    }
    draw();
    map.on("zoomend", draw);
    node.setAttribute("data-state", "ready");
  }).catch(function (error) {
    node.setAttribute("data-state", "error");
    node.appendChild(C.el("p", "map-error", "Could not load incidents: " + error.message));
  });
})();
