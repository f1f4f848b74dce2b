"""The review audit log, human decisions and assignments in the database.

The audit log is append-only: this repository can add entries and read them, and offers no way
to change or delete one (migration 0005 also installs triggers that refuse UPDATE and DELETE on
``reviews``, ``review_events`` and ``review_decisions``). An entry and the decision it records are
written in one transaction (:meth:`ReviewRepository.record`). Assignments are current state: one
row per hold, deleted when the hold is released (the log keeps the history).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select

from ceasefire.domain.agreements import Determination
from ceasefire.domain.incidents import IncidentStatus
from ceasefire.domain.reviews import (
    Anchor,
    Assignment,
    Decision,
    EditableField,
    FieldEdit,
    MergeLink,
    Review,
    ReviewAction,
    SplitLink,
    StatusDecision,
    TargetType,
    ViolationDecision,
    field_from_json,
    field_to_json,
)
from ceasefire.domain.users import Role, User
from ceasefire.storage.repositories import Store, aware

_KINDS: dict[type, str] = {
    StatusDecision: "status",
    FieldEdit: "edit",
    MergeLink: "merge",
    SplitLink: "split",
    ViolationDecision: "violation",
}


@dataclass(frozen=True, slots=True)
class NewReview:
    """An audit entry to write: who, what, on what, before and after, why."""

    user: User
    target_type: TargetType
    target_id: str
    action: ReviewAction
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    reason: str | None
    anchors: Sequence[Anchor] = ()  # the events the entry is about
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _anchors(data: Iterable[Mapping[str, Any]]) -> tuple[Anchor, ...]:
    return tuple(Anchor.from_json(item) for item in data)


class ReviewRepository:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        tables = store.articles.metadata.tables
        self.reviews = tables["reviews"]
        self.review_events = tables["review_events"]
        self.decisions_table = tables["review_decisions"]
        self.assignments = tables["review_assignments"]
        self.members = tables["incident_events"]
        self.events = tables["events"]

    # ---------------------------------------------------------------------------- writing
    def record(
        self,
        entry: NewReview,
        decision: Decision | None = None,
        *,
        assign: tuple[str, Sequence[Anchor], User] | None = None,
        release: Iterable[int] = (),
    ) -> Review:
        """In one transaction: the audit entry, the decision it makes (if any), a new hold
        (incident id, anchors, holder) and released holds (assignment ids)."""
        with self.engine.begin() as conn:
            review_id = self._insert_review(conn, entry)
            if decision is not None:
                conn.execute(
                    insert(self.decisions_table).values(**_decision_row(decision, review_id))
                )
            released = list(release)
            if released:
                conn.execute(delete(self.assignments).where(self.assignments.c.id.in_(released)))
            if assign is not None:
                incident_id, anchors, holder = assign
                conn.execute(
                    insert(self.assignments).values(
                        incident_id=incident_id,
                        anchors=[a.to_json() for a in anchors],
                        user_id=holder.id,
                        username=holder.username,
                        since=entry.at,
                    )
                )
            row = conn.execute(select(self.reviews).where(self.reviews.c.id == review_id)).one()
        return _review(row, tuple(sorted({a.event_id for a in entry.anchors})))

    def _insert_review(self, conn: Connection, entry: NewReview) -> int:
        result = conn.execute(
            insert(self.reviews)
            .values(
                at=entry.at,
                user_id=entry.user.id,
                username=entry.user.username,
                role=entry.user.role.value,
                target_type=entry.target_type.value,
                target_id=entry.target_id,
                action=entry.action.value,
                before=dict(entry.before),
                after=dict(entry.after),
                reason=entry.reason,
            )
            .returning(self.reviews.c.id)
        )
        review_id = int(result.scalar_one())
        anchors = {a.event_id: a for a in entry.anchors}
        if anchors:
            conn.execute(
                insert(self.review_events),
                [
                    {
                        "review_id": review_id,
                        "event_id": a.event_id,
                        "article_id": a.article_id,
                        "evidence_start": a.start,
                        "evidence_end": a.end,
                    }
                    for a in anchors.values()
                ],
            )
        return review_id

    # ---------------------------------------------------------------------------- reading
    def decisions(self) -> list[Decision]:
        """Every decision, in the order they were made."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(self.decisions_table).order_by(self.decisions_table.c.id))
            return [_decision(row) for row in rows]

    def existing_events(self, decisions: Iterable[Decision]) -> set[str]:
        """The anchored events of these decisions that are still stored."""
        return self.existing_ids(a.event_id for d in decisions for a in d.anchors)

    def existing_ids(self, event_ids: Iterable[str]) -> set[str]:
        """Those of these event ids that are stored."""
        ids = sorted(set(event_ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = select(self.events.c.id).where(
                    self.events.c.id.in_(ids[start : start + 500])
                )
                found |= set(conn.execute(query).scalars())
        return found

    def statement_events(self, anchors: Iterable[Anchor]) -> dict[tuple[str, int, int], list[str]]:
        """The stored events of the anchors' statements (article and evidence span)."""
        keys = {key for anchor in anchors if (key := anchor.statement) is not None}
        articles = sorted({key[0] for key in keys})
        found: dict[tuple[str, int, int], list[str]] = {}
        events = self.events
        columns = (events.c.id, events.c.article_id, events.c.evidence_start, events.c.evidence_end)
        with self.engine.connect() as conn:
            for start in range(0, len(articles), 500):
                query = select(*columns).where(
                    events.c.article_id.in_(articles[start : start + 500])
                )
                for row in conn.execute(query):
                    key = (row.article_id, row.evidence_start, row.evidence_end)
                    if key in keys:
                        found.setdefault(key, []).append(row.id)
        return found

    def history(
        self,
        anchors: Iterable[Anchor] = (),
        target_ids: Iterable[str] = (),
        target_type: TargetType | None = None,
    ) -> list[Review]:
        """Entries about any of these events (by id, or by statement for events re-extracted
        since) or with one of ``target_ids``, oldest first."""
        anchored = list(anchors)
        events = sorted({a.event_id for a in anchored})
        keys = {key for a in anchored if (key := a.statement) is not None}
        articles = sorted({key[0] for key in keys})
        table = self.review_events
        ids: set[int] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(events), 500):
                query = select(table.c.review_id).where(
                    table.c.event_id.in_(events[start : start + 500])
                )
                ids |= set(conn.execute(query).scalars())
            for start in range(0, len(articles), 500):
                query = select(
                    table.c.review_id,
                    table.c.article_id,
                    table.c.evidence_start,
                    table.c.evidence_end,
                ).where(table.c.article_id.in_(articles[start : start + 500]))
                ids |= {
                    row.review_id
                    for row in conn.execute(query)
                    if (row.article_id, row.evidence_start, row.evidence_end) in keys
                }
            conditions = [self.reviews.c.target_id.in_(sorted(set(target_ids)))]
            listed = sorted(ids)
            for start in range(0, len(listed), 500):
                conditions.append(self.reviews.c.id.in_(listed[start : start + 500]))
            query = select(self.reviews).where(or_(*conditions)).order_by(self.reviews.c.id)
            if target_type is not None:
                query = query.where(self.reviews.c.target_type == target_type.value)
            rows = conn.execute(query).all()
            return [_review(row, self._events_of(conn, row.id)) for row in rows]

    def get(self, review_id: int) -> Review | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.reviews).where(self.reviews.c.id == review_id)).first()
            return _review(row, self._events_of(conn, row.id)) if row is not None else None

    def _events_of(self, conn: Connection, review_id: int) -> tuple[str, ...]:
        query = select(self.review_events.c.event_id).where(
            self.review_events.c.review_id == review_id
        )
        return tuple(sorted(conn.execute(query).scalars()))

    def assignments_list(self) -> list[Assignment]:
        """Every current hold, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(self.assignments).order_by(self.assignments.c.id))
            return [
                Assignment(
                    id=row.id,
                    incident_id=row.incident_id,
                    anchors=_anchors(row.anchors),
                    user_id=row.user_id,
                    username=row.username,
                    since=aware(row.since),
                )
                for row in rows
            ]

    def membership(self, event_ids: Iterable[str]) -> dict[str, str]:
        """The stored incident of each of these events that is in one."""
        ids = sorted(set(event_ids))
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(
                    select(self.members).where(
                        self.members.c.event_id.in_(ids[start : start + 500])
                    )
                )
                found.update((row.event_id, row.incident_id) for row in rows)
        return found


def _review(row: Row[Any], event_ids: tuple[str, ...]) -> Review:
    return Review(
        id=row.id,
        at=aware(row.at),
        user_id=row.user_id,
        username=row.username,
        role=Role(row.role),
        target_type=TargetType(row.target_type),
        target_id=row.target_id,
        action=ReviewAction(row.action),
        before=row.before,
        after=row.after,
        reason=row.reason,
        event_ids=event_ids,
    )


def _decision_row(decision: Decision, review_id: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "review_id": review_id,
        "kind": _KINDS[type(decision)],
        "at": decision.at,
        "username": decision.by,
        "reason": decision.reason,
        "anchors": [a.to_json() for a in decision.anchors],
    }
    if isinstance(decision, StatusDecision):
        row["status"] = decision.status.value if decision.status is not None else None
    elif isinstance(decision, FieldEdit):
        row["field"] = decision.field.value
        row["value"] = {"value": field_to_json(decision.field, decision.value)}
        row["family"] = decision.family
    elif isinstance(decision, ViolationDecision):
        row["agreement_id"] = decision.agreement_id
        row["term_id"] = decision.term_id
        determination = decision.determination
        row["determination"] = determination.value if determination is not None else None
        row["party"] = decision.party
        row["actor"] = decision.actor
        row["side"] = decision.side
    return row


def _decision(row: Row[Any]) -> Decision:
    common = (row.id, _anchors(row.anchors), row.username, aware(row.at), row.reason)
    if row.kind == "status":
        return StatusDecision(*common, IncidentStatus(row.status) if row.status else None)
    if row.kind == "edit":
        edited = EditableField(row.field)
        return FieldEdit(*common, edited, field_from_json(edited, row.value["value"]), row.family)
    if row.kind == "merge":
        return MergeLink(*common)
    if row.kind == "split":
        return SplitLink(*common)
    determination = Determination(row.determination) if row.determination else None
    return ViolationDecision(
        *common, row.agreement_id, row.term_id, determination, row.party, row.actor, row.side
    )
