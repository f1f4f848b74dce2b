"""Fixtures of the browser tests: the processed seed database and a live server over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import LiveServer, live_app, seeded_database


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, extractor: Any) -> str:
    """The seed pages and the markup article, ingested and processed once per run."""
    folder = tmp_path_factory.getbasetemp() / "dashboard"
    folder.mkdir(exist_ok=True)
    return seeded_database(folder, seeds_dir, extractor)


@pytest.fixture(scope="module")
def live(seeded_url: str) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 with a test viewer and analyst."""
    with live_app(seeded_url) as server:
        yield server
