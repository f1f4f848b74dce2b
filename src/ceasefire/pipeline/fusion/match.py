"""The matching rule: when two statements can be about the same happening.

Two fusable statements *match* when every one of these gates holds (it is a rule, not a weighted
score, so that a decision can be explained in one sentence and never depends on other reports):

1. **Type**: the same ``event_type`` (hence the same family). Sub-event types may differ: one
   outlet's "Shelling/artillery/missile attack" on a port and another's "Air/drone strike" on it are
   often the same attack told by people who could not see the weapon; the incident takes the
   majority sub type.
2. **Date**: the windows overlap. ACLED's unit is the day, so two day-precision statements match
   only on the same day; a week- or month-precision statement matches the days inside it; an undated
   statement matches through the week before its publication (see blocking).
3. **Place**: two precise places (geo_precision 1–2) within 25 km (haversine); a region-level place
   (geo_precision 3) matches places in the same admin1, or anywhere in its country when it names no
   admin1; two statements without a place match only when they name a common known actor, and a
   statement without a place meets a placed one on the same condition.
4. **Actors**: actor1 against actor1 and actor2 against actor2 are each *same* (same profile id),
   *allied* (same side, e.g. two units of one coalition), *unknown* (one side not stated or not a
   profile actor) or *conflicting* (two different actors not known to be on one side). No position
   may conflict: two neutral accounts that blame different sides are two happenings (mutual shelling
   is two events). For symmetric types (battles, talks, agreements, confidence building: "clashes
   between A and B" is "clashes between B and A") the swapped pairing is tried too.
   **Except** when either statement is a party's version (claimed, denied, or from a party's own
   outlet): a party's claim that "the GNA shelled the port" and the other party's "the LNA shelled
   the port" at the same place and date are one *disputed* incident, and a denial names what it
   denies; then conflicting actors do not block the match.

Two statements of one article follow the same rule. The extractor emits one event per happening and
statement, and ACLED's unit is one type on one day at one place between the same actors, so two such
statements of one article are one incident; they share an origin, so they never add corroboration.
"""

from __future__ import annotations

import math

from ceasefire.domain.events import ActorRef
from ceasefire.pipeline.fusion.blocking import KM_PER_DEGREE, NO_PLACE, RADIUS_KM, Item

#: event types whose actor1 and actor2 are interchangeable
SYMMETRIC_TYPES = frozenset({"Battles", "talks", "agreement", "confidence_building"})

SAME = 3
ALLIED = 2
UNKNOWN = 1
CONFLICT = 0

_EARTH_RADIUS_KM = KM_PER_DEGREE * 180 / math.pi


def relation(left: ActorRef | None, right: ActorRef | None) -> int:
    """How two actors in one role relate: SAME, ALLIED, UNKNOWN or CONFLICT."""
    if left is None or right is None or left.id is None or right.id is None:
        return UNKNOWN
    if left.id == right.id:
        return SAME
    if left.side is not None and left.side == right.side:
        return ALLIED
    return CONFLICT


def opposed(left: ActorRef | None, right: ActorRef | None) -> bool:
    """Two known actors on two known, different sides."""
    return (
        left is not None
        and right is not None
        and left.id is not None
        and right.id is not None
        and left.id != right.id
        and left.side is not None
        and right.side is not None
        and left.side != right.side
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _near(a: Item, b: Item) -> bool:
    """Within RADIUS_KM: cheap bounds first (a degree of latitude is 111 km, a degree of
    longitude at most that), the haversine only when they cannot decide."""
    dlat = abs(a.lat - b.lat) * KM_PER_DEGREE
    if dlat > RADIUS_KM:
        return False
    dlon = abs(a.lon - b.lon)
    if dlon > 180:
        dlon = 360 - dlon
    if dlat + dlon * KM_PER_DEGREE <= RADIUS_KM:  # the sum of the legs bounds the distance
        return True
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= RADIUS_KM


def places_match(a: Item, b: Item) -> bool:
    if a.geo_rank == NO_PLACE or b.geo_rank == NO_PLACE:
        return a.geo_rank == b.geo_rank and not a.actor_ids.isdisjoint(b.actor_ids)
    if a.geo_rank <= 2 and b.geo_rank <= 2:
        return _near(a, b)
    if a.country != b.country:
        return False
    if (a.geo_rank == 3 and a.admin1 is None) or (b.geo_rank == 3 and b.admin1 is None):
        return True
    return a.admin1 is not None and a.admin1 == b.admin1


def actors_agree(a: Item, b: Item) -> bool:
    """No actor role conflicts (trying the swapped pairing for symmetric types)."""
    ea, eb = a.report.event, b.report.event
    if relation(ea.actor1, eb.actor1) != CONFLICT and relation(ea.actor2, eb.actor2) != CONFLICT:
        return True
    return (
        ea.event_type in SYMMETRIC_TYPES
        and relation(ea.actor1, eb.actor2) != CONFLICT
        and relation(ea.actor2, eb.actor1) != CONFLICT
    )


def compatible(a: Item, b: Item) -> bool:
    """Whether two statements can be about one happening (the gates of the module docstring)."""
    if a.singleton or b.singleton or a.event_type != b.event_type or a.article != b.article:
        return False
    if a.end < b.start or b.end < a.start:
        return False
    if not places_match(a, b):
        return False
    return a.version or b.version or actors_agree(a, b)
