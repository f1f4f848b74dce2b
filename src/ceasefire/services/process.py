"""Process use case: extract events from every article not yet coded by the current extractor,
then fuse the new events into incidents and assess them against the profile's agreements.

The two halves are separate so that a runner can spread extraction over workers: articles are
split into shards by their id (a content hash), each shard extracted on its own by
:func:`extract_pending`, and :func:`fuse_pending` run once after. Both are safe to interrupt and
to repeat: an article's events are saved in one transaction with its extraction record, and an
extraction is marked fused only after the incidents it can change are committed.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.pipeline.extract.extractor import ArticleText, Extractor
from ceasefire.pipeline.wires import story_wire
from ceasefire.services.fusion import FuseSummary, fuse_and_assess
from ceasefire.storage import Store
from ceasefire.storage.events import EventRepository

STAGE = "extract"
HASH_SPACE = 16**4  # shards split the ids by their first four hex digits


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` of ``count``: the articles whose id (hex sha256) falls in an equal slice
    of the hash space; the same article is in the same shard on every run."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 0 < self.count <= HASH_SPACE or not 0 <= self.index < self.count:
            raise ValueError(f"no shard {self.index} of {self.count}")

    def bounds(self) -> tuple[str, str | None]:
        """The ids of this shard: ``low <= id < high`` (no upper bound for the last shard)."""
        low = f"{self.index * HASH_SPACE // self.count:04x}"
        if self.index == self.count - 1:
            return low, None
        return low, f"{(self.index + 1) * HASH_SPACE // self.count:04x}"


def shard_of(article_id: str, count: int) -> int:
    """The shard index of an article id among ``count`` shards."""
    prefix = int(article_id[:4], 16)
    # the largest i whose lower bound floor(i * H / count) is at most the prefix
    return ((prefix + 1) * count + HASH_SPACE - 1) // HASH_SPACE - 1


def pending_shards(store: Store, coder: str, count: int) -> dict[int, int]:
    """How many articles wait for extraction in each shard (shards with none are left out)."""
    return dict(Counter(shard_of(i, count) for i in EventRepository(store).pending_ids(coder)))


@dataclass
class ExtractSummary:
    run_id: int
    articles: int = 0
    events: int = 0
    stopped: bool = False  # by the stop event, before every pending article was extracted


@dataclass
class ProcessSummary:
    run_id: int
    articles: int = 0
    events: int = 0
    incidents: int = 0
    assessments: int = 0
    stopped: bool = False  # by the stop event: extraction cut short and fusion not run


def extract_pending(
    store: Store,
    extractor: Extractor,
    shard: Shard | None = None,
    progress: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> ExtractSummary:
    """Extract the pending articles (of one shard, or all), each saved in its own transaction,
    so a run stopped midway resumes where it stopped. Once ``stop`` is set, it stops after the
    article in hand. Recorded as a pipeline run (``ok``, ``stopped`` or ``failed``)."""
    repo = EventRepository(store)
    params = {"shard": [shard.index, shard.count]} if shard else {}
    summary = ExtractSummary(store.start_run(STAGE, extractor.coder, params))
    status = "failed"
    id_range = shard.bounds() if shard else None

    def pending() -> Iterator[ArticleText]:
        for stored in repo.pending_articles(extractor.coder, id_range=id_range):
            article = stored.article
            published = article.published.value if article.published else None
            yield ArticleText(article.id, article.text, published, article.title)

    try:
        for article, events in extractor.extract_many(pending()):
            repo.save(article.id, extractor.coder, events, story_wire(article.text))
            summary.articles += 1
            summary.events += len(events)
            if progress is not None:
                progress(len(events))
            if stop is not None and stop.is_set():
                summary.stopped = True
                break
        status = "stopped" if summary.stopped else "ok"
    finally:
        store.finish_run(
            summary.run_id, status, {"articles": summary.articles, "events": summary.events}
        )
    return summary


def fuse_pending(
    store: Store, profile: Profile, taxonomy: Taxonomy, full: bool = False
) -> FuseSummary:
    """Fuse everything extracted and not yet fused (this run's events and those of a run stopped
    before its fusion), or every event with ``full``; marked fused once the incidents commit."""
    repo = EventRepository(store)
    backlog = repo.unfused()
    fused = fuse_and_assess(store, profile, taxonomy, None if full else backlog.event_ids)
    repo.mark_fused(backlog)
    return fused


def process(
    store: Store,
    extractor: Extractor,
    taxonomy: Taxonomy,
    progress: Callable[[int], None] | None = None,
    full: bool = False,
    stop: threading.Event | None = None,
) -> ProcessSummary:
    """The local runner: extract every pending article in this process, then recompute the
    incidents the new events can change (all incidents with ``full``) and their assessments.
    Once ``stop`` is set, it stops after the article in hand and leaves fusion to the next run
    (which fuses every event not yet fused)."""
    extracted = extract_pending(store, extractor, progress=progress, stop=stop)
    if extracted.stopped:
        return ProcessSummary(extracted.run_id, extracted.articles, extracted.events, stopped=True)
    fused = fuse_pending(store, extractor.profile, taxonomy, full)
    return ProcessSummary(
        extracted.run_id, extracted.articles, extracted.events, fused.incidents, fused.assessments
    )
