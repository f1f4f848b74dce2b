"""Read-side queries for the API and the dashboard: incident search with side and free-text
filters, compact map points, the timeline (counts per day, week or month), listings of
documents and events, and keyset pages of incidents for exports.

Nothing here writes. :class:`IncidentQueries` extends :class:`IncidentRepository` (same tables,
same ordering) so that every listing of incidents shares one definition of the filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import Connection, Date, Integer, cast, extract, func, or_, select, type_coerce
from sqlalchemy.sql import ColumnElement

from ceasefire.domain.agreements import Assessment
from ceasefire.domain.events import Event
from ceasefire.domain.incidents import Incident
from ceasefire.storage.events import EventRepository
from ceasefire.storage.incident_rows import assessment_from
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository, by_dates_and_type
from ceasefire.storage.repositories import Store


@dataclass(frozen=True, slots=True)
class IncidentSearch(IncidentFilter):
    """An incident filter that also knows a side (of either actor) and free text, which matches
    the claims' evidence sentences, the place name and the actors' names (case-insensitive)."""

    side: str | None = None
    text: str | None = None


class MapPoint(NamedTuple):
    """What the map needs of one incident (a tuple: thousands are read per request)."""

    id: str
    lat: float
    lon: float
    event_type: str
    sub_event_type: str
    status: str
    date: date | None
    place: str | None


Bucket = Literal["day", "week", "month"]
DAY_SPAN = 184  # days: a span up to about half a year is drawn day by day,
WEEK_SPAN = 3 * 366  # up to three years week by week (from Monday), longer ones by month


def bucket_for(first: date, last: date) -> Bucket:
    """The timeline's bucket for dated incidents from ``first`` to ``last``: at most about 180
    bars by day or by week, and a month each beyond three years (120 bars for ten years)."""
    span = (last - first).days + 1
    return "day" if span <= DAY_SPAN else "week" if span <= WEEK_SPAN else "month"


@dataclass(frozen=True, slots=True)
class Timeline:
    """Matching incidents per bucket: (first day of the bucket, event type, incidents) in date
    and type order, and how many incidents match in all (undated ones included)."""

    bucket: Bucket
    counts: list[tuple[date, str, int]]
    total: int


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A stored document without its raw bytes."""

    id: str
    locator: str
    media_type: str
    url: str | None
    source: str | None
    source_kind: str
    title_hint: str | None
    fetched_at: datetime
    size: int
    articles: int


def _like(text: str) -> str:
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class IncidentQueries(IncidentRepository):
    """Incident reads with the extra filters of :class:`IncidentSearch`."""

    def _filtered(self, where: IncidentFilter) -> Any:
        query = super()._filtered(where)
        if not isinstance(where, IncidentSearch):
            return query
        table = self.incidents
        if where.side is not None:
            query = query.where(
                or_(table.c.actor1_side == where.side, table.c.actor2_side == where.side)
            )
        if where.text:
            pattern = _like(where.text)
            claims = self.claims
            quoted = select(claims.c.incident_id).where(
                func.lower(claims.c.text).like(pattern, escape="\\")
            )
            query = query.where(
                or_(
                    table.c.id.in_(quoted),
                    func.lower(table.c.location_name).like(pattern, escape="\\"),
                    func.lower(table.c.actor1_name).like(pattern, escape="\\"),
                    func.lower(table.c.actor2_name).like(pattern, escape="\\"),
                )
            )
        return query

    def map_points(self, where: IncidentFilter, limit: int) -> list[MapPoint]:
        """Located incidents matching ``where`` (its limit and offset ignored), newest first."""
        table = self.incidents
        query = (
            self._filtered(where)
            .where(table.c.lat.is_not(None))
            .with_only_columns(
                table.c.id,
                table.c.lat,
                table.c.lon,
                table.c.event_type,
                table.c.sub_event_type,
                table.c.status,
                table.c.date_start,
                table.c.location_name,
            )
            .order_by(table.c.date_start.desc(), table.c.id)
            .limit(limit)
        )
        with self.reading() as conn:
            rows = conn.execute(query).all()  # fetched at once: far cheaper than row by row
        return [MapPoint._make(row) for row in rows]

    def timeline(self, where: IncidentFilter) -> Timeline:
        """The dated incidents matching ``where`` counted per bucket and type, the bucket chosen
        from the span they cover (:func:`bucket_for`), and how many match in all: the dated
        ones summed from the buckets, the undated ones counted apart (the index entries with no
        date), so the matching incidents are read once, not once more for a count.

        With no filter but dates and a type, the day counts come from ``incident_days``
        (a row per day, type and last day) rather than from every matching incident."""
        table = self.incidents
        undated = self._filtered(where).where(table.c.date_start.is_(None)).subquery()
        per_day: tuple[Any, Any, Any]  # day, type, incidents of the day
        if _days_answer(where):
            days = self.days
            dated = by_dates_and_type(select(days), days, where)
            per_day = (days.c.date_start, days.c.event_type, func.sum(days.c.incidents))
        else:
            # in the order of ix_incidents_timeline (date_start, event_type): the groups come
            # out of the index as it is read
            dated = self._filtered(where).where(table.c.date_start.is_not(None))
            per_day = (table.c.date_start, table.c.event_type, func.count())
        with self.reading() as conn:
            # the ends of the matching index range: two short walks, not an aggregate
            edge = dated.with_only_columns(per_day[0]).limit(1)
            first = conn.execute(edge.order_by(per_day[0])).scalar()
            last = conn.execute(edge.order_by(per_day[0].desc())).scalar()
            bucket = bucket_for(first, last) if first and last else "day"
            counts = _bucket_counts(conn, dated, per_day, bucket) if first else []
            missing = int(conn.execute(select(func.count()).select_from(undated)).scalar_one())
        return Timeline(bucket, counts, sum(n for _start, _kind, n in counts) + missing)

    def incident_of_events(self, event_ids: list[str]) -> dict[str, str]:
        """The incident that holds each of ``event_ids`` (when one does)."""
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(event_ids), 500):
                chunk = event_ids[start : start + 500]
                for row in conn.execute(
                    select(self.members).where(self.members.c.event_id.in_(chunk))
                ):
                    found[row.event_id] = row.incident_id
        return found


class DocumentQueries:
    """Listings of stored documents (metadata only, never the raw bytes)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def list(self, limit: int, offset: int) -> list[DocumentInfo]:
        """Documents, most recently fetched first, then by id."""
        documents, articles = self.store.documents, self.store.articles
        counts = (
            select(articles.c.document_id, func.count().label("n"))
            .group_by(articles.c.document_id)
            .subquery()
        )
        query = (
            select(
                documents.c.id,
                documents.c.locator,
                documents.c.media_type,
                documents.c.url,
                documents.c.source_id,
                documents.c.source_kind,
                documents.c.title_hint,
                documents.c.fetched_at,
                documents.c.size,
                func.coalesce(counts.c.n, 0).label("articles"),
            )
            .outerjoin(counts, counts.c.document_id == documents.c.id)
            .order_by(documents.c.fetched_at.desc(), documents.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.store.engine.connect() as conn:
            sources = self.store.source_map(conn)
            return [
                DocumentInfo(
                    id=row.id,
                    locator=row.locator,
                    media_type=row.media_type,
                    url=row.url,
                    source=sources[row.source_id].name if row.source_id in sources else None,
                    source_kind=row.source_kind,
                    title_hint=row.title_hint,
                    fetched_at=row.fetched_at,
                    size=row.size,
                    articles=int(row.articles),
                )
                for row in conn.execute(query)
            ]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What a listing of events asks for."""

    article_id: str | None = None
    event_type: str | None = None
    modality: str | None = None
    limit: int = 50
    offset: int = 0


class EventQueries(EventRepository):
    """Listings of extracted events with their ids, in a stable order (article, then index)."""

    def _filtered(self, where: EventFilter) -> Any:
        table = self.events
        query = select(table)
        if where.article_id is not None:
            query = query.where(table.c.article_id == where.article_id)
        if where.event_type is not None:
            query = query.where(table.c.event_type == where.event_type)
        if where.modality is not None:
            query = query.where(table.c.modality == where.modality)
        return query

    def find(self, where: EventFilter) -> list[tuple[str, Event]]:
        table = self.events
        query = (
            self._filtered(where)
            .order_by(table.c.article_id, table.c.idx)
            .limit(where.limit)
            .offset(where.offset)
        )
        with self.engine.connect() as conn:
            return [(row.id, self.to_event(row)) for row in conn.execute(query)]

    def total(self, where: EventFilter) -> int:
        query = select(func.count()).select_from(self._filtered(where).subquery())
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def get(self, event_id: str) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.events).where(self.events.c.id == event_id)).first()
        return self.to_event(row) if row is not None else None


@dataclass(frozen=True, slots=True)
class IncidentPage:
    """One keyset page of incidents with when each was last written."""

    rows: list[tuple[Incident, datetime]]
    last_id: str | None  # the key of the last row read (None when the page is empty)


class ExportQueries(IncidentQueries):
    """Keyset pagination over incidents for exports: ordered by id (the primary key, so each
    page is an index range scan), optionally only those written at or after ``since`` (the
    incident by fusion or a review, or one of its assessments, e.g. a supervisor's decision)."""

    def _export_query(
        self, where: IncidentFilter, since: datetime | None, after: str | None
    ) -> Any:
        table = self.incidents
        query = self._filtered(where)
        if since is not None:  # the incident, or one of its assessments, was written since
            assessed = select(self.assessments.c.incident_id).where(
                self.assessments.c.updated_at >= since
            )
            query = query.where(or_(table.c.updated_at >= since, table.c.id.in_(assessed)))
        if after is not None:
            query = query.where(table.c.id > after)
        return query

    def export_page(
        self,
        where: IncidentFilter,
        since: datetime | None,
        after: str | None,
        size: int,
        until: str | None = None,
    ) -> IncidentPage:
        """At most ``size`` incidents after the key ``after`` (up to ``until`` included)."""
        table = self.incidents
        query = self._export_query(where, since, after)
        if until is not None:
            query = query.where(table.c.id <= until)
        query = query.order_by(table.c.id).limit(size)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            incidents = self._incidents(conn, rows)
        return IncidentPage(
            [(incident, row.updated_at) for incident, row in zip(incidents, rows, strict=True)],
            rows[-1].id if rows else None,
        )

    def export_bound(
        self, where: IncidentFilter, since: datetime | None, after: str | None, limit: int
    ) -> tuple[str | None, bool]:
        """The key of the ``limit``-th incident after ``after`` (None when fewer remain), and
        whether any come after it."""
        table = self.incidents
        query = self._export_query(where, since, after).with_only_columns(table.c.id)
        query = query.order_by(table.c.id).offset(limit - 1).limit(2)
        with self.engine.connect() as conn:
            found = list(conn.execute(query).scalars())
        if not found:
            return None, False
        return found[0], len(found) > 1

    def assessments_of(self, incident_ids: list[str]) -> dict[str, list[Assessment]]:
        """The assessments of these incidents, by incident (agreement, term order)."""
        table = self.assessments
        found: dict[str, list[Assessment]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(incident_ids), 500):
                chunk = incident_ids[start : start + 500]
                query = (
                    select(table)
                    .where(table.c.incident_id.in_(chunk))
                    .order_by(table.c.incident_id, table.c.agreement_id, table.c.term_id)
                )
                for row in conn.execute(query):
                    found.setdefault(row.incident_id, []).append(assessment_from(row))
        return found


def _bucket_start(dialect: str, bucket: Bucket, day: Any) -> ColumnElement[date]:
    """The first day of the week (Monday) or month holding ``day``, in SQL: date arithmetic,
    cheaper than ``date_trunc`` (which goes through a timestamp with time zone)."""
    if dialect == "postgresql":
        field = "isodow" if bucket == "week" else "day"  # Monday is 1, as the 1st of a month
        return cast(day - (cast(extract(field, day), Integer) - 1), Date)
    # SQLite keeps dates as ISO text: back six days, then on to a Monday; or the month's first
    if bucket == "week":
        return type_coerce(func.date(day, "-6 days", "weekday 1"), Date)
    return type_coerce(func.substr(day, 1, 8) + "01", Date)


def _days_answer(where: IncidentFilter) -> bool:
    """Whether ``incident_days`` answers ``where``: it filters by dates and type at most."""
    if where.status is not None or where.actor is not None or where.bbox is not None:
        return False
    return not isinstance(where, IncidentSearch) or (where.side is None and not where.text)


def _bucket_counts(
    conn: Connection, dated: Any, per_day: tuple[Any, Any, Any], bucket: Bucket
) -> list[tuple[date, str, int]]:
    """(bucket start, type, incidents) of ``dated``, counted per day and type by ``per_day``
    (day column, type column, count) and then summed into buckets."""
    day, kind, count = per_day
    days = (
        dated.with_only_columns(day.label("day"), kind.label("kind"), count.label("n"))
        .group_by(day, kind)
        .order_by(day, kind)
    )
    if bucket == "day":
        return [(first, name, int(n)) for first, name, n in conn.execute(days).all()]
    inner = days.order_by(None).subquery()
    start = _bucket_start(conn.dialect.name, bucket, inner.c.day)
    query = (
        select(start, inner.c.kind, func.sum(inner.c.n))
        .group_by(start, inner.c.kind)
        .order_by(start, inner.c.kind)
    )
    return [(first, name, int(n)) for first, name, n in conn.execute(query).all()]
