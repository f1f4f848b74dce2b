"""The Dask runner (a real LocalCluster of worker processes on 127.0.0.1) produces exactly what
the local runner produces, on SQLite and PostgreSQL, and a rerun skips every completed shard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.config import load_settings
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.process import process
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store, create_engine_for, migrate
from tests.conftest import EXAMPLES, seeds_path
from tests.integration.record import snapshot

pytest.importorskip("distributed", reason="the Dask runner needs the 'dask' extra")


def _corpus() -> list[Path]:
    """The example corpus and, when present, the real seed pages."""
    seeds = seeds_path()
    return [EXAMPLES, seeds] if seeds.is_dir() else [EXAMPLES]


def _ingested(url: str) -> Store:
    settings = load_settings(database_url=url)
    engine = create_engine_for(url)
    migrate(engine)
    store = Store(engine)
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
        summary = Ingestor(store, items, IngestOptions()).run([str(p) for p in _corpus()])
    assert summary.articles_new > 10
    return store


@pytest.fixture(scope="module")
def local_record(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> dict[str, Any]:
    """The reference: the same corpus processed by the local runner."""
    path = tmp_path_factory.mktemp("local") / "local.db"
    store = _ingested(f"sqlite:///{path}")
    summary = process(store, extractor, load_taxonomy())
    assert summary.events > 50 and summary.incidents > 20
    record = snapshot(store)
    store.engine.dispose()
    return record


def test_dask_runner_produces_the_local_runners_incidents(
    database_url: str, local_record: dict[str, Any]
) -> None:
    from ceasefire.runners.dask import run_dask

    store = _ingested(database_url)
    articles = store.count_articles()
    first = run_dask(database_url, "libya", workers=2, shards=8)
    assert first.failed == {}
    assert first.articles == articles
    assert first.shards + first.skipped == 8 and first.shards >= 4
    assert first.events == len(local_record["events"])
    dask_record = snapshot(store)
    for table, rows in local_record.items():
        assert dask_record[table] == rows, f"{table} differs between the local and Dask runners"

    again = run_dask(database_url, "libya", workers=2, shards=8)
    assert (again.shards, again.skipped, again.articles, again.events) == (0, 8, 0, 0)
    assert snapshot(store) == dask_record
    store.engine.dispose()
