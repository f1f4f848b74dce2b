"""JSON Lines of full incidents: one object a line with the incident's fields, its claims side by
side, its member events with their evidence (article id, evidence and trigger spans — offsets into
the article text —, modality, confidence, outlet) and the possible violations the reader may see.
Each line reads back with ``json.loads``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ceasefire.exports.common import (
    actor_json,
    assessment_json,
    claim_json,
    date_json,
    dumps,
    incident_fields,
    span_json,
    unix,
)
from ceasefire.exports.records import EvidenceRef, ExportRecord, FormatContext


def evidence_json(ref: EvidenceRef) -> dict[str, Any]:
    event = ref.event
    return {
        "event_id": ref.event_id,
        "article_id": event.article_id,
        "outlet": ref.outlet,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "modality": event.modality.value,
        "claimed_by": actor_json(event.claimed_by),
        **date_json(event.date),
        "fatalities": event.fatalities,
        "confidence": event.confidence,
        "evidence": span_json(event.evidence),
        "trigger": span_json(event.trigger),
        "coder": event.coder,
    }


def incident_document(record: ExportRecord) -> dict[str, Any]:
    """The full JSON object of one incident."""
    data = incident_fields(record.incident)
    data["updated"] = unix(record.updated_at)
    data["events"] = list(record.incident.event_ids)
    data["claims"] = [claim_json(c) for c in record.incident.claims]
    data["evidence"] = [evidence_json(e) for e in record.evidence]
    data["assessments"] = [assessment_json(a) for a in record.assessments]
    return data


def jsonl(records: Iterable[ExportRecord], context: FormatContext) -> Iterator[str]:
    """One line per record."""
    del context
    for record in records:
        yield dumps(incident_document(record)) + "\n"
