"""The read API (JSON): documents, articles, events, incidents, agreements, assessments and
commitments. Every route depends on ``viewer``, the dependency that authenticates the caller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from ceasefire.api.serialize import (
    agreement_json,
    article_json,
    assessment_json,
    commitment_json,
    document_json,
    event_json,
    incident_json,
    page,
    point_json,
)
from ceasefire.api.views import ReadContext, incident_detail, incident_search
from ceasefire.errors import NotFoundError
from ceasefire.services.fusion import commitment_states
from ceasefire.storage.search import DocumentQueries, EventFilter, EventQueries, IncidentSearch

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]
MAP_POINTS = 2000  # at most this many markers per map request (the newest)


def build_read_api(context: ReadContext, viewer: Callable[..., Any]) -> APIRouter:
    """The read routes under ``/api``; ``viewer`` (a FastAPI dependency returning the user or
    raising :class:`~ceasefire.errors.AuthenticationError`) guards every one of them."""
    router = APIRouter(prefix="/api", dependencies=[Depends(viewer)], tags=["read"])
    store = context.store
    documents = DocumentQueries(store)
    events = EventQueries(store)
    incidents = context.incidents

    @router.get("/documents")
    def list_documents(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stored documents (metadata, not the raw bytes), most recently fetched first."""
        items = [document_json(d) for d in documents.list(limit, offset)]
        return page(items, store.count_documents(), limit, offset)

    @router.get("/articles")
    def list_articles(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Articles, newest publication first (undated last)."""
        items = [article_json(a) for a in store.list_articles(limit=limit, offset=offset)]
        return page(items, store.count_articles(), limit, offset)

    @router.get("/articles/{article_id}")
    def get_article(article_id: str) -> dict[str, Any]:
        """One article with its text and the events extracted from it."""
        stored = store.get_article(article_id)
        if stored is None:
            raise NotFoundError(f"no article {article_id}")
        data = article_json(stored, with_text=True)
        found = events.find(EventFilter(article_id=article_id, limit=10_000))
        owners = incidents.incident_of_events([i for i, _ in found])
        data["events"] = [event_json(i, e, owners.get(i)) for i, e in found]
        return data

    @router.get("/events")
    def list_events(
        article: Annotated[str | None, Query(description="article id")] = None,
        event_type: Annotated[str | None, Query(alias="type")] = None,
        modality: Annotated[str | None, Query()] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Extracted events (one statement of one article each), by article then position."""
        where = EventFilter(article, event_type, modality, limit, offset)
        found = events.find(where)
        owners = incidents.incident_of_events([i for i, _ in found])
        items = [event_json(i, e, owners.get(i)) for i, e in found]
        return page(items, events.total(where), limit, offset)

    @router.get("/events/{event_id}")
    def get_event(event_id: str) -> dict[str, Any]:
        event = events.get(event_id)
        if event is None:
            raise NotFoundError(f"no event {event_id}")
        return event_json(event_id, event, incidents.incident_of_events([event_id]).get(event_id))

    @router.get("/incidents")
    def list_incidents(
        where: Annotated[IncidentSearch, Depends(incident_search)],
    ) -> dict[str, Any]:
        """Incidents, newest first; filters: bbox, from, to, type, actor, side, status, q."""
        items = [incident_json(i) for i in incidents.find(where)]
        return page(items, incidents.count(where), where.limit, where.offset)

    @router.get("/incidents/{incident_id}")
    def get_incident(incident_id: str) -> dict[str, Any]:
        """One incident with its claims, events (with evidence spans and article ids), sources
        grouped by independent origin, and assessments against the agreements."""
        detail = incident_detail(context, incident_id)
        data = incident_json(detail.incident)
        data["event_details"] = [
            {**event_json(r.event_id, r.event, incident_id), "outlet": r.outlet}
            for r in detail.reports
        ]
        data["articles"] = detail.article_ids
        data["sources"] = [
            {
                "origin": origin,
                "reports": [
                    {
                        "event_id": ref.event_id,
                        "article_id": ref.article_id,
                        "outlet": ref.outlet,
                        "syndication_group": ref.syndication_group,
                        "wire": ref.wire,
                        "published": ref.published.isoformat() if ref.published else None,
                    }
                    for ref in refs
                ],
            }
            for origin, refs in detail.sources.items()
        ]
        data["assessments"] = [assessment_json(a) for a in detail.assessments]
        return data

    @router.get("/map", response_class=Response)
    def map_data(
        request: Request, where: Annotated[IncidentSearch, Depends(incident_search)]
    ) -> Response:
        """What the dashboard map draws: the located incidents matching the filters of
        ``/incidents``, the newest ``MAP_POINTS`` of them, and whether there were more.
        Answers carry an ETag and are kept until incidents change."""

        def build() -> dict[str, Any]:
            points = incidents.map_points(where, MAP_POINTS + 1)
            return {
                "points": [point_json(p) for p in points[:MAP_POINTS]],
                "truncated": len(points) > MAP_POINTS,
            }

        return context.answers.answer(request, incidents.version(), build)

    @router.get("/timeline", response_class=Response)
    def timeline(
        request: Request, where: Annotated[IncidentSearch, Depends(incident_search)]
    ) -> Response:
        """What the dashboard timeline draws: the incidents matching the filters of
        ``/incidents`` counted per bucket and type (``bucket`` is day, week or month, chosen
        from the span of their dates; ``start`` is a bucket's first day), and ``total``, every
        matching incident, the undated ones too. Answers carry an ETag and are kept until
        incidents change."""

        def build() -> dict[str, Any]:
            found = incidents.timeline(where)
            counts = [
                {"start": start.isoformat(), "type": kind, "count": n}
                for start, kind, n in found.counts
            ]
            return {"bucket": found.bucket, "total": found.total, "counts": counts}

        return context.answers.answer(request, incidents.version(), build)

    @router.get("/agreements")
    def list_agreements() -> dict[str, Any]:
        """The agreements of the conflict profile, with their terms."""
        profile, _taxonomy = context.profile()
        items = [agreement_json(a) for a in sorted(profile.agreements.values(), key=_start)]
        return page(items, len(items), len(items), 0)

    @router.get("/assessments")
    def list_assessments(
        agreement: str | None = None,
        party: str | None = None,
        determination: str | None = None,
        incident: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Possible violations: incident x term, by agreement then incident."""
        found = incidents.list_assessments(agreement, party, determination, incident)
        items = [assessment_json(a) for a in found[offset : offset + limit]]
        return page(items, len(found), limit, offset)

    @router.get("/commitments")
    def list_commitments(
        as_of: Annotated[date | None, Query(description="default: today")] = None,
    ) -> dict[str, Any]:
        """Every obligation of the profile's agreements with its deadline and state."""
        profile, taxonomy = context.profile()
        day = as_of or date.today()
        states = commitment_states(store, profile, taxonomy, day)
        items = [commitment_json(c) for c in states]
        return {"as_of": day.isoformat(), **page(items, len(items), len(items), 0)}

    return router


def _start(agreement: Any) -> tuple[date, str]:
    return agreement.start, agreement.id
