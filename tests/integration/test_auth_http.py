"""Authentication over HTTP against a real uvicorn on 127.0.0.1: cookies, CSRF, bearer tokens,
roles, throttling and the login form. The role checks run on a small router built here from the
product's dependencies (no test endpoints in the product)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI

from ceasefire.api.app import create_app
from ceasefire.api.security import CurrentUser, require
from ceasefire.config import Settings
from ceasefire.domain.users import Role, User
from ceasefire.services.auth import Auth
from ceasefire.storage import Store
from tests.e2e.browser import LiveServer
from tests.integration.test_auth_service import PASSWORD, fast_settings


def _probe_router() -> APIRouter:
    router = APIRouter()

    @router.post("/probe/supervisor")
    def supervisor_write(user: Annotated[User, Depends(require(Role.SUPERVISOR))]) -> Any:
        return {"user": user.username, "role": user.role.value}

    @router.delete("/probe/supervisor")
    def supervisor_delete(user: Annotated[User, Depends(require(Role.SUPERVISOR))]) -> Any:
        return {"user": user.username}

    @router.get("/probe/viewer")
    def viewer_read(user: Annotated[User, Depends(require(Role.VIEWER))]) -> Any:
        return {"user": user.username}

    @router.get("/probe/anyone")
    def anyone(user: CurrentUser) -> Any:
        return {"user": user.username}

    return router


@pytest.fixture
def served(store: Store) -> Iterator[tuple[str, Auth, Settings]]:
    """The product app plus the probe router, on a real uvicorn in a thread."""
    settings = fast_settings(store.engine.url.render_as_string(False))
    app: FastAPI = create_app(settings)
    app.include_router(_probe_router())
    with LiveServer(app) as live:
        yield live.base, app.state.auth, settings


def _login(base: str, username: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=10)
    response = client.post("/api/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def test_json_login_sets_a_strict_httponly_cookie(served: tuple[str, Auth, Settings]) -> None:
    base, auth, _ = served
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    response = httpx.post(f"{base}/api/session", json={"username": "amal", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "id": body["user"]["id"],
        "username": "amal",
        "role": "analyst",
        "must_change_password": False,
    }
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ceasefire_session=")
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    assert "secure" not in attributes  # the default server is plain http://127.0.0.1
    token = cookie.split(";")[0].split("=", 1)[1]
    assert body["csrf_token"] and body["csrf_token"] != token
    me = httpx.get(f"{base}/api/me", cookies={"ceasefire_session": token})
    assert me.json()["user"]["username"] == "amal" and me.json()["via"] == "session"


def test_wrong_passwords_fail_and_throttling_answers_429_with_retry_after(
    served: tuple[str, Auth, Settings],
) -> None:
    base, auth, _ = served
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    for _ in range(5):
        wrong = httpx.post(f"{base}/api/session", json={"username": "amal", "password": "nope"})
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "unauthenticated"
        assert "set-cookie" not in wrong.headers
    throttled = httpx.post(f"{base}/api/session", json={"username": "amal", "password": PASSWORD})
    assert throttled.status_code == 429
    assert throttled.json()["error"] == "throttled"
    assert 0 < int(throttled.headers["retry-after"]) <= 15 * 60
    form = httpx.get(f"{base}/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    page = httpx.post(
        f"{base}/login",
        data={"username": "amal", "password": PASSWORD, "csrf_token": csrf.group(1)},
        cookies=form.cookies,
    )
    assert page.status_code == 429 and int(page.headers["retry-after"]) > 0
    assert "Too many failed logins" in page.text


def test_cookie_writes_need_the_csrf_token(served: tuple[str, Auth, Settings]) -> None:
    base, auth, _ = served
    auth.add_user("sara", Role.SUPERVISOR, PASSWORD)
    client, csrf = _login(base, "sara")
    with closing(client):
        assert client.get("/probe/viewer").status_code == 200  # reads need no token
        missing = client.post("/probe/supervisor")
        assert missing.status_code == 403 and "CSRF" in missing.json()["detail"]
        wrong = client.post("/probe/supervisor", headers={"X-CSRF-Token": csrf[:-1] + "x"})
        assert wrong.status_code == 403
        assert client.delete("/probe/supervisor").status_code == 403
        ok = client.post("/probe/supervisor", headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200 and ok.json() == {"user": "sara", "role": "supervisor"}
        form = client.post("/probe/supervisor", data={"csrf_token": csrf})
        assert form.status_code == 200
        assert client.post("/probe/supervisor", data={"csrf_token": "nope"}).status_code == 403
        deleted = client.delete("/probe/supervisor", headers={"X-CSRF-Token": csrf})
        assert deleted.status_code == 200


def test_bearer_tokens_need_no_csrf_and_stop_when_revoked(
    served: tuple[str, Auth, Settings],
) -> None:
    base, auth, _ = served
    auth.add_user("sara", Role.SUPERVISOR, PASSWORD)
    token = auth.create_token("sara", "script").token
    bearer = {"Authorization": f"Bearer {token}"}
    ok = httpx.post(f"{base}/probe/supervisor", headers=bearer)
    assert ok.status_code == 200 and ok.json()["user"] == "sara"
    assert httpx.get(f"{base}/api/me", headers=bearer).json()["via"] == "token"
    auth.revoke_token("sara", "script")
    assert httpx.post(f"{base}/probe/supervisor", headers=bearer).status_code == 401
    assert httpx.get(f"{base}/api/me", headers=bearer).status_code == 401
    basic = httpx.get(f"{base}/api/me", headers={"Authorization": "Basic c2FyYTpwdw=="})
    assert basic.status_code == 401


@pytest.mark.parametrize(
    ("role", "write", "read"),
    [
        (Role.VIEWER, 403, 200),
        (Role.ANALYST, 403, 200),
        (Role.SUPERVISOR, 200, 200),
        (Role.ADMIN, 200, 200),
    ],
)
def test_require_supervisor_by_role(
    served: tuple[str, Auth, Settings], role: Role, write: int, read: int
) -> None:
    base, auth, _ = served
    auth.add_user(f"user-{role.value}", role, PASSWORD)
    token = auth.create_token(f"user-{role.value}").token
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{base}/probe/supervisor", headers=bearer).status_code == write
    assert httpx.get(f"{base}/probe/viewer", headers=bearer).status_code == read
    client, csrf = _login(base, f"user-{role.value}")
    with closing(client):
        by_cookie = client.post("/probe/supervisor", headers={"X-CSRF-Token": csrf})
        assert by_cookie.status_code == write
        if write == 403:
            assert "supervisor" in by_cookie.json()["detail"]


def test_anonymous_requests_get_401(served: tuple[str, Auth, Settings]) -> None:
    base, _, _ = served
    for method, path in (("POST", "/probe/supervisor"), ("GET", "/probe/viewer")):
        response = httpx.request(method, f"{base}{path}")
        assert response.status_code == 401
        assert response.json()["error"] == "unauthenticated"
    assert httpx.get(f"{base}/api/me").status_code == 401
    forged = httpx.get(f"{base}/probe/anyone", cookies={"ceasefire_session": "forged"})
    assert forged.status_code == 401


def test_one_time_password_must_be_changed_before_anything_else(
    served: tuple[str, Auth, Settings],
) -> None:
    base, auth, _ = served
    secret = auth.add_user("admin", Role.ADMIN).one_time_password
    assert secret is not None
    client, csrf = _login(base, "admin", secret)
    with closing(client):
        assert client.get("/api/me").json()["user"]["must_change_password"] is True
        assert client.get("/probe/anyone").status_code == 200
        blocked = client.post("/probe/supervisor", headers={"X-CSRF-Token": csrf})
        assert blocked.status_code == 403 and "one-time password" in blocked.json()["detail"]
        change = {"old_password": secret, "new_password": PASSWORD}
        assert client.post("/api/me/password", json=change).status_code == 403  # no CSRF
        changed = client.post("/api/me/password", json=change, headers={"X-CSRF-Token": csrf})
        assert changed.status_code == 204
        assert client.post("/probe/supervisor", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_logout_ends_the_session_and_disable_or_reset_end_others(
    served: tuple[str, Auth, Settings],
) -> None:
    base, auth, _ = served
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    client, csrf = _login(base, "amal")
    with closing(client):
        cookie = client.cookies["ceasefire_session"]
        assert client.delete("/api/session").status_code == 403  # logout needs CSRF too
        out = client.delete("/api/session", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 204
        assert 'ceasefire_session=""' in out.headers["set-cookie"]
        gone = httpx.get(f"{base}/api/me", cookies={"ceasefire_session": cookie})
        assert gone.status_code == 401
    auth.add_user("sara", Role.ANALYST, PASSWORD)
    for name, end in (("amal", auth.disable), ("sara", auth.reset)):
        client, _ = _login(base, name)
        with closing(client):
            assert client.get("/api/me").status_code == 200
            end(name)
            assert client.get("/api/me").status_code == 401


def test_login_form_has_its_own_csrf_and_redirects(served: tuple[str, Auth, Settings]) -> None:
    base, auth, _ = served
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    with httpx.Client(base_url=base, timeout=10) as client:
        form = client.get("/login")
        assert form.status_code == 200 and 'type="password"' in form.text
        login_cookie = form.headers["set-cookie"].lower()
        assert "httponly" in login_cookie and "samesite=strict" in login_cookie
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        fields = {"username": "amal", "password": PASSWORD}
        forged = client.post("/login", data={**fields, "csrf_token": "forged"})
        assert forged.status_code == 403 and "ceasefire_session" not in client.cookies
        token = re.search(r'name="csrf_token" value="([^"]+)"', forged.text)  # a fresh form
        assert token is not None
        wrong = client.post(
            "/login", data={**fields, "password": "wrong", "csrf_token": token.group(1)}
        )
        assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text)
        assert token is not None
        done = client.post("/login", data={**fields, "csrf_token": token.group(1)})
        assert done.status_code == 303 and done.headers["location"] == "/"
        assert client.get("/api/me").status_code == 200
        csrf = client.get("/api/me").json()["csrf_token"]
        assert client.post("/logout").status_code == 403
        out = client.post("/logout", data={"csrf_token": csrf})
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert client.get("/api/me").status_code == 401


def test_form_login_with_a_one_time_password_leads_to_the_password_page(
    served: tuple[str, Auth, Settings],
) -> None:
    base, auth, _ = served
    secret = auth.add_user("admin", Role.ADMIN).one_time_password
    assert secret is not None
    with httpx.Client(base_url=base, timeout=10) as client:
        form = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        data = {"username": "admin", "password": secret, "csrf_token": token.group(1)}
        done = client.post("/login", data=data)
        assert done.status_code == 303 and done.headers["location"] == "/password"
        page = client.get("/password")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        change = {
            "old_password": secret,
            "new_password": PASSWORD,
            "new_password_again": PASSWORD,
        }
        assert client.post("/password", data=change).status_code == 403
        changed = client.post("/password", data={**change, "csrf_token": csrf.group(1)})
        assert changed.status_code == 303 and changed.headers["location"] == "/"
        assert client.get("/api/me").json()["user"]["must_change_password"] is False
