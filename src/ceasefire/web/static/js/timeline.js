// Timeline: incidents per day, stacked by type, as an SVG drawn here. Clicking a day filters
// the dashboard to it (the filters live in the URL).
"use strict";
(function () {
  var node = document.getElementById("timeline");
  if (!node || !window.Ceasefire) return;
  var C = window.Ceasefire;
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000;

  function svg(tag, attrs, text) {
    var element = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { element.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) element.textContent = String(text);
    return element;
  }
  function parse(day) { return Date.parse(day + "T00:00:00Z"); }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function filterTo(day) {
    var params = new URLSearchParams(window.location.search);
    params.set("from", day);
    params.set("to", day);
    params.delete("offset");
    window.location.search = params.toString();
  }

  function draw(days) {
    node.textContent = "";
    if (!days.length) {
      node.appendChild(C.el("p", "muted", "No dated incidents match."));
      node.setAttribute("data-state", "ready");
      node.setAttribute("data-days", "0");
      return;
    }
    var perDay = {};
    days.forEach(function (d) { (perDay[d.date] = perDay[d.date] || []).push(d); });
    var first = parse(days[0].date), last = parse(days[days.length - 1].date);
    var span = Math.round((last - first) / DAY) + 1;
    var width = Math.max(node.clientWidth || 800, 300), height = 170;
    var left = 34, bottom = 24, top = 8, right = 8;
    var plotW = width - left - right, plotH = height - top - bottom;
    var max = 1;
    Object.keys(perDay).forEach(function (day) {
      var sum = perDay[day].reduce(function (a, d) { return a + d.count; }, 0);
      if (sum > max) max = sum;
    });
    var barW = Math.min(Math.max(plotW / span, 1), 36);
    var chart = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Incidents per day by type" });
    chart.appendChild(svg("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: "#999" }));
    chart.appendChild(svg("text", { x: left - 4, y: top + 10, "text-anchor": "end", "font-size": 10 }, max));
    chart.appendChild(svg("text", { x: left - 4, y: top + plotH, "text-anchor": "end", "font-size": 10 }, 0));
    var ticks = Math.min(span, 6);
    for (var t = 0; t < ticks; t++) {
      var offset = ticks === 1 ? 0 : Math.round(t * (span - 1) / (ticks - 1));
      var x = left + offset * barW + barW / 2;
      chart.appendChild(svg("text", { x: x, y: height - 6, "text-anchor": "middle", "font-size": 10 }, iso(first + offset * DAY)));
    }
    Object.keys(perDay).forEach(function (day) {
      var index = Math.round((parse(day) - first) / DAY);
      var y = top + plotH;
      var group = svg("g", { "class": "day", "data-date": day });
      perDay[day].forEach(function (d) {
        var h = d.count / max * plotH;
        y -= h;
        var bar = svg("rect", { x: left + index * barW + 0.5, y: y, width: Math.max(barW - 1, 1), height: h, fill: C.colour(d.type), "class": "bar" });
        bar.appendChild(svg("title", {}, day + ": " + d.count + " × " + d.type));
        group.appendChild(bar);
      });
      group.addEventListener("click", function () { filterTo(day); });
      chart.appendChild(group);
    });
    node.appendChild(chart);
    node.setAttribute("data-days", String(Object.keys(perDay).length));
    node.setAttribute("data-state", "ready");
  }

  C.load(node.getAttribute("data-points")).then(function (data) { draw(data.days || []); })
    .catch(function (error) {
      node.setAttribute("data-state", "error");
      node.appendChild(C.el("p", "map-error", "Could not load the timeline: " + error.message));
    });
})();
