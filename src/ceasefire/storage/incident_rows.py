"""Rows of the incident tables to domain objects and back (used by the incident repository)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row

from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.events import ActorRef, EventDate, Location, Span
from ceasefire.domain.incidents import Claim, Incident, IncidentStatus, Stance


def _actor(row: Row[Any], prefix: str) -> ActorRef | None:
    name = getattr(row, f"{prefix}_name")
    if name is None:
        return None
    return ActorRef(getattr(row, f"{prefix}_id"), name, None, getattr(row, f"{prefix}_side"))


def _actor_row(prefix: str, actor: ActorRef | None) -> dict[str, Any]:
    return {
        f"{prefix}_id": actor.id if actor else None,
        f"{prefix}_name": actor.name if actor else None,
        f"{prefix}_side": actor.side if actor else None,
    }


def url_domain(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = url.split("://", 1)[1].split("/", 1)[0].split("@")[-1].split(":")[0].lower()
    return host.removeprefix("www.") or None


def incident_row(incident: Incident, fusion: str, now: datetime) -> dict[str, Any]:
    location, when = incident.location, incident.date
    return {
        "id": incident.id,
        "family": incident.family,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        **_actor_row("actor1", incident.actor1),
        **_actor_row("actor2", incident.actor2),
        "location_name": location.name if location else None,
        "place_id": location.place_id if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "geo_precision": location.geo_precision if location else None,
        "admin1": location.admin1 if location else None,
        "country": location.country if location else None,
        "date_start": when.start if when else None,
        "date_end": when.end if when else None,
        "time_precision": when.time_precision if when else None,
        "fatalities": incident.fatalities,
        "fatalities_high": incident.fatalities_high,
        "independent_sources": incident.independent_sources,
        "origins": list(incident.origins),
        "status": incident.status.value,
        "first_reported": incident.first_reported,
        "fusion": fusion,
        "updated_at": now,
    }


def claim_row(incident_id: str, position: int, claim: Claim) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "position": position,
        "event_id": claim.event_id,
        "stance": claim.stance.value,
        "by_id": claim.by.id if claim.by else None,
        "by_name": claim.by.name if claim.by else None,
        "outlet": claim.outlet,
        "actor1_id": claim.actor1.id if claim.actor1 else None,
        "actor1_name": claim.actor1.name if claim.actor1 else None,
        "fatalities": claim.fatalities,
        "text": claim.text,
    }


def claim_from(row: Row[Any]) -> Claim:
    by = ActorRef(row.by_id, row.by_name) if row.by_name is not None else None
    actor1 = ActorRef(row.actor1_id, row.actor1_name) if row.actor1_name is not None else None
    return Claim(row.event_id, Stance(row.stance), by, row.outlet, actor1, row.fatalities, row.text)


def location_from(row: Row[Any], span: Span | None = None) -> Location | None:
    """The place columns of an event or incident row."""
    if row.location_name is None:
        return None
    return Location(
        row.location_name,
        row.lat,
        row.lon,
        row.geo_precision,
        row.admin1,
        row.country,
        row.place_id,
        span,
    )


def date_from(row: Row[Any], span: Span | None = None) -> EventDate | None:
    """The date columns of an event or incident row."""
    if row.date_start is None:
        return None
    return EventDate(row.date_start, row.date_end, row.time_precision, span)


def incident_from(row: Row[Any], members: list[str], claims: list[Claim]) -> Incident:
    return Incident(
        id=row.id,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        family=row.family,
        actor1=_actor(row, "actor1"),
        actor2=_actor(row, "actor2"),
        location=location_from(row),
        date=date_from(row),
        fatalities=row.fatalities,
        fatalities_high=row.fatalities_high,
        event_ids=tuple(sorted(members)),
        independent_sources=row.independent_sources,
        origins=tuple(row.origins),
        status=IncidentStatus(row.status),
        claims=tuple(claims),
        first_reported=row.first_reported,
    )


def assessment_from(row: Row[Any]) -> Assessment:
    """A possible violation from a row of ``assessments``."""
    return Assessment(
        incident_id=row.incident_id,
        agreement_id=row.agreement_id,
        term_id=row.term_id,
        party=row.party,
        actor=row.actor,
        side=row.side,
        determination=Determination(row.determination),
        rationale=row.rationale,
        assessor=row.assessor,
    )
