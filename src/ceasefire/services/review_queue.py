"""The review queue, holds (assignment) and the audit history.

See :mod:`ceasefire.services.review` for the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from sqlalchemy import case, func, select

from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.reviews import (
    Assignment,
    Review,
    ReviewAction,
    TargetType,
)
from ceasefire.domain.users import Role, User
from ceasefire.errors import ConflictError, NotFoundError
from ceasefire.services.review_state import OPEN, ReviewBase, require_role


class Need(IntEnum):
    """Why an item is in the queue, most urgent first."""

    POSSIBLE_VIOLATION = 0
    DISPUTED = 1
    NEW = 2
    REVIEWED = 3


@dataclass(frozen=True, slots=True)
class QueueItem:
    incident: Incident
    need: Need
    open_violations: int  # possible violations not yet decided by a supervisor
    held_by: str | None  # username
    held_by_id: int | None
    held_since: datetime | None


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: tuple[QueueItem, ...]
    total: int


class QueueActions(ReviewBase):
    """Reading the queue and the history; taking and releasing holds."""

    # ------------------------------------------------------------------------------ reading
    def queue(
        self,
        user: User,
        *,
        mine: bool = False,
        unassigned: bool = False,
        status: IncidentStatus | str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> QueuePage:
        """Incidents ordered by need (module docstring), each with who holds it and since when."""
        require_role(user, Role.VIEWER, "read the review queue")
        holds = self._holds()
        table, assessments = self.incidents.incidents, self.incidents.assessments
        pending = (
            select(func.count())
            .where(assessments.c.incident_id == table.c.id)
            .where(assessments.c.determination.in_([d.value for d in OPEN]))
            .scalar_subquery()
        )
        need = case(
            (pending > 0, int(Need.POSSIBLE_VIOLATION)),
            (table.c.status == IncidentStatus.DISPUTED.value, int(Need.DISPUTED)),
            (
                table.c.status.in_(
                    [IncidentStatus.REPORTED.value, IncidentStatus.CORROBORATED.value]
                ),
                int(Need.NEW),
            ),
            else_=int(Need.REVIEWED),
        )
        query = select(table.c.id, need.label("need"), pending.label("pending"))
        if status is not None:
            query = query.where(table.c.status == IncidentStatus(status).value)
        if mine:
            query = query.where(
                table.c.id.in_([i for i, a in holds.items() if a.user_id == user.id])
            )
        if unassigned:
            query = query.where(table.c.id.not_in(list(holds)))
        with self.store.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = conn.execute(
                query.order_by(need, table.c.date_start.desc().nulls_last(), table.c.id)
                .limit(limit)
                .offset(offset)
            ).all()
        items = []
        for row in rows:
            incident = self.incidents.get(row.id)
            if incident is None:  # replaced meanwhile
                continue
            hold = holds.get(row.id)
            items.append(
                QueueItem(
                    incident,
                    Need(row.need),
                    int(row.pending),
                    hold.username if hold else None,
                    hold.user_id if hold else None,
                    hold.since if hold else None,
                )
            )
        return QueuePage(tuple(items), int(total))

    def history(self, user: User, target_type: TargetType | str, target_id: str) -> list[Review]:
        """The audit entries about an incident (any of its events, whatever its id was) or about
        one possible violation (``"<incident>:<agreement>:<term>"``), oldest first."""
        require_role(user, Role.VIEWER, "read the review history")
        kind = TargetType(target_type)
        incident_id = target_id.split(":", 1)[0] if kind is TargetType.ASSESSMENT else target_id
        incident = self.incidents.get(incident_id)
        events = self._anchors(incident.event_ids) if incident else ()
        entries = self.reviews.history(
            events, [target_id], kind if kind is TargetType.ASSESSMENT else None
        )
        if kind is TargetType.ASSESSMENT:
            term = target_id.split(":", 1)[1] if ":" in target_id else ""
            entries = [e for e in entries if e.target_id.split(":", 1)[-1] == term]
        if incident is None and not entries:
            raise NotFoundError(f"no {kind.value} {target_id!r} and no review of it")
        return entries

    # ------------------------------------------------------------------------------ holding
    def assign(
        self,
        user: User,
        incident_id: str,
        *,
        assignee: User | None = None,
        force: bool = False,
        reason: str | None = None,
    ) -> Assignment:
        """Hold an incident (yourself, or ``assignee`` for a supervisor)."""
        require_role(user, Role.ANALYST, "assign incidents")
        holder = assignee or user
        if holder.id != user.id:
            require_role(user, Role.SUPERVISOR, "assign incidents to someone else")
            if holder.disabled or not holder.role.allows(Role.ANALYST):
                raise ConflictError(f"{holder.username} cannot review incidents")
        incident = self._incident(incident_id)
        current = self._holds().get(incident.id)
        if current is not None and current.user_id == holder.id:
            return current
        why = self._take_over(user, current, force, reason)
        anchors = self._anchors(incident.event_ids)
        self.reviews.record(
            self._entry(
                user,
                incident,
                ReviewAction.ASSIGN,
                {"held_by": current.username if current else None},
                {"held_by": holder.username},
                why,
            ),
            assign=(incident.id, anchors, holder),
            release=[current.id] if current else [],
        )
        hold = self._holds().get(incident.id)
        assert hold is not None
        return hold

    def unassign(
        self, user: User, incident_id: str, *, force: bool = False, reason: str | None = None
    ) -> Review:
        """Release the hold on an incident (someone else's needs a supervisor or force)."""
        require_role(user, Role.ANALYST, "release incidents")
        incident = self._incident(incident_id)
        current = self._holds().get(incident.id)
        if current is None:
            raise ConflictError(f"incident {incident.id} is not held by anyone")
        why = self._take_over(user, current, force, reason)
        return self.reviews.record(
            self._entry(
                user,
                incident,
                ReviewAction.UNASSIGN,
                {"held_by": current.username},
                {"held_by": None},
                why,
            ),
            release=[current.id],
        )
