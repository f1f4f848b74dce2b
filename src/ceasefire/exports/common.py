"""Helpers the formats share: JSON shapes of incidents and assessments, actors as the profile
knows them, the taxonomy entry of an incident, and timestamps. Pure: no I/O."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from ceasefire.domain.agreements import Assessment
from ceasefire.domain.events import ActorRef, EventDate, Location, Span
from ceasefire.domain.incidents import Claim, Incident, Stance
from ceasefire.domain.profile import ActorSpec, Profile
from ceasefire.domain.taxonomy import EventTypeSpec, SubTypeSpec, Taxonomy

#: the modality a claim's stance stands for (the ``modality`` values of events)
STANCE_MODALITY = {Stance.ASSERTS: "asserted", Stance.CLAIMS: "claimed", Stance.DENIES: "denied"}


def dumps(data: Any) -> str:
    """Compact JSON, UTF-8 kept readable."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def as_utc(moment: datetime) -> datetime:
    """A database time as aware UTC (SQLite gives naive UTC back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def unix(moment: datetime) -> int:
    return int(as_utc(moment).timestamp())


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def actor_spec(profile: Profile, actor: ActorRef | None, day: date | None) -> ActorSpec | None:
    """The profile's actor (what a person represents on ``day``), or None when unknown."""
    if actor is None or actor.id is None or actor.id not in profile.actors:
        return None
    return profile.represented(actor.id, day)


def acled_actor_name(profile: Profile, actor: ActorRef | None) -> str:
    """ACLED's name for the actor when the profile knows it, else the profile's or the text's."""
    if actor is None:
        return ""
    spec = profile.actors.get(actor.id) if actor.id else None
    if spec is not None:
        return spec.acled_name or spec.name
    return actor.acled_name or actor.name


def taxonomy_entry(
    taxonomy: Taxonomy, incident: Incident
) -> tuple[EventTypeSpec, SubTypeSpec] | None:
    """The taxonomy type and sub type of an incident, whose fields hold ACLED names (violence)
    or ids and names (process)."""
    for family in taxonomy.families:
        for event_type in family.types:
            if incident.event_type not in (event_type.id, event_type.name, event_type.acled):
                continue
            for sub in event_type.sub_types:
                if incident.sub_event_type in (sub.id, sub.name, sub.acled):
                    return event_type, sub
            return None
    return None


def modalities(incident: Incident) -> list[str]:
    """The modalities of the incident's claims (asserted, claimed, denied), in that order."""
    found = {STANCE_MODALITY[c.stance] for c in incident.claims}
    return [m for m in STANCE_MODALITY.values() if m in found]


def outlets(incident: Incident) -> list[str]:
    """The outlets of the claims in order, once each (the origins when there is no claim)."""
    seen = list(dict.fromkeys(c.outlet for c in incident.claims))
    return seen or list(incident.origins)


def violation_label(assessment: Assessment) -> str:
    return (
        f"{assessment.agreement_id}/{assessment.term_id} "
        f"({assessment.party}: {assessment.determination.value})"
    )


def actor_json(actor: ActorRef | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"id": actor.id, "name": actor.name, "side": actor.side}


def span_json(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def location_json(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "name": location.name,
        "lat": location.lat,
        "lon": location.lon,
        "geo_precision": location.geo_precision,
        "admin1": location.admin1,
        "country": location.country,
        "place_id": location.place_id,
    }


def date_json(when: EventDate | None) -> dict[str, Any]:
    return {
        "date": iso(when.start) if when else None,
        "date_end": iso(when.end) if when else None,
        "time_precision": when.time_precision if when else None,
    }


def claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "event_id": claim.event_id,
        "stance": claim.stance.value,
        "by": actor_json(claim.by),
        "outlet": claim.outlet,
        "actor1": actor_json(claim.actor1),
        "fatalities": claim.fatalities,
        "text": claim.text,
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "agreement": assessment.agreement_id,
        "term": assessment.term_id,
        "party": assessment.party,
        "actor": assessment.actor,
        "side": assessment.side,
        "determination": assessment.determination.value,
        "rationale": assessment.rationale,
        "assessor": assessment.assessor,
    }


def incident_fields(incident: Incident) -> dict[str, Any]:
    """The incident's own fields (no claims), as JSON."""
    return {
        "id": incident.id,
        "family": incident.family,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        **date_json(incident.date),
        "actor1": actor_json(incident.actor1),
        "actor2": actor_json(incident.actor2),
        "location": location_json(incident.location),
        "fatalities": incident.fatalities,
        "fatalities_high": incident.fatalities_high,
        "independent_sources": incident.independent_sources,
        "origins": list(incident.origins),
        "status": incident.status.value,
        "first_reported": iso(incident.first_reported),
    }
