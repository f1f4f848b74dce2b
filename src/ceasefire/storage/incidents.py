"""Incidents, their claims, assessments and commitment overrides in the database.

Incidents are derived data: fusion recomputes them, and ``replace`` swaps the incidents built from
a set of events for their new versions in one transaction. Reports (events with where they came
from) are read back for fusion in the same shape fusion takes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from ceasefire.domain.agreements import (
    Assessment,
    CommitmentOverride,
    CommitmentStatus,
)
from ceasefire.domain.documents import SourceKind
from ceasefire.domain.events import Event
from ceasefire.domain.incidents import Claim, Incident
from ceasefire.storage import incident_days
from ceasefire.storage.events import EventRepository
from ceasefire.storage.incident_rows import (
    assessment_from,
    claim_from,
    claim_row,
    incident_from,
    incident_row,
    url_domain,
)
from ceasefire.storage.repositories import Store


@dataclass(frozen=True, slots=True)
class StoredReport:
    """An event with what fusion needs to know about the article it comes from."""

    event_id: str
    event: Event
    outlet: str
    source_kind: SourceKind
    syndication_group: str | None
    wire: str | None
    published: date | None
    domain: str | None


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What a listing of incidents asks for; every field is optional."""

    date_from: date | None = None
    date_to: date | None = None
    event_type: str | None = None
    actor: str | None = None  # actor id, as actor1 or actor2
    status: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    limit: int = 100
    offset: int = 0


class IncidentRepository:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        tables = store.articles.metadata.tables
        self.incidents = tables["incidents"]
        self.members = tables["incident_events"]
        self.claims = tables["claims"]
        self.assessments = tables["assessments"]
        self.overrides = tables["commitment_overrides"]
        self.extractions = tables["extractions"]
        self.versions = tables["data_versions"]
        self.days = tables["incident_days"]
        self.events_repo = EventRepository(store)

    # ------------------------------------------------------------------------------- reports
    def reports(
        self,
        window: tuple[date, date] | None = None,
        event_ids: Iterable[str] | None = None,
    ) -> Iterator[StoredReport]:
        """Stored events with their article's outlet, syndication group and wire: all of them,
        those whose dates overlap ``window`` (and the undated ones), or those of ``event_ids``."""
        if event_ids is not None:
            ids = sorted(set(event_ids))
            for start in range(0, len(ids), 500):
                yield from self._reports(self.events_repo.events.c.id.in_(ids[start : start + 500]))
            return
        events = self.events_repo.events
        condition: ColumnElement[bool] | None = None
        if window is not None:
            condition = or_(
                events.c.date_start.is_(None),
                and_(events.c.date_start <= window[1], events.c.date_end >= window[0]),
            )
        yield from self._reports(condition)

    def reports_around(
        self, window: tuple[date, date] | None, new_event_ids: Iterable[str]
    ) -> list[StoredReport]:
        """The events a change can touch: the new ones, those in ``window`` and every member of
        a stored incident that holds any of them (so incidents are recomputed whole)."""
        found: dict[str, StoredReport] = {}
        if window is not None:
            found.update((r.event_id, r) for r in self.reports(window=window))
        # the new events are in their own window (undated ones always are): read only the rest
        unread = set(new_event_ids) - found.keys()
        found.update((r.event_id, r) for r in self.reports(event_ids=unread))
        ids = sorted(found)
        incident_ids: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                incident_ids |= set(
                    conn.execute(
                        select(self.members.c.incident_id).where(
                            self.members.c.event_id.in_(ids[start : start + 500])
                        )
                    ).scalars()
                )
            members: set[str] = set()
            listed = sorted(incident_ids)
            for start in range(0, len(listed), 500):
                members |= set(
                    conn.execute(
                        select(self.members.c.event_id).where(
                            self.members.c.incident_id.in_(listed[start : start + 500])
                        )
                    ).scalars()
                )
        missing = members - found.keys()
        found.update((r.event_id, r) for r in self.reports(event_ids=missing))
        return [found[i] for i in sorted(found)]

    def _reports(self, condition: ColumnElement[bool] | None) -> Iterator[StoredReport]:
        events = self.events_repo.events
        articles = self.store.articles
        query = (
            select(
                events,
                articles.c.published.label("article_published"),
                articles.c.source_id.label("article_source_id"),
                articles.c.url.label("article_url"),
                articles.c.syndication_group.label("article_group"),
                articles.c.document_id.label("article_document"),
                self.extractions.c.wire.label("article_wire"),
            )
            .join(articles, articles.c.id == events.c.article_id)
            .join(self.extractions, self.extractions.c.article_id == events.c.article_id)
            .order_by(events.c.id)
        )
        if condition is not None:
            query = query.where(condition)
        with self.engine.connect() as conn:
            sources = self.store.source_map(conn)
            rows = conn.execute(query).all()
        for row in rows:
            source = sources.get(row.article_source_id) if row.article_source_id else None
            domain = url_domain(row.article_url) or (source.domain if source else None)
            # without a named source or web address, the page itself is the outlet
            outlet = source.name if source else (domain or f"page:{row.article_document[:16]}")
            yield StoredReport(
                event_id=row.id,
                event=self.events_repo.to_event(row),
                outlet=outlet,
                source_kind=source.kind if source else SourceKind.NEWS,
                syndication_group=row.article_group,
                wire=row.article_wire,
                published=row.article_published,
                domain=domain,
            )

    def set_wire(self, article_id: str, wire: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                self.extractions.update()
                .where(self.extractions.c.article_id == article_id)
                .values(wire=wire)
            )

    # ----------------------------------------------------------------------------- incidents
    def replace(
        self, stale_event_ids: Iterable[str], incidents: Sequence[Incident], fusion: str
    ) -> None:
        """In one transaction: drop the incidents that hold any of ``stale_event_ids`` (with
        their claims and assessments) and store ``incidents``."""
        stale = list(set(stale_event_ids))
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            # first, so concurrent writers queue here rather than deadlock on incident rows
            self._new_version(conn)
            old: set[str] = set()
            for start in range(0, len(stale), 500):
                chunk = stale[start : start + 500]
                old |= set(
                    conn.execute(
                        select(self.members.c.incident_id).where(self.members.c.event_id.in_(chunk))
                    ).scalars()
                )
            old |= {i.id for i in incidents}
            ids = sorted(old)
            days = incident_days.added(incidents)
            days.subtract(incident_days.dropped(conn, self.incidents, ids))
            incident_days.shift(conn, self.days, days)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for table in (self.assessments, self.claims, self.members):
                    conn.execute(delete(table).where(table.c.incident_id.in_(chunk)))
                conn.execute(delete(self.incidents).where(self.incidents.c.id.in_(chunk)))
            if incidents:
                conn.execute(
                    insert(self.incidents), [incident_row(i, fusion, now) for i in incidents]
                )
                conn.execute(
                    insert(self.members),
                    [{"event_id": e, "incident_id": i.id} for i in incidents for e in i.event_ids],
                )
                claims = [claim_row(i.id, n, c) for i in incidents for n, c in enumerate(i.claims)]
                if claims:
                    conn.execute(insert(self.claims), claims)

    def recount(self) -> None:
        """After incidents were written other than through :meth:`replace` (a bulk load): a
        new version token and the day counts made afresh, in one transaction."""
        with self.engine.begin() as conn:
            self._new_version(conn)
            incident_days.recount(conn, self.incidents, self.days)

    def _new_version(self, conn: Connection) -> None:
        conn.execute(
            update(self.versions)
            .where(self.versions.c.name == "incidents")
            .values(token=uuid.uuid4().hex)
        )

    def version(self) -> str:
        """A token that changes at every :meth:`replace`: read before incidents, an equal token
        later means the incidents read are still the stored ones."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(self.versions.c.token).where(self.versions.c.name == "incidents")
            ).scalar_one()
        return str(found)

    def get(self, incident_id: str) -> Incident | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.incidents).where(self.incidents.c.id == incident_id)
            ).first()
            if row is None:
                return None
            return self._incidents(conn, [row])[0]

    def find(self, where: IncidentFilter = IncidentFilter()) -> list[Incident]:
        """A page of incidents, newest first (then by id).

        The page's ids are found first, from the columns of ``ix_incidents_newest`` alone, and
        only their rows are read: a deep offset skips index entries, not table rows."""
        table = self.incidents
        order = (table.c.date_start.desc(), table.c.id)
        page = (
            self._filtered(where)
            .with_only_columns(table.c.id)
            .order_by(*order)
            .limit(where.limit)
            .offset(where.offset)
            .subquery()
        )
        query = select(table).join(page, page.c.id == table.c.id).order_by(*order)
        with self.reading() as conn:
            rows = conn.execute(query).all()
            return self._incidents(conn, rows)

    def count(self, where: IncidentFilter = IncidentFilter()) -> int:
        query = select(func.count()).select_from(self._filtered(where).subquery())
        with self.reading() as conn:
            return int(conn.execute(query).scalar_one())

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for the listings, counts, map and timeline.

        On PostgreSQL the planner is told, for this transaction only, that a page read out of
        order costs little more than one read in order (``random_page_cost`` 1.1, PostgreSQL's
        advice for SSDs and cached data; its default of 4 models spinning disks). With the
        default it scans, hashes and sorts the whole table for the timeline instead of walking
        the covering indexes of migration 0008 in order: up to 4 times slower with 100,000
        incidents (``benchmarks/README.md``)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL random_page_cost = 1.1")
            yield conn

    def _filtered(self, where: IncidentFilter) -> Any:
        table = self.incidents
        query = by_dates_and_type(select(table), table, where)
        if where.status is not None:
            query = query.where(table.c.status == where.status)
        if where.actor is not None:
            query = query.where(
                or_(table.c.actor1_id == where.actor, table.c.actor2_id == where.actor)
            )
        if where.bbox is not None:
            west, south, east, north = where.bbox
            query = query.where(
                table.c.lon >= west, table.c.lon <= east, table.c.lat >= south, table.c.lat <= north
            )
        return query

    def _incidents(self, conn: Any, rows: Sequence[Row[Any]]) -> list[Incident]:
        ids = [row.id for row in rows]
        members: dict[str, list[str]] = {i: [] for i in ids}
        claims: dict[str, list[Claim]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for member in conn.execute(
                select(self.members).where(self.members.c.incident_id.in_(chunk))
            ):
                members[member.incident_id].append(member.event_id)
            for claim in conn.execute(
                select(self.claims)
                .where(self.claims.c.incident_id.in_(chunk))
                .order_by(self.claims.c.position)
            ):
                claims[claim.incident_id].append(claim_from(claim))
        return [incident_from(row, members[row.id], claims[row.id]) for row in rows]

    # --------------------------------------------------------------------------- assessments
    def replace_assessments(
        self, incident_ids: Iterable[str], assessments: Sequence[Assessment]
    ) -> None:
        """The assessments of these incidents, recomputed."""
        ids = sorted(set(incident_ids) | {a.incident_id for a in assessments})
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                conn.execute(
                    delete(self.assessments).where(self.assessments.c.incident_id.in_(chunk))
                )
            if assessments:
                conn.execute(
                    insert(self.assessments),
                    [
                        {
                            "incident_id": a.incident_id,
                            "agreement_id": a.agreement_id,
                            "term_id": a.term_id,
                            "party": a.party,
                            "actor": a.actor,
                            "side": a.side,
                            "determination": a.determination.value,
                            "rationale": a.rationale,
                            "assessor": a.assessor,
                            "updated_at": now,
                        }
                        for a in assessments
                    ],
                )

    def list_assessments(
        self,
        agreement: str | None = None,
        party: str | None = None,
        determination: str | None = None,
        incident: str | None = None,
    ) -> list[Assessment]:
        table = self.assessments
        query = select(table).order_by(table.c.agreement_id, table.c.incident_id, table.c.term_id)
        if agreement is not None:
            query = query.where(table.c.agreement_id == agreement)
        if party is not None:
            query = query.where(table.c.party == party)
        if determination is not None:
            query = query.where(table.c.determination == determination)
        if incident is not None:
            query = query.where(table.c.incident_id == incident)
        with self.engine.connect() as conn:
            return [assessment_from(row) for row in conn.execute(query)]

    # ---------------------------------------------------------------------------- overrides
    def set_override(self, term_id: str, override: CommitmentOverride) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(self.overrides).where(self.overrides.c.term_id == term_id))
            conn.execute(
                insert(self.overrides).values(
                    term_id=term_id,
                    status=override.status.value,
                    reason=override.reason,
                    by=override.by,
                    at=datetime.now(UTC),
                )
            )

    def commitment_overrides(self) -> dict[str, CommitmentOverride]:
        with self.engine.connect() as conn:
            return {
                row.term_id: CommitmentOverride(
                    CommitmentStatus(row.status), row.reason, row.by, row.at.date()
                )
                for row in conn.execute(select(self.overrides))
            }


def by_dates_and_type(query: Any, table: Any, where: IncidentFilter) -> Any:
    """``query`` on ``table`` (with date_start, date_end and event_type columns: incidents, or
    their day counts) narrowed to what overlaps ``where``'s days and has its type."""
    if where.date_from is not None:
        query = query.where(table.c.date_end >= where.date_from)
    if where.date_to is not None:
        query = query.where(table.c.date_start <= where.date_to)
    if where.event_type is not None:
        query = query.where(table.c.event_type == where.event_type)
    return query
