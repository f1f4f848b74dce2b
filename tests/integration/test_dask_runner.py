"""The Dask runner (a real LocalCluster of worker processes on 127.0.0.1) produces exactly what
the local runner produces, on SQLite and PostgreSQL, and a rerun skips every completed shard."""

from __future__ import annotations

from typing import Any

import pytest

from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.services.process import process
from tests.integration.record import ingested_corpus, snapshot

pytest.importorskip("distributed", reason="the Dask runner needs the 'dask' extra")


@pytest.fixture(scope="module")
def local_record(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> dict[str, Any]:
    """The reference: the same corpus processed by the local runner."""
    path = tmp_path_factory.mktemp("local") / "local.db"
    store = ingested_corpus(f"sqlite:///{path}")
    summary = process(store, extractor, load_taxonomy())
    assert summary.events > 50 and summary.incidents > 20
    record = snapshot(store)
    store.engine.dispose()
    return record


def test_dask_runner_produces_the_local_runners_incidents(
    database_url: str, local_record: dict[str, Any]
) -> None:
    from ceasefire.runners.dask import run_dask

    store = ingested_corpus(database_url)
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
