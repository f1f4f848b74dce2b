"""The timeline's buckets, on SQLite and PostgreSQL: incidents counted per day, week (from
Monday) or month and type in SQL equal the same counts made here in Python, the bucket follows
the span of the matching dates, and the total counts the undated incidents too."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from ceasefire.domain.events import EventDate
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentRepository
from ceasefire.storage.search import Bucket, IncidentQueries, IncidentSearch, bucket_for

TYPES = ("Battles", "Protests", "talks")


def _incident(number: int, day: date | None, kind: str) -> Incident:
    return Incident(
        id=f"i-{number:05d}",
        event_type=kind,
        sub_event_type=kind,
        family="violence",
        actor1=None,
        actor2=None,
        location=None,
        date=EventDate(day, day, 1) if day else None,
        fatalities=None,
        fatalities_high=None,
        event_ids=(f"e-{number:05d}",),
        independent_sources=1,
        origins=("a",),
        status=IncidentStatus.REPORTED,
        claims=(),
        first_reported=day,
    )


def _start(day: date, bucket: Bucket) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if bucket == "month" else day


@pytest.mark.parametrize(
    ("first", "days", "bucket"),
    [
        (date(2020, 2, 1), 184, "day"),
        (date(2019, 12, 30), 185, "week"),
        (date(2016, 2, 29), 3 * 366, "week"),
        (date(2011, 2, 15), 3 * 366 + 1, "month"),
        (date(2011, 2, 15), 12 * 365, "month"),
    ],
)
def test_buckets_match_a_count_made_here(
    store: Store, first: date, days: int, bucket: Bucket
) -> None:
    rng = random.Random(days)
    last = first + timedelta(days=days - 1)
    dates = [first, last] + [first + timedelta(days=rng.randrange(days)) for _ in range(400)]
    incidents = [_incident(n, day, rng.choice(TYPES)) for n, day in enumerate(dates)]
    incidents += [_incident(1000 + n, None, "talks") for n in range(7)]
    IncidentRepository(store).replace([], incidents, "test")
    queries = IncidentQueries(store)

    found = queries.timeline(IncidentSearch())
    assert bucket_for(first, last) == found.bucket == bucket
    expected = Counter((_start(i.date.start, bucket), i.event_type) for i in incidents if i.date)
    assert {(start, kind): n for start, kind, n in found.counts} == expected
    assert found.counts == sorted(found.counts)  # in date, then type order
    assert found.total == len(incidents)

    # the bucket follows the dates that match, not those of the whole table
    recent = IncidentSearch(date_from=last - timedelta(days=30))
    narrow = queries.timeline(recent)
    assert narrow.bucket == "day"
    matching = [i for i in incidents if i.date and i.date.end >= last - timedelta(days=30)]
    assert sum(n for _s, _k, n in narrow.counts) == narrow.total == len(matching)


def test_no_match_is_an_empty_timeline(store: Store) -> None:
    IncidentRepository(store).replace([], [_incident(1, None, "talks")], "test")
    empty = IncidentQueries(store).timeline(IncidentSearch(event_type="Battles"))
    assert (empty.bucket, empty.counts, empty.total) == ("day", [], 0)
    undated = IncidentQueries(store).timeline(IncidentSearch())
    assert (undated.counts, undated.total) == ([], 1)
