"""`ceasefire process --engine dask` from the command line, against a Dask scheduler started
here on 127.0.0.1 (``--scheduler``), equals `ceasefire process`; a rerun skips every shard, and
the same cluster then serves another database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ceasefire.storage import Store, create_engine_for
from tests.conftest import EXAMPLES
from tests.e2e.test_cli import cli
from tests.integration.record import snapshot

distributed = pytest.importorskip("distributed", reason="the Dask runner needs the 'dask' extra")


def _processed(tmp_path: Path, name: str, *options: str) -> tuple[Store, str]:
    url = f"sqlite:///{tmp_path / name}"
    assert cli(tmp_path, "--db", url, "init").returncode == 0
    assert cli(tmp_path, "--db", url, "ingest", str(EXAMPLES)).returncode == 0
    result = cli(tmp_path, "--db", url, "process", *options)
    assert result.returncode == 0, result.stderr
    return Store(create_engine_for(url)), " ".join(result.stdout.split())


def test_process_on_a_dask_scheduler_equals_the_local_process(tmp_path: Path) -> None:
    local, _ = _processed(tmp_path, "local.db")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        options = ("--engine", "dask", "--scheduler", address, "--shards", "4")
        on_dask, said = _processed(tmp_path, "dask.db", *options)
        assert re.search(r"Processed \d+ articles in [1-4] shards", said), said
        assert snapshot(on_dask) == snapshot(local)
        url = str(on_dask.engine.url)
        again = cli(tmp_path, "--db", url, "process", *options)
        assert "Processed 0 articles in 0 shards (4 had nothing pending)" in " ".join(
            again.stdout.split()
        )
        # the same cluster serves another database: its workers write there, not to the first
        other, _ = _processed(tmp_path, "other.db", *options)
        assert snapshot(other) == snapshot(local)
        other.engine.dispose()
    refused = cli(tmp_path, "--db", url, "process", "--workers", "2")
    assert refused.returncode != 0 and "--engine dask" in refused.stdout + refused.stderr
    local.engine.dispose()
    on_dask.engine.dispose()
