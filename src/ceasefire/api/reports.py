"""``GET /api/reports``: a situation report for a period, as the signed-in user's role may see it.

Every format is sent as an attachment: HTML is one self-contained page (images as data URIs,
opened offline from the saved file), PDF, and Markdown with its images as data URIs. Rendering is
CPU-bound, so the route is a plain function (FastAPI runs it in its thread pool)."""

# no ``from __future__ import annotations``: FastAPI must see the local ``Reader`` alias

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ceasefire.api.views import ReadContext
from ceasefire.domain.users import User
from ceasefire.reports import ReportQuery, gather, render


def build_report_api(context: ReadContext, viewer: Callable[..., Any]) -> APIRouter:
    """The report route under ``/api``; ``viewer`` (a FastAPI dependency returning the signed-in
    :class:`~ceasefire.domain.users.User`) guards it, and the user's role decides what the
    report shows."""
    router = APIRouter(prefix="/api", tags=["reports"])
    Reader = Annotated[User, Depends(viewer)]  # noqa: N806 (a type alias)

    @router.get(
        "/reports",
        response_class=Response,
        responses={
            200: {
                "content": {"text/html": {}, "application/pdf": {}, "text/markdown": {}},
                "description": "The report in the format asked for.",
            }
        },
    )
    def situation_report(
        user: Reader,
        date_from: Annotated[date, Query(alias="from", description="first day (YYYY-MM-DD)")],
        date_to: Annotated[date, Query(alias="to", description="last day (YYYY-MM-DD)")],
        fmt: Annotated[Literal["html", "pdf", "md"], Query(alias="format")] = "html",
        area: Annotated[str | None, Query(description="admin1 region or place")] = None,
        party: Annotated[str | None, Query(description="actor or side id")] = None,
    ) -> Response:
        """A situation report for the period: headline numbers, map, charts, key incidents with
        citations, disputed incidents, commitments and the method note."""
        query = ReportQuery(date_from, date_to, area, party, user.role)
        query.check()
        profile, taxonomy = context.profile()
        rendered = render(gather(context.store, profile, taxonomy, query), fmt)
        name = f"situation-report-{date_from.isoformat()}_{date_to.isoformat()}.{fmt}"
        # an attachment in every format: the app's Content-Security-Policy forbids the inline
        # style a self-contained page needs, so the HTML report is saved and opened as a file
        return Response(
            rendered.content,
            media_type=rendered.media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return router
