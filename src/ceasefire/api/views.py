"""What the read API and the dashboard share: the app's read context (store, profile loaded once
on first use), incident filters parsed from a query string, and the assembled incident detail."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from fastapi import HTTPException, Query

from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.api.cache import AnswerCache
from ceasefire.domain.agreements import Assessment
from ceasefire.domain.incidents import Incident
from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.errors import NotFoundError
from ceasefire.services.fusion import to_report
from ceasefire.services.review import ReviewService
from ceasefire.storage import Store
from ceasefire.storage.incidents import StoredReport
from ceasefire.storage.search import IncidentQueries, IncidentSearch


class ReadContext:
    """The store and the conflict profile of one app; the profile is read on first use."""

    def __init__(self, store: Store, profile_name: str = "libya") -> None:
        self.store = store
        self.profile_name = profile_name
        self.incidents = IncidentQueries(store)
        self.answers = AnswerCache()
        self._lock = threading.Lock()
        self._loaded: tuple[Profile, Taxonomy] | None = None
        self._reviews: ReviewService | None = None

    def profile(self) -> tuple[Profile, Taxonomy]:
        """The profile and taxonomy, loaded once (thread-safe)."""
        with self._lock:
            if self._loaded is None:
                taxonomy = load_taxonomy()
                self._loaded = (load_profile(self.profile_name, taxonomy), taxonomy)
            return self._loaded

    def reviews(self) -> ReviewService:
        """The review workflow over this store and profile, built once."""
        profile, taxonomy = self.profile()
        with self._lock:
            if self._reviews is None:
                self._reviews = ReviewService(self.store, profile, taxonomy)
            return self._reviews


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise HTTPException(422, "bbox must be west,south,east,north in degrees") from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(422, "bbox must be west,south,east,north with west<=east, south<=north")
    return west, south, east, north


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def incident_search(
    bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
    date_from: Annotated[date | None, Query(alias="from", description="first day")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="last day")] = None,
    event_type: Annotated[str | None, Query(alias="type", description="event type")] = None,
    actor: Annotated[str | None, Query(description="actor id, initiator or target")] = None,
    side: Annotated[str | None, Query(description="side id of either actor")] = None,
    status: Annotated[str | None, Query(description="reported, corroborated, ...")] = None,
    q: Annotated[str | None, Query(max_length=200, description="free text")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> IncidentSearch:
    """Incident filters from the query string (a FastAPI dependency)."""
    return IncidentSearch(
        date_from=date_from,
        date_to=date_to,
        event_type=_clean(event_type),
        actor=_clean(actor),
        status=_clean(status),
        bbox=_bbox(bbox),
        limit=limit,
        offset=offset,
        side=_clean(side),
        text=_clean(q),
    )


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One report of an incident: the event, its article and where it came from."""

    event_id: str
    article_id: str
    outlet: str
    origin: str
    syndication_group: str | None
    wire: str | None
    published: date | None


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """An incident with its reports, its sources grouped by independent origin and assessments."""

    incident: Incident
    reports: tuple[StoredReport, ...]
    sources: dict[str, list[SourceRef]] = field(default_factory=dict)
    assessments: tuple[Assessment, ...] = ()

    @property
    def article_ids(self) -> list[str]:
        """The articles of the incident's events, in order of first appearance."""
        return list(dict.fromkeys(r.event.article_id for r in self.reports))


def incident_detail(context: ReadContext, incident_id: str) -> IncidentDetail:
    """Everything the incident page and ``/api/incidents/{id}`` show about one incident."""
    incident = context.incidents.get(incident_id)
    if incident is None:
        raise NotFoundError(f"no incident {incident_id}")
    reports = sorted(
        context.incidents.reports(event_ids=incident.event_ids),
        key=lambda r: (r.published or date.max, r.outlet, r.event_id),
    )
    profile, _taxonomy = context.profile()
    sources: dict[str, list[SourceRef]] = defaultdict(list)
    for stored in reports:
        report = to_report(stored, profile)
        sources[report.origin].append(
            SourceRef(
                event_id=stored.event_id,
                article_id=stored.event.article_id,
                outlet=stored.outlet,
                origin=report.origin,
                syndication_group=stored.syndication_group,
                wire=stored.wire,
                published=stored.published,
            )
        )
    assessments = tuple(context.incidents.list_assessments(incident=incident_id))
    return IncidentDetail(incident, tuple(reports), dict(sorted(sources.items())), assessments)
