// Timeline: incidents per day, week or month (the server picks the bucket from the span of the
// dates), stacked by type, as an SVG drawn here. Clicking a bar filters the dashboard to its
// days (the filters live in the URL).
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

  // Per kind of bucket: its position from the first one, the start of the bucket at a
  // position, its last day, and its label.
  var BUCKETS = {
    day: {
      index: function (ms, first) { return Math.round((ms - first) / DAY); },
      at: function (first, index) { return first + index * DAY; },
      end: function (ms) { return ms; },
      label: iso,
    },
    week: {
      index: function (ms, first) { return Math.round((ms - first) / (7 * DAY)); },
      at: function (first, index) { return first + index * 7 * DAY; },
      end: function (ms) { return ms + 6 * DAY; },
      label: iso,
    },
    month: {
      index: function (ms, first) {
        var a = new Date(ms), b = new Date(first);
        return (a.getUTCFullYear() - b.getUTCFullYear()) * 12 + a.getUTCMonth() - b.getUTCMonth();
      },
      at: function (first, index) { var d = new Date(first); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + index, 1); },
      end: function (ms) { var d = new Date(ms); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0); },
      label: function (ms) { return iso(ms).slice(0, 7); },
    },
  };

  function filterTo(from, to) {
    var params = new URLSearchParams(window.location.search);
    params.set("from", from);
    params.set("to", to);
    params.delete("offset");
    window.location.search = params.toString();
  }

  function draw(counts, bucket) {
    node.textContent = "";
    node.setAttribute("data-bucket", bucket);
    var title = document.getElementById("timeline-title");
    if (title) title.textContent = "Incidents per " + bucket + " by type";
    if (!counts.length) {
      node.appendChild(C.el("p", "muted", "No dated incidents match."));
      node.setAttribute("data-state", "ready");
      node.setAttribute("data-bars", "0");
      return;
    }
    var kind = BUCKETS[bucket] || BUCKETS.day;
    var perBucket = {};
    counts.forEach(function (d) { (perBucket[d.start] = perBucket[d.start] || []).push(d); });
    var first = parse(counts[0].start), last = parse(counts[counts.length - 1].start);
    var span = kind.index(last, first) + 1;
    var width = Math.max(node.clientWidth || 800, 300), height = 170;
    var left = 34, bottom = 24, top = 8, right = 8;
    var plotW = width - left - right, plotH = height - top - bottom;
    var max = 1;
    Object.keys(perBucket).forEach(function (start) {
      var sum = perBucket[start].reduce(function (a, d) { return a + d.count; }, 0);
      if (sum > max) max = sum;
    });
    var barW = Math.min(Math.max(plotW / span, 1), 36);
    var chart = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Incidents per " + bucket + " by type" });
    chart.appendChild(svg("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: "#999" }));
    chart.appendChild(svg("text", { x: left - 4, y: top + 10, "text-anchor": "end", "font-size": 10 }, max));
    chart.appendChild(svg("text", { x: left - 4, y: top + plotH, "text-anchor": "end", "font-size": 10 }, 0));
    var starts = Object.keys(perBucket);
    var ticks = Math.min(span, 6);
    for (var t = 0; t < ticks; t++) {
      var offset = ticks === 1 ? 0 : Math.round(t * (span - 1) / (ticks - 1));
      var x = left + offset * barW + barW / 2;
      // the outer labels lean inwards so that they are not cut at the edges
      var anchor = ticks > 1 && t === 0 ? "start" : ticks > 1 && t === ticks - 1 ? "end" : "middle";
      if (anchor === "start") x = left + offset * barW;
      if (anchor === "end") x = Math.min(left + (offset + 1) * barW, width - right);
      chart.appendChild(svg("text", { x: x, y: height - 6, "text-anchor": anchor, "font-size": 10 }, kind.label(kind.at(first, offset))));
    }
    starts.forEach(function (start) {
      var ms = parse(start), to = iso(kind.end(ms));
      var index = kind.index(ms, first);
      var y = top + plotH;
      var group = svg("g", { "class": "bar-group", "data-start": start, "data-end": to });
      perBucket[start].forEach(function (d) {
        var h = d.count / max * plotH;
        y -= h;
        var bar = svg("rect", { x: left + index * barW + 0.5, y: y, width: Math.max(barW - 1, 1), height: h, fill: C.colour(d.type), "class": "bar" });
        var when = bucket === "day" ? start : start + " to " + to;
        bar.appendChild(svg("title", {}, when + ": " + d.count + " × " + d.type));
        group.appendChild(bar);
      });
      group.addEventListener("click", function () { filterTo(start, to); });
      chart.appendChild(group);
    });
    node.appendChild(chart);
    node.setAttribute("data-bars", String(starts.length));
    node.setAttribute("data-dated", String(counts.reduce(function (a, d) { return a + d.count; }, 0)));
    node.setAttribute("data-state", "ready");
  }

  C.load(node.getAttribute("data-counts")).then(function (data) { draw(data.counts || [], data.bucket || "day"); })
    .catch(function (error) {
      node.setAttribute("data-state", "error");
      node.appendChild(C.el("p", "map-error", "Could not load the timeline: " + error.message));
    });
})();
