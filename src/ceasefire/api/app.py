"""The FastAPI application: ``create_app(settings)``; no module-level app or engine.

Who may read and who may write are FastAPI dependencies (``viewer``, ``analyst``): each returns
the signed-in :class:`~ceasefire.domain.users.User` (session cookie with CSRF token, or bearer API
token; :mod:`ceasefire.api.security`) or raises an authentication or permission error. Public:
``/api/health``, ``/docs`` with ``/openapi.json`` (served from local files), ``/static`` and the
sign-in pages.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ceasefire import __version__
from ceasefire.api.auth_routes import auth_router
from ceasefire.api.exports import build_export_api
from ceasefire.api.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from ceasefire.api.pages import build_pages
from ceasefire.api.read import build_read_api
from ceasefire.api.reports import build_report_api
from ceasefire.api.review import build_review_api
from ceasefire.api.security import install as install_auth
from ceasefire.api.security import require
from ceasefire.api.serialize import article_json
from ceasefire.api.uploads import build_ingest_api
from ceasefire.api.views import ReadContext
from ceasefire.config import Settings
from ceasefire.domain.users import Role
from ceasefire.errors import (
    AuthenticationError,
    CeasefireError,
    ConfigError,
    ConflictError,
    NotFoundError,
    NotInitialisedError,
    PermissionDeniedError,
    ThrottledError,
)
from ceasefire.services.auth import Auth
from ceasefire.storage import Store, create_engine_for

__all__ = ["article_json", "create_app"]

WEB = Path(__file__).resolve().parent.parent / "web"
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"
#: bodies of requests other than uploads (JSON actions, forms) stay small
MAX_REQUEST_BYTES = 1024 * 1024
#: room for the multipart envelope around an upload of ``max_file_bytes``
UPLOAD_OVERHEAD_BYTES = 64 * 1024
# the one place where domain errors become HTTP statuses
_STATUS: dict[type[CeasefireError], int] = {
    NotFoundError: 404,
    NotInitialisedError: 503,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    ConflictError: 409,
    ThrottledError: 429,
}


def vendor_dirs() -> dict[str, str]:
    """Folders of the browser libraries shipped by PyPI packages: Leaflet (``xstatic-leaflet``)
    and Swagger UI (``swagger-ui-py``, found without importing its framework adapters); nothing
    is loaded from a CDN."""
    leaflet = import_module("xstatic.pkg.leaflet")
    swagger = find_spec("swagger_ui")
    if swagger is None or not swagger.submodule_search_locations:
        raise ConfigError("swagger-ui-py is not installed: pip install ceasefire")
    folder = Path(next(iter(swagger.submodule_search_locations))) / "static"
    return {"leaflet": str(leaflet.BASE_DIR), "swagger": str(folder)}


def _wants_page(request: Request) -> bool:
    """A browser asking for a page gets an HTML error page; scripts and the API get JSON."""
    path = request.url.path
    browser = "text/html" in request.headers.get("accept", "")
    return browser and not path.startswith(("/api/", "/static/", "/openapi.json"))


def create_app(
    settings: Settings,
    viewer: Callable[..., Any] | None = None,
    analyst: Callable[..., Any] | None = None,
    profile: str = "libya",
) -> FastAPI:
    """The web application over the database of ``settings``.

    ``viewer`` guards every read route and page, ``analyst`` the ingestion routes; they default
    to the signed-in user's role (viewer and analyst or above). ``profile`` names the conflict
    profile the boards use.
    """
    store = Store(create_engine_for(settings.database_url))
    context = ReadContext(store, profile)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    reader = viewer or require(Role.VIEWER)
    writer = analyst or require(Role.ANALYST)
    app = FastAPI(
        title="ceasefire",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Ceasefire monitoring: incidents, violations and commitments, with evidence.",
    )
    app.add_middleware(
        BodyLimitMiddleware,
        default=MAX_REQUEST_BYTES,
        limits={"/api/uploads": settings.max_file_bytes + UPLOAD_OVERHEAD_BYTES},
    )
    app.add_middleware(SecurityHeadersMiddleware)

    @app.exception_handler(CeasefireError)
    async def _domain_error(request: Request, exc: CeasefireError) -> Response:
        status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ThrottledError) else {}
        if _wants_page(request):
            return templates.TemplateResponse(
                request,
                "error.html",
                {
                    "status": status,
                    "message": str(exc),
                    "login": f"/login?next={quote(request.url.path)}" if status == 401 else None,
                    "version": __version__,
                    "path": request.url.path,
                },
                status_code=status,
                headers=headers,
            )
        return JSONResponse(
            {"error": exc.code, "detail": str(exc)}, status_code=status, headers=headers
        )

    # --- authentication (ceasefire.api.security, ceasefire.api.auth_routes) -------------------
    # login/logout/whoami: /api/session, /api/me, /api/me/password, /login, /password, /logout
    install_auth(app, Auth(store, settings))
    app.include_router(auth_router(templates))
    # --- end of authentication ---------------------------------------------------------------

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness and what is stored (public)."""
        return {
            "status": "ok",
            "version": __version__,
            "documents": store.count_documents(),
            "articles": store.count_articles(),
        }

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        """Swagger UI over ``/openapi.json``, every asset served from this server."""
        return templates.TemplateResponse(request, "docs.html", {"version": __version__})

    app.include_router(build_read_api(context, reader))
    app.include_router(build_ingest_api(store, settings, writer))
    app.include_router(build_review_api(context, reader))
    app.include_router(build_export_api(context, reader))
    app.include_router(build_report_api(context, reader))
    app.include_router(build_pages(context, templates, reader))
    for name, folder in vendor_dirs().items():
        app.mount(f"/static/{name}", StaticFiles(directory=folder), name=name)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
