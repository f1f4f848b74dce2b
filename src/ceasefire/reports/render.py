"""Rendering a gathered report: HTML (Jinja2, autoescaped, images as data URIs so the file opens
offline), PDF (WeasyPrint from that HTML, fetching nothing but ``data:`` URIs) and Markdown
(:mod:`ceasefire.reports.markdown`). Rendering reads nothing from the store."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ceasefire import __version__
from ceasefire.domain.users import Role
from ceasefire.reports.charts import (
    BASEMAP_CREDIT,
    incident_map,
    incidents_per_day,
    violations_per_party,
)
from ceasefire.reports.data import LISTED, ReportError, SituationReport
from ceasefire.reports.markdown import markdown

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "pdf", "md")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}
DETERMINATIONS = ("confirmed", "corroborated", "alleged", "indeterminate")
#: the images of a report: key → (file suffix, drawing function)
IMAGES = {
    "map": ("map", incident_map),
    "per_day": ("incidents-per-day", incidents_per_day),
    "per_party": ("violations-per-party", violations_per_party),
}


@dataclass(frozen=True, slots=True)
class RenderedReport:
    """A rendered report: its bytes, media type, and files to write next to it (Markdown)."""

    content: bytes
    media_type: str
    extension: str
    attachments: dict[str, bytes] = field(default_factory=dict)  # file name → bytes


def period(report: SituationReport) -> str:
    """The period as people write it: ``17–23 Feb 2020``, ``28 Feb – 3 Mar 2020``."""
    start, end = report.query.date_from, report.query.date_to
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def fatalities(report: SituationReport) -> str:
    """The period's fatalities as a range (``3–5``) or one figure."""
    low, high = report.headline.fatalities_low, report.headline.fatalities_high
    return str(low) if low == high else f"{low}–{high}"


def images(report: SituationReport) -> dict[str, bytes]:
    """The report's PNG images by key (map, per_day, per_party)."""
    return {key: draw(report) for key, (_, draw) in IMAGES.items()}


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def html(report: SituationReport, pngs: dict[str, bytes] | None = None) -> str:
    """The report as one self-contained HTML page (every ingested string escaped)."""
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["name"] = report.name
    pictures = pngs if pngs is not None else images(report)
    return environment.get_template("report.html").render(
        r=report,
        h=report.headline,
        period=period(report),
        fatalities=fatalities(report),
        images={key: data_uri(png) for key, png in pictures.items()},
        credit=BASEMAP_CREDIT,
        determinations=DETERMINATIONS,
        listed=LISTED,
        # the commitments' reasoning names evidence incidents, rejected ones included: analysts only
        analyst=report.query.role.allows(Role.ANALYST),
        version=__version__,
    )


def pdf(report: SituationReport, pngs: dict[str, bytes] | None = None) -> bytes:
    """The HTML report printed to PDF by WeasyPrint; only ``data:`` URIs may be fetched."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: pango is missing
        raise ReportError(
            f"PDF reports need WeasyPrint and Debian's pango "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        ) from exc
    fetcher = URLFetcher(allowed_protocols=("data",))
    document = HTML(string=html(report, pngs), url_fetcher=fetcher)
    content: bytes = document.write_pdf()
    return content


def render(report: SituationReport, fmt: str, image_stem: str | None = None) -> RenderedReport:
    """The report in ``fmt`` (html, pdf or md). For Markdown, ``image_stem`` (a file name
    without extension) writes the images as ``STEM-map.png`` … next to the ``.md``, linked
    relatively; without it the images are embedded as data URIs."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    pngs = images(report)
    if fmt == "html":
        return RenderedReport(html(report, pngs).encode("utf-8"), MEDIA_TYPES[fmt], fmt)
    if fmt == "pdf":
        return RenderedReport(pdf(report, pngs), MEDIA_TYPES[fmt], fmt)
    if image_stem is None:
        links = {key: data_uri(png) for key, png in pngs.items()}
        attachments: dict[str, bytes] = {}
    else:
        names = {key: f"{image_stem}-{suffix}.png" for key, (suffix, _) in IMAGES.items()}
        links = dict(names)
        attachments = {names[key]: png for key, png in pngs.items()}
    text = markdown(report, links, period(report), fatalities(report), BASEMAP_CREDIT)
    return RenderedReport(text.encode("utf-8"), MEDIA_TYPES[fmt], fmt, attachments)
