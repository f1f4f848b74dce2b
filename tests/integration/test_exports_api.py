"""``GET /api/exports/{format}`` streamed by a real uvicorn on 127.0.0.1, for the caller's role."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import update

from ceasefire.api.exports import build_export_api
from ceasefire.api.views import ReadContext
from ceasefire.domain.users import Role, User
from ceasefire.errors import CeasefireError
from ceasefire.exports.acled import ACLED_COLUMNS
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.search import ExportQueries
from tests.e2e.browser import LiveServer
from tests.integration.test_exports import seeded_file  # noqa: F401  (the fixture)


def who(request: Request) -> User:
    """The test viewer dependency: the role named by the ``X-Test-Role`` header."""
    return User(1, "test", Role(request.headers.get("x-test-role", "viewer")))


@pytest.fixture
def server(seeded_file: Path, tmp_path: Path) -> Iterator[tuple[LiveServer, Store]]:  # noqa: F811
    path = tmp_path / "api.db"
    shutil.copy(seeded_file, path)
    store = Store(create_engine_for(f"sqlite:///{path}"))
    app = FastAPI()

    @app.exception_handler(CeasefireError)
    async def _error(request: Request, exc: CeasefireError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "detail": str(exc)}, status_code=400)

    app.include_router(build_export_api(ReadContext(store), who))
    with LiveServer(app) as live:
        yield live, store
    store.engine.dispose()


def test_each_format_streams_with_its_type_and_file_name(
    server: tuple[LiveServer, Store],
) -> None:
    live, _ = server
    expected = {
        "acled-csv": ("text/csv", ".csv"),
        "geojson": ("application/geo+json", ".geojson"),
        "jsonl": ("application/x-ndjson", ".jsonl"),
        "plover": ("application/x-ndjson", ".plover.jsonl"),
    }
    for name, (media, extension) in expected.items():
        with httpx.stream("GET", f"{live.base}/api/exports/{name}", timeout=30) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith(media)
            disposition = response.headers["content-disposition"]
            assert disposition.startswith("attachment;") and f'{extension}"' in disposition
            assert response.headers.get("transfer-encoding") == "chunked"  # streamed
            body = "".join(response.iter_text())
        if name == "acled-csv":
            header = next(csv.reader(io.StringIO(body)))
            assert tuple(header[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
        elif name == "geojson":
            assert json.loads(body)["type"] == "FeatureCollection"
        else:
            assert all(json.loads(line)["id"] for line in body.splitlines())


def test_pages_follow_the_next_cursor_header(server: tuple[LiveServer, Store]) -> None:
    live, _ = server
    whole = [json.loads(x)["id"] for x in live.get("/api/exports/jsonl").text.splitlines()]
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 10}
    for _ in range(50):
        response = live.get("/api/exports/jsonl", params=params)
        assert response.status_code == 200
        seen += [json.loads(x)["id"] for x in response.text.splitlines()]
        cursor = response.headers.get("x-next-cursor")
        if not cursor:
            break
        params = {"limit": 10, "cursor": cursor}
    assert seen == whole and len(whole) > 10
    assert live.get("/api/exports/jsonl", params={"cursor": "junk"}).status_code == 400
    assert live.get("/api/exports/xml").status_code == 422


def test_the_callers_role_decides_what_is_exported(server: tuple[LiveServer, Store]) -> None:
    live, store = server
    queries = ExportQueries(store)
    target = sorted(i.id for i in queries.find() if i.family == "violence")[0]
    with store.engine.begin() as conn:
        conn.execute(
            update(queries.incidents)
            .where(queries.incidents.c.id == target)
            .values(status="rejected")
        )
    for name in ("acled-csv", "geojson", "jsonl", "plover"):
        viewer = live.get(f"/api/exports/{name}").text
        analyst = live.get(f"/api/exports/{name}", headers={"X-Test-Role": "analyst"}).text
        assert target not in viewer and target[:16].upper() not in viewer
        assert target in analyst
    since = live.get("/api/exports/jsonl").headers["x-export-since"]
    assert live.get("/api/exports/jsonl", params={"since": since}).text == ""
