"""The report's images, drawn with matplotlib's object API (Agg canvas, no pyplot state): the map
of the period's incidents on the offline basemap and two charts, each returned as PNG bytes."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ceasefire.domain.incidents import Incident
from ceasefire.errors import ConfigError
from ceasefire.reports.data import SituationReport

BASEMAP = (
    Path(__file__).resolve().parent.parent / "web" / "static" / "basemap" / "countries.geojson"
)
#: the basemap's licence, printed under the map
BASEMAP_CREDIT = "Basemap: Natural Earth 1:50m admin-0 countries (public domain)"
#: degrees of margin around the focus country's outline
_MARGIN = 1.0
_TYPES_SHOWN = 7
_PALETTE = (
    "#b2182b", "#ef8a62", "#2166ac", "#67a9cf", "#1b7837", "#7fbf7b", "#762a83", "#999999",
)  # fmt: skip
_DPI = 110


Rings = tuple[tuple[tuple[float, float], ...], ...]


def _outlines(path: Path) -> tuple[tuple[str, bool, Rings], ...]:
    """The countries' outer rings from the GeoJSON basemap, each with whether it is the
    profile's own country (the basemap marks it ``focus``, see tools/build_basemap.py)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"the offline basemap {path} cannot be read: {exc}") from exc
    countries = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        rings = tuple(tuple((float(x), float(y)) for x, y in poly[0]) for poly in polygons)
        properties = feature.get("properties", {})
        countries.append((str(properties.get("name", "")), bool(properties.get("focus")), rings))
    return tuple(countries)


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _in_country(incident: Incident, country: str) -> bool:
    return incident.location is not None and incident.location.country == country


def _extent(
    incidents: list[Incident], outlines: tuple[tuple[str, bool, Rings], ...]
) -> tuple[float, float, float, float]:
    """The focus country's outline with a margin, widened to every placed incident."""
    focus = [point for _n, own, rings in outlines if own for ring in rings for point in ring]
    if not focus:  # no country marked: the whole basemap
        focus = [point for _n, _own, rings in outlines for ring in rings for point in ring]
    west = min(x for x, _y in focus) - _MARGIN
    east = max(x for x, _y in focus) + _MARGIN
    south = min(y for _x, y in focus) - _MARGIN
    north = max(y for _x, y in focus) + _MARGIN
    points = [(i.location.lon, i.location.lat) for i in incidents if i.location is not None]
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        west, east = min(west, min(xs) - 1), max(east, max(xs) + 1)
        south, north = min(south, min(ys) - 1), max(north, max(ys) + 1)
    return west, south, east, north


def incident_map(report: SituationReport, basemap: Path = BASEMAP) -> bytes:
    """The period's incidents placed in the profile's country on the country outlines; possible
    violations in red. Incidents abroad (talks in Geneva) and unplaced ones are counted."""
    figure = Figure(figsize=(7.2, 4.6))
    axes = figure.add_subplot()
    inside = [i for i in report.incidents if _in_country(i, report.country)]
    outlines = _outlines(basemap)
    west, south, east, north = _extent(inside, outlines)
    for _name, focus, rings in outlines:
        for ring in rings:
            axes.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    facecolor="#f3efe6" if focus else "#e4e4e4",
                    edgecolor="#8c8c8c",
                    linewidth=0.6,
                )
            )
    flagged = {a.incident_id for a in report.violations}
    placed = Counter(
        (round(i.location.lon, 2), round(i.location.lat, 2), i.id in flagged)
        for i in inside
        if i.location is not None
    )
    for (lon, lat, violation), count in sorted(placed.items()):
        axes.scatter(
            [lon],
            [lat],
            s=30 + 25 * count,
            color="#b2182b" if violation else "#2166ac",
            alpha=0.75,
            edgecolors="white",
            linewidths=0.8,
            zorder=3,
        )
    names: dict[str, tuple[float, float]] = {}
    for incident in inside:
        if incident.location is not None:
            names.setdefault(incident.location.name, (incident.location.lon, incident.location.lat))
    for label, (lon, lat) in sorted(names.items())[:15]:
        axes.annotate(label, (lon, lat), xytext=(5, 4), textcoords="offset points", fontsize=7)
    axes.scatter([], [], color="#b2182b", label="possible violation")
    axes.scatter([], [], color="#2166ac", label="other incident")
    axes.legend(loc="lower left", fontsize=7, frameon=True)
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect("equal")
    axes.set_facecolor("#cfe3f0")
    axes.tick_params(labelsize=7)
    unplaced = sum(1 for i in report.incidents if i.location is None)
    abroad = len(report.incidents) - unplaced - len(inside)
    axes.set_title(
        f"{len(inside)} incidents placed in the country "
        f"({abroad} abroad, {unplaced} without a place)",
        fontsize=9,
    )
    figure.text(0.01, 0.005, BASEMAP_CREDIT, fontsize=6, color="#555555")
    return _png(figure)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def incidents_per_day(report: SituationReport) -> bytes:
    """Stacked bars: incidents per day (first day of each incident) by event type."""
    query = report.query
    days = _days(query.date_from, query.date_to)
    types = Counter(i.event_type for i in report.incidents)
    shown = [t for t, _ in types.most_common(_TYPES_SHOWN)]
    counts: dict[str, list[int]] = {t: [0] * len(days) for t in [*shown, "other"]}
    for incident in report.incidents:
        day = incident.date.start if incident.date else None
        if day is None:
            continue
        index = min(max((day - query.date_from).days, 0), len(days) - 1)
        counts[incident.event_type if incident.event_type in shown else "other"][index] += 1
    figure = Figure(figsize=(7.2, 3.2))
    axes = figure.add_subplot()
    bottom = [0] * len(days)
    positions = list(range(len(days)))
    for colour, (kind, values) in zip(_PALETTE, counts.items(), strict=False):
        if not any(values):
            continue
        axes.bar(positions, values, bottom=bottom, color=colour, label=kind, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, len(days) // 14)
    axes.set_xticks(positions[::step], [d.strftime("%d %b") for d in days[::step]], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylabel("incidents", fontsize=8)
    axes.set_title("Incidents per day by type", fontsize=9)
    if report.incidents:
        axes.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def violations_per_party(report: SituationReport) -> bytes:
    """Horizontal stacked bars: possible violations per party, by determination."""
    parties = list(report.by_party)[:12]
    determinations = ["confirmed", "corroborated", "alleged", "indeterminate"]
    colours = {"confirmed": "#67001f", "corroborated": "#d6604d", "alleged": "#f4a582"}
    figure = Figure(figsize=(7.2, 0.6 + 0.45 * max(len(parties), 2)))
    axes = figure.add_subplot()
    left = [0] * len(parties)
    labels = [report.name(p) for p in parties]
    for determination in determinations:
        values = [report.by_party[p].get(determination, 0) for p in parties]
        if not any(values):
            continue
        axes.barh(
            labels,
            values,
            left=left,
            color=colours.get(determination, "#bababa"),
            label=determination,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    if not parties:
        axes.text(0.5, 0.5, "no possible violation in the period", ha="center", va="center")
        axes.set_yticks([])
    else:
        axes.invert_yaxis()
        axes.legend(fontsize=7, frameon=False)
    axes.tick_params(labelsize=7)
    axes.set_xlabel("possible violations (incident × term)", fontsize=8)
    axes.set_title("Possible violations per party", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
