"""Process use case: extract events from every article not yet coded by the current extractor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ceasefire.pipeline.extract.extractor import ArticleText, Extractor
from ceasefire.storage import Store
from ceasefire.storage.events import EventRepository

STAGE = "extract"


@dataclass
class ProcessSummary:
    run_id: int
    articles: int = 0
    events: int = 0


def process(
    store: Store, extractor: Extractor, progress: Callable[[int], None] | None = None
) -> ProcessSummary:
    """Extract pending articles; each article's events are saved in one transaction, so a
    process stopped midway resumes where it stopped."""
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
            repo.save(article.id, extractor.coder, events)
            summary.articles += 1
            summary.events += len(events)
            if progress is not None:
                progress(len(events))
        status = "ok"
    finally:
        store.finish_run(
            summary.run_id, status, {"articles": summary.articles, "events": summary.events}
        )
    return summary
