"""The API under concurrent clients: ``ceasefire serve`` (a real uvicorn on 127.0.0.1) over
5,000 synthetic incidents (``benchmarks/synthetic.py``), 4 clients sending 200 requests of the
dashboard's mix with an API token. Every response must be a 200 and equal what the same request
returned alone before the load began, and those answers must hold the totals counted here
with plain SQL. This checks behaviour under concurrency, not speed: the latency and throughput
numbers are ``benchmarks/api_bench.py``'s (see ``benchmarks/README.md``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from benchmarks.api_bench import bearer_token, client, load, mix, prepare, serve
from sqlalchemy import Engine, and_, func, or_, select

from ceasefire.api.read import MAP_POINTS
from ceasefire.storage.tables import build_metadata

pytestmark = pytest.mark.network

COUNT = 5000
CLIENTS = 4
REQUESTS = 200
QUERIES = mix(filtered_offset=10, deep_offset=COUNT - 30)


def _expected(engine: Engine) -> dict[str, dict[str, int]]:
    """Totals of each filtered request, counted with plain SQL: all matches, the dated ones
    (the timeline's sum) and the located ones (the map's points, up to ``MAP_POINTS``)."""
    incidents = build_metadata().tables["incidents"]
    c = incidents.c
    with engine.connect() as conn:
        war = and_(c.date_end >= date(2019, 4, 1), c.date_start <= date(2020, 6, 30))
        tripoli = and_(
            c.event_type == "Explosions/Remote violence",
            c.lon.between(12.8, 13.6),
            c.lat.between(32.6, 33.0),
        )
        east = and_(
            war, c.status == "corroborated", or_(c.actor1_side == "east", c.actor2_side == "east")
        )

        def counts(*where: Any) -> dict[str, int]:
            def n(*more: Any) -> int:
                query = select(func.count()).select_from(incidents).where(*where, *more)
                return int(conn.execute(query).scalar_one())

            return {
                "total": n(),
                "dated": n(c.date_start.is_not(None)),
                "located": n(c.lat.is_not(None)),
            }

        return {
            **{f"{kind}, no filter": counts() for kind in ("map", "timeline")},
            **{f"{kind}, date range": counts(war) for kind in ("map", "timeline")},
            **{f"{kind}, bbox + type": counts(tripoli) for kind in ("map", "timeline")},
            "list, first page": counts(),
            "list, filtered page": counts(east),
            "list, deep page": counts(),
        }


def _check_alone(name: str, data: dict[str, Any], expected: dict[str, int]) -> None:
    if name.startswith("map"):
        assert len(data["points"]) == min(MAP_POINTS, expected["located"]), name
        assert data["truncated"] == (expected["located"] > MAP_POINTS), name
        return
    assert data["total"] == expected["total"], name
    if name.startswith("timeline"):
        assert sum(bucket["count"] for bucket in data["counts"]) == expected["dated"], name
    elif name == "list, deep page":
        assert len(data["items"]) == 30
    else:
        assert len(data["items"]) == min(50, expected["total"] - data["offset"]), name


def test_concurrent_clients_get_every_answer_right(database_url: str, tmp_path: Path) -> None:
    store, ids = prepare(database_url, COUNT, reuse=False)
    token = bearer_token(store, database_url)
    expected = _expected(store.engine)
    store.engine.dispose()
    assert expected["timeline, no filter"]["total"] == COUNT
    assert 0 < expected["list, filtered page"]["total"] < expected["map, date range"]["total"]
    with serve(database_url, tmp_path / "server.log") as base:
        alone: dict[str, bytes] = {}
        with client(base, token) as http:
            for name, path in QUERIES[:-1]:
                response = http.get(path)
                assert response.status_code == 200, (name, response.text[:500])
                alone[name] = response.content
                if name in expected:
                    _check_alone(name, response.json(), expected[name])

        def same_as_alone(name: str, response: httpx.Response) -> str | None:
            if name == "incident page":
                page = response.headers["content-type"].startswith("text/html")
                return None if page and response.url.path.rsplit("/", 1)[1] in ids else "page"
            return None if response.content == alone[name] else f"{name}: different answer"

        outcome = load(base, token, ids, CLIENTS, 240, REQUESTS, QUERIES, same_as_alone)
    assert dict(outcome.statuses) == {"200": REQUESTS}
    assert outcome.errors == 0
