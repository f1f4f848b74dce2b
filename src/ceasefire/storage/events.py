"""Extracted events in the database: replaced per article when the coder changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, select

from ceasefire.domain.events import ActorRef, Event, Modality, Span
from ceasefire.storage.incident_rows import date_from, location_from
from ceasefire.storage.repositories import Store, StoredArticle


def event_id(article_id: str, index: int, coder: str) -> str:
    return hashlib.sha256(f"{article_id}:{index}:{coder}".encode()).hexdigest()


def _span(data: dict[str, Any] | None) -> Span | None:
    return Span(data["start"], data["end"], data["text"]) if data else None


def _span_json(span: Span | None) -> dict[str, Any] | None:
    return {"start": span.start, "end": span.end, "text": span.text} if span else None


@dataclass
class FusionBacklog:
    """Extractions not yet fused (article id → when extracted) and their events' ids."""

    extractions: dict[str, datetime] = field(default_factory=dict)
    event_ids: set[str] = field(default_factory=set)


class EventRepository:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        tables = store.articles.metadata.tables
        self.events = tables["events"]
        self.extractions = tables["extractions"]

    def pending_articles(
        self, coder: str, batch: int = 200, id_range: tuple[str, str | None] | None = None
    ) -> Iterator[StoredArticle]:
        """Articles not yet extracted by ``coder``, in a stable order, read in batches; only
        those with ``low <= id < high`` when ``id_range`` is given."""
        articles = self.store.articles
        done = select(self.extractions.c.article_id).where(self.extractions.c.coder == coder)
        last, high = id_range if id_range else ("", None)
        first = True
        while True:
            after = articles.c.id >= last if first else articles.c.id > last
            query = select(articles).where(articles.c.id.not_in(done), after)
            if high is not None:
                query = query.where(articles.c.id < high)
            with self.engine.connect() as conn:
                sources = self.store.source_map(conn)
                rows = conn.execute(query.order_by(articles.c.id).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield self.store.to_article(row, sources)
            last, first = rows[-1].id, False

    def pending_ids(self, coder: str) -> Iterator[str]:
        """The ids of the articles not yet extracted by ``coder``."""
        articles = self.store.articles
        done = select(self.extractions.c.article_id).where(self.extractions.c.coder == coder)
        with self.engine.connect() as conn:
            query = select(articles.c.id).where(articles.c.id.not_in(done))
            yield from conn.execute(query).scalars()

    def count_pending(self, coder: str) -> int:
        articles = self.store.articles
        done = select(self.extractions.c.article_id).where(self.extractions.c.coder == coder)
        with self.engine.connect() as conn:
            query = select(func.count()).select_from(articles).where(articles.c.id.not_in(done))
            return int(conn.execute(query).scalar_one())

    def save(
        self, article_id: str, coder: str, events: Sequence[Event], wire: str | None = None
    ) -> list[str]:
        """Replace the machine events of one article, in one transaction; their ids."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(delete(self.events).where(self.events.c.article_id == article_id))
            conn.execute(
                delete(self.extractions).where(self.extractions.c.article_id == article_id)
            )
            if events:
                conn.execute(
                    insert(self.events), [self._row(e, i, coder, now) for i, e in enumerate(events)]
                )
            conn.execute(
                insert(self.extractions).values(
                    article_id=article_id,
                    coder=coder,
                    events=len(events),
                    wire=wire,
                    at=now,
                    fused=False,
                )
            )
        return [event_id(article_id, i, coder) for i in range(len(events))]

    def unfused(self) -> FusionBacklog:
        """The extractions whose events fusion has not taken in yet, with those events' ids:
        those of this run and of any earlier run stopped between extracting and fusing."""
        backlog = FusionBacklog()
        ext, events = self.extractions, self.events
        with self.engine.connect() as conn:
            for row in conn.execute(
                select(ext.c.article_id, ext.c.at).where(ext.c.fused.is_(False))
            ):
                backlog.extractions[row.article_id] = row.at
            for row in conn.execute(
                select(events.c.id)
                .join(ext, ext.c.article_id == events.c.article_id)
                .where(ext.c.fused.is_(False))
            ):
                backlog.event_ids.add(row.id)
        return backlog

    def has_unfused(self) -> bool:
        """Whether any extraction waits for fusion."""
        ext = self.extractions
        with self.engine.connect() as conn:
            query = select(ext.c.article_id).where(ext.c.fused.is_(False)).limit(1)
            return conn.execute(query).first() is not None

    def mark_fused(self, backlog: FusionBacklog | None = None) -> None:
        """Record that fusion took in these extractions (all of them when None). An article
        extracted again meanwhile (a newer ``at``) stays pending."""
        ext = self.extractions
        with self.engine.begin() as conn:
            if backlog is None:
                conn.execute(ext.update().where(ext.c.fused.is_(False)).values(fused=True))
                return
            if backlog.extractions:
                conn.execute(
                    ext.update()
                    .where(ext.c.article_id == bindparam("a_id"), ext.c.at == bindparam("a_at"))
                    .values(fused=True),
                    [{"a_id": a, "a_at": at} for a, at in backlog.extractions.items()],
                )

    def _row(self, event: Event, index: int, coder: str, now: datetime) -> dict[str, Any]:
        loc, when = event.location, event.date
        spans = {
            "actor1": _span_json(event.actor1.span) if event.actor1 else None,
            "actor2": _span_json(event.actor2.span) if event.actor2 else None,
            "location": _span_json(loc.span) if loc else None,
            "date": _span_json(when.span) if when else None,
            "evidence_text": event.evidence.text,
            "trigger_text": event.trigger.text,
            "actor1_acled": event.actor1.acled_name if event.actor1 else None,
            "actor2_acled": event.actor2.acled_name if event.actor2 else None,
            "actor1_side": event.actor1.side if event.actor1 else None,
            "actor2_side": event.actor2.side if event.actor2 else None,
        }
        return {
            "id": event_id(event.article_id, index, coder),
            "article_id": event.article_id,
            "idx": index,
            "coder": coder,
            "family": event.family,
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "actor1_id": event.actor1.id if event.actor1 else None,
            "actor1_name": event.actor1.name if event.actor1 else None,
            "actor2_id": event.actor2.id if event.actor2 else None,
            "actor2_name": event.actor2.name if event.actor2 else None,
            "claimed_by_id": event.claimed_by.id if event.claimed_by else None,
            "claimed_by_name": event.claimed_by.name if event.claimed_by else None,
            "modality": event.modality.value,
            "date_start": when.start if when else None,
            "date_end": when.end if when else None,
            "time_precision": when.time_precision if when else None,
            "location_name": loc.name if loc else None,
            "place_id": loc.place_id if loc else None,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "admin1": loc.admin1 if loc else None,
            "country": loc.country if loc else None,
            "fatalities": event.fatalities,
            "wounded": event.wounded,
            "confidence": event.confidence,
            "evidence_start": event.evidence.start,
            "evidence_end": event.evidence.end,
            "trigger_start": event.trigger.start,
            "trigger_end": event.trigger.end,
            "spans": spans,
            "created_at": now,
        }

    def to_event(self, row: Row[Any]) -> Event:
        """An event from a row of ``events`` (extra columns in the row are ignored)."""
        spans: dict[str, Any] = row.spans or {}

        def actor(prefix: str) -> ActorRef | None:
            name = getattr(row, f"{prefix}_name")
            if name is None:
                return None
            return ActorRef(
                id=getattr(row, f"{prefix}_id"),
                name=name,
                acled_name=spans.get(f"{prefix}_acled"),
                side=spans.get(f"{prefix}_side"),
                span=_span(spans.get(prefix)),
            )

        claimed = ActorRef(row.claimed_by_id, row.claimed_by_name) if row.claimed_by_name else None
        return Event(
            article_id=row.article_id,
            event_type=row.event_type,
            sub_event_type=row.sub_event_type,
            family=row.family,
            actor1=actor("actor1"),
            actor2=actor("actor2"),
            location=location_from(row, _span(spans.get("location"))),
            date=date_from(row, _span(spans.get("date"))),
            fatalities=row.fatalities,
            wounded=row.wounded,
            modality=Modality(row.modality),
            claimed_by=claimed,
            evidence=Span(row.evidence_start, row.evidence_end, spans.get("evidence_text", "")),
            trigger=Span(row.trigger_start, row.trigger_end, spans.get("trigger_text", "")),
            confidence=row.confidence,
            coder=row.coder,
        )

    def for_article(self, article_id: str) -> list[Event]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(self.events)
                .where(self.events.c.article_id == article_id)
                .order_by(self.events.c.idx)
            ).all()
        return [self.to_event(row) for row in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(self.events)).scalar_one())
