"""Repositories: rows in, frozen domain objects out."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ceasefire.domain import (
    Article,
    DatePrecision,
    DateSource,
    Dropped,
    DropReason,
    PublishedDate,
    Source,
    SourceDocument,
    SourceKind,
    SyndicationLink,
)
from ceasefire.pipeline.neardup import Fingerprint, Match, merge_groups, similarity
from ceasefire.storage.tables import build_metadata


def _now() -> datetime:
    return datetime.now(UTC)


def _published(
    value: date | None, precision: str | None, source: str | None
) -> PublishedDate | None:
    if value is None or precision is None or source is None:
        return None
    return PublishedDate(value, DatePrecision(precision), DateSource(source))


def aware(value: datetime) -> datetime:
    """A time read back from the database, in UTC (SQLite keeps no offset: written in UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def aware_or_none(value: datetime | None) -> datetime | None:
    """:func:`aware`, for a column that may be null."""
    return None if value is None else aware(value)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with what storage knows about it beyond the article itself."""

    article: Article
    syndication: SyndicationLink | None


class Store:
    """All reads and writes of ingestion data. Each method is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata = build_metadata()
        self.sources = metadata.tables["sources"]
        self.documents = metadata.tables["documents"]
        self.articles = metadata.tables["articles"]
        self.bands = metadata.tables["article_bands"]
        self.runs = metadata.tables["pipeline_runs"]
        self.dropped = metadata.tables["dropped"]

    # sources -------------------------------------------------------------------------------
    def _source_id(self, conn: Connection, source: Source | None) -> int | None:
        if source is None:
            return None
        found = conn.execute(
            select(self.sources.c.id).where(self.sources.c.name == source.name)
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
        result = conn.execute(
            insert(self.sources)
            .values(
                name=source.name,
                kind=source.kind.value,
                domain=source.domain,
                reliability=source.reliability,
                created_at=_now(),
            )
            .returning(self.sources.c.id)
        )
        return int(result.scalar_one())

    def source_map(self, conn: Connection) -> dict[int, Source]:
        return {
            row.id: Source(row.name, SourceKind(row.kind), row.domain, row.reliability)
            for row in conn.execute(select(self.sources))
        }

    def list_sources(self) -> list[Source]:
        with self.engine.connect() as conn:
            return sorted(self.source_map(conn).values(), key=lambda s: s.name)

    # documents -----------------------------------------------------------------------------
    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as conn:
            query = select(self.documents.c.id).where(self.documents.c.id == document_id)
            return conn.execute(query).first() is not None

    def get_document(self, document_id: str) -> SourceDocument | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.documents).where(self.documents.c.id == document_id)
            ).first()
            if row is None:
                return None
            source = self.source_map(conn).get(row.source_id) if row.source_id else None
        return SourceDocument(
            id=row.id,
            locator=row.locator,
            media_type=row.media_type,
            fetched_at=aware(row.fetched_at),
            raw=zlib.decompress(row.raw),
            source=source,
            source_kind=SourceKind(row.source_kind),
            url=row.url,
            title_hint=row.title_hint,
            published_hint=_published(
                row.published_hint, row.published_hint_precision, row.published_hint_source
            ),
        )

    def add_document(
        self,
        doc: SourceDocument,
        articles: Sequence[tuple[Article, Fingerprint]],
        threshold: float,
    ) -> list[SyndicationLink] | None:
        """Store a document with its articles in one transaction.

        Returns the syndication links made for the new articles, or ``None`` when the document
        was already stored (by this or a concurrent process).
        """
        try:
            with self.engine.begin() as conn:
                self._insert_document(conn, doc)
                links: list[SyndicationLink] = []
                for article, print_ in articles:
                    self._insert_article(conn, article, print_)
                    link = self._syndicate(conn, article, print_, threshold)
                    if link is not None:
                        links.append(link)
                return links
        except IntegrityError:
            if self.has_document(doc.id):
                return None
            raise

    def _insert_document(self, conn: Connection, doc: SourceDocument) -> None:
        hint = doc.published_hint
        conn.execute(
            insert(self.documents).values(
                id=doc.id,
                locator=doc.locator,
                media_type=doc.media_type,
                url=doc.url,
                source_id=self._source_id(conn, doc.source),
                source_kind=doc.source_kind.value,
                title_hint=doc.title_hint,
                published_hint=hint.value if hint else None,
                published_hint_precision=hint.precision.value if hint else None,
                published_hint_source=hint.source.value if hint else None,
                fetched_at=doc.fetched_at,
                size=len(doc.raw),
                raw=zlib.compress(doc.raw, 9),
            )
        )

    def _insert_article(self, conn: Connection, article: Article, print_: Fingerprint) -> None:
        published = article.published
        conn.execute(
            insert(self.articles).values(
                id=article.id,
                document_id=article.document_id,
                idx=article.index,
                title=article.title,
                text=article.text,
                captions=list(article.captions),
                published=published.value if published else None,
                published_precision=published.precision.value if published else None,
                published_source=published.source.value if published else None,
                language=article.language,
                source_id=self._source_id(conn, article.source),
                url=article.url,
                author=article.author,
                extractor=article.extractor,
                minhash=print_.signature,
                created_at=_now(),
            )
        )
        conn.execute(
            insert(self.bands),
            [
                {"article_id": article.id, "band": band, "hash": value}
                for band, value in enumerate(print_.bands)
            ],
        )

    def _syndicate(
        self, conn: Connection, article: Article, print_: Fingerprint, threshold: float
    ) -> SyndicationLink | None:
        band_match = or_(
            *(
                and_(self.bands.c.band == band, self.bands.c.hash == value)
                for band, value in enumerate(print_.bands)
            )
        )
        candidates = conn.execute(
            select(
                self.articles.c.id, self.articles.c.minhash, self.articles.c.syndication_group
            ).where(
                self.articles.c.id.in_(select(self.bands.c.article_id).where(band_match)),
                self.articles.c.document_id != article.document_id,
            )
        ).all()
        matches = [
            Match(row.id, row.syndication_group, score)
            for row in candidates
            if (score := similarity(print_.signature, row.minhash)) >= threshold
        ]
        if not matches:
            return None
        group, merged = merge_groups(article.id, matches)
        best = max(m.similarity for m in matches)
        for match in matches:
            if match.group_id is None:
                conn.execute(
                    update(self.articles)
                    .where(self.articles.c.id == match.article_id)
                    .values(syndication_group=group, syndication_similarity=match.similarity)
                )
        if merged:
            conn.execute(
                update(self.articles)
                .where(self.articles.c.syndication_group.in_(merged))
                .values(syndication_group=group)
            )
        conn.execute(
            update(self.articles)
            .where(self.articles.c.id == article.id)
            .values(syndication_group=group, syndication_similarity=best)
        )
        return SyndicationLink(article.id, group, best)

    # articles ------------------------------------------------------------------------------
    def to_article(self, row: Row[Any], sources: dict[int, Source]) -> StoredArticle:
        article = Article(
            document_id=row.document_id,
            index=row.idx,
            title=row.title,
            text=row.text,
            published=_published(row.published, row.published_precision, row.published_source),
            source=sources.get(row.source_id) if row.source_id else None,
            url=row.url,
            author=row.author,
            captions=tuple(row.captions),
            language=row.language,
            extractor=row.extractor,
        )
        link = (
            SyndicationLink(row.id, row.syndication_group, row.syndication_similarity or 1.0)
            if row.syndication_group
            else None
        )
        return StoredArticle(article, link)

    def iter_articles(self, batch: int = 500) -> Iterator[StoredArticle]:
        """Every article, oldest document first, read in batches."""
        last: tuple[str, int] = ("", -1)
        while True:
            with self.engine.connect() as conn:
                sources = self.source_map(conn)
                rows = conn.execute(
                    select(self.articles)
                    .where(
                        or_(
                            self.articles.c.document_id > last[0],
                            and_(
                                self.articles.c.document_id == last[0],
                                self.articles.c.idx > last[1],
                            ),
                        )
                    )
                    .order_by(self.articles.c.document_id, self.articles.c.idx)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield self.to_article(row, sources)
            last = (rows[-1].document_id, rows[-1].idx)

    def list_articles(self, limit: int = 100, offset: int = 0) -> list[StoredArticle]:
        """Articles, newest publication first (undated last)."""
        with self.engine.connect() as conn:
            sources = self.source_map(conn)
            rows = conn.execute(
                select(self.articles)
                .order_by(
                    self.articles.c.published.is_(None),
                    self.articles.c.published.desc(),
                    self.articles.c.id,
                )
                .limit(limit)
                .offset(offset)
            ).all()
            return [self.to_article(row, sources) for row in rows]

    def get_article(self, article_id: str) -> StoredArticle | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.articles).where(self.articles.c.id == article_id)
            ).first()
            return self.to_article(row, self.source_map(conn)) if row else None

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(self.articles)).scalar_one())

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).select_from(self.documents)
            return int(conn.execute(query).scalar_one())

    # runs and drops ------------------------------------------------------------------------
    def start_run(self, stage: str, version: str, params: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(self.runs)
                .values(
                    stage=stage,
                    version=version,
                    started_at=_now(),
                    status="running",
                    params=params,
                    counts={},
                )
                .returning(self.runs.c.id)
            )
            return int(result.scalar_one())

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(self.runs)
                .where(self.runs.c.id == run_id)
                .values(finished_at=_now(), status=status, counts=counts)
            )

    def add_dropped(self, run_id: int | None, dropped: Dropped) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(self.dropped).values(
                    run_id=run_id,
                    item=dropped.item,
                    stage=dropped.stage,
                    reason=dropped.reason.value,
                    detail=dropped.detail,
                    at=dropped.at or _now(),
                )
            )

    def list_dropped(self, run_id: int | None = None) -> list[Dropped]:
        query = select(self.dropped).order_by(self.dropped.c.id)
        if run_id is not None:
            query = query.where(self.dropped.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [
                Dropped(row.item, row.stage, DropReason(row.reason), row.detail, aware(row.at))
                for row in conn.execute(query)
            ]
