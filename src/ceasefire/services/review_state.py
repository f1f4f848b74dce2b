"""Shared machinery of the review services: role checks, holds, anchors, and re-applying the
stored decisions to the incidents a decision touches (see :mod:`ceasefire.services.review`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.profile import Profile, alias_key
from ceasefire.domain.reviews import (
    Anchor,
    Assignment,
    Decision,
    EditableField,
    ReviewAction,
    ReviewInputError,
    TargetType,
)
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.domain.users import Role, User
from ceasefire.errors import ConflictError, NotFoundError, PermissionDeniedError
from ceasefire.pipeline.assess import Assessor, TypeIndex
from ceasefire.pipeline.fusion import fuse
from ceasefire.pipeline.review import (
    apply_decisions,
    apply_violation_decisions,
    rebase,
    rebase_anchors,
    target,
)
from ceasefire.services.fusion import FUSION, to_report
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentRepository
from ceasefire.storage.reviews import NewReview, ReviewRepository

OPEN = (Determination.ALLEGED, Determination.CORROBORATED, Determination.INDETERMINATE)


def incident_json(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "status": incident.status.value,
        "event_ids": list(incident.event_ids),
    }


def reason_text(reason: str | None, required: bool, what: str) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise ReviewInputError(f"{what} needs a reason")
    return text or None


class ReviewBase:
    """The stores, the profile's rules and the helpers every review action uses."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        taxonomy: Taxonomy,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.profile = profile
        self.taxonomy = taxonomy
        self.clock = clock
        self.incidents = IncidentRepository(store)
        self.reviews = ReviewRepository(store)
        self.assessor = Assessor(profile.agreements.values(), profile, taxonomy)
        self.types = TypeIndex.build(taxonomy)

    def _incident(self, incident_id: str, actor: User | None = None) -> Incident:
        """The stored incident; with ``actor``, one they may change (not held by another)."""
        incident = self.incidents.get(incident_id)
        if incident is None:
            raise NotFoundError(
                f"no incident {incident_id!r}: it may have been merged or renamed since "
                "(incident ids follow their events; see its history)"
            )
        if actor is not None:
            hold = self._holds().get(incident.id)
            held = hold is not None and hold.user_id != actor.id
            if hold is not None and held and not actor.role.allows(Role.SUPERVISOR):
                raise ConflictError(
                    f"incident {incident.id} is held by {hold.username} since "
                    f"{hold.since:%Y-%m-%d %H:%M}: ask them, or a supervisor"
                )
        return incident

    def _holds(self) -> dict[str, Assignment]:
        """Current holds by the id of the incident they point to now (a later hold wins)."""
        assignments = self.reviews.assignments_list()
        anchors = [a for hold in assignments for a in hold.anchors]
        existing = self.reviews.existing_ids(a.event_id for a in anchors)
        statements = self.reviews.statement_events(a for a in anchors if a.event_id not in existing)
        rebased = [rebase_anchors(hold.anchors, existing, statements) for hold in assignments]
        membership = self.reviews.membership(a.event_id for held in rebased for a in held)
        holds: dict[str, Assignment] = {}
        for hold, held in zip(assignments, rebased, strict=True):  # oldest first
            incident = target(held, membership)
            if incident is not None:
                holds[incident] = hold
        return holds

    @staticmethod
    def _take_over(
        user: User, current: Assignment | None, force: bool, reason: str | None
    ) -> str | None:
        if current is None or current.user_id == user.id or user.role.allows(Role.SUPERVISOR):
            return reason_text(reason, False, "")
        if not force:
            raise ConflictError(
                f"held by {current.username} since {current.since:%Y-%m-%d %H:%M}: "
                "a supervisor, or force with a reason, can take it over"
            )
        return reason_text(reason, True, "taking over an incident held by someone else")

    def _anchors(self, event_ids: Iterable[str]) -> tuple[Anchor, ...]:
        ids = sorted(set(event_ids))
        stored = {s.event_id: s for s in self.incidents.reports(event_ids=ids)}
        anchors = []
        for event in ids:
            found = stored.get(event)
            if found is None:
                anchors.append(Anchor(event))
                continue
            evidence = found.event.evidence
            anchors.append(Anchor(event, found.event.article_id, evidence.start, evidence.end))
        return tuple(anchors)

    def _entry(
        self,
        user: User,
        incident: Incident,
        action: ReviewAction,
        before: dict[str, Any],
        after: dict[str, Any],
        reason: str | None,
        events: Iterable[str] | None = None,
    ) -> NewReview:
        anchors = self._anchors(events if events is not None else incident.event_ids)
        return NewReview(
            user,
            TargetType.INCIDENT,
            incident.id,
            action,
            before,
            after,
            reason,
            anchors,
            self.clock(),
        )

    def _recompute(
        self, incidents: Sequence[Incident], extra: Decision
    ) -> tuple[list[Incident], list[Assessment]]:
        """These stored incidents rebuilt from their events with every decision (and ``extra``)
        applied, and their assessments."""
        events = sorted({event for incident in incidents for event in incident.event_ids})
        reports = {
            s.event_id: to_report(s, self.profile) for s in self.incidents.reports(event_ids=events)
        }
        # decisions replay over the machine's grouping of these events, as every fusion run
        # does (replaying them over already-decided incidents would not give the same result)
        base = fuse(reports.values())
        decisions = [*self.reviews.decisions(), extra]
        decisions = rebase(decisions, reports.values(), self.reviews.existing_events(decisions))
        new = apply_decisions(base, reports.values(), decisions)
        modalities = {event: report.event.modality for event, report in reports.items()}
        assessed = self.assessor.assess_all(new, modalities=modalities)
        return new, apply_violation_decisions(assessed, new, decisions)

    def _decide(
        self,
        entry: NewReview,
        decision: Decision,
        incidents: Sequence[Incident],
        after: Callable[[list[Incident]], dict[str, Any]] | None = None,
    ) -> list[Incident]:
        new, assessments = self._recompute(incidents, decision)
        if after is not None:
            entry = replace(entry, after=after(new))
        self.reviews.record(entry, decision)
        self._store(incidents, new, assessments)
        return new

    def _store(
        self, old: Sequence[Incident], new: Sequence[Incident], assessments: Sequence[Assessment]
    ) -> None:
        self.incidents.replace({e for i in old for e in i.event_ids}, new, FUSION)
        self.incidents.replace_assessments([i.id for i in new], assessments)

    def _event_type(self, name: str) -> tuple[str, str]:
        type_id = self.types.types.get(alias_key(name))
        for family in self.taxonomy.families:
            for event_type in family.types:
                if event_type.id == type_id:
                    return event_type.acled or event_type.name, family.id
        raise ReviewInputError(f"unknown event type {name!r}")

    def _sub_type(self, incident: Incident, name: str) -> str:
        type_id, sub_id = self.types.resolve(incident.event_type, name)
        if type_id is None or sub_id is None:
            raise ReviewInputError(f"{name!r} is not a sub-event type of {incident.event_type!r}")
        return self.taxonomy.sub_type(type_id, sub_id)[2].acled or name


HUMAN_STATUSES = (IncidentStatus.VERIFIED, IncidentStatus.REJECTED)
HUMAN_DETERMINATIONS = (Determination.CONFIRMED, Determination.NOT_A_VIOLATION)


def field_of(incident: Incident, field: EditableField) -> Any:
    return getattr(incident, field.value)


def require_role(user: User, role: Role, what: str) -> None:
    if user.disabled:
        raise PermissionDeniedError(f"{user.username} is disabled")
    if not user.role.allows(role):
        raise PermissionDeniedError(
            f"{user.username} is a {user.role.value}: to {what} needs {role.value} or above"
        )
