"""Fusion speed: synthetic events fused into incidents on one core, and how the cost grows.

Usage: .venv/bin/python benchmarks/fusion_bench.py [--events N ...] [--seed S]

Default: 10,000 and 100,000 events. The events are made to look like a conflict's news stream at a
constant rate of about 91 events a day, so 100,000 events cover three years (2019-2021) and 10,000
events the first 110 days: a ten times longer stream, as an archive grows (packing ten times more
events into the same days would measure a ten times denser war, not scaling). About 50 places with a
few km of jitter, nine event types (six of violence, three of the ceasefire process) with their sub
types, ten actors on two sides, dates of day (80%), week (10%) and month (10%) precision, places of
point (85%), near-point (10%) and region (5%) precision, statements asserted (80%), claimed by a
party (12%) or denied (8%), and 1 to 5 reports per happening from 40 outlets, a third of them
attributed to a wire. Only ``fuse`` is timed (building the synthetic reports is not), with the
garbage collector on as in production. Prints wall and CPU seconds per run (CPU time is the fairer
measure on a shared machine), events per second, incidents found, and the ratio of the largest run's
time to the smallest's against the ratio of their sizes."""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from ceasefire.domain.events import ActorRef, Event, EventDate, Location, Modality, Span
from ceasefire.domain.incidents import Report
from ceasefire.pipeline.fusion import fuse

START = date(2019, 1, 1)
EVENTS_PER_DAY = 100_000 / (3 * 365)
TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Battles": ("violence", ("Armed clash", "Government regains territory")),
    "Explosions/Remote violence": (
        "violence",
        ("Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED"),
    ),
    "Violence against civilians": ("violence", ("Attack", "Abduction/forced disappearance")),
    "Protests": ("violence", ("Peaceful protest",)),
    "Riots": ("violence", ("Violent demonstration",)),
    "Strategic developments": ("violence", ("Arrests", "Looting/property destruction")),
    "talks": ("process", ("negotiation round", "meeting")),
    "deployment": ("process", ("troop deployment", "reinforcement")),
    "confidence_building": ("process", ("prisoner exchange",)),
}
ACTORS = [ActorRef(f"actor{i}", f"Actor {i}", side="east" if i < 5 else "west") for i in range(10)]
OUTLETS = [f"outlet{i}" for i in range(40)]
WIRES = ["Reuters", "AFP", "AP", "Anadolu Agency", "Xinhua"]


def places(rng: random.Random) -> list[Location]:
    out = []
    for i in range(50):
        lat = rng.uniform(25.0, 33.0)
        lon = rng.uniform(10.0, 25.0)
        out.append(Location(f"Place {i}", lat, lon, 1, f"region{i % 12}", "Libya", f"p{i}"))
    return out


def happening_date(rng: random.Random, days: int) -> date:
    return START + timedelta(days=rng.randrange(days))


def statement_date(rng: random.Random, day: date) -> EventDate:
    roll = rng.random()
    if roll < 0.8:
        return EventDate(day, day, 1)
    if roll < 0.9:
        monday = day - timedelta(days=day.weekday())
        return EventDate(monday, monday + timedelta(days=6), 2)
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return EventDate(first, last, 3)


def statement_place(rng: random.Random, place: Location) -> Location:
    roll = rng.random()
    jitter = 0.03 if roll < 0.85 else 0.08  # ~3 km, ~9 km
    precision = 1 if roll < 0.85 else 2
    if roll >= 0.95:
        return Location(place.admin1 or "", place.lat, place.lon, 3, place.admin1, "Libya")
    return Location(
        place.name,
        place.lat + rng.uniform(-jitter, jitter),
        place.lon + rng.uniform(-jitter, jitter),
        precision,
        place.admin1,
        place.country,
        place.place_id,
    )


def synthetic_reports(count: int, seed: int) -> list[Report]:
    rng = random.Random(seed)
    days = max(7, round(count / EVENTS_PER_DAY))
    gazetteer = places(rng)
    type_names = sorted(TYPES)
    reports: list[Report] = []
    happening = 0
    while len(reports) < count:
        happening += 1
        event_type = rng.choice(type_names)
        family, subs = TYPES[event_type]
        sub = rng.choice(subs)
        day = happening_date(rng, days)
        place = rng.choice(gazetteer)
        actor1, actor2 = rng.sample(ACTORS, 2)
        dead = rng.choice([None, None, 0, 1, 2, 3, 5, 8, 12])
        for n in range(rng.randint(1, 5)):
            if len(reports) >= count:
                break
            roll = rng.random()
            modality = Modality.ASSERTED
            claimed_by = None
            if roll < 0.08:
                modality, claimed_by = Modality.DENIED, actor1
            elif roll < 0.2:
                modality, claimed_by = Modality.CLAIMED, rng.choice((actor1, actor2))
            event = Event(
                article_id=f"a{happening}-{n}",
                event_type=event_type,
                sub_event_type=sub if rng.random() < 0.9 else rng.choice(subs),
                family=family,
                actor1=actor1 if rng.random() < 0.9 else None,
                actor2=actor2 if rng.random() < 0.7 else None,
                location=statement_place(rng, place),
                date=statement_date(rng, day),
                fatalities=None if dead is None else max(0, dead + rng.randint(-1, 2)),
                wounded=None,
                modality=modality,
                claimed_by=claimed_by,
                evidence=Span(0, 10, "a sentence"),
                trigger=Span(2, 5, "hit"),
                confidence=0.9,
                coder="bench",
            )
            outlet = rng.choice(OUTLETS)
            origin = rng.choice(WIRES) if rng.random() < 0.33 else outlet
            reports.append(
                Report(
                    event_id=f"e{happening:07d}-{n}",
                    event=event,
                    outlet=outlet,
                    origin=origin,
                    published=day + timedelta(days=rng.randint(0, 2)),
                )
            )
    rng.shuffle(reports)
    return reports


def run(count: int, seed: int) -> tuple[float, float, int]:
    reports = synthetic_reports(count, seed)
    wall, cpu = time.perf_counter(), time.process_time()
    incidents = fuse(reports)
    return time.perf_counter() - wall, time.process_time() - cpu, len(incidents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    results: list[tuple[int, float, float]] = []
    for count in args.events:
        wall, cpu, incidents = run(count, args.seed)
        results.append((count, wall, cpu))
        print(
            f"{count:>9,} events: {wall:7.2f} s wall  {cpu:7.2f} s CPU  "
            f"{count / cpu:9,.0f} events/CPU-s  {incidents:,} incidents"
        )
    if len(results) > 1:
        (small, wall_small, cpu_small), (large, wall_large, cpu_large) = min(results), max(results)
        print(
            f"{large / small:.0f}x the events cost {wall_large / wall_small:.2f}x the wall time, "
            f"{cpu_large / cpu_small:.2f}x the CPU time (target: under {1.2 * large / small:.0f}x)"
        )


if __name__ == "__main__":
    main()
