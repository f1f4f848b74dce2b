"""The monitoring workspace with real sign-in, over the processed seed pages, on a real uvicorn on
127.0.0.1: every role against every write endpoint, and a supervisor confirming the Tripoli port
violation in Debian's chromium, seen in the audit log (screenshots in ``test-artifacts/workspace``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ceasefire.config import load_settings
from ceasefire.domain.users import Role
from ceasefire.services.auth import Auth
from ceasefire.storage import Store, create_engine_for
from tests.e2e.browser import LiveServer, PageWatch, artifacts_dir, chromium, live_app

pytestmark = [pytest.mark.seeds, pytest.mark.network]

PASSWORD = "a long passphrase for tests"
ROLES = ("anonymous", "viewer", "analyst", "supervisor", "admin")
Request = tuple[str, str, dict[str, Any]]  # method, path, httpx keyword arguments


def _copy(seeded_url: str, target: Path) -> str:
    """A private copy of the processed seed database (SQLite's backup API: WAL-safe)."""
    source = sqlite3.connect(seeded_url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


def _tokens(url: str) -> dict[str, str]:
    """One user per role and an API token for each."""
    store = Store(create_engine_for(url))
    auth = Auth(store, load_settings(database_url=url))
    tokens = {}
    for role in Role:
        auth.add_user(role.value, role, PASSWORD)
        tokens[role.value] = auth.create_token(role.value, "tests").token
    store.engine.dispose()
    return tokens


@pytest.fixture
def workspace(seeded_url: str, tmp_path: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    url = _copy(seeded_url, tmp_path / "workspace.db")
    tokens = _tokens(url)
    with live_app(url, viewer=None, analyst=None) as server:
        yield server, tokens


def _as(server: LiveServer, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server.base, headers=headers, timeout=60)


def _incidents(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/incidents", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _port(client: httpx.Client) -> dict[str, Any]:
    found = _incidents(
        client, **{"from": "2020-02-18", "to": "2020-02-18", "type": "Explosions/Remote violence"}
    )
    [port] = [i for i in found if (i["location"] or {}).get("name") == "Tripoli"]
    return port


def _two(client: httpx.Client) -> tuple[str, str]:
    found = [i["id"] for i in _incidents(client) if i["status"] != "rejected"]
    return found[0], found[1]


def _write_requests(admin: httpx.Client) -> list[tuple[str, Role, Callable[[], Request]]]:
    """Every write endpoint, the least role it needs, and how to build a valid request (built
    when it is sent, from the data as it is then)."""

    def review(action: str, **extra: Any) -> Callable[[], Request]:
        def build() -> Request:
            first, second = _two(admin)
            if action == "reopen":  # an incident a human decided before
                decided = [i for i in _incidents(admin) if i["status"] in ("verified", "rejected")]
                first = decided[0]["id"] if decided else first  # (refused roles decided none)
            body: dict[str, Any] = {"action": action, "reason": "checked by tests", **extra}
            if action == "merge":
                body["other"] = second
            if action == "split":
                merged = admin.post(
                    f"/api/incidents/{first}/review",
                    json={"action": "merge", "other": second, "reason": "setup"},
                ).json()["incident"]
                first = merged["id"]
                body["events"] = merged["events"][:1]
            return "POST", f"/api/incidents/{first}/review", {"json": body}

        return build

    def violation(action: str) -> Callable[[], Request]:
        def build() -> Request:
            port = _port(admin)["id"]
            path = f"/api/incidents/{port}/violations/moscow_ankara_truce/truce_cease_hostilities"
            return "POST", path, {"json": {"action": action, "reason": "checked by tests"}}

        return build

    def form(action: str) -> Callable[[], Request]:
        def build() -> Request:
            first, _second = _two(admin)
            data = {"action": action, "reason": "checked by tests"}
            return "POST", f"/incidents/{first}/review", {"data": data}

        return build

    def violation_form() -> Request:
        port = _port(admin)["id"]
        path = f"/incidents/{port}/violations/moscow_ankara_truce/truce_cease_hostilities"
        return "POST", path, {"data": {"action": "dismiss", "reason": "checked by tests"}}

    def upload() -> Request:
        files = {"file": ("note.txt", b"Rockets hit the port of Tripoli on Tuesday.", "text/plain")}
        return "POST", "/api/uploads", {"files": files}

    def ingest_url() -> Request:
        # a private address: refused by the fetcher, reported in the summary (no network)
        return "POST", "/api/ingest-url", {"json": {"url": "http://127.0.0.1:9/nothing"}}

    def override() -> Request:
        body = {"status": "partly_met", "reason": "JMC count"}
        return "POST", "/api/commitments/geneva_foreign_fighters_out/override", {"json": body}

    return [
        ("upload", Role.ANALYST, upload),
        ("ingest-url", Role.ANALYST, ingest_url),
        ("assign", Role.ANALYST, review("assign")),
        ("unassign", Role.ANALYST, review("unassign")),
        ("confirm", Role.ANALYST, review("confirm")),
        ("reject", Role.ANALYST, review("reject")),
        ("reopen", Role.ANALYST, review("reopen")),
        ("edit", Role.ANALYST, review("edit", field="fatalities", value=3)),
        ("merge", Role.ANALYST, review("merge")),
        ("split", Role.ANALYST, review("split")),
        ("confirm form", Role.ANALYST, form("confirm")),
        ("confirm violation", Role.SUPERVISOR, violation("confirm")),
        ("dismiss violation", Role.SUPERVISOR, violation("dismiss")),
        ("reopen violation", Role.SUPERVISOR, violation("reopen")),
        ("violation form", Role.SUPERVISOR, violation_form),
        ("override commitment", Role.SUPERVISOR, override),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_write_endpoint_checks_the_role(
    workspace: tuple[LiveServer, dict[str, str]], role: str
) -> None:
    server, tokens = workspace
    admin = _as(server, tokens["admin"])
    client = _as(server, tokens.get(role))
    checked = []
    with admin, client:
        for name, needed, build in _write_requests(admin):
            method, path, kwargs = build()
            response = client.request(method, path, follow_redirects=False, **kwargs)
            if role == "anonymous":
                expected = {401}
            elif Role(role).allows(needed):
                expected = {200, 303}  # JSON answers, or the form's redirect
            else:
                expected = {403}
            assert response.status_code in expected, (role, name, response.text[:300])
            checked.append(name)
        assert len(checked) == 16
        history = admin.get("/api/reviews", params={"target_id": _port(admin)["id"]}).json()
        if role in ("supervisor", "admin"):
            assert {r["user"] for r in history["items"]} >= {role}
        elif role in ("anonymous", "viewer"):
            assert history["items"] == []  # refused writes leave no trace


def test_a_cookie_session_needs_its_csrf_token_for_review_writes(
    workspace: tuple[LiveServer, dict[str, str]],
) -> None:
    server, _tokens = workspace
    with httpx.Client(base_url=server.base, timeout=60) as browser:
        login = browser.post("/api/session", json={"username": "analyst", "password": PASSWORD})
        assert login.status_code == 200
        csrf = login.json()["csrf_token"]
        first = _incidents(browser)[0]["id"]
        body = {"action": "confirm", "reason": "csrf check"}
        refused = browser.post(f"/api/incidents/{first}/review", json=body)
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        done = browser.post(
            f"/api/incidents/{first}/review", json=body, headers={"X-CSRF-Token": csrf}
        )
        assert done.status_code == 200 and done.json()["incident"]["status"] == "verified"


def _shot(tab: Any, name: str) -> None:
    folder = artifacts_dir().parent / "workspace"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_a_supervisor_confirms_the_port_violation_and_sees_it_in_the_audit_log(
    workspace: tuple[LiveServer, dict[str, str]],
) -> None:
    server, _tokens = workspace
    with chromium() as browser:
        tab = browser.new_page()
        watch = PageWatch(tab, server.base)
        tab.goto(server.base + "/")
        assert tab.locator('a[href^="/login"]').count() >= 1  # not signed in: offered a log-in
        tab.goto(server.base + "/login")
        tab.fill("#username", "supervisor")
        tab.fill("#password", PASSWORD)
        _shot(tab, "01-login")
        tab.click("button[type=submit]")
        tab.wait_for_selector("#map[data-state=ready]", timeout=15_000)
        assert tab.text_content("#username") == "supervisor"
        assert int(tab.get_attribute("#map", "data-loaded")) > 0
        _shot(tab, "02-map")

        tab.fill("#f-from", "2020-02-18")
        tab.fill("#f-to", "2020-02-19")
        tab.click("#f-apply")
        tab.wait_for_url("**/?*from=2020-02-18*")
        tab.wait_for_selector("#map[data-state=ready]", timeout=15_000)
        _shot(tab, "03-map-18-19-feb-2020")

        with _as(server, _tokens["viewer"]) as reader:
            port_id = _port(reader)["id"]
        tab.click(f'#incident-table tr[data-incident="{port_id}"] a')
        tab.wait_for_selector("#incident")
        articles = tab.locator(".source-article")
        assert articles.count() == 2
        for index in range(2):
            assert articles.nth(index).locator("mark.evidence").count() >= 1
        _shot(tab, "04-incident-tripoli-port")

        decision = tab.locator('form.violation-decision[data-term="truce_cease_hostilities"]')
        decision.locator("input[name=reason]").fill("Two independent sources; LNA fire on the port")
        decision.locator("button.confirm-violation").click()
        tab.wait_for_selector("#audit-log")
        entry = tab.locator('#audit-log .audit-entry[data-action="confirm_violation"]')
        assert entry.count() == 1
        assert "supervisor" in entry.text_content()
        assert "Two independent sources" in entry.text_content()
        assert "confirmed" in tab.text_content("#assessments")
        _shot(tab, "05-violation-confirmed-audit-log")
        watch.assert_clean()
        tab.close()


def test_exports_through_the_product_app_need_sign_in_and_follow_the_role(
    workspace: tuple[LiveServer, dict[str, str]],
) -> None:
    server, tokens = workspace
    with _as(server, None) as anonymous:
        assert anonymous.get("/api/exports/acled-csv").status_code == 401
    with _as(server, tokens["admin"]) as admin:
        first = _incidents(admin)[0]["id"]
        rejected = admin.post(
            f"/api/incidents/{first}/review", json={"action": "reject", "reason": "test"}
        )
        assert rejected.status_code == 200
        analyst_rows = admin.get("/api/exports/jsonl", params={"all": "true"}).text.splitlines()
    with _as(server, tokens["viewer"]) as viewer:
        csv_export = viewer.get("/api/exports/acled-csv")
        assert csv_export.status_code == 200
        assert csv_export.text.startswith("event_id_cnty,event_date,year,time_precision")
        assert "content-security-policy" in csv_export.headers
        viewer_rows = viewer.get("/api/exports/jsonl", params={"all": "true"}).text.splitlines()
    assert first in "".join(analyst_rows) and first not in "".join(viewer_rows)
    assert len(viewer_rows) == len(analyst_rows) - 1
