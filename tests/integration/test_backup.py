"""Backup and restore round trips on SQLite and PostgreSQL: everything comes back, and a restore
never overwrites data unasked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import Settings, load_settings
from ceasefire.services.backup import BackupError, backup, restore
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store, create_engine_for, migrate
from tests.conftest import _postgres_database


def _content(url: str) -> dict[str, object]:
    engine = create_engine_for(url)
    try:
        store = Store(engine)
        tables = store.articles.metadata.tables
        with engine.connect() as conn:
            counts = {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in tables.items()
            }
            ids = sorted(conn.execute(select(tables["documents"].c.id)).scalars())
        return {"counts": counts, "documents": ids}
    finally:
        engine.dispose()


@pytest.fixture
def target(settings: Settings, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind to restore into."""
    if settings.database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    yield from _postgres_database(os.environ["CEASEFIRE_TEST_POSTGRES_URL"])


def test_backup_then_restore_gives_everything_back(
    settings: Settings, store: Store, examples_dir: Path, tmp_path: Path, target: str
) -> None:
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, 50)
        Ingestor(store, items, IngestOptions()).run([str(examples_dir)])
    before = _content(settings.database_url)
    assert before["documents"]
    file = tmp_path / "snapshot.backup"
    made = backup(settings.database_url, file)
    assert file.stat().st_size > 0 and made.documents == len(before["documents"])  # type: ignore[arg-type]

    back = restore(target, file)
    assert back.documents == made.documents
    assert _content(target) == before
    migrate(create_engine_for(target))  # the restored schema is at the current migration

    # the restored database holds data now: a second restore needs --force
    with pytest.raises(BackupError, match="--force"):
        restore(target, file)
    assert restore(target, file, force=True).documents == made.documents
    assert _content(load_settings(database_url=target).database_url) == before


def test_a_missing_backup_file_is_a_clear_error(settings: Settings, store: Store) -> None:
    with pytest.raises(BackupError, match="no backup file"):
        restore(settings.database_url, Path("/nonexistent/backup.file"))
