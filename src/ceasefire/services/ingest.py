"""Ingest use case: targets in, documents and articles stored, every failure recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.exc import SQLAlchemyError

from ceasefire.adapters.items import Failure, RawItem
from ceasefire.domain import (
    DatePrecision,
    DateSource,
    Dropped,
    DropReason,
    PublishedDate,
    Source,
    SourceDocument,
    SourceKind,
)
from ceasefire.errors import CeasefireError, IngestError
from ceasefire.pipeline.articles import EXTRACTOR, document_articles
from ceasefire.pipeline.neardup import fingerprint
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store

STAGE = "ingest"


@dataclass(frozen=True, slots=True)
class IngestOptions:
    source: str | None = None
    kind: SourceKind = SourceKind.NEWS
    published: date | None = None
    near_duplicate_threshold: float = 0.6


@dataclass(slots=True)
class IngestSummary:
    run_id: int
    documents_new: int = 0
    documents_duplicate: int = 0
    articles_new: int = 0
    articles_syndicated: int = 0
    dropped: list[Dropped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.dropped

    def dropped_by_reason(self) -> Counter[str]:
        return Counter(d.reason.value for d in self.dropped)

    def counts(self) -> dict[str, int]:
        return {
            "documents_new": self.documents_new,
            "documents_duplicate": self.documents_duplicate,
            "articles_new": self.articles_new,
            "articles_syndicated": self.articles_syndicated,
            "dropped": len(self.dropped),
        }


Progress = Callable[[str], None]


class Ingestor:
    """Reads targets through an :class:`ItemSource`; stores what they hold in a :class:`Store`."""

    def __init__(self, store: Store, items: ItemSource, options: IngestOptions) -> None:
        self.store = store
        self.items = items
        self.options = options

    def run(
        self,
        targets: Sequence[str],
        stdin: bytes | None = None,
        progress: Progress | None = None,
    ) -> IngestSummary:
        params = {
            "targets": list(targets),
            "source": self.options.source,
            "kind": self.options.kind.value,
            "published": self.options.published.isoformat() if self.options.published else None,
        }
        summary = IngestSummary(self.store.start_run(STAGE, EXTRACTOR, params))
        status = "failed"
        try:
            for target in targets:
                for item in self.items.items(target, stdin=stdin):
                    self._one(item, summary)
                    if progress is not None:
                        progress(item.locator)
            status = "ok" if summary.ok else "partial"
        finally:
            self.store.finish_run(summary.run_id, status, summary.counts())
        return summary

    def _drop(self, summary: IngestSummary, locator: str, reason: DropReason, detail: str) -> None:
        dropped = Dropped(locator, STAGE, reason, detail, datetime.now(UTC))
        self.store.add_dropped(summary.run_id, dropped)
        summary.dropped.append(dropped)

    def _document(self, item: RawItem) -> SourceDocument:
        name = self.options.source or item.source_name
        hint = item.published
        if hint is None and self.options.published is not None:
            hint = PublishedDate(self.options.published, DatePrecision.DAY, DateSource.USER)
        return SourceDocument(
            id=SourceDocument.digest(item.raw),
            locator=item.locator,
            media_type=item.media_type,
            fetched_at=datetime.now(UTC),
            raw=item.raw,
            source=Source(name=name, kind=self.options.kind) if name else None,
            source_kind=self.options.kind,
            url=item.url,
            title_hint=item.title,
            published_hint=hint,
        )

    def _one(self, item: RawItem | Failure, summary: IngestSummary) -> None:
        if isinstance(item, Failure):
            self._drop(summary, item.locator, item.reason, item.detail)
            return
        try:
            doc = self._document(item)
            if self.store.has_document(doc.id):
                summary.documents_duplicate += 1
                return
            articles = document_articles(doc)
            prints = [(article, fingerprint(article.text)) for article in articles]
            links = self.store.add_document(doc, prints, self.options.near_duplicate_threshold)
        except IngestError as exc:
            self._drop(summary, item.locator, DropReason(exc.reason), str(exc))
            return
        except (CeasefireError, SQLAlchemyError):
            raise
        except Exception as exc:  # a bug must not stop the batch; it is recorded with its cause
            detail = f"unexpected {type(exc).__name__}: {exc}"
            self._drop(summary, item.locator, DropReason.ERROR, detail)
            return
        if links is None:
            summary.documents_duplicate += 1
            return
        summary.documents_new += 1
        summary.articles_new += len(articles)
        summary.articles_syndicated += len(links)
