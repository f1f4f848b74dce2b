"""Synthetic incidents for benchmarks and large tests, written by bulk inserts (no pipeline).

One generator for every use: ``benchmarks/api_bench.py`` (map, list and incident page queries
with 100,000 incidents), ``tests/integration/test_exports_memory.py`` (exports of 100,000
incidents) and ``tests/e2e/test_api_load.py`` (a smaller load test).

The incidents look like a conflict archive as the queries see it: ten years (2014-2023) with
the intensity of each year (the 2014 split, the 2019-2020 war over Tripoli, calmer years after
the 2020 ceasefire); 75% in a few dense cities (Tripoli, Benghazi, Misrata, Sirte, ...) with a
few km of jitter, 20% scattered over Libya's bounding box, 5% with no place; 1% undated; day
(80%), week (10%) and month (10%) precision; the taxonomy's violent and process event types
with their sub types and realistic weights; actors of the Libya profile with their sides;
statuses reported, corroborated, disputed, verified and rejected; 1 to 4 member events and one
claim for each (at most 3), with denials for disputed incidents; assessments against the
Moscow/Ankara truce for incidents of its period. The ids are SHA-256 digests as fusion makes
them, so their order is unrelated to dates.

With ``articles=True`` the member events are stored too, each one sentence of an article (up to
8 events of 8 different incidents per article, from 6 outlets), with its document and extraction,
so the incident page has sources, evidence and highlighted articles to show. Deterministic for a
given ``seed``.
"""

from __future__ import annotations

import hashlib
import random
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentRepository

BBOX = (9.3, 19.5, 25.2, 33.2)  # Libya: west, south, east, north
FIRST_DAY = date(2014, 1, 1)
#: relative intensity of each year from 2014
YEARS = [1.6, 1.3, 1.1, 0.8, 0.8, 2.2, 1.6, 0.5, 0.5, 0.4]
#: name, admin1, lat, lon, weight
CITIES = [
    ("Tripoli", "Tripoli", 32.8872, 13.1913, 30),
    ("Benghazi", "Benghazi", 32.1167, 20.0667, 14),
    ("Misrata", "Misrata", 32.3754, 15.0925, 8),
    ("Sirte", "Sirte", 31.2089, 16.5887, 7),
    ("Derna", "Derna", 32.7648, 22.6391, 5),
    ("Sabha", "Sabha", 27.0377, 14.4283, 4),
    ("Gharyan", "Jabal al Gharbi", 32.1722, 13.0203, 4),
    ("Ajdabiya", "Al Wahat", 30.7554, 20.2263, 3),
]
#: family, event type, sub event types, weight
TYPES = [
    ("violence", "Battles", ["Armed clash", "Government regains territory"], 30),
    (
        "violence",
        "Explosions/Remote violence",
        ["Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED"],
        30,
    ),
    ("violence", "Violence against civilians", ["Attack", "Abduction/forced disappearance"], 15),
    ("violence", "Protests", ["Peaceful protest", "Protest with intervention"], 8),
    ("violence", "Riots", ["Violent demonstration", "Mob violence"], 4),
    ("violence", "Strategic developments", ["Arrests", "Looting/property destruction"], 8),
    ("process", "talks", ["negotiation_round", "meeting"], 3),
    ("process", "agreement", ["ceasefire_declared", "commitment_announced"], 2),
]
#: id, name, side
ACTORS = [
    ("lna", "Libyan National Army", "east"),
    ("lna_air_force", "LNA air force", "east"),
    ("tariq_bin_ziyad_brigade", "Tariq bin Ziyad Brigade", "east"),
    ("gna", "Government of National Accord", "west"),
    ("gna_air_force", "GNA air force", "west"),
    ("rada", "Rada Special Deterrence Force", "west"),
    ("misrata_brigades", "Misrata brigades", "west"),
    ("libya_dawn", "Libya Dawn", "dawn"),
]
STATUSES = [
    ("reported", 45),
    ("corroborated", 40),
    ("disputed", 8),
    ("verified", 5),
    ("rejected", 2),
]
#: name, domain, kind
OUTLETS = [
    ("Reuters", "reuters.com", "wire"),
    ("AFP", "afp.com", "wire"),
    ("Libya Observer", "libyaobserver.ly", "news"),
    ("Al Wasat", "alwasat.ly", "news"),
    ("Libya Herald", "libyaherald.com", "news"),
    ("UNSMIL", "unsmil.unmissions.org", "un"),
]
TRUCE = (date(2020, 1, 12), date(2020, 10, 23))
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # when every row was written
BLOCK = 8  # incidents whose events share articles


def digest(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


@dataclass
class _Batch:
    """Rows of one bulk insert, per table."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


class _Maker:
    """Draws one incident (and its events and claims) at a time."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.years = [FIRST_DAY.year + i for i in range(len(YEARS))]

    def day(self) -> tuple[date, date, int] | None:
        rng = self.rng
        if rng.random() < 0.01:
            return None
        year = rng.choices(self.years, YEARS)[0]
        start = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        precision = rng.choices([1, 2, 3], [80, 10, 10])[0]
        end = start + timedelta(days={1: 0, 2: 6, 3: 29}[precision])
        return start, end, precision

    def place(self) -> tuple[str, str, float, float, int] | None:
        rng = self.rng
        draw = rng.random()
        if draw < 0.05:
            return None
        if draw < 0.25:
            west, south, east, north = BBOX
            lat, lon = rng.uniform(south, north), rng.uniform(west, east)
            return f"Place {lat:.2f},{lon:.2f}", "Unknown", lat, lon, 2
        name, admin1, lat, lon, _w = rng.choices(CITIES, [c[4] for c in CITIES])[0]
        return name, admin1, lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03), 1

    def incident(self, n: int) -> dict[str, Any]:
        rng = self.rng
        family, event_type, subs, _w = rng.choices(TYPES, [t[3] for t in TYPES])[0]
        actor1 = rng.choice(ACTORS)
        actor2 = (
            rng.choice([a for a in ACTORS if a[2] != actor1[2]]) if rng.random() < 0.7 else None
        )
        when, where = self.day(), self.place()
        members = rng.choices([1, 2, 3, 4], [40, 30, 20, 10])[0]
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        if status in ("reported", "corroborated"):
            status = "corroborated" if members > 1 else "reported"
        outlets = rng.sample(OUTLETS, min(members, len(OUTLETS)))
        return {
            "id": digest("incident", n),
            "family": family,
            "event_type": event_type,
            "sub_event_type": rng.choice(subs),
            "actor1_id": actor1[0],
            "actor1_name": actor1[1],
            "actor1_side": actor1[2],
            "actor2_id": actor2[0] if actor2 else None,
            "actor2_name": actor2[1] if actor2 else None,
            "actor2_side": actor2[2] if actor2 else None,
            "location_name": where[0] if where else None,
            "place_id": where[0].lower() if where and where[4] == 1 else None,
            "lat": where[2] if where else None,
            "lon": where[3] if where else None,
            "geo_precision": where[4] if where else None,
            "admin1": where[1] if where else None,
            "country": "LY" if where else None,
            "date_start": when[0] if when else None,
            "date_end": when[1] if when else None,
            "time_precision": when[2] if when else None,
            "fatalities": rng.choices([0, 1, 2, 3, 5, 10], [50, 20, 12, 8, 6, 4])[0],
            "fatalities_high": None,
            "independent_sources": len({o[0] for o in outlets}),
            "origins": [o[0] for o in outlets],
            "status": status,
            "first_reported": when[0] if when else None,
            "fusion": "synthetic",
            "updated_at": NOW,
            "_members": members,
        }


def sentence(incident: dict[str, Any], outlet: str) -> str:
    place = incident["location_name"] or "an undisclosed place"
    when = incident["date_start"].isoformat() if incident["date_start"] else "an unknown day"
    target = f" against {incident['actor2_name']}" if incident["actor2_name"] else ""
    return (
        f"{incident['actor1_name']} carried out an {incident['sub_event_type'].lower()}{target} "
        f"in {place} on {when}, killing {incident['fatalities']}, {outlet} reported."
    )


def _claims(batch: _Batch, incident: dict[str, Any], events: list[tuple[str, str, str]]) -> None:
    """One claim per member event (at most 3); a disputed incident's second claim is a
    denial by actor2 (or actor1)."""
    for position, (event_id, outlet, text) in enumerate(events[:3]):
        denial = incident["status"] == "disputed" and position == 1
        by = "actor2" if denial and incident["actor2_id"] else "actor1"
        batch.add(
            "claims",
            {
                "incident_id": incident["id"],
                "event_id": event_id,
                "position": position,
                "stance": "denies" if denial else "asserts",
                "by_id": incident[f"{by}_id"] if denial else None,
                "by_name": incident[f"{by}_name"] if denial else None,
                "outlet": outlet,
                "actor1_id": incident["actor1_id"],
                "actor1_name": incident["actor1_name"],
                "fatalities": incident["fatalities"],
                "text": text,
            },
        )


def _assessment(batch: _Batch, incident: dict[str, Any]) -> None:
    start = incident["date_start"]
    if start is None or not TRUCE[0] <= start <= TRUCE[1] or incident["family"] != "violence":
        return
    batch.add(
        "assessments",
        {
            "incident_id": incident["id"],
            "agreement_id": "moscow_ankara_truce",
            "term_id": "truce_cease_hostilities",
            "party": incident["actor1_id"],
            "actor": incident["actor1_id"],
            "side": incident["actor1_side"],
            "determination": "corroborated" if incident["independent_sources"] > 1 else "alleged",
            "rationale": "synthetic",
            "assessor": "synthetic",
            "updated_at": NOW,
        },
    )


def _event_row(
    incident: dict[str, Any], event_id: str, article_id: str, idx: int, span: tuple[int, int, str]
) -> dict[str, Any]:
    start, end, text = span
    copied = (
        "event_type sub_event_type family actor1_id actor1_name actor2_id actor2_name "
        "location_name place_id lat lon geo_precision admin1 country date_start date_end "
        "time_precision fatalities"
    ).split()
    return {
        **{key: incident[key] for key in copied},
        "id": event_id,
        "article_id": article_id,
        "idx": idx,
        "coder": "synthetic",
        "modality": "asserted",
        "confidence": 0.9,
        "evidence_start": start,
        "evidence_end": end,
        "trigger_start": start,
        "trigger_end": start + 5,
        "spans": {"evidence_text": text, "trigger_text": text[:5]},
        "created_at": NOW,
    }


def _articles(batch: _Batch, block: list[dict[str, Any]], first: int, sources: list[int]) -> None:
    """The events of a block of incidents: article ``j`` of the block reports the ``j``-th
    member event of each incident that has one, one sentence each (columns left out are null)."""
    events: dict[str, list[tuple[str, str, str]]] = {i["id"]: [] for i in block}
    for j in range(max(i["_members"] for i in block)):
        number = first + j
        article_id, document_id = digest("article", number), digest("document", number)
        source = (first + j) % len(OUTLETS)
        outlet = OUTLETS[source][0]
        reported = [i for i in block if i["_members"] > j]
        text, spans, dates = "", [], []
        for incident in reported:
            said = sentence(incident, outlet)
            spans.append((len(text), len(text) + len(said), said))
            text += said + "\n\n"
            dates += [incident["date_start"]] if incident["date_start"] else []
        published = max(dates) if dates else None
        body = text.encode()
        batch.add(
            "documents",
            {
                "id": document_id,
                "locator": f"synthetic/{number}.txt",
                "media_type": "text/plain",
                "url": f"https://{OUTLETS[source][1]}/news/{number}",
                "source_id": sources[source],
                "source_kind": OUTLETS[source][2],
                "fetched_at": NOW,
                "size": len(body),
                "raw": zlib.compress(body),
            },
        )
        batch.add(
            "articles",
            {
                "id": article_id,
                "document_id": document_id,
                "idx": 0,
                "title": f"Report {number}",
                "text": text,
                "captions": [],
                "published": published,
                "published_precision": "day" if published else None,
                "published_source": "metadata" if published else None,
                "language": "en",
                "source_id": sources[source],
                "url": f"https://{OUTLETS[source][1]}/news/{number}",
                "extractor": "synthetic",
                "minhash": b"\0" * 16,
                "created_at": NOW,
            },
        )
        batch.add(
            "extractions",
            {
                "article_id": article_id,
                "coder": "synthetic",
                "events": len(reported),
                "wire": outlet if OUTLETS[source][2] == "wire" else None,
                "at": NOW,
                "fused": True,
            },
        )
        for idx, (incident, span) in enumerate(zip(reported, spans, strict=True)):
            event_id = digest("event", incident["id"], j)
            batch.add("events", _event_row(incident, event_id, article_id, idx, span))
            events[incident["id"]].append((event_id, outlet, span[2]))
    for incident in block:
        reports = events[incident["id"]]
        incident["origins"] = sorted({outlet for _e, outlet, _t in reports})
        incident["independent_sources"] = len(incident["origins"])
        _claims(batch, incident, reports)
        for event_id, _outlet, _text in events[incident["id"]]:
            batch.add("incident_events", {"event_id": event_id, "incident_id": incident["id"]})


def _members_only(batch: _Batch, incident: dict[str, Any]) -> None:
    """Member events and claims with no stored event rows."""
    events = []
    for j in range(incident["_members"]):
        outlet = incident["origins"][j % len(incident["origins"])]
        events.append((digest("event", incident["id"], j), outlet, sentence(incident, outlet)))
    _claims(batch, incident, events)
    for event_id, _outlet, _text in events:
        batch.add("incident_events", {"event_id": event_id, "incident_id": incident["id"]})


def _sources(store: Store) -> list[int]:
    table = store.sources
    ids = []
    with store.engine.begin() as conn:
        for name, domain, kind in OUTLETS:
            row = {"name": name, "kind": kind, "domain": domain, "reliability": "B"}
            result = conn.execute(insert(table).values(**row, created_at=NOW).returning(table.c.id))
            ids.append(int(result.scalar_one()))
    return ids


ORDER = ["documents", "articles", "extractions", "events", "incidents", "incident_events"]
ORDER += ["claims", "assessments"]


def synthetic(store: Store, count: int, *, articles: bool = False, seed: int = 7) -> None:
    """Write ``count`` synthetic incidents (see the module's docstring) into ``store``."""
    tables = store.articles.metadata.tables
    maker = _Maker(seed)
    sources = _sources(store) if articles else []
    article = 0
    with store.engine.begin() as conn:
        for start in range(0, count, 5000):
            batch = _Batch()
            for first in range(start, min(start + 5000, count), BLOCK):
                block = [maker.incident(n) for n in range(first, min(first + BLOCK, count))]
                if articles:
                    _articles(batch, block, article, sources)
                    article += max(i["_members"] for i in block)
                for incident in block:
                    if not articles:
                        _members_only(batch, incident)
                    _assessment(batch, incident)
                    members = incident.pop("_members")
                    assert members >= 1
                    batch.add("incidents", incident)
            for name in ORDER:
                if batch.rows.get(name):
                    conn.execute(insert(tables[name]), batch.rows[name])
    # written around IncidentRepository.replace: a new version and the day counts made afresh
    IncidentRepository(store).recount()
