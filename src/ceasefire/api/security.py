"""FastAPI dependencies for authentication, roles and CSRF protection.

Nothing here holds state: :func:`install` puts an :class:`~ceasefire.services.auth.Auth` on
``app.state`` and the dependencies find it through the request.

How a request proves who makes it, and why:

- ``Authorization: Bearer cf_...`` (API tokens, for scripts). A browser never adds this header by
  itself and other sites cannot add it without a CORS preflight this app never grants, so bearer
  requests need no CSRF token.
- The session cookie (the dashboard): ``HttpOnly`` (scripts cannot read it),
  ``SameSite=Strict`` (browsers do not send it with requests started by other sites), ``Path=/``,
  and ``Secure`` plus the ``__Host-`` name prefix when ``Settings.https`` says the site is served
  over HTTPS. As a second line of defence, every cookie-authenticated POST, PUT, PATCH or DELETE
  must echo the session's CSRF token in the ``X-CSRF-Token`` header or a ``csrf_token`` form
  field (compared in constant time).

Use ``Depends(current_user)`` for "any logged-in user" and ``Depends(require(Role.ANALYST))`` for
a role; both return the :class:`~ceasefire.domain.users.User`. ``require`` also refuses users who
still have to change a one-time password.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from ceasefire.config import Settings
from ceasefire.domain.users import Role, User
from ceasefire.errors import AuthenticationError, ConfigError, PermissionDeniedError
from ceasefire.services.auth import Auth, Identity, NewSession

SESSION_COOKIE = "ceasefire_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def install(app: FastAPI, auth: Auth) -> None:
    """Make ``auth`` the authentication of ``app`` (read by every dependency here)."""
    app.state.auth = auth


def get_auth(request: Request) -> Auth:
    auth = getattr(request.app.state, "auth", None)
    if not isinstance(auth, Auth):
        raise ConfigError("authentication is not installed on this app: call security.install")
    return auth


def cookie_name(settings: Settings, base: str = SESSION_COOKIE) -> str:
    """``__Host-`` cookies must be Secure, Path=/ and host-only: browsers enforce it on HTTPS."""
    return f"__Host-{base}" if settings.https else base


def set_cookie(response: Response, settings: Settings, base: str, value: str, max_age: int) -> None:
    response.set_cookie(
        cookie_name(settings, base),
        value,
        max_age=max_age,
        path="/",
        secure=settings.https,
        httponly=True,
        samesite="strict",
    )


def clear_cookie(response: Response, settings: Settings, base: str) -> None:
    response.delete_cookie(
        cookie_name(settings, base),
        path="/",
        secure=settings.https,
        httponly=True,
        samesite="strict",
    )


def set_session_cookie(response: Response, settings: Settings, session: NewSession) -> None:
    set_cookie(response, settings, SESSION_COOKIE, session.token, settings.session_max_age)


def clear_session_cookie(response: Response, settings: Settings) -> None:
    clear_cookie(response, settings, SESSION_COOKIE)


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name(get_auth(request).settings))


def client_address(request: Request) -> str:
    """The peer address, the key of per-client login throttling (behind a reverse proxy, run
    uvicorn with ``--proxy-headers`` so that this is the real client)."""
    return request.client.host if request.client else "unknown"


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token a request carries: the header, else the form field of a form post."""
    sent = request.headers.get(CSRF_HEADER)
    if sent:
        return sent
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)  # parsed once, cached by Starlette
        return value if isinstance(value, str) else None
    return None


def same_secret(expected: str | None, sent: str | None) -> bool:
    if not expected or not sent:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), sent.encode("utf-8"))


async def _check_csrf(request: Request, who: Identity) -> None:
    if not same_secret(who.csrf_token, await submitted_csrf(request)):
        raise PermissionDeniedError(
            f"missing or wrong CSRF token: send the session's token in the {CSRF_HEADER} header "
            f"or a {CSRF_FIELD} form field"
        )


async def identity(request: Request) -> Identity:
    """Who makes the request (API token or session cookie); :class:`AuthenticationError`
    (401) without valid credentials, :class:`PermissionDeniedError` (403) for a cookie-authenticated
    unsafe request without the right CSRF token."""
    auth = get_auth(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationError("use the header 'Authorization: Bearer cf_...'")
        return await run_in_threadpool(auth.token, value.strip())
    token = session_token(request)
    if not token:
        raise AuthenticationError(
            "log in first (POST /api/session or /login) or send 'Authorization: Bearer <token>'"
        )
    who = await run_in_threadpool(auth.session, token)
    if request.method in UNSAFE_METHODS:
        await _check_csrf(request, who)
    return who


async def optional_identity(request: Request) -> Identity | None:
    """Like :func:`identity` for pages anyone may see: ``None`` instead of a 401."""
    try:
        return await identity(request)
    except AuthenticationError:
        return None


async def current_user(who: Annotated[Identity, Depends(identity)]) -> User:
    """The logged-in user, whatever their role."""
    return who.user


def require(role: Role) -> Callable[[Request, Identity], Awaitable[User]]:
    """A dependency that lets through users whose role allows ``role`` (403 for the others, 401
    for anonymous requests) and that have no one-time password left to change."""

    async def dependency(request: Request, who: Annotated[Identity, Depends(identity)]) -> User:
        request.state.identity = who  # pages read the CSRF token for their forms from here
        if who.must_change_password:
            raise PermissionDeniedError(
                "change your one-time password first (POST /api/me/password, or /password)"
            )
        if not who.user.role.allows(role):
            raise PermissionDeniedError(
                f"this needs the {role.value} role; {who.user.username} is {who.user.role.value}"
            )
        return who.user

    dependency.__name__ = f"require_{role.value}"
    return dependency


CurrentUser = Annotated[User, Depends(current_user)]
CurrentIdentity = Annotated[Identity, Depends(identity)]
