"""Exports of the incidents built from the real seed pages: every format reads back, cursors
resume without loss or duplicates, ``since`` is incremental, roles see what they may, and the API
streams over a real server."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from benchmarks.synthetic import synthetic
from sqlalchemy import update

from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.domain.incidents import IncidentStatus
from ceasefire.domain.users import Role
from ceasefire.exports.acled import ACLED_COLUMNS, COLUMNS
from ceasefire.exports.records import ExportFormat, FormatContext
from ceasefire.exports.stream import Export, ExportError, ExportRequest
from ceasefire.storage import Store, create_engine_for, migrate
from ceasefire.storage.incidents import IncidentFilter
from ceasefire.storage.search import ExportQueries
from tests.integration.test_incidents import _ingest

SRC = Path(__file__).resolve().parents[2] / "src"
TAXONOMY = load_taxonomy()
CONTEXT = FormatContext(load_profile("libya", TAXONOMY), TAXONOMY)
PLOVER_CATEGORIES = {
    s.plover for _, _, s in TAXONOMY.all_sub_types()
}  # what the taxonomy maps onto


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, extractor) -> Path:  # type: ignore[no-untyped-def]
    """A SQLite database with the seed pages ingested and processed, built once."""
    from ceasefire.config import load_settings
    from ceasefire.services.process import process

    path = tmp_path_factory.mktemp("exports") / "seeds.db"
    settings = load_settings(database_url=f"sqlite:///{path}")
    engine = create_engine_for(settings.database_url)
    migrate(engine)
    store = Store(engine)
    _ingest(settings, store, seeds_dir)
    process(store, extractor, TAXONOMY)
    engine.dispose()
    return path


@pytest.fixture
def db(seeded_file: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the seeded database (tests may change it)."""
    path = tmp_path / "copy.db"
    shutil.copy(seeded_file, path)
    engine = create_engine_for(f"sqlite:///{path}")
    yield Store(engine)
    engine.dispose()


def run(store: Store, request: ExportRequest) -> tuple[str, Export]:
    job = Export(ExportQueries(store), CONTEXT, request)
    return "".join(job.chunks()), job


def all_incidents(store: Store) -> list:  # type: ignore[type-arg]
    return ExportQueries(store).find(IncidentFilter(limit=100_000))


def jsonl_ids(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines()]


def test_acled_csv_reads_back_with_csv_and_pandas_with_acleds_headers_first(db: Store) -> None:
    pandas = pytest.importorskip("pandas")
    text, job = run(db, ExportRequest(ExportFormat.ACLED_CSV, batch=7))
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert tuple(header) == COLUMNS
    violence = [i for i in all_incidents(db) if i.family == "violence"]
    assert len(rows) == len(violence) == job.progress.written > 0
    assert job.progress.skipped == len(all_incidents(db)) - len(violence)
    frame = pandas.read_csv(io.StringIO(text))
    assert list(frame.columns[: len(ACLED_COLUMNS)]) == list(ACLED_COLUMNS)
    assert len(frame) == len(rows)
    port = [
        r
        for r in rows
        if r["event_date"] == "18 February 2020"
        and r["sub_event_type"] == "Shelling/artillery/missile attack"
    ]
    assert len(port) == 1
    [row] = port
    assert row["event_id_cnty"].startswith("LBY") and row["country"] == "Libya"
    assert row["iso"] == "434" and row["year"] == "2020" and row["time_precision"] == "1"
    assert row["disorder_type"] == "Political violence"
    assert row["status"] == "corroborated" and row["independent_sources"] == "2"
    assert row["inter1"] and row["interaction"]
    assert float(row["latitude"]) == pytest.approx(32.9, abs=0.2)
    assert float(row["longitude"]) == pytest.approx(13.2, abs=0.2)
    assert row["notes"] and row["source"]
    assert int(row["timestamp"]) > 1_600_000_000
    with_all, _ = run(db, ExportRequest(ExportFormat.ACLED_CSV, include_process=True))
    assert len(list(csv.DictReader(io.StringIO(with_all)))) == len(all_incidents(db))


def test_geojson_is_a_feature_collection_of_lon_lat_points(db: Store) -> None:
    text, _ = run(db, ExportRequest(ExportFormat.GEOJSON, batch=5))
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    incidents = {i.id: i for i in all_incidents(db)}
    assert {f["id"] for f in data["features"]} == set(incidents)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        incident = incidents[feature["id"]]
        if incident.location is None:
            assert feature["geometry"] is None
            continue
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert (lon, lat) == (incident.location.lon, incident.location.lat)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"]["violations"], list)
    tripoli = [f for f in data["features"] if f["properties"]["place"] == "Tripoli"]
    assert tripoli and all(f["geometry"]["coordinates"][0] < 20 for f in tripoli)  # lon first


def test_jsonl_round_trips_full_incidents_with_evidence(db: Store) -> None:
    text, _ = run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, batch=9))
    incidents = {i.id: i for i in all_incidents(db)}
    lines = [json.loads(line) for line in text.splitlines()]
    assert {d["id"] for d in lines} == set(incidents)
    articles = {s.article.id: s.article for s in db.iter_articles()}
    for data in lines:
        incident = incidents[data["id"]]
        assert data["events"] == list(incident.event_ids)
        assert [c["text"] for c in data["claims"]] == [c.text for c in incident.claims]
        assert {e["event_id"] for e in data["evidence"]} == set(incident.event_ids)
        for evidence in data["evidence"]:
            span = evidence["evidence"]
            assert evidence["article_id"] in articles
            assert span["end"] > span["start"] and span["text"]
    assessed = [d for d in lines if d["assessments"]]
    assert assessed and all("determination" in a for d in assessed for a in d["assessments"])


def test_plover_categories_come_from_the_taxonomy(db: Store) -> None:
    text, _ = run(db, ExportRequest(ExportFormat.PLOVER))
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines and all(d["event"] in PLOVER_CATEGORIES for d in lines)
    for data in lines:
        assert {"event", "mode", "actor", "recipient", "location", "date"} <= data.keys()
    shelling = [d for d in lines if d["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and all(d["event"] == "ASSAULT" and d["mode"] == "artillery" for d in shelling)
    talks = [d for d in lines if d["event_type"] == "talks"]
    assert talks and all(d["event"] == "CONSULT" for d in talks)
    lna = [d for d in lines if d["actor"] and d["actor"]["id"] == "lna"]
    assert lna and all(d["actor"]["kind"] for d in lna)


@pytest.mark.parametrize("step", [1, 4, 13])
def test_a_cursor_resumes_with_exactly_the_remaining_incidents(db: Store, step: int) -> None:
    whole = jsonl_ids(run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST))[0])
    pieces: list[str] = []
    cursor = None
    for _ in range(200):
        text, job = run(
            db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, cursor=cursor, limit=step)
        )
        pieces += jsonl_ids(text)
        cursor = job.progress.next_cursor
        if cursor is None:
            break
    assert pieces == whole
    assert len(set(pieces)) == len(pieces)


def test_an_interrupted_export_resumes_from_its_last_cursor(db: Store) -> None:
    whole = jsonl_ids(run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST))[0])
    job = Export(
        ExportQueries(db), CONTEXT, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, batch=10)
    )
    chunks = job.chunks()
    first = [next(chunks) for _ in range(10)]  # one page written, the reader goes away
    chunks.close()
    resume = job.progress.resume_cursor
    assert resume is not None
    rest, _ = run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, cursor=resume))
    written, resumed = jsonl_ids("".join(first)), jsonl_ids(rest)
    assert resumed[0] == written[-1]  # the one being written when it stopped comes again
    assert written + resumed[1:] == whole


def test_a_malformed_cursor_is_an_error() -> None:
    from ceasefire.exports.stream import decode_cursor

    with pytest.raises(ExportError):
        decode_cursor("not-a-cursor")


def test_since_exports_only_what_changed(db: Store) -> None:
    queries = ExportQueries(db)
    ids = sorted(i.id for i in all_incidents(db))
    old = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    with db.engine.begin() as conn:
        conn.execute(update(queries.incidents).values(updated_at=old))
        conn.execute(update(queries.assessments).values(updated_at=old))
        conn.execute(
            update(queries.incidents)
            .where(queries.incidents.c.id.in_(ids[:3]))
            .values(updated_at=old + timedelta(days=30))
        )
    since = datetime(2026, 1, 15, tzinfo=UTC)
    text, _ = run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, since=since))
    assert sorted(jsonl_ids(text)) == ids[:3]
    assessed = sorted({a.incident_id for a in queries.list_assessments()} - set(ids[:3]))
    assert assessed
    with db.engine.begin() as conn:  # a supervisor's decision rewrites only the assessment
        conn.execute(
            update(queries.assessments)
            .where(queries.assessments.c.incident_id == assessed[0])
            .values(updated_at=old + timedelta(days=30))
        )
    text, _ = run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, since=since))
    assert sorted(jsonl_ids(text)) == sorted([*ids[:3], assessed[0]])
    everything, _ = run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST, since=old))
    assert len(jsonl_ids(everything)) == len(ids)


def test_viewers_never_see_a_rejected_incident_or_an_unconfirmed_allegation(db: Store) -> None:
    queries = ExportQueries(db)
    violence = sorted(i.id for i in all_incidents(db) if i.family == "violence")
    rejected = violence[0]
    with db.engine.begin() as conn:
        conn.execute(
            update(queries.incidents)
            .where(queries.incidents.c.id == rejected)
            .values(status=IncidentStatus.REJECTED.value)
        )
    for export_format in ExportFormat:
        viewer, job = run(db, ExportRequest(export_format))
        analyst, _ = run(db, ExportRequest(export_format, role=Role.ANALYST))
        assert rejected not in viewer and rejected[:16].upper() not in viewer
        assert rejected in analyst
        assert job.progress.hidden == 1
    viewer_lines = [
        json.loads(x) for x in run(db, ExportRequest(ExportFormat.JSONL))[0].split("\n") if x
    ]
    shown = {a["determination"] for d in viewer_lines for a in d["assessments"]}
    assert shown <= {"corroborated", "confirmed"}
    analyst_text = run(db, ExportRequest(ExportFormat.JSONL, role=Role.ANALYST))[0]
    assert '"determination":"alleged"' in analyst_text


def test_filters_narrow_the_export(db: Store) -> None:
    where = IncidentFilter(event_type="Battles", actor="lna")
    text, _ = run(db, ExportRequest(ExportFormat.PLOVER, where=where, role=Role.ANALYST))
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines and all(d["event_type"] == "Battles" for d in lines)
    assert all(
        "lna" in {(d["actor"] or {}).get("id"), (d["recipient"] or {}).get("id")} for d in lines
    )


def test_the_cli_writes_a_file_and_prints_the_next_cursor(
    seeded_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    base = [sys.executable, "-m", "ceasefire", "--db", f"sqlite:///{seeded_file}", "export"]
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [*base, "--format", "jsonl", "--limit", "5", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert len(out.read_text().splitlines()) <= 5
    cursor = done.stderr.split("next --cursor ")[1].split()[0]
    rest = subprocess.run(
        [*base, "--format", "jsonl", "--cursor", cursor],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    both = jsonl_ids(out.read_text()) + jsonl_ids(rest.stdout)
    assert len(both) == len(set(both)) and len(both) >= 5
    bad = subprocess.run([*base, "--cursor", "nope"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "not an export cursor" in bad.stderr


def test_since_and_cursors_on_each_database(store: Store) -> None:
    """The same keyset pages and ``since`` on SQLite (naive UTC times) and PostgreSQL."""
    synthetic(store, 60)  # updated 2026-01-01 00:00 UTC
    queries = ExportQueries(store)
    ids = sorted(i.id for i in all_incidents(store))
    later = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with store.engine.begin() as conn:
        conn.execute(
            update(queries.incidents)
            .where(queries.incidents.c.id.in_(ids[10:20]))
            .values(updated_at=later)
        )
    since = datetime(2026, 3, 1, 11, tzinfo=UTC)
    pieces: list[str] = []
    cursor = None
    while True:
        text, job = run(
            store,
            ExportRequest(
                ExportFormat.JSONL, role=Role.ANALYST, since=since, cursor=cursor, limit=3
            ),
        )
        pieces += jsonl_ids(text)
        cursor = job.progress.next_cursor
        if cursor is None:
            break
    assert pieces == ids[10:20]
    exact, _ = run(store, ExportRequest(ExportFormat.JSONL, since=later))
    assert sorted(jsonl_ids(exact)) == ids[10:20]  # "at or after"
