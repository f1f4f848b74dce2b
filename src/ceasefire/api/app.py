"""The FastAPI application: ``create_app(settings)``; no module-level app or engine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from ceasefire import __version__
from ceasefire.api.auth_routes import auth_router
from ceasefire.api.security import install as install_auth
from ceasefire.config import Settings
from ceasefire.errors import (
    AuthenticationError,
    CeasefireError,
    ConflictError,
    NotFoundError,
    NotInitialisedError,
    PermissionDeniedError,
    ThrottledError,
)
from ceasefire.services.auth import Auth
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.repositories import StoredArticle

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
# the one place where domain errors become HTTP statuses
_STATUS: dict[type[CeasefireError], int] = {
    NotFoundError: 404,
    NotInitialisedError: 503,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    ConflictError: 409,
    ThrottledError: 429,
}


def article_json(stored: StoredArticle, with_text: bool = False) -> dict[str, Any]:
    article = stored.article
    data: dict[str, Any] = {
        "id": article.id,
        "document_id": article.document_id,
        "index": article.index,
        "title": article.title,
        "published": article.published.value.isoformat() if article.published else None,
        "published_precision": article.published.precision.value if article.published else None,
        "published_source": article.published.source.value if article.published else None,
        "source": article.source.name if article.source else None,
        "url": article.url,
        "author": article.author,
        "language": article.language,
        "syndication_group": stored.syndication.group_id if stored.syndication else None,
    }
    if with_text:
        data["text"] = article.text
        data["captions"] = list(article.captions)
    return data


def create_app(settings: Settings) -> FastAPI:
    store = Store(create_engine_for(settings.database_url))
    templates = Jinja2Templates(directory=str(TEMPLATES))
    app = FastAPI(title="ceasefire", version=__version__, docs_url="/docs")

    @app.exception_handler(CeasefireError)
    async def _domain_error(_request: Request, exc: CeasefireError) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ThrottledError) else {}
        return JSONResponse(
            {"error": exc.code, "detail": str(exc)}, status_code=status, headers=headers
        )

    # --- authentication (ceasefire.api.security, ceasefire.api.auth_routes) -------------------
    # login/logout/whoami: /api/session, /api/me, /api/me/password, /login, /password, /logout
    install_auth(app, Auth(store, settings))
    app.include_router(auth_router(templates))
    # --- end of authentication ---------------------------------------------------------------

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "documents": store.count_documents(),
            "articles": store.count_articles(),
        }

    @app.get("/api/articles")
    def list_articles(
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        items = [article_json(a) for a in store.list_articles(limit=limit, offset=offset)]
        return {"total": store.count_articles(), "limit": limit, "offset": offset, "items": items}

    @app.get("/api/articles/{article_id}")
    def get_article(article_id: str) -> dict[str, Any]:
        stored = store.get_article(article_id)
        if stored is None:
            raise NotFoundError(f"no article {article_id}")
        return article_json(stored, with_text=True)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "index.html",
            {
                "articles": store.list_articles(limit=200),
                "total": store.count_articles(),
                "version": __version__,
            },
        )

    return app
