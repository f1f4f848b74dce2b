"""What a processed database holds, as comparable values: events, incidents with their members
and claims, and assessments — without the timestamps of when each row was written; and a
database with the example corpus (and the seed pages, when present) ingested, to process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import load_settings
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store, create_engine_for, migrate
from tests.conftest import EXAMPLES, seeds_path

_WRITTEN_AT = {"updated_at", "created_at", "at"}
TABLES = ("events", "incidents", "incident_events", "claims", "assessments")


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the event and incident tables, sorted, with write times left out."""
    tables = store.articles.metadata.tables
    result: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for name in TABLES:
            table = tables[name]
            columns = [c for c in table.c if c.name not in _WRITTEN_AT]
            rows = conn.execute(select(*columns)).all()
            result[name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    return result


def _plain(value: Any) -> Any:
    """JSON columns come back as dicts or lists: make them hashable and comparable."""
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, float):
        return round(value, 9)
    return value


def corpus_paths() -> list[Path]:
    """The example corpus and, when present, the real seed pages."""
    seeds = seeds_path()
    return [EXAMPLES, seeds] if seeds.is_dir() else [EXAMPLES]


def ingested_corpus(url: str) -> Store:
    """A migrated database at ``url`` with the example corpus (and the seeds) ingested."""
    settings = load_settings(database_url=url)
    engine = create_engine_for(url)
    migrate(engine)
    store = Store(engine)
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
        summary = Ingestor(store, items, IngestOptions()).run([str(p) for p in corpus_paths()])
    assert summary.articles_new > 10
    return store
