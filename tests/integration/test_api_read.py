"""The read API against a real uvicorn on 127.0.0.1, over the seed pages ingested and processed:
filters, pagination, incident detail, security headers, size limits and refusals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ceasefire.api.middleware import CONTENT_SECURITY_POLICY
from ceasefire.pipeline.fusion.match import distance_km
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.incidents import IncidentRepository
from tests.e2e.browser import XSS_MARKUP, LiveServer, live_app, seeded_database

pytestmark = [pytest.mark.seeds, pytest.mark.network]
TRIPOLI = (32.8872, 13.1913)
UPLOAD_LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def seeded_url(
    tmp_path_factory: pytest.TempPathFactory,
    seeds_dir: Path,
    extractor: Any,
) -> str:
    folder = tmp_path_factory.getbasetemp() / "dashboard"
    folder.mkdir(exist_ok=True)
    return seeded_database(folder, seeds_dir, extractor)


@pytest.fixture(scope="module")
def server(seeded_url: str) -> Iterator[LiveServer]:
    with live_app(seeded_url, max_file_bytes=UPLOAD_LIMIT) as live:
        yield live


def _km(lat: float, lon: float, other: tuple[float, float]) -> float:
    return distance_km(lat, lon, *other)


def _incidents(server: LiveServer, **params: Any) -> dict[str, Any]:
    response = server.get("/api/incidents", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _port_attack(server: LiveServer) -> dict[str, Any]:
    found = _incidents(
        server, **{"from": "2020-02-18", "to": "2020-02-18", "type": "Explosions/Remote violence"}
    )["items"]
    port = [
        i
        for i in found
        if i["location"] and _km(i["location"]["lat"], i["location"]["lon"], TRIPOLI) <= 25
    ]
    assert len(port) == 1, found
    return port[0]


def test_date_filter_and_totals(server: LiveServer, seeded_url: str) -> None:
    data = _incidents(server, **{"from": "2020-02-18", "to": "2020-02-19"})
    assert data["total"] == len(data["items"]) > 0
    for item in data["items"]:
        assert item["date"] <= "2020-02-19" and item["date_end"] >= "2020-02-18"
    everything = _incidents(server)
    repo = IncidentRepository(Store(create_engine_for(seeded_url)))
    assert everything["total"] == repo.count() > data["total"]


def test_bbox_filter(server: LiveServer) -> None:
    around_tripoli = _incidents(server, bbox="12.9,32.6,13.5,33.1")
    assert around_tripoli["total"] > 0
    for item in around_tripoli["items"]:
        assert 12.9 <= item["location"]["lon"] <= 13.5
        assert 32.6 <= item["location"]["lat"] <= 33.1
    port = _port_attack(server)
    assert port["id"] in {i["id"] for i in around_tripoli["items"]}
    geneva = _incidents(server, bbox="5.9,46.0,6.4,46.4")
    assert port["id"] not in {i["id"] for i in geneva["items"]}
    assert server.get("/api/incidents", params={"bbox": "1,2,3"}).status_code == 422
    assert server.get("/api/incidents", params={"bbox": "20,10,10,20"}).status_code == 422


def test_type_actor_side_and_status_filters(server: LiveServer) -> None:
    shelling = _incidents(server, type="Explosions/Remote violence")
    assert shelling["total"] > 0
    assert {i["event_type"] for i in shelling["items"]} == {"Explosions/Remote violence"}
    lna = _incidents(server, actor="lna")
    assert lna["total"] > 0
    for item in lna["items"]:
        assert "lna" in {(item["actor1"] or {}).get("id"), (item["actor2"] or {}).get("id")}
    east = _incidents(server, side="east")
    assert east["total"] > 0
    for item in east["items"]:
        assert "east" in {(item["actor1"] or {}).get("side"), (item["actor2"] or {}).get("side")}
    corroborated = _incidents(server, status="corroborated")
    assert corroborated["total"] > 0
    assert {i["status"] for i in corroborated["items"]} == {"corroborated"}
    assert _incidents(server, status="verified")["total"] == 0


def test_free_text_searches_the_evidence(server: LiveServer) -> None:
    port = _port_attack(server)
    found = _incidents(server, q="Turkish ship")
    assert port["id"] in {i["id"] for i in found["items"]}
    for item in found["items"]:
        assert any("turkish ship" in c["text"].lower() for c in item["claims"])
    assert _incidents(server, q="no such words anywhere")["total"] == 0
    assert _incidents(server, q="100%_")["total"] == 0  # LIKE wildcards are literal


def test_pagination_is_stable_and_counts_every_match(server: LiveServer) -> None:
    whole = server.get("/api/incidents", params={"limit": 6}).json()
    first = server.get("/api/incidents", params={"limit": 3, "offset": 0}).json()
    second = server.get("/api/incidents", params={"limit": 3, "offset": 3}).json()
    assert whole["total"] == first["total"] == second["total"] >= 6
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in whole["items"]]
    assert (first["limit"], second["offset"]) == (3, 3)
    assert server.get("/api/incidents", params={"limit": 0}).status_code == 422
    assert server.get("/api/incidents", params={"limit": 501}).status_code == 422


def test_incident_detail_has_claims_evidence_sources_and_assessments(server: LiveServer) -> None:
    port = _port_attack(server)
    detail = server.get(f"/api/incidents/{port['id']}").json()
    assert detail["status"] == "corroborated" and detail["independent_sources"] == 2
    assert detail["claims"] and all(c["text"] for c in detail["claims"])
    assert len(detail["articles"]) == 2
    assert len(detail["sources"]) == 2  # two independent origins
    for event in detail["event_details"]:
        assert event["article_id"] in detail["articles"]
        article = server.get(f"/api/articles/{event['article_id']}").json()
        evidence = event["evidence"]
        assert article["text"][evidence["start"] : evidence["end"]] == evidence["text"]
        assert event["incident_id"] == port["id"]
    truce = [a for a in detail["assessments"] if a["agreement"] == "moscow_ankara_truce"]
    assert truce and truce[0]["party"] == "lna" and truce[0]["determination"] == "corroborated"
    assert truce[0]["rationale"]
    assert server.get("/api/incidents/nope").status_code == 404


def test_documents_articles_and_events(server: LiveServer) -> None:
    documents = server.get("/api/documents").json()
    assert documents["total"] == 6  # five seed pages and the markup record
    assert all("raw" not in d and d["articles"] >= 1 for d in documents["items"])
    articles = server.get("/api/articles", params={"limit": 100}).json()
    assert articles["total"] == 8
    events = server.get("/api/events", params={"limit": 500}).json()
    assert events["total"] == len(events["items"]) > 0
    one = events["items"][0]
    assert server.get(f"/api/events/{one['id']}").json() == one
    by_article = server.get("/api/events", params={"article": one["article_id"]}).json()
    assert {e["article_id"] for e in by_article["items"]} == {one["article_id"]}
    assert server.get("/api/events/nope").status_code == 404
    article = server.get(f"/api/articles/{one['article_id']}").json()
    assert one["id"] in {e["id"] for e in article["events"]}


def test_agreements_assessments_and_commitments(server: LiveServer) -> None:
    agreements = server.get("/api/agreements").json()
    ids = {a["id"] for a in agreements["items"]}
    assert {"moscow_ankara_truce", "geneva_ceasefire_agreement"} <= ids
    truce = server.get("/api/assessments", params={"agreement": "moscow_ankara_truce"}).json()
    assert truce["total"] > 0 and {a["agreement"] for a in truce["items"]} == {
        "moscow_ankara_truce"
    }
    by_lna = server.get("/api/assessments", params={"party": "lna", "limit": 1}).json()
    assert len(by_lna["items"]) == 1 and by_lna["total"] >= 1
    states = server.get("/api/commitments", params={"as_of": "2021-02-01"}).json()
    fighters = {c["term"]: c for c in states["items"]}["geneva_foreign_fighters_out"]
    assert (fighters["due"], fighters["status"]) == ("2021-01-23", "overdue")
    early = server.get("/api/commitments", params={"as_of": "2021-01-10"}).json()
    assert {c["term"]: c for c in early["items"]}["geneva_foreign_fighters_out"][
        "status"
    ] == "pending"


def test_map_and_timeline_follow_the_filters(server: LiveServer) -> None:
    days = {"from": "2020-02-18", "to": "2020-02-19"}
    data = server.get("/api/map", params=days).json()
    listed = _incidents(server, **days)
    located = [i for i in listed["items"] if i["location"]]
    assert {p["id"] for p in data["points"]} == {i["id"] for i in located}
    assert data["truncated"] is False
    timeline = server.get("/api/timeline", params=days).json()
    assert timeline["total"] == listed["total"]
    assert timeline["bucket"] == "day"
    dated = Counter((i["date"], i["event_type"]) for i in listed["items"] if i["date"])
    assert {(c["start"], c["type"]): c["count"] for c in timeline["counts"]} == dated


@pytest.mark.parametrize(
    "path", ["/api/incidents", "/", "/docs", "/static/css/app.css", "/api/nothing", "/api/health"]
)
def test_security_headers_on_every_response(server: LiveServer, path: str) -> None:
    response = server.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_docs_are_served_from_this_machine(server: LiveServer) -> None:
    page = server.get("/docs")
    assert page.status_code == 200
    assert "http" not in page.text.replace("http-equiv", "")  # no absolute URL at all
    assert "<script>" not in page.text  # no inline script
    for asset in ("/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css"):
        assert asset in page.text and server.get(asset).status_code == 200
    assert server.get("/openapi.json").json()["paths"]["/api/incidents"]


def test_uploads_url_ingestion_and_size_limits(server: LiveServer) -> None:
    text = b"Clashes in Zawiya\n\nClashes broke out in Zawiya on Friday, residents said.\n"
    uploaded = server.post(
        "/api/uploads",
        files={"file": ("../../etc/zawiya report.txt", text, "text/plain")},
        data={"source": "Field team", "published": "2020-02-21", "kind": "field"},
    )
    assert uploaded.status_code == 200, uploaded.text
    summary = uploaded.json()
    assert (summary["documents_new"], summary["articles_new"], summary["ok"]) == (1, 1, True)
    again = server.post("/api/uploads", files={"file": ("zawiya.txt", text, "text/plain")})
    assert again.json()["documents_duplicate"] == 1
    too_big = server.post(
        "/api/uploads", files={"file": ("big.txt", b"x" * (UPLOAD_LIMIT + 100_000), "text/plain")}
    )
    assert too_big.status_code == 413
    assert too_big.json()["error"] == "too_large"
    just_over = server.post(
        "/api/uploads", files={"file": ("big.txt", b"x" * (UPLOAD_LIMIT + 10), "text/plain")}
    )
    assert just_over.status_code == 413
    oversized_json = server.post("/api/ingest-url", content=b"{" + b" " * 2_000_000 + b"}")
    assert oversized_json.status_code == 413
    binary = server.post("/api/uploads", files={"file": ("x.exe", b"MZ", "application/x-dos")})
    assert binary.status_code == 415
    private = server.post("/api/ingest-url", json={"url": "http://127.0.0.1:9/report"})
    assert private.status_code == 200
    refused = private.json()
    assert refused["ok"] is False and refused["dropped_items"][0]["item"].startswith("http://")
    assert server.post("/api/ingest-url", json={"url": "file:///etc/passwd"}).status_code == 422


def test_pages_escape_ingested_markup(server: LiveServer) -> None:
    [markup] = _incidents(server, q="Gharyan")["items"]
    for path in (f"/incidents/{markup['id']}", "/articles", "/review", "/"):
        page = server.get(path)
        assert page.status_code == 200, path
        for raw in XSS_MARKUP:
            assert raw not in page.text, path
    incident_page = server.get(f"/incidents/{markup['id']}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in incident_page
    assert '<mark class="evidence"' in incident_page


def test_everything_but_health_and_docs_refuses_anonymous_readers(seeded_url: str) -> None:
    with live_app(seeded_url, viewer=None, analyst=None) as bare:
        assert bare.get("/api/health").status_code == 200
        assert bare.get("/docs").status_code == 200
        for path in ("/api/incidents", "/api/documents", "/api/map", "/api/commitments"):
            response = bare.get(path)
            assert response.status_code == 401, path
            assert response.json()["error"] == "unauthenticated"
        page = bare.get("/incidents/anything", headers={"Accept": "text/html"})
        assert page.status_code == 401
        assert 'href="/login?next=/incidents/anything"' in page.text and "Log in" in page.text
        upload = bare.post("/api/uploads", files={"file": ("a.txt", b"x", "text/plain")})
        assert upload.status_code == 401
        assert bare.post("/api/ingest-url", json={"url": "https://example.org/"}).status_code == 401
