"""Canonical fields of an incident, chosen by rule from its statements.

- **id**: ``sha256("incident:" + the smallest member event id)``, hex. It depends only on the
  members, never on the order they arrived; it changes when a statement with a smaller id joins
  (the index reports the old id as removed).
- **date**: among the statements with a date, those of the most precise time precision; the
  intersection of their intervals (never empty: members' dates pairwise overlap), with that
  precision. Undated statements give no date; an incident of undated statements has none.
- **place**: among the statements with a place, those of the most precise geo precision; the place
  most of them name (by place id, else name and coordinates), ties going to the earliest statement
  in the cluster order. Spans are dropped (they point into one article).
- **actor1 / actor2**: a weighted vote per role among asserted and claimed statements: a neutral
  account weighs 2, a party's version 1; known profile actors outvote actors the profile does not
  know; ties go to the statement earliest in the cluster order. Only when no such statement names an
  actor do denials vote (a denial alone still names who is accused). actor2 never repeats actor1.
- **event type**: shared by all members (a matching gate); **sub-event type** by majority, ties to
  the earliest statement in the cluster order.
- **fatalities**: ACLED-style conservative, the lowest figure among asserted and claimed statements
  that give one (denials give none), with ``fatalities_high`` the highest, so the range is kept.
- **first_reported**: the earliest publication date among the statements.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ceasefire.domain.events import ActorRef, EventDate, Location, Modality
from ceasefire.domain.incidents import Incident, Report
from ceasefire.pipeline.fusion.blocking import Item, actor_key
from ceasefire.pipeline.fusion.independence import claims_of, independent_origins, status_of

_STATED = frozenset({Modality.ASSERTED, Modality.CLAIMED})
_DENIED = frozenset({Modality.DENIED})


def incident_id(event_ids: Sequence[str]) -> str:
    """The id of the incident made of these events (see the module docstring)."""
    return hashlib.sha256(f"incident:{min(event_ids)}".encode()).hexdigest()


def _canonical_date(reports: Sequence[Report]) -> EventDate | None:
    dates = [report.event.date for report in reports if report.event.date is not None]
    if not dates:
        return None
    precision = min(d.time_precision for d in dates)
    best = [d for d in dates if d.time_precision == precision]
    start = max(min(d.start, d.end) for d in best)
    end = min(max(d.start, d.end) for d in best)
    if end < start:  # cannot happen for a cluster; keep the earliest interval if it does
        first = min(best, key=lambda d: (d.start, d.end))
        start, end = first.start, first.end
    return EventDate(start=start, end=end, time_precision=precision)


def _place_key(location: Location) -> tuple[str, ...]:
    if location.place_id is not None:
        return ("id", location.place_id)
    return ("at", location.name.casefold(), f"{location.lat:.4f}", f"{location.lon:.4f}")


def _canonical_place(reports: Sequence[Report]) -> Location | None:
    places = [report.event.location for report in reports if report.event.location is not None]
    if not places:
        return None
    precision = min(place.geo_precision for place in places)
    counts: dict[tuple[str, ...], int] = {}
    for place in places:
        key = _place_key(place)
        counts[key] = counts.get(key, 0) + 1
    best = max(
        (place for place in places if place.geo_precision == precision),
        key=lambda place: counts[_place_key(place)],
    )  # max keeps the first of equals: the earliest in the cluster order
    return best if best.span is None else replace(best, span=None)


def _bare(actor: ActorRef) -> ActorRef:
    return actor if actor.span is None else replace(actor, span=None)


def _vote(group: Sequence[Item], second: bool, exclude: str | None) -> ActorRef | None:
    """The canonical actor1 (or actor2 when ``second``) by the weighted vote of the docstring."""
    for modalities in (_STATED, _DENIED):
        # key -> (known to the profile, weight, -first position); max() picks the winner
        tally: dict[str, tuple[int, int, int]] = {}
        first: dict[str, ActorRef] = {}
        for position, item in enumerate(group):
            event = item.report.event
            actor = event.actor2 if second else event.actor1
            if actor is None or event.modality not in modalities:
                continue
            key = actor_key(actor)
            if key == exclude:
                continue
            weight = 1 if item.voice is not None else 2
            known, total, rank = tally.get(key, (int(actor.id is not None), 0, -position))
            tally[key] = (known, total + weight, rank)
            if key not in first:
                first[key] = actor
        if tally:
            return _bare(first[max(tally, key=tally.__getitem__)])
    return None


def _sub_event_type(reports: Sequence[Report]) -> str:
    counts: dict[str, tuple[int, int]] = {}
    for position, report in enumerate(reports):
        sub = report.event.sub_event_type
        count, rank = counts.get(sub, (0, -position))
        counts[sub] = (count + 1, rank)
    return max(counts, key=lambda sub: counts[sub])


def _fatalities(reports: Sequence[Report]) -> tuple[int | None, int | None]:
    figures = [
        report.event.fatalities
        for report in reports
        if report.event.fatalities is not None and report.event.modality is not Modality.DENIED
    ]
    if not figures:
        return None, None
    return min(figures), max(figures)


def _first_reported(reports: Sequence[Report]) -> date | None:
    days = [report.published for report in reports if report.published is not None]
    return min(days) if days else None


def build_incident(group: Sequence[Item]) -> Incident:
    """The incident of one cluster, its members in the cluster order."""
    reports = [item.report for item in group]
    event_ids = tuple(sorted(report.event_id for report in reports))
    first = reports[0].event
    actor1 = _vote(group, False, None)
    actor2 = _vote(group, True, actor_key(actor1) if actor1 is not None else None)
    low, high = _fatalities(reports)
    origins = independent_origins(reports)
    return Incident(
        id=incident_id(event_ids),
        event_type=first.event_type,
        sub_event_type=_sub_event_type(reports),
        family=first.family,
        actor1=actor1,
        actor2=actor2,
        location=_canonical_place(reports),
        date=_canonical_date(reports),
        fatalities=low,
        fatalities_high=high,
        event_ids=event_ids,
        independent_sources=len(origins),
        origins=origins,
        status=status_of(reports, len(origins)),
        claims=claims_of(reports),
        first_reported=_first_reported(reports),
    )


def incident_order(incident: Incident) -> tuple[date, date, str]:
    """Incidents are listed by date (undated last), then id."""
    if incident.date is None:
        return date.max, date.max, incident.id
    return incident.date.start, incident.date.end, incident.id
