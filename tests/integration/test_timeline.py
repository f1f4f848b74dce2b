"""The timeline and the map on SQLite and PostgreSQL: incidents counted per day, week (from
Monday) or month and type in SQL equal the same counts made here in Python, the bucket follows
the span of the matching dates, and the total counts the undated incidents too; the answers a
real server keeps (and their ETags) change with every write of incidents, and only then."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ceasefire.domain.events import EventDate, Location
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentRepository
from ceasefire.storage.search import Bucket, IncidentQueries, IncidentSearch, bucket_for
from tests.e2e.browser import live_app

TYPES = ("Battles", "Protests", "talks")


def _incident(number: int, day: date | None, kind: str, place: Location | None = None) -> Incident:
    return Incident(
        id=f"i-{number:05d}",
        event_type=kind,
        sub_event_type=kind,
        family="violence",
        actor1=None,
        actor2=None,
        location=place,
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
    # counted from incident_days (no filter) and from the incidents (a status: all have it)
    assert queries.timeline(IncidentSearch(status="reported")) == found
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
    assert queries.timeline(replace(recent, status="reported")) == narrow


def test_no_match_is_an_empty_timeline(store: Store) -> None:
    IncidentRepository(store).replace([], [_incident(1, None, "talks")], "test")
    empty = IncidentQueries(store).timeline(IncidentSearch(event_type="Battles"))
    assert (empty.bucket, empty.counts, empty.total) == ("day", [], 0)
    undated = IncidentQueries(store).timeline(IncidentSearch())
    assert (undated.counts, undated.total) == ([], 1)


def test_kept_answers_change_with_every_write_of_incidents(store: Store, database_url: str) -> None:
    repo = IncidentRepository(store)
    sirte = Location("Sirte", 31.2, 16.6, 1, "Sirte", "LY")
    first = [_incident(n, date(2020, 1, 1 + n), TYPES[n % 3], sirte) for n in range(20)]
    repo.replace([], first, "test")
    version = repo.version()
    assert repo.version() == version  # reading changes nothing
    with live_app(database_url) as server:
        timeline = server.get("/api/timeline")
        points = server.get("/api/map")
        assert timeline.json()["total"] == len(points.json()["points"]) == 20
        again = server.get("/api/timeline")
        assert again.content == timeline.content
        assert again.headers["etag"] == timeline.headers["etag"]
        unchanged = server.get("/api/timeline", headers={"If-None-Match": timeline.headers["etag"]})
        assert (unchanged.status_code, unchanged.content) == (304, b"")
        # the same filters in another order are the same answer; other filters another one
        one = server.get("/api/timeline?from=2020-01-05&to=2020-01-09")
        other = server.get("/api/timeline?to=2020-01-09&from=2020-01-05")
        assert one.headers["etag"] == other.headers["etag"] != timeline.headers["etag"]
        assert one.json()["total"] == 5

        added = _incident(99, date(2020, 2, 1), "Battles", sirte)
        repo.replace([], [added], "test")
        assert repo.version() != version
        after = server.get("/api/timeline", headers={"If-None-Match": timeline.headers["etag"]})
        assert after.status_code == 200 and after.json()["total"] == 21
        assert after.headers["etag"] != timeline.headers["etag"]
        assert added.id in {p["id"] for p in server.get("/api/map").json()["points"]}

        repo.replace([*first[0].event_ids, *added.event_ids], [], "test")  # two dropped
        assert server.get("/api/timeline").json()["total"] == 19
        assert len(server.get("/api/map").json()["points"]) == 19
        assert server.get("/api/timeline?from=2020-01-05&to=2020-01-09").json()["total"] == 5


# a step: (incident number, day offset or None for undated, type), stored or dropped
_STEPS = st.lists(
    st.tuples(
        st.integers(0, 15),
        st.one_of(st.none(), st.integers(0, 40)),
        st.sampled_from(TYPES),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(_STEPS, min_size=1, max_size=4))
def test_day_counts_follow_every_write(store: Store, batches: list[list[Any]]) -> None:
    """Whatever incidents are stored, re-dated, re-typed or dropped, in whatever batches,
    ``incident_days`` holds the counts a GROUP BY over the incidents gives."""
    repo = IncidentRepository(store)
    repo.replace([f"e-{n:05d}" for n in range(16)], [], "test")  # a clean slate per example
    base = date(2021, 3, 1)
    for batch in batches:
        stored: dict[int, Incident] = {}
        dropped: set[int] = set()
        for number, offset, kind, keep in batch:
            day = None if offset is None else base + timedelta(days=offset)
            if keep:
                stored[number] = _incident(number, day, kind)
                dropped.discard(number)
            else:
                dropped.add(number)
                stored.pop(number, None)
        stale = [f"e-{n:05d}" for n in dropped | set(stored)]
        repo.replace(stale, list(stored.values()), "test")
    _assert_days_are_counted(repo)


def _assert_days_are_counted(repo: IncidentRepository) -> None:
    incidents, days = repo.incidents, repo.days
    with repo.engine.connect() as conn:
        c = incidents.c
        expected = conn.execute(
            select(c.date_start, c.event_type, c.date_end, func.count())
            .where(c.date_start.is_not(None))
            .group_by(c.date_start, c.event_type, c.date_end)
        ).all()
        held = conn.execute(select(days)).all()
    assert sorted(map(tuple, held)) == sorted(map(tuple, expected))


def test_a_bulk_load_is_counted_afresh(store: Store) -> None:
    """Incidents written around ``replace`` (the benchmarks' bulk load) are counted by
    ``recount``, which also gives the incidents a new version."""
    from benchmarks.synthetic import synthetic

    repo = IncidentRepository(store)
    before = repo.version()
    synthetic(store, 600)
    assert repo.version() != before
    _assert_days_are_counted(repo)
    found = IncidentQueries(store).timeline(IncidentSearch())
    assert found.total == 600 and sum(n for _s, _k, n in found.counts) > 500
