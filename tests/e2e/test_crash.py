"""Crash safety: a batch killed with SIGKILL midway, then run again, leaves exactly what an
uninterrupted run leaves — no event lost, none twice, every extracted event fused — on SQLite
and PostgreSQL. The kill lands after some articles' events are committed and before the run's
fusion, the window where a run that fused only its own events would lose the earlier ones."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.services.process import process
from ceasefire.storage import Store, create_engine_for
from tests.conftest import EXAMPLES
from tests.e2e.test_cli import cli
from tests.integration.record import snapshot

VARIANTS = 12  # copies of each example page, each moved to a year of its own


def _corpus(folder: Path) -> Path:
    """The example pages of 2020, each copied into the years 2009 to 2020: stories far apart in
    time, so the events of one year are outside the fusion window of another's."""
    folder.mkdir()
    bases = sorted((EXAMPLES / "pages").glob("*.txt")) + sorted(EXAMPLES.glob("markdown/*.md"))
    for number in range(VARIANTS):
        year = str(2020 - number)
        for base in bases:
            text = base.read_text(encoding="utf-8").replace("2020", year)
            name = base.name.replace("2020", year)
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(store.articles.metadata.tables[table])
        return int(conn.execute(query).scalar_one())


def _ingest(tmp_path: Path, url: str, corpus: Path) -> Store:
    assert cli(tmp_path, "--db", url, "init").returncode == 0
    result = cli(tmp_path, "--db", url, "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    return Store(create_engine_for(url))


def test_a_batch_killed_midway_resumes_with_no_loss_and_no_duplicate(
    tmp_path: Path, database_url: str, extractor: Any
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    reference = _ingest(tmp_path, f"sqlite:///{tmp_path / 'reference.db'}", corpus)
    process(reference, extractor, load_taxonomy())
    expected = snapshot(reference)
    assert len(expected["events"]) > 100 and len(expected["incidents"]) > 10

    store = _ingest(tmp_path, database_url, corpus)
    total = store.count_articles()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CEASEFIRE_CONFIG", None)
    batch = subprocess.Popen(
        [sys.executable, "-m", "ceasefire", "--db", database_url, "process"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        # late in the batch: the rerun extracts only the last articles, whose fusion window
        # leaves out most years the killed run extracted
        while _count(store, "extractions") < total - 16:
            assert batch.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch extracted too little in 120 s"
            time.sleep(0.01)
        batch.send_signal(signal.SIGKILL)
        batch.wait(timeout=30)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == -signal.SIGKILL
    done = _count(store, "extractions")
    assert 0 < done < total, f"the kill did not land midway ({done} of {total} articles)"
    assert _count(store, "incidents") == 0  # the killed run never reached its fusion

    rerun = cli(tmp_path, "--db", database_url, "process")
    assert rerun.returncode == 0, rerun.stderr
    assert f"Processed {total - done} articles" in " ".join(rerun.stdout.split())
    assert snapshot(store) == expected  # every event once, every one of them fused
    assert _count(store, "extractions") == total
    again = cli(tmp_path, "--db", database_url, "process")
    assert "Processed 0 articles" in " ".join(again.stdout.split())
    assert snapshot(store) == expected
    store.engine.dispose()
    reference.engine.dispose()
