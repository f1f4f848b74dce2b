"""Situation reports of the seeds' week (17–23 Feb 2020) from the real, processed seed pages: all
three formats, the PDF's first page rendered by poppler, the HTML opened offline (parsed, and in
Debian's chromium), what a viewer may not see, and ``GET /api/reports`` over a real uvicorn."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.api.reports import build_report_api
from ceasefire.api.views import ReadContext
from ceasefire.domain.agreements import Determination
from ceasefire.domain.users import Role, User
from ceasefire.reports import ReportQuery, SituationReport, gather, render
from ceasefire.services.review import ReviewService
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository
from tests.e2e.browser import (
    XSS_MARKUP,
    LiveServer,
    analyst_user,
    chromium,
    seeded_database,
    viewer_user,
)

pytestmark = pytest.mark.seeds
WEEK = (date(2020, 2, 17), date(2020, 2, 23))
PERIOD = "17–23 Feb 2020"


@dataclass(frozen=True)
class Seeded:
    url: str
    store: Store
    rejected: str  # an incident of the week a supervisor rejected
    allegation: str  # an incident of the week with a single-source alleged violation only


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, extractor: Any
) -> Iterator[Seeded]:
    folder = tmp_path_factory.mktemp("reports")
    url = seeded_database(folder, seeds_dir, extractor)
    engine = create_engine_for(url)
    store = Store(engine)
    repo = IncidentRepository(store)
    week = repo.find(IncidentFilter(*WEEK, limit=1000))
    texts = [c.text for i in week for c in i.claims]
    # an incident whose sentences no other incident shares, so its absence can be read in the text
    rejected = next(i for i in week if i.actor1 and all(texts.count(c.text) == 1 for c in i.claims))
    taxonomy = load_taxonomy()
    reviews = ReviewService(store, load_profile("libya", taxonomy), taxonomy)
    reviews.reject(User(99, "supervisor", Role.SUPERVISOR), rejected.id, "test: not an incident")
    ids = {i.id for i in week if i.independent_sources == 1}
    alleged = [a for a in repo.list_assessments() if a.incident_id in ids]
    allegation = next(a.incident_id for a in alleged if a.determination is Determination.ALLEGED)
    yield Seeded(url, store, rejected.id, allegation)
    engine.dispose()


def _facts(seeded: Seeded, role: Role = Role.VIEWER, **filters: Any) -> SituationReport:
    taxonomy = load_taxonomy()
    query = ReportQuery(*WEEK, role=role, **filters)
    return gather(seeded.store, load_profile("libya", taxonomy), taxonomy, query)


class _Loads(HTMLParser):
    """What a browser would fetch on its own: src/href of img, script, link and friends."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "script", "link", "iframe", "source", "object", "embed"):
            self.loaded += [v or "" for k, v in attrs if k in ("src", "href", "data", "srcset")]
        self.images += tag == "img"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils)")
    return path


def test_the_week_as_html_opens_offline(seeded: Seeded) -> None:
    page = render(_facts(seeded), "html").content.decode()
    assert PERIOD in page and "Tripoli" in page and "Moscow/Ankara truce" in page
    loads = _Loads()
    loads.feed(page)
    assert loads.images == 3  # the map and two charts
    assert all(src.startswith("data:image/png;base64,") for src in loads.loaded), loads.loaded
    assert not [s for s in loads.loaded if s.lower().startswith(("http:", "https:", "//"))]
    assert "Natural Earth" in page


def test_the_week_as_pdf_first_page_rendered_by_poppler(seeded: Seeded, tmp_path: Path) -> None:
    from PIL import Image

    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(render(_facts(seeded), "pdf").content)
    assert pdf.read_bytes().startswith(b"%PDF-")
    pdftoppm, pdftotext = _tool("pdftoppm"), _tool("pdftotext")
    subprocess.run(
        [pdftoppm, "-f", "1", "-l", "1", "-r", "60", "-png", pdf, tmp_path / "p"], check=True
    )
    [png] = tmp_path.glob("p*.png")
    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert image.width > 300 and 0.002 < dark / (grey.width * grey.height) < 0.5
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert PERIOD in first and "Headline numbers" in first
    whole = subprocess.run([pdftotext, pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Tripoli" in whole and "Method" in whole


def test_the_week_as_markdown_from_the_command_line(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "week.md"
    result = subprocess.run(
        [sys.executable, "-m", "ceasefire", "--db", seeded.url, "report", "--from", "2020-02-17",
         "--to", "2020-02-23", "--format", "md", "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert PERIOD in text and "Tripoli" in text and "| party |" in text
    for name in ("map", "incidents-per-day", "violations-per-party"):
        assert f"](week-{name}.png)" in text
        assert (tmp_path / f"week-{name}.png").read_bytes().startswith(b"\x89PNG")


def test_a_viewer_never_sees_a_rejected_incident_or_a_bare_allegation(seeded: Seeded) -> None:
    viewer, analyst = _facts(seeded), _facts(seeded, Role.ANALYST)
    assert seeded.rejected not in {i.id for i in viewer.incidents}
    assert seeded.rejected in {i.id for i in analyst.incidents}
    assert seeded.allegation not in {a.incident_id for a in viewer.violations}
    assert seeded.allegation in {a.incident_id for a in analyst.violations}
    assert all(a.determination.value in ("corroborated", "confirmed") for a in viewer.violations)
    rejected = IncidentRepository(seeded.store).get(seeded.rejected)
    assert rejected is not None
    for fmt in ("html", "md"):
        seen = render(viewer, fmt).content.decode()
        full = render(analyst, fmt).content.decode()
        assert seeded.rejected[:10] not in seen and seeded.rejected[:10] in full
        assert ": alleged" not in seen and ": alleged" in full
    page = render(viewer, "html").content.decode()
    assert "Possible violation (alleged)" not in page
    for claim in rejected.claims:
        assert claim.text not in page


def test_ingested_markup_stays_text_in_every_format(seeded: Seeded) -> None:
    taxonomy = load_taxonomy()
    query = ReportQuery(date(2020, 3, 9), date(2020, 3, 11), role=Role.ANALYST)
    march = gather(seeded.store, load_profile("libya", taxonomy), taxonomy, query)
    assert any("Gharyan" in c.text for i in march.incidents for c in i.claims)
    for fmt in ("html", "md"):
        text = render(march, fmt).content.decode()
        assert "Gharyan" in text
        for markup in XSS_MARKUP:
            assert markup not in text


def test_area_and_party_filters(seeded: Seeded) -> None:
    tripoli = _facts(seeded, Role.ANALYST, area="tripoli")
    assert tripoli.incidents
    assert all(i.location and i.location.admin1 == "Tripoli" for i in tripoli.incidents)
    lna = _facts(seeded, Role.ANALYST, party="lna")
    assert lna.violations and all("lna" in (a.party, a.side) for a in lna.violations)
    assert len(lna.incidents) < len(_facts(seeded, Role.ANALYST).incidents)


def test_the_html_report_in_chromium_makes_no_request(seeded: Seeded, tmp_path: Path) -> None:
    report = tmp_path / "week.html"
    report.write_bytes(render(_facts(seeded), "html").content)
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("networkidle")
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        heading = page.text_content("h1")
    assert heading and "Situation report" in heading
    assert len(widths) == 3 and all(w > 100 for w in widths)
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def _app(store: Store, who: Any) -> FastAPI:
    app = FastAPI()
    app.include_router(build_report_api(ReadContext(store), who))
    return app


def test_the_api_over_uvicorn(seeded: Seeded) -> None:
    week = {"from": "2020-02-17", "to": "2020-02-23"}
    with LiveServer(_app(seeded.store, viewer_user)) as server:
        html = server.get("/api/reports", params={**week, "format": "html"})
        assert html.status_code == 200, html.text
        assert html.headers["content-type"].startswith("text/html")
        assert PERIOD in html.text and seeded.rejected[:10] not in html.text
        assert html.headers["content-disposition"] == (
            'attachment; filename="situation-report-2020-02-17_2020-02-23.html"'
        )
        pdf = server.get("/api/reports", params={**week, "format": "pdf"})
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        assert "attachment" in pdf.headers["content-disposition"]
        md = server.get("/api/reports", params={**week, "format": "md"})
        assert md.headers["content-type"].startswith("text/markdown")
        assert "](data:image/png;base64," in md.text
        assert server.get("/api/reports", params={**week, "format": "docx"}).status_code == 422
        assert server.get("/api/reports", params={"from": "2020-02-17"}).status_code == 422
    with LiveServer(_app(seeded.store, analyst_user)) as server:
        full = server.get("/api/reports", params={**week, "format": "html"})
        assert full.status_code == 200 and seeded.rejected[:10] in full.text
