"""Process use case: extract events from every article not yet coded by the current extractor,
then fuse the new events into incidents and assess them against the profile's agreements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.pipeline.extract.extractor import ArticleText, Extractor
from ceasefire.pipeline.wires import story_wire
from ceasefire.services.fusion import fuse_and_assess
from ceasefire.storage import Store
from ceasefire.storage.events import EventRepository

STAGE = "extract"


@dataclass
class ProcessSummary:
    run_id: int
    articles: int = 0
    events: int = 0
    incidents: int = 0
    assessments: int = 0


def process(
    store: Store,
    extractor: Extractor,
    taxonomy: Taxonomy,
    progress: Callable[[int], None] | None = None,
    full: bool = False,
) -> ProcessSummary:
    """Extract pending articles (each article's events saved in one transaction, so a process
    stopped midway resumes where it stopped), then recompute the incidents the new events can
    change (all incidents with ``full``) and their assessments."""
    repo = EventRepository(store)
    summary = ProcessSummary(store.start_run(STAGE, extractor.coder, {}))
    status = "failed"

    def pending() -> Iterator[ArticleText]:
        for stored in repo.pending_articles(extractor.coder):
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
        status = "ok"
    finally:
        store.finish_run(
            summary.run_id, status, {"articles": summary.articles, "events": summary.events}
        )
    # everything extracted and not yet fused: this run's events and those of a run stopped
    # before its fusion; marked fused only once the recomputed incidents are committed
    backlog = repo.unfused()
    fused = fuse_and_assess(store, extractor.profile, taxonomy, None if full else backlog.event_ids)
    repo.mark_fused(backlog)
    summary.incidents = fused.incidents
    summary.assessments = fused.assessments
    return summary
