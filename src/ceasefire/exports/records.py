"""What every export format takes: an incident with what its reader may see, and the formats."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ceasefire.domain.agreements import Assessment
from ceasefire.domain.events import Event
from ceasefire.domain.incidents import Incident
from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy


class ExportFormat(StrEnum):
    ACLED_CSV = "acled-csv"
    GEOJSON = "geojson"
    JSONL = "jsonl"
    PLOVER = "plover"

    @property
    def media_type(self) -> str:
        return {
            ExportFormat.ACLED_CSV: "text/csv; charset=utf-8",
            ExportFormat.GEOJSON: "application/geo+json",
            ExportFormat.JSONL: "application/x-ndjson",
            ExportFormat.PLOVER: "application/x-ndjson",
        }[self]

    @property
    def extension(self) -> str:
        return {
            ExportFormat.ACLED_CSV: "csv",
            ExportFormat.GEOJSON: "geojson",
            ExportFormat.JSONL: "jsonl",
            ExportFormat.PLOVER: "plover.jsonl",
        }[self]


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """One member event of an incident, as the JSON Lines export shows its evidence."""

    event_id: str
    event: Event
    outlet: str


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """An incident as one reader may see it.

    ``assessments`` holds only the possible violations the reader's role may see; ``updated_at``
    is when fusion or a review last wrote the incident (UTC); ``evidence`` is filled only for the
    formats that need the member events (JSON Lines)."""

    incident: Incident
    updated_at: datetime
    assessments: tuple[Assessment, ...] = ()
    evidence: tuple[EvidenceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class FormatContext:
    """What the formats read besides the records: the conflict profile and the taxonomy."""

    profile: Profile
    taxonomy: Taxonomy
    include_process: bool = False  # ACLED CSV: also the ceasefire-process incidents


#: a format: records in, text chunks out (no I/O)
Formatter = Callable[[Iterable[ExportRecord], FormatContext], Iterator[str]]
