"""PLOVER-style JSON (one object a line): the event category from the taxonomy's ``plover``
mapping, a mode where the sub type says one, actor and recipient with their profile ids and sides,
location, dates and our incident fields.

PLOVER (Halterman et al., the CAMEO successor) codes ``event`` (ASSAULT, FIGHT, PROTEST,
MOBILIZE, CONSULT, AGREE, REJECT, RETREAT ...) and ``mode`` (how); ``mode`` is given only where
our sub type maps onto one of PLOVER's modes clearly, else null. An incident whose type is not in
the taxonomy (a profile or taxonomy change) gets ``event: null`` rather than a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ceasefire.domain.events import ActorRef
from ceasefire.domain.profile import Profile
from ceasefire.exports.common import (
    acled_actor_name,
    actor_spec,
    assessment_json,
    date_json,
    dumps,
    location_json,
    modalities,
    outlets,
    taxonomy_entry,
    unix,
)
from ceasefire.exports.records import ExportRecord, FormatContext

#: our sub type id → PLOVER mode
MODES = {
    "armed_clash": "small-arms",
    "shelling": "artillery",
    "air_drone_strike": "aerial",
    "remote_explosive": "explosives",
    "suicide_bomb": "suicide",
    "grenade": "explosives",
    "chemical_weapon": "wmd",
    "abduction": "abduction",
    "sexual_violence": "sexual",
    "peaceful_protest": "demonstrate",
    "violent_demonstration": "riot",
    "arrests": "arrest",
    "looting": "property-destruction",
}


def _actor(profile: Profile, actor: ActorRef | None, day: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    spec = actor_spec(profile, actor, day)
    return {
        "name": actor.name,
        "id": actor.id,
        "acled_name": acled_actor_name(profile, actor),
        "kind": spec.kind.value if spec is not None else None,
        "country": spec.country if spec is not None else None,
        "side": actor.side,
    }


def plover_event(record: ExportRecord, context: FormatContext) -> dict[str, Any]:
    """One PLOVER-style object."""
    incident = record.incident
    entry = taxonomy_entry(context.taxonomy, incident)
    day = incident.date.start if incident.date else None
    dates = date_json(incident.date)
    return {
        "id": incident.id,
        "event": entry[1].plover if entry else None,
        "mode": MODES.get(entry[1].id) if entry else None,
        "context": incident.family,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "actor": _actor(context.profile, incident.actor1, day),
        "recipient": _actor(context.profile, incident.actor2, day),
        "location": location_json(incident.location),
        **dates,
        "fatalities": incident.fatalities,
        "fatalities_high": incident.fatalities_high,
        "status": incident.status.value,
        "independent_sources": incident.independent_sources,
        "modality": modalities(incident),
        "sources": outlets(incident),
        "violations": [assessment_json(a) for a in record.assessments],
        "updated": unix(record.updated_at),
    }


def plover(records: Iterable[ExportRecord], context: FormatContext) -> Iterator[str]:
    """One line per record."""
    for record in records:
        yield dumps(plover_event(record, context)) + "\n"
