"""Blocking: which reports are ever compared, so that fusion's cost grows near-linearly.

Only *fusable* statements take part: those that say something happened, with modality asserted,
claimed or denied. Planned, conditional, negated and background events describe no happening; fusion
ignores them (they are in no incident, and the caller keeps them as events).

Every fusable report becomes an :class:`Item`: the report with what matching needs precomputed.

**Dates.** An item's *window* is its date interval (days as ordinals). A report whose event has no
date but whose article has a publication date gets the week before publication, ``[published - 7,
published]``, for matching only (it never gives the incident its date). A report with neither
(an undated event of an undated article) is compared only with the other such statements of its
own article: one article telling, without any date, of a capture and of its denial at one place
speaks of one happening. A report whose interval is longer than a year is a *singleton*: it forms
an incident alone and is never compared (nothing bounded can be said about when it happened).

**Block keys** are ``(event_type, week, place key)``, where ``week`` is every 7-day bucket (day
ordinal // 7) the window touches: a day-precision event has one, a month-precision event five or
six, so a month-precision statement meets the day-precision statements inside its month, and
nothing else. Place keys:

- precise places (geo_precision 1 or 2): every cell of a 1° grid touched by a square of
  ±12.5 km around the point (at most four cells), so two points within 25 km always share a cell;
- regions: every located item is *passive* in its country's key and its admin1's key; a region-level
  item (geo_precision 3) is *active* in its admin1's key, or its country's key when it has no
  admin1;
- actors: an item without a place is active in the key of each known actor id it names: it meets
  only other placeless statements naming one of its actors (a placed statement is better matched by
  place, and letting every placed statement wait in actor blocks would double the index).

Two items are *candidates* when they share a key in which at least one of them is active. So precise
items meet nearby precise items through cells, vague places meet every place inside them, and
placeless items meet only placeless items naming one of their actors, in the same weeks. Blocking is
complete for the matching rule (:mod:`ceasefire.pipeline.fusion.match`): every compatible pair
shares a key."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ceasefire.domain.events import ActorRef, Event, Modality
from ceasefire.domain.incidents import Report

#: modalities of statements that say something happened
FUSABLE = frozenset({Modality.ASSERTED, Modality.CLAIMED, Modality.DENIED})
WEEK_DAYS = 7
CELL_DEGREES = 1.0
RADIUS_KM = 25.0
KM_PER_DEGREE = 111.195
MAX_WINDOW_DAYS = 366
UNDATED_WINDOW_DAYS = 7
#: the effective time precision of an undated report matched through its publication date
UNDATED_PRECISION = 4
#: the geo rank of a report without a place
NO_PLACE = 4

Key = str
_SEP = "\x1f"


def is_fusable(event: Event) -> bool:
    """Whether the event says something happened (asserted, claimed or denied)."""
    return event.modality in FUSABLE


def actor_key(actor: ActorRef | None) -> str:
    """A stable key for an actor: its profile id, else ``~`` and its folded name, else ""."""
    if actor is None:
        return ""
    if actor.id is not None:
        return actor.id
    return "~" + " ".join(actor.name.casefold().split())


def voice_of(report: Report) -> str | None:
    """The actor whose voice a statement is: the party owning the outlet, else who claims or
    denies it (``claimed_by``); None for a reporter's own account."""
    if report.party is not None:
        return report.party
    event = report.event
    if event.modality in (Modality.CLAIMED, Modality.DENIED) and event.claimed_by is not None:
        return actor_key(event.claimed_by)
    return None


@dataclass(slots=True)
class Item:
    """A fusable report with what matching needs precomputed. Never changed once made (it is
    not frozen only because frozen dataclasses are slow to build, and fusion builds one per
    report)."""

    report: Report
    event_id: str
    event_type: str
    start: int  # the window, as day ordinals (inclusive)
    end: int
    time_rank: int  # 1 day, 2 week, 3 month or more, 4 undated (window from publication)
    geo_rank: int  # 1, 2 precise, 3 region, 4 no place
    lat: float
    lon: float
    admin1: str | None
    country: str | None
    actor_ids: frozenset[str]  # the known actor ids named as actor1 or actor2
    voice: str | None  # whose voice the statement is (see voice_of)
    version: bool  # a party's version: claimed, denied, or from a party's own outlet
    singleton: bool  # never compared (no bounded date)
    article: str | None  # undated and unpublished: compared within this article only


def _window(report: Report) -> tuple[int, int, int] | None:
    date = report.event.date
    if date is not None:
        start, end = date.start.toordinal(), date.end.toordinal()
        if end < start:
            start, end = end, start
        if end - start > MAX_WINDOW_DAYS:
            return None
        return start, end, date.time_precision
    if report.published is not None:
        day = report.published.toordinal()
        return day - UNDATED_WINDOW_DAYS, day, UNDATED_PRECISION
    return None


def _actor_order(actor: ActorRef | None) -> tuple[str, str]:
    if actor is None or actor.id is None:
        return ("", "")
    return (actor.id, actor.side or "")


def prepare(report: Report) -> Item:
    """The matching view of a fusable report."""
    event = report.event
    window = _window(report)
    start, end, time_rank = window if window is not None else (0, 0, UNDATED_PRECISION + 1)
    location = event.location
    if location is None:
        geo_rank, lat, lon, admin1, country = NO_PLACE, 0.0, 0.0, None, None
    else:
        geo_rank = min(max(location.geo_precision, 1), 3)
        lat, lon, admin1, country = location.lat, location.lon, location.admin1, location.country
    actor1, actor2 = event.actor1, event.actor2
    ids = frozenset(
        actor.id for actor in (actor1, actor2) if actor is not None and actor.id is not None
    )
    voice = voice_of(report)
    version = voice is not None or event.modality is not Modality.ASSERTED
    article = None
    if window is None and event.date is None and report.published is None:
        article = event.article_id  # neither a date nor a publication date (see the docstring)
    return Item(
        report,
        report.event_id,
        event.event_type,
        start,
        end,
        time_rank,
        geo_rank,
        lat,
        lon,
        admin1,
        country,
        ids,
        voice,
        version,
        window is None and article is None,
        article,
    )


def cluster_order(item: Item) -> tuple[object, ...]:
    """The fixed order of clustering: precision first, then content, then the event id.

    Everything compatibility reads comes before the event id, so statements with the same content
    are neighbours in this order (cluster relies on it).
    """
    event = item.report.event
    return (
        item.time_rank,
        item.geo_rank,
        item.start,
        item.end,
        item.lat,
        item.lon,
        item.admin1 or "",
        item.country or "",
        _actor_order(event.actor1),
        _actor_order(event.actor2),
        event.modality.value,
        item.voice or "",
        item.event_id,
    )


_HALF_KM = RADIUS_KM / 2 * 1.05  # a small margin for the flat-square approximation
_DLAT = _HALF_KM / KM_PER_DEGREE


def _cells(lat: float, lon: float) -> list[tuple[int, int]]:
    lat_low, lat_high = lat - _DLAT, lat + _DLAT
    widest = min(max(abs(lat_low), abs(lat_high)), 89.0)
    dlon = _HALF_KM / (KM_PER_DEGREE * max(math.cos(math.radians(widest)), 0.01))
    rows = range(math.floor(lat_low / CELL_DEGREES), math.floor(lat_high / CELL_DEGREES) + 1)
    cols = range(
        math.floor((lon - dlon) / CELL_DEGREES), math.floor((lon + dlon) / CELL_DEGREES) + 1
    )
    return [(row, col) for row in rows for col in cols]


def block_keys(item: Item) -> tuple[list[Key], list[Key]]:
    """The keys an item is active in and the keys it is passive in (see the module docstring).

    Keys are flat strings (type, week and place joined by a separator): cheap to hash and never
    tracked by the garbage collector, which matters at a million keys.
    """
    if item.singleton:
        return [], []
    places_active: list[str] = []
    places_passive: list[str] = []
    if item.geo_rank <= 2:
        places_active += [f"c{row}:{col}" for row, col in _cells(item.lat, item.lon)]
    if item.geo_rank <= 3 and item.country is not None:
        region = f"a{item.country}{_SEP}{item.admin1}" if item.admin1 is not None else None
        country = f"n{item.country}"
        if item.geo_rank == 3:
            places_active.append(region or country)
            if region is not None:
                places_passive.append(country)
        else:
            places_passive += [key for key in (region, country) if key is not None]
    if item.geo_rank == NO_PLACE:
        places_active = [f"x{actor}" for actor in sorted(item.actor_ids)]
    active: list[Key] = []
    passive: list[Key] = []
    for week in range(item.start // WEEK_DAYS, item.end // WEEK_DAYS + 1):
        prefix = f"{item.event_type}{_SEP}{week}{_SEP}"
        if item.article is not None:
            prefix = f"{item.event_type}{_SEP}article:{item.article}{_SEP}"
        active += [prefix + place for place in places_active]
        passive += [prefix + place for place in places_passive]
    return active, passive
