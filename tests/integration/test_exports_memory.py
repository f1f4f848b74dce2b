"""Exports hold one page at a time: 100,000 synthetic incidents are exported by a subprocess
whose resident memory grows by less than 300 MB over what it held before the export began
(after imports, the profile and the database connection).

What is measured: the process's peak RSS (``VmHWM``, over its whole life — not ``ru_maxrss``,
which Linux carries over from the parent through ``exec``, so a child of a large pytest process
would report the parent's peak) minus its current RSS (``VmRSS``) when the export begins: an
upper bound of what the export added, since loading the profile may peak before the export
starts; the current RSS is also sampled during the export.
RSS includes the Python heap, SQLite's page cache and the formatter's buffers. The output is
written to ``os.devnull`` (as a file would be), counting lines. The synthetic incidents have one
claim and two member events each (with no stored event rows, so JSON Lines carries empty
evidence lists) and one assessment for one in ten.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from ceasefire.storage import Store, create_engine_for, migrate
from ceasefire.storage.search import ExportQueries

SRC = Path(__file__).resolve().parents[2] / "src"
COUNT = 100_000
LIMIT_MB = 300

MEASURE = r"""
import json, os, sys
from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.domain.users import Role
from ceasefire.exports.records import ExportFormat, FormatContext
from ceasefire.exports.stream import Export, ExportRequest
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.search import ExportQueries

url, name = sys.argv[1], sys.argv[2]
taxonomy = load_taxonomy()
context = FormatContext(load_profile("libya", taxonomy), taxonomy)
store = Store(create_engine_for(url))
job = Export(ExportQueries(store), context, ExportRequest(ExportFormat(name), role=Role.ANALYST))
def status_kb(field):
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith(field + ":"))
def rss_kb():
    return status_kb("VmRSS")
start = status_kb("VmHWM")
start_rss = sampled = rss_kb()
lines = 0
size = 0
with open(os.devnull, "w", encoding="utf-8") as out:
    for chunk in job.chunks():
        out.write(chunk)
        lines += chunk.count("\n")
        size += len(chunk)
        if lines % 5000 == 0:
            sampled = max(sampled, rss_kb())
peak = status_kb("VmHWM")
print(json.dumps({
    "start_kb": start, "peak_kb": peak, "lines": lines, "chars": size,
    "start_rss_kb": start_rss, "sampled_max_rss_kb": sampled, "end_rss_kb": rss_kb(),
    "written": job.progress.written,
}))
"""


def _synthetic(store: Store, count: int) -> None:
    """``count`` incidents with claims, members and some assessments, by bulk inserts."""
    queries = ExportQueries(store)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    kinds = [
        ("Battles", "Armed clash", "lna", "gna"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "lna", "gna"),
        ("Violence against civilians", "Attack", "gna", None),
    ]
    with store.engine.begin() as conn:
        for start in range(0, count, 10_000):
            incidents: list[dict[str, Any]] = []
            members: list[dict[str, Any]] = []
            claims: list[dict[str, Any]] = []
            assessments: list[dict[str, Any]] = []
            for n in range(start, min(start + 10_000, count)):
                ident = f"{n:064x}"
                event_type, sub, actor1, actor2 = kinds[n % 3]
                day = date(2020, 1, 1) + timedelta(days=n % 365)
                incidents.append(
                    {
                        "id": ident,
                        "family": "violence",
                        "event_type": event_type,
                        "sub_event_type": sub,
                        "actor1_id": actor1,
                        "actor1_name": actor1.upper(),
                        "actor1_side": "east",
                        "actor2_id": actor2,
                        "actor2_name": actor2.upper() if actor2 else None,
                        "actor2_side": "west" if actor2 else None,
                        "location_name": "Tripoli",
                        "place_id": "tripoli",
                        "lat": 32.8872 + (n % 100) / 1000,
                        "lon": 13.1913,
                        "geo_precision": 1,
                        "admin1": "Tripoli",
                        "country": "LY",
                        "date_start": day,
                        "date_end": day,
                        "time_precision": 1,
                        "fatalities": n % 7,
                        "fatalities_high": n % 11,
                        "independent_sources": 1 + n % 3,
                        "origins": ["Reuters", "Libya Observer"],
                        "status": "corroborated" if n % 3 else "reported",
                        "first_reported": day,
                        "fusion": "synthetic",
                        "updated_at": now,
                    }
                )
                members += [
                    {"event_id": f"{n:063x}a", "incident_id": ident},
                    {"event_id": f"{n:063x}b", "incident_id": ident},
                ]
                claims.append(
                    {
                        "incident_id": ident,
                        "position": 0,
                        "event_id": f"{n:063x}a",
                        "stance": "asserts",
                        "outlet": "Reuters",
                        "text": f"Shells hit the port of Tripoli on day {n}, killing {n % 7}.",
                    }
                )
                if n % 10 == 0:
                    assessments.append(
                        {
                            "incident_id": ident,
                            "agreement_id": "moscow_ankara_truce",
                            "term_id": "truce_cease_hostilities",
                            "party": actor1,
                            "actor": actor1,
                            "side": "east",
                            "determination": "corroborated",
                            "rationale": "synthetic",
                            "assessor": "synthetic",
                            "updated_at": now,
                        }
                    )
            conn.execute(insert(queries.incidents), incidents)
            conn.execute(insert(queries.members), members)
            conn.execute(insert(queries.claims), claims)
            conn.execute(insert(queries.assessments), assessments)


@pytest.fixture(scope="module")
def big_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('memory') / 'big.db'}"
    engine = create_engine_for(url)
    migrate(engine)
    _synthetic(Store(engine), COUNT)
    engine.dispose()
    return url


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", ["acled-csv", "jsonl"])
def test_exporting_100000_incidents_stays_within_300_mb(big_database: str, name: str) -> None:
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, big_database, name],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # the process's peak RSS (over its whole life, so also before the export) minus the RSS
    # it had when the export began: an upper bound of what the export added
    grown_mb = (result["peak_kb"] - result["start_rss_kb"]) / 1024
    print(
        f"{name}: {result['written']} incidents, {result['chars'] / 1e6:.0f} M chars in "
        f"{time.monotonic() - began:.1f} s; peak RSS {result['peak_kb'] / 1024:.0f} MB, "
        f"at most {grown_mb:.0f} MB over the start; current RSS "
        f"{result['start_rss_kb'] / 1024:.0f} MB at the start, "
        f"{result['sampled_max_rss_kb'] / 1024:.0f} MB sampled maximum, "
        f"{result['end_rss_kb'] / 1024:.0f} MB at the end"
    )
    assert result["written"] == COUNT
    assert result["lines"] == COUNT + (1 if name == "acled-csv" else 0)
    assert grown_mb < LIMIT_MB
