"""Shared fixtures: paths to the real seed pages, settings and a migrated database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasefire.config import Settings, load_settings
from ceasefire.storage import Store, create_engine_for, migrate

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "corpus"


def seeds_path() -> Path:
    return Path(os.environ.get("CEASEFIRE_SEEDS", REPO.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = seeds_path()
    if not path.is_dir():
        pytest.skip(f"the real seed pages are not at {path} (set CEASEFIRE_SEEDS to their folder)")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


def _postgres_database(admin_url: str) -> Iterator[str]:
    """A fresh database on the test PostgreSQL server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ceasefire_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every storage-backed test runs on a real SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    admin_url = os.environ.get("CEASEFIRE_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("no PostgreSQL server: set CEASEFIRE_TEST_POSTGRES_URL (scripts/test does)")
    yield from _postgres_database(admin_url)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(database_url=database_url)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    engine = create_engine_for(settings.database_url)
    migrate(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    """The real extractor (model, Libya profile, taxonomy), loaded once for the whole run."""
    from ceasefire.services.extraction import build_extractor

    return build_extractor("libya")
