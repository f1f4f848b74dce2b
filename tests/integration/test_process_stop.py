"""Stopping ``process`` midway (what ``ceasefire watch`` does on SIGINT/SIGTERM): it stops after
the article in hand, records its run as stopped, leaves fusion to the next run, and the next run
ends exactly where an uninterrupted one does, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.services.process import process
from ceasefire.storage import Store
from tests.integration.record import ingested_corpus, snapshot


def _runs(store: Store) -> list[tuple[str, str]]:
    runs = store.runs
    with store.engine.connect() as conn:
        query = select(runs.c.stage, runs.c.status).order_by(runs.c.id)
        return [(stage, status) for stage, status in conn.execute(query)]


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        found = store.articles.metadata.tables[table]
        return int(conn.execute(select(func.count()).select_from(found)).scalar_one())


def test_a_stopped_run_saves_what_it_did_and_the_next_one_finishes(
    database_url: str, tmp_path: Path, extractor: Any
) -> None:
    taxonomy = load_taxonomy()
    reference = ingested_corpus(f"sqlite:///{tmp_path / 'reference.db'}")
    process(reference, extractor, taxonomy)
    expected = snapshot(reference)
    reference.engine.dispose()

    store = ingested_corpus(database_url)
    articles = store.count_articles()
    stop = threading.Event()
    seen: list[int] = []

    def progress(events: int) -> None:  # a signal arrives while the third article is extracted
        seen.append(events)
        if len(seen) == 3:
            stop.set()

    stopped = process(store, extractor, taxonomy, progress, stop=stop)
    assert stopped.stopped and stopped.articles == 3 < articles
    assert stopped.events == sum(seen) == _count(store, "events")
    assert _count(store, "incidents") == 0  # fusion waits for the next run
    assert _runs(store)[-1][1] == "stopped"

    finished = process(store, extractor, taxonomy)
    assert not finished.stopped and finished.articles == articles - 3
    assert snapshot(store) == expected
    store.engine.dispose()
