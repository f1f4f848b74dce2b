"""Streamed exports over HTTP: ``GET /api/exports/{format}`` (acled-csv, geojson, jsonl, plover).

The signed-in user's role decides what is written (:mod:`ceasefire.domain.visibility`). The body
is streamed page by page in constant memory. Headers: ``X-Next-Cursor`` (when ``limit`` left
incidents after this response: pass it back as ``cursor``), ``X-Export-Since`` (when this export
began: pass it as ``since`` next time for an incremental export).
"""

# no ``from __future__ import annotations``: FastAPI must see the local ``Reader`` alias

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from ceasefire.api.views import ReadContext
from ceasefire.domain.users import User
from ceasefire.exports.records import ExportFormat, FormatContext
from ceasefire.exports.stream import Export, ExportRequest, parse_since
from ceasefire.storage.incidents import IncidentFilter
from ceasefire.storage.search import ExportQueries


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def build_export_api(context: ReadContext, viewer: Callable[..., Any]) -> APIRouter:
    """The export route under ``/api/exports``; ``viewer`` authenticates the caller and returns
    the :class:`~ceasefire.domain.users.User` whose role filters the export."""
    router = APIRouter(prefix="/api/exports", tags=["exports"])
    queries = ExportQueries(context.store)
    Reader = Annotated[User, Depends(viewer)]  # noqa: N806 (a type alias)

    @router.get("/{export_format}")
    def export(
        export_format: ExportFormat,
        user: Reader,
        date_from: Annotated[date | None, Query(alias="from", description="first day")] = None,
        date_to: Annotated[date | None, Query(alias="to", description="last day")] = None,
        event_type: Annotated[str | None, Query(alias="type", description="event type")] = None,
        status: Annotated[str | None, Query(description="reported, corroborated, ...")] = None,
        actor: Annotated[str | None, Query(description="actor id, either side")] = None,
        since: Annotated[
            str | None, Query(description="updated at or after (unix or ISO 8601)")
        ] = None,
        cursor: Annotated[str | None, Query(description="resume after this cursor")] = None,
        limit: Annotated[int | None, Query(ge=1, description="read at most this many")] = None,
        include_all: Annotated[
            bool, Query(alias="all", description="acled-csv: also process incidents")
        ] = False,
    ) -> StreamingResponse:
        """Incidents in one format, streamed; what the caller's role may see only."""
        profile, taxonomy = context.profile()
        request = ExportRequest(
            format=export_format,
            where=IncidentFilter(
                date_from, date_to, _clean(event_type), _clean(actor), _clean(status)
            ),
            role=user.role,
            since=parse_since(since) if since else None,
            cursor=_clean(cursor),
            limit=limit,
            include_process=include_all,
        )
        job = Export(queries, FormatContext(profile, taxonomy), request)
        headers = {
            "Content-Disposition": (
                f'attachment; filename="ceasefire-incidents.{export_format.extension}"'
            ),
            "X-Export-Since": job.progress.started.isoformat(),
            "Cache-Control": "no-store",
        }
        if job.progress.next_cursor:
            headers["X-Next-Cursor"] = job.progress.next_cursor
        return StreamingResponse(job.chunks(), media_type=export_format.media_type, headers=headers)

    return router
