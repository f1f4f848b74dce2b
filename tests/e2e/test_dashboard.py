"""The dashboard in Debian's chromium (Playwright): the map with the seed incidents, filtering to
18-19 February 2020, the Tripoli port incident with both sources' evidence highlighted, and the
boards. Every page is checked for CSP violations and requests leaving 127.0.0.1, and a screenshot
of each is kept (``test-artifacts/dashboard/``, or ``$CEASEFIRE_TEST_ARTIFACTS``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import LiveServer, PageWatch, artifacts_dir, chromium, require_chromium

pytestmark = [pytest.mark.seeds, pytest.mark.network]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with chromium() as context:
        yield context


@pytest.fixture
def page(browser: Any, live: LiveServer) -> Iterator[tuple[Any, PageWatch]]:
    tab = browser.new_page()
    watch = PageWatch(tab, live.base)
    yield tab, watch
    tab.close()


def _shot(tab: Any, name: str) -> None:
    path = artifacts_dir() / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def _ready(tab: Any) -> None:
    tab.wait_for_selector("#map[data-state=ready]", timeout=15_000)
    tab.wait_for_selector("#timeline[data-state=ready]", timeout=15_000)


def test_map_filter_incident_and_boards(page: tuple[Any, PageWatch], live: LiveServer) -> None:
    tab, watch = page
    tab.goto(live.base + "/")
    _ready(tab)
    assert tab.text_content("#username") == "test"
    everything = live.get("/api/map").json()
    assert int(tab.get_attribute("#map", "data-loaded")) == len(everything["points"]) > 0
    drawn = int(tab.get_attribute("#map", "data-markers")) + int(
        tab.get_attribute("#map", "data-clusters")
    )
    assert drawn > 0
    assert tab.locator(".leaflet-overlay-pane path").count() > 0  # basemap and markers
    timeline = live.get("/api/timeline").json()
    assert tab.get_attribute("#timeline", "data-bucket") == timeline["bucket"]
    assert (
        int(tab.get_attribute("#timeline", "data-bars"))
        == len({c["start"] for c in timeline["counts"]})
        > 0
    )
    assert int(tab.get_attribute("#timeline", "data-dated")) == sum(
        c["count"] for c in timeline["counts"]
    )
    assert tab.text_content("#timeline-title") == f"Incidents per {timeline['bucket']} by type"
    _shot(tab, "01-map")

    tab.fill("#f-from", "2020-02-18")
    tab.fill("#f-to", "2020-02-19")
    tab.click("#f-apply")
    tab.wait_for_url("**/?*from=2020-02-18*")
    assert "to=2020-02-19" in tab.url
    _ready(tab)
    expected = live.get("/api/incidents", params={"from": "2020-02-18", "to": "2020-02-19"})
    total = expected.json()["total"]
    assert tab.text_content("#incident-total") == str(total)
    assert tab.locator("#incident-table tbody tr[data-incident]").count() == total
    located = live.get("/api/map", params={"from": "2020-02-18", "to": "2020-02-19"}).json()
    assert int(tab.get_attribute("#map", "data-loaded")) == len(located["points"])
    assert tab.input_value("#f-from") == "2020-02-18"  # the filters stay in the form and URL
    _shot(tab, "02-map-18-19-feb-2020")

    port = live.get(
        "/api/incidents",
        params={"from": "2020-02-18", "to": "2020-02-18", "type": "Explosions/Remote violence"},
    ).json()["items"]
    [port_id] = [i["id"] for i in port if (i["location"] or {}).get("name") == "Tripoli"]
    tab.click(f'#incident-table tr[data-incident="{port_id}"] a')
    tab.wait_for_selector("#incident")
    assert "Tripoli" in tab.text_content("h1")
    articles = tab.locator(".source-article")
    assert articles.count() == 2
    for index in range(2):
        marks = articles.nth(index).locator("mark.evidence")
        assert marks.count() >= 1
        assert "port" in " ".join(marks.all_text_contents()).lower()
    assert tab.locator("#sources .origin").count() == 2
    assert "moscow_ankara_truce" in tab.text_content("#assessments")
    assert tab.locator("#review-history").count() == 1
    _shot(tab, "03-incident-tripoli-port")

    tab.goto(live.base + "/violations")
    assert tab.locator("#board-moscow_ankara_truce").count() == 1
    assert "lna" in tab.text_content("#board-moscow_ankara_truce")
    _shot(tab, "04-violations")

    tab.goto(live.base + "/commitments?as_of=2021-02-01")
    fighters = tab.locator('tr[data-term="geneva_foreign_fighters_out"]')
    assert "overdue" in fighters.text_content()
    _shot(tab, "05-commitments")

    tab.goto(live.base + "/review")
    assert tab.locator("#review-queue tbody tr[data-incident]").count() > 0
    _shot(tab, "06-review-queue")

    tab.goto(live.base + "/docs")
    tab.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    _shot(tab, "07-api-docs")
    watch.assert_clean()


def test_a_timeline_bar_filters_the_dashboard_to_its_days(
    page: tuple[Any, PageWatch], live: LiveServer
) -> None:
    tab, watch = page
    tab.goto(live.base + "/")
    _ready(tab)
    bar = tab.locator("#timeline g.bar-group").last
    start, end = bar.get_attribute("data-start"), bar.get_attribute("data-end")
    assert start and end and start <= end
    bar.locator("rect").first.click()
    tab.wait_for_url(f"**/?*from={start}*")
    assert f"to={end}" in tab.url
    _ready(tab)
    listed = live.get("/api/incidents", params={"from": start, "to": end}).json()
    assert tab.text_content("#incident-total") == str(listed["total"]) != "0"
    timeline = live.get("/api/timeline", params={"from": start, "to": end}).json()
    assert tab.get_attribute("#timeline", "data-bucket") == timeline["bucket"]
    watch.assert_clean()


def test_clusters_split_when_zoomed_in(page: tuple[Any, PageWatch], live: LiveServer) -> None:
    tab, watch = page
    tab.goto(live.base + "/")
    _ready(tab)
    clusters = int(tab.get_attribute("#map", "data-clusters"))
    assert clusters > 0  # the seeds crowd around Tripoli at the country view
    before = int(tab.get_attribute("#map", "data-markers"))
    tab.locator(".cluster").first.click()
    tab.wait_for_timeout(800)
    after = int(tab.get_attribute("#map", "data-markers")) + int(
        tab.get_attribute("#map", "data-clusters")
    )
    assert after >= before
    watch.assert_clean()


def test_markup_in_an_article_stays_inert_on_every_page(
    page: tuple[Any, PageWatch], live: LiveServer
) -> None:
    tab, watch = page
    [incident] = live.get("/api/incidents", params={"q": "Gharyan"}).json()["items"]
    article_id = incident["claims"][0]["event_id"]
    event = live.get(f"/api/events/{article_id}").json()
    pages = {
        "incident": f"/incidents/{incident['id']}",
        "article": f"/articles/{event['article_id']}",
        "articles": "/articles",
        "review": "/review",
        "map": "/?q=Gharyan",
    }
    for name, path in pages.items():
        tab.goto(live.base + path)
        tab.wait_for_load_state("networkidle")
        if name == "map":
            _ready(tab)
            tab.locator(".incident-marker").first.click()
            tab.wait_for_selector(".leaflet-popup-content")
        text = tab.inner_text("main")
        if name in ("incident", "article"):
            assert "<script>alert(1)</script>" in text, name
            assert "<img src=x onerror=alert(1)>" in text, name
        if name in ("article", "articles"):
            assert "Shelling in Gharyan <script>alert(1)</script>" in text, name
        assert tab.locator("main img").count() == 0, name
        assert tab.locator("main script").count() == 0, name
        _shot(tab, f"xss-{name}")
    assert watch.dialogs == []
    watch.assert_clean()
