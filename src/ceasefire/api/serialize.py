"""Domain objects as JSON for the read API (plain dicts; the dashboard uses the same shapes)."""

from __future__ import annotations

from typing import Any

from ceasefire.domain.agreements import AgreementSpec, Assessment, Commitment
from ceasefire.domain.events import Event
from ceasefire.domain.incidents import Incident
from ceasefire.exports.common import (
    actor_json,
    claim_json,
    date_json,
    incident_fields,
    location_json,
    span_json,
)
from ceasefire.exports.common import assessment_json as assessment_fields
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


def event_json(event_id: str, event: Event, incident_id: str | None = None) -> dict[str, Any]:
    """An event with every span pointing into its article's text."""
    return {
        "id": event_id,
        "article_id": event.article_id,
        "incident_id": incident_id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "family": event.family,
        **date_json(event.date),
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


def incident_json(incident: Incident) -> dict[str, Any]:
    """An incident with its member events and its claims side by side."""
    return {
        **incident_fields(incident),
        "events": list(incident.event_ids),
        "claims": [claim_json(c) for c in incident.claims],
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {"incident_id": assessment.incident_id, **assessment_fields(assessment)}


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


#: a map point's keys in JSON, in the order of :class:`MapPoint`'s fields
POINT_KEYS = ("id", "lat", "lon", "type", "sub_type", "status", "date", "place")


def point_json(point: MapPoint) -> dict[str, Any]:
    """A map point as JSON (its date left a ``date``: the answer is encoded by ``to_json``)."""
    return dict(zip(POINT_KEYS, point, strict=True))
