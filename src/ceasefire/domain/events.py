"""Extracted events: one statement of one article about one happening, grounded in spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Modality(StrEnum):
    ASSERTED = "asserted"  # the reporter states it
    CLAIMED = "claimed"  # a named party says it (claimed_by)
    DENIED = "denied"  # a party denies it (claimed_by is the denier)
    PLANNED = "planned"  # scheduled, future
    CONDITIONAL = "conditional"  # "if talks fail, we will ..."
    NEGATED = "negated"  # "left without signing"
    BACKGROUND = "background"  # history recalled


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ActorRef:
    id: str | None  # profile actor id; None for an actor the profile does not know
    name: str
    acled_name: str | None = None
    side: str | None = None  # the actor's side on the event date
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    lat: float
    lon: float
    geo_precision: (
        int  # ACLED: 1 the place itself, 2 near it or a part of a region, 3 region/country
    )
    admin1: str | None
    country: str
    place_id: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class EventDate:
    start: date
    end: date
    time_precision: int  # ACLED: 1 day, 2 week, 3 month or more
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Event:
    article_id: str
    event_type: str  # ACLED event type name, or the process type id
    sub_event_type: str
    family: str
    actor1: ActorRef | None
    actor2: ActorRef | None
    location: Location | None
    date: EventDate | None
    fatalities: int | None
    wounded: int | None
    modality: Modality
    claimed_by: ActorRef | None
    evidence: Span  # the sentence that states the event, offsets into the article text
    trigger: Span
    confidence: float
    coder: str  # the extractor's versioned name
