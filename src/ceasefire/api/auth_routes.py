"""Login, logout and "who am I": JSON endpoints for scripts and pages, HTML forms for people.

- ``POST /api/session`` ``{"username", "password"}`` → session cookie, ``{"user", "csrf_token",
  "expires_at"}``. FastAPI only reads JSON bodies sent as ``application/json``, which another site
  cannot send without a CORS preflight, so this login cannot be forged from another origin.
- ``DELETE /api/session`` ends the session (CSRF token needed, like every cookie write).
- ``GET /api/me``: the user, whether they must change their password, and the CSRF token.
- ``POST /api/me/password`` ``{"old_password", "new_password"}``: ends every other session.
- ``GET/POST /login``, ``GET/POST /password``, ``POST /logout``: the same for the browser. The login
  form has no session yet, so it is protected by a double-submit token: a random value in an
  ``HttpOnly; SameSite=Strict`` cookie that the form must repeat.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ceasefire.api.security import (
    CSRF_FIELD,
    clear_cookie,
    clear_session_cookie,
    client_address,
    cookie_name,
    get_auth,
    identity,
    optional_identity,
    same_secret,
    session_token,
    set_cookie,
    set_session_cookie,
)
from ceasefire.domain.users import User
from ceasefire.errors import AuthenticationError, CeasefireError, ThrottledError
from ceasefire.services.auth import MAX_PASSWORD_LENGTH, Identity

LOGIN_CSRF_COOKIE = "ceasefire_login_csrf"
_LOGIN_FORM_AGE = 3600


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class PasswordBody(BaseModel):
    old_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


def user_json(user: User, must_change_password: bool) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role.value,
        "must_change_password": must_change_password,
    }


def auth_router(templates: Jinja2Templates) -> APIRouter:
    """The routes of authentication; the app installs an ``Auth`` with ``security.install``."""
    router = APIRouter()

    # ------------------------------------------------------------------------------ JSON API
    @router.post("/api/session", tags=["auth"])
    def api_login(body: LoginBody, request: Request, response: Response) -> dict[str, Any]:
        auth = get_auth(request)
        new = auth.login(body.username, body.password, client_address(request))
        set_session_cookie(response, auth.settings, new)
        return {
            "user": user_json(new.user, new.must_change_password),
            "csrf_token": new.csrf_token,
            "expires_at": new.expires_at.isoformat(),
        }

    @router.delete("/api/session", status_code=204, tags=["auth"])
    def api_logout(request: Request, _who: Annotated[Identity, Depends(identity)]) -> Response:
        auth = get_auth(request)
        auth.logout(session_token(request) or "")
        response = Response(status_code=204)
        clear_session_cookie(response, auth.settings)
        return response

    @router.get("/api/me", tags=["auth"])
    def api_me(who: Annotated[Identity, Depends(identity)]) -> dict[str, Any]:
        return {
            "user": user_json(who.user, who.must_change_password),
            "via": "token" if who.token_id is not None else "session",
            "csrf_token": who.csrf_token,
        }

    @router.post("/api/me/password", status_code=204, tags=["auth"])
    def api_change_password(
        body: PasswordBody, request: Request, who: Annotated[Identity, Depends(identity)]
    ) -> Response:
        get_auth(request).change_password(
            who.user.username,
            body.old_password,
            body.new_password,
            client_address(request),
            keep_session=who.session_hash,
        )
        return Response(status_code=204)

    # --------------------------------------------------------------------------------- pages
    def page(
        request: Request, mode: str, csrf: str, message: str | None = None, status: int = 200
    ) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "login.html",
            {
                "mode": mode,
                "csrf_token": csrf,
                "csrf_field": CSRF_FIELD,
                "message": message,
                "min_length": get_auth(request).settings.password_min_length,
            },
            status_code=status,
        )

    def login_page(request: Request, message: str | None = None, status: int = 200) -> HTMLResponse:
        settings = get_auth(request).settings
        csrf = secrets.token_urlsafe(32)
        response = page(request, "login", csrf, message, status)
        set_cookie(response, settings, LOGIN_CSRF_COOKIE, csrf, _LOGIN_FORM_AGE)
        return response

    @router.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request) -> HTMLResponse:
        return login_page(request)

    @router.post("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_submit(
        request: Request,
        username: Annotated[str, Form(max_length=200)],
        password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
        csrf_token: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        auth = get_auth(request)
        expected = request.cookies.get(cookie_name(auth.settings, LOGIN_CSRF_COOKIE))
        if not same_secret(expected, csrf_token):
            return login_page(request, "The login form expired. Please try again.", 403)
        try:
            new = auth.login(username, password, client_address(request))
        except ThrottledError as exc:
            response = login_page(request, str(exc).capitalize() + ".", 429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except AuthenticationError:
            return login_page(request, "Wrong username or password.", 401)
        target = "/password" if new.must_change_password else "/"
        redirect = RedirectResponse(target, status_code=303)
        set_session_cookie(redirect, auth.settings, new)
        clear_cookie(redirect, auth.settings, LOGIN_CSRF_COOKIE)
        return redirect

    @router.get("/password", response_class=HTMLResponse, include_in_schema=False)
    async def password_form(
        request: Request, who: Annotated[Identity | None, Depends(optional_identity)]
    ) -> Response:
        if who is None or who.csrf_token is None:
            return RedirectResponse("/login", status_code=303)
        return page(request, "password", who.csrf_token)

    @router.post("/password", response_class=HTMLResponse, include_in_schema=False)
    def password_submit(
        request: Request,
        who: Annotated[Identity, Depends(identity)],  # checks the form's CSRF token
        old_password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
        new_password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
        new_password_again: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
    ) -> Response:
        csrf = who.csrf_token or ""
        if new_password != new_password_again:
            return page(request, "password", csrf, "The new passwords differ.", 400)
        try:
            get_auth(request).change_password(
                who.user.username,
                old_password,
                new_password,
                client_address(request),
                keep_session=who.session_hash,
            )
        except AuthenticationError:
            return page(request, "password", csrf, "The current password is wrong.", 401)
        except CeasefireError as exc:
            status = 429 if isinstance(exc, ThrottledError) else 400
            return page(request, "password", csrf, str(exc), status)
        return RedirectResponse("/", status_code=303)

    @router.post("/logout", include_in_schema=False)
    async def logout_submit(request: Request) -> Response:
        auth = get_auth(request)
        try:
            await identity(request)  # a valid session must come with its CSRF token
        except AuthenticationError:
            pass  # already ended: just clear the cookie
        else:
            await run_in_threadpool(auth.logout, session_token(request) or "")
        redirect = RedirectResponse("/login", status_code=303)
        clear_session_cookie(redirect, auth.settings)
        return redirect

    return router
