"""Incidents: real-world happenings built from the events of many reports.

An event is one statement of one article; fusion groups the events that speak of the same happening
into an incident, counts how many *independent* sources report it, keeps the competing statements of
the parties as claims side by side, and chooses canonical fields by rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ceasefire.domain.documents import SourceKind
from ceasefire.domain.events import ActorRef, Event, EventDate, Location


class IncidentStatus(StrEnum):
    REPORTED = "reported"  # one independent source
    CORROBORATED = "corroborated"  # two or more independent sources
    DISPUTED = "disputed"  # a party denies it, or sources conflict on a key fact
    VERIFIED = "verified"  # a human confirmed it (never set by the pipeline)
    REJECTED = "rejected"  # a human rejected it (never set by the pipeline)


class Stance(StrEnum):
    ASSERTS = "asserts"  # the reporter or a neutral source states it
    CLAIMS = "claims"  # a party says it happened
    DENIES = "denies"  # a party says it did not happen


@dataclass(frozen=True, slots=True)
class Report:
    """An event as fusion sees it: the statement and where it came from.

    ``origin`` is who the information really comes from, for independence: the wire agency a
    story is attributed to ("Reuters"), else the syndication group of near-identical copies, else
    the outlet itself. ``party`` is the actor id of a party that owns the outlet (its statements
    are that party's claims).
    """

    event_id: str
    event: Event
    outlet: str
    origin: str
    source_kind: SourceKind = SourceKind.NEWS
    party: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """One party's (or a neutral source's) version of an incident, kept side by side."""

    event_id: str
    stance: Stance
    by: ActorRef | None  # the party making the claim or denial; None for a neutral account
    outlet: str
    actor1: ActorRef | None
    fatalities: int | None
    text: str  # the evidence sentence


@dataclass(frozen=True, slots=True)
class Incident:
    """A cluster of events about one happening, with canonical fields chosen by rule."""

    id: str
    event_type: str
    sub_event_type: str
    family: str
    actor1: ActorRef | None
    actor2: ActorRef | None
    location: Location | None
    date: EventDate | None
    fatalities: int | None  # conservative (ACLED): the lowest credible figure
    fatalities_high: int | None  # the highest figure reported, to keep the range
    event_ids: tuple[str, ...]
    independent_sources: int
    origins: tuple[str, ...]  # the independent origins, sorted
    status: IncidentStatus
    claims: tuple[Claim, ...]
    first_reported: dt.date | None
