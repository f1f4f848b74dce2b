"""GeoJSON (RFC 7946): one FeatureCollection, one Point feature per incident.

Coordinates are ``[longitude, latitude]``; an incident without a place has ``geometry: null``
(allowed by RFC 7946 §3.2). Properties are the incident's fields (actors, dates, place name,
precision codes, fatalities, status, sources), the claims' modalities and the possible
violations the reader may see. The collection is written feature by feature.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ceasefire.exports.common import (
    assessment_json,
    dumps,
    incident_fields,
    modalities,
    outlets,
    unix,
)
from ceasefire.exports.records import ExportRecord, FormatContext


def feature(record: ExportRecord) -> dict[str, Any]:
    """One GeoJSON Feature."""
    incident = record.incident
    location = incident.location
    geometry = {"type": "Point", "coordinates": [location.lon, location.lat]} if location else None
    properties = incident_fields(incident)
    properties.pop("location")
    properties.update(
        {
            "place": location.name if location else None,
            "place_id": location.place_id if location else None,
            "admin1": location.admin1 if location else None,
            "country": location.country if location else None,
            "geo_precision": location.geo_precision if location else None,
            "modality": modalities(incident),
            "sources": outlets(incident),
            "events": list(incident.event_ids),
            "violations": [assessment_json(a) for a in record.assessments],
            "updated": unix(record.updated_at),
        }
    )
    return {"type": "Feature", "id": incident.id, "geometry": geometry, "properties": properties}


def geojson(records: Iterable[ExportRecord], context: FormatContext) -> Iterator[str]:
    """The collection as chunks: its opening, the features comma-separated, its closing."""
    del context  # every incident has a feature; nothing profile-specific
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    for record in records:
        yield ("" if first else ",\n") + dumps(feature(record))
        first = False
    yield "\n]}\n"
