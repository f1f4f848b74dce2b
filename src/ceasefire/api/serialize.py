"""Domain objects as JSON for the read API (plain dicts; the dashboard uses the same shapes)."""

from __future__ import annotations

from typing import Any

from ceasefire.domain.agreements import AgreementSpec, Assessment, Commitment
from ceasefire.domain.events import ActorRef, Event, EventDate, Location, Span
from ceasefire.domain.incidents import Claim, Incident
from ceasefire.storage.repositories import StoredArticle
from ceasefire.storage.search import DocumentInfo, MapPoint


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page of a listing: ``total`` counts every match, ``items`` holds this page."""
    return {"total": total, "limit": limit, "offset": offset, "items": items}


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


def document_json(doc: DocumentInfo) -> dict[str, Any]:
    return {
        "id": doc.id,
        "locator": doc.locator,
        "media_type": doc.media_type,
        "url": doc.url,
        "source": doc.source,
        "source_kind": doc.source_kind,
        "title_hint": doc.title_hint,
        "fetched_at": doc.fetched_at.isoformat(),
        "size": doc.size,
        "articles": doc.articles,
    }


def span_json(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def actor_json(actor: ActorRef | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"id": actor.id, "name": actor.name, "side": actor.side}


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


def _dates(when: EventDate | None) -> dict[str, Any]:
    return {
        "date": when.start.isoformat() if when else None,
        "date_end": when.end.isoformat() if when else None,
        "time_precision": when.time_precision if when else None,
    }


def event_json(event_id: str, event: Event, incident_id: str | None = None) -> dict[str, Any]:
    """An event with every span pointing into its article's text."""
    return {
        "id": event_id,
        "article_id": event.article_id,
        "incident_id": incident_id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "family": event.family,
        **_dates(event.date),
        "actor1": actor_json(event.actor1),
        "actor2": actor_json(event.actor2),
        "location": location_json(event.location),
        "fatalities": event.fatalities,
        "wounded": event.wounded,
        "modality": event.modality.value,
        "claimed_by": actor_json(event.claimed_by),
        "confidence": event.confidence,
        "coder": event.coder,
        "evidence": span_json(event.evidence),
        "trigger": span_json(event.trigger),
        "spans": {
            "actor1": span_json(event.actor1.span) if event.actor1 else None,
            "actor2": span_json(event.actor2.span) if event.actor2 else None,
            "location": span_json(event.location.span) if event.location else None,
            "date": span_json(event.date.span) if event.date else None,
        },
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


def incident_json(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "family": incident.family,
        **_dates(incident.date),
        "actor1": actor_json(incident.actor1),
        "actor2": actor_json(incident.actor2),
        "location": location_json(incident.location),
        "fatalities": incident.fatalities,
        "fatalities_high": incident.fatalities_high,
        "independent_sources": incident.independent_sources,
        "origins": list(incident.origins),
        "status": incident.status.value,
        "first_reported": incident.first_reported.isoformat() if incident.first_reported else None,
        "events": list(incident.event_ids),
        "claims": [claim_json(c) for c in incident.claims],
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "incident_id": assessment.incident_id,
        "agreement": assessment.agreement_id,
        "term": assessment.term_id,
        "party": assessment.party,
        "actor": assessment.actor,
        "side": assessment.side,
        "determination": assessment.determination.value,
        "rationale": assessment.rationale,
        "assessor": assessment.assessor,
    }


def commitment_json(commitment: Commitment) -> dict[str, Any]:
    override = commitment.override
    return {
        "agreement": commitment.agreement_id,
        "term": commitment.term_id,
        "text": commitment.text,
        "parties": list(commitment.parties),
        "due": commitment.due.isoformat() if commitment.due else None,
        "as_of": commitment.as_of.isoformat(),
        "status": commitment.status.value,
        "computed": commitment.computed.value,
        "meeting": list(commitment.meeting),
        "breaching": list(commitment.breaching),
        "rationale": commitment.rationale,
        "override": None
        if override is None
        else {
            "status": override.status.value,
            "reason": override.reason,
            "by": override.by,
            "on": override.on.isoformat() if override.on else None,
        },
    }


def agreement_json(agreement: AgreementSpec) -> dict[str, Any]:
    """An agreement as the profile states it, with each obligation's deadline as a date."""
    data: dict[str, Any] = agreement.model_dump(mode="json", by_alias=True)
    for obligation, spec in zip(data.get("obligations", []), agreement.obligations, strict=True):
        due = agreement.due(spec)
        obligation["due"] = due.isoformat() if due else None
    return data


def point_json(point: MapPoint) -> dict[str, Any]:
    return {
        "id": point.id,
        "lat": point.lat,
        "lon": point.lon,
        "type": point.event_type,
        "sub_type": point.sub_event_type,
        "status": point.status,
        "date": point.date.isoformat() if point.date else None,
        "place": point.place,
    }
