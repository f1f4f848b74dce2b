"""Storage on a real SQLite file: migrations, WAL mode, round trips of domain objects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from ceasefire.config import Settings
from ceasefire.domain import (
    Article,
    DatePrecision,
    DateSource,
    Dropped,
    DropReason,
    PublishedDate,
    Source,
    SourceDocument,
    SourceKind,
)
from ceasefire.errors import NotInitialisedError
from ceasefire.pipeline.neardup import fingerprint
from ceasefire.storage import Store, create_engine_for, migrate, require_schema
from ceasefire.storage.tables import build_metadata


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), build_metadata())
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'nested' / 'wal.db'}")
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_init_is_repeatable_and_required(settings: Settings) -> None:
    engine = create_engine_for(settings.database_url)
    with pytest.raises(NotInitialisedError, match="ceasefire init"):
        require_schema(engine)
    migrate(engine)
    migrate(engine)
    require_schema(engine)


def test_document_and_articles_round_trip(store: Store) -> None:
    raw = b"Clashes in Sabha\n\nClashes broke out in Sabha on Friday, residents said.\n"
    source = Source("Sahel Monitor", SourceKind.NGO, "sahel.example.org", "B")
    published = PublishedDate(date(2020, 2, 19), DatePrecision.DAY, DateSource.USER)
    doc = SourceDocument(
        SourceDocument.digest(raw),
        "notes/sabha.txt",
        "text/plain",
        datetime(2020, 2, 20, 8, 0, tzinfo=UTC),
        raw,
        source=source,
        source_kind=SourceKind.NGO,
        published_hint=published,
    )
    article = Article(
        doc.id,
        0,
        "Clashes in Sabha",
        "Clashes broke out in Sabha on Friday, residents said.",
        published,
        source=source,
        captions=("A street in Sabha.",),
        language="en",
    )
    assert store.add_document(doc, [(article, fingerprint(article.text))], 0.6) == []
    assert store.get_document(doc.id) == doc  # raw bytes come back from compressed storage
    stored = store.get_article(article.id)
    assert stored is not None and stored.article == article and stored.syndication is None
    # the same document again is reported as already stored, not an error
    assert store.add_document(doc, [(article, fingerprint(article.text))], 0.6) is None
    assert store.count_documents() == 1
    assert [s.name for s in store.list_sources()] == ["Sahel Monitor"]


def test_runs_and_dropped_items(store: Store) -> None:
    run = store.start_run("ingest", "clean/1", {"targets": ["x"]})
    store.add_dropped(run, Dropped("x.bin", "ingest", DropReason.BINARY, "binary data"))
    store.finish_run(run, "partial", {"dropped": 1})
    [dropped] = store.list_dropped(run)
    assert (dropped.item, dropped.reason, dropped.detail) == (
        "x.bin",
        DropReason.BINARY,
        "binary data",
    )
