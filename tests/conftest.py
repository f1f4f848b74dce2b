"""Shared fixtures: paths to the real seed pages, settings and a migrated database per test."""

from __future__ import annotations

import os
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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(database_url=f"sqlite:///{tmp_path / 'test.db'}")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    engine = create_engine_for(settings.database_url)
    migrate(engine)
    yield Store(engine)
    engine.dispose()
