"""Situation reports for a period: facts gathered from the store (:mod:`.data`), charts and a map
drawn with matplotlib (:mod:`.charts`), rendered as HTML, PDF or Markdown (:mod:`.render`)."""

from __future__ import annotations

from ceasefire.reports.data import ReportError, ReportQuery, SituationReport, gather
from ceasefire.reports.render import FORMATS, RenderedReport, render

__all__ = [
    "FORMATS",
    "RenderedReport",
    "ReportError",
    "ReportQuery",
    "SituationReport",
    "gather",
    "render",
]
