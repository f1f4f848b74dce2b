"""The distributed batch runner: extraction spread over a Dask cluster, fusion once after.

Articles are split into shards by their id, a content hash (:class:`~ceasefire.services.process.
Shard`); only shards with pending articles are submitted, so a rerun skips the completed ones.
Each worker loads the profile and the language model once (:class:`ExtractorPlugin`) and writes
its events straight to the database, one transaction per article (idempotent: an article's
events replace its earlier ones). The driver then fuses everything not yet fused. The stages know
nothing of Dask: this module only decides where they run.

Without a scheduler address a ``LocalCluster`` of worker processes is started on 127.0.0.1.
With one, the workers must have ceasefire installed and reach the same database: a PostgreSQL
server (a SQLite file only works when every worker shares its filesystem).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin
from sqlalchemy.engine import make_url

from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.errors import RunnerError
from ceasefire.pipeline.extract.extractor import Extractor
from ceasefire.services.extraction import build_extractor
from ceasefire.services.process import Shard, extract_pending, fuse_pending, pending_shards
from ceasefire.storage import Store, create_engine_for

DEFAULT_SHARDS = 64


def plugin_name(database_url: str, profile: str) -> str:
    """One plugin per database and profile: a long-lived cluster serving several keeps each
    one's extractor and store apart, and a rerun on the same pair reuses the loaded ones."""
    digest = hashlib.sha256(f"{database_url}\n{profile}".encode()).hexdigest()[:16]
    return f"ceasefire-extractor-{digest}"


def _absolute(database_url: str) -> str:
    """Workers may run elsewhere: a relative SQLite path becomes absolute."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return url.set(database=str(Path(url.database).expanduser().resolve())).render_as_string(
            hide_password=False
        )
    return database_url


class ExtractorPlugin(WorkerPlugin):
    """Loaded once per worker: the extractor (profile, taxonomy, language model) and a store."""

    idempotent = True  # registering it again (a rerun on the same cluster) keeps the loaded one

    def __init__(self, database_url: str, profile: str) -> None:
        self.name = plugin_name(database_url, profile)
        self.database_url = database_url
        self.profile = profile
        self.state: dict[str, Any] = {}

    def setup(self, worker: Any) -> None:
        self.state["extractor"] = build_extractor(self.profile)
        self.state["store"] = Store(create_engine_for(self.database_url))

    def teardown(self, worker: Any) -> None:
        store = self.state.pop("store", None)
        if store is not None:
            store.engine.dispose()
        self.state.clear()


def _state(plugin: str) -> dict[str, Any]:
    loaded = _distributed().get_worker().plugins.get(plugin)
    if not isinstance(loaded, ExtractorPlugin):
        raise RunnerError(f"this worker has no ceasefire extractor {plugin}")
    return loaded.state


def worker_coder(plugin: str) -> str:
    """Run on a worker: the coder version its extractor writes (model and profile versions)."""
    extractor: Extractor = _state(plugin)["extractor"]
    return extractor.coder


def extract_shard(plugin: str, index: int, count: int) -> tuple[int, int]:
    """Run on a worker: extract the pending articles of one shard; (articles, events)."""
    state = _state(plugin)
    summary = extract_pending(state["store"], state["extractor"], Shard(index, count))
    return summary.articles, summary.events


@dataclass
class DaskSummary:
    shards: int = 0  # shards submitted (those with pending articles)
    skipped: int = 0  # shards with nothing pending
    articles: int = 0
    events: int = 0
    incidents: int = 0
    assessments: int = 0
    failed: dict[int, str] = field(default_factory=dict)


def _distributed() -> Any:
    """dask.distributed, whose functions are untyped: kept behind ``Any`` here."""
    return importlib.import_module("distributed")


def _client(stack: ExitStack, scheduler: str | None, workers: int | None) -> Any:
    distributed = _distributed()
    if scheduler:
        try:
            return stack.enter_context(distributed.Client(scheduler, timeout="30s"))
        except OSError as exc:
            raise RunnerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    cluster = stack.enter_context(
        distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
    )
    return stack.enter_context(distributed.Client(cluster))


def run_dask(
    database_url: str,
    profile: str = "libya",
    full: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    shards: int = DEFAULT_SHARDS,
    progress: Callable[[int], None] | None = None,
) -> DaskSummary:
    """Extract every pending article on a Dask cluster, then fuse on this machine. Raises
    :class:`RunnerError` after fusing what was extracted when some shards failed."""
    url = _absolute(database_url)
    taxonomy = load_taxonomy()
    loaded = load_profile(profile, taxonomy)
    store = Store(create_engine_for(url))
    summary = DaskSummary()
    with ExitStack() as stack:
        client = _client(stack, scheduler, workers)
        plugin = ExtractorPlugin(url, profile)
        client.register_plugin(plugin, name=plugin.name)
        coder = client.submit(worker_coder, plugin.name, pure=False).result()
        waiting = pending_shards(store, coder, shards)
        summary.shards, summary.skipped = len(waiting), shards - len(waiting)
        futures = {
            client.submit(extract_shard, plugin.name, index, shards, pure=False): index
            for index in sorted(waiting)
        }
        for future in _distributed().as_completed(futures):
            index = futures[future]
            try:
                articles, events = future.result()
            except Exception as exc:  # a failed shard stays pending for the next run
                summary.failed[index] = f"{type(exc).__name__}: {exc}"
                continue
            summary.articles += articles
            summary.events += events
            if progress is not None:
                progress(articles)
    fused = fuse_pending(store, loaded, taxonomy, full)
    summary.incidents, summary.assessments = fused.incidents, fused.assessments
    store.engine.dispose()
    if summary.failed:
        shown = "; ".join(f"shard {i}: {why}" for i, why in sorted(summary.failed.items())[:5])
        raise RunnerError(
            f"{len(summary.failed)} of {summary.shards} shards failed ({shown}); "
            "their articles stay pending: run the same command again"
        )
    return summary
