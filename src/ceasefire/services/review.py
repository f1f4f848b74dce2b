"""Review use cases: the queue, assignment, and human decisions on incidents and violations.

Every method takes the acting :class:`~ceasefire.domain.users.User` and checks the role first
(a disabled user may do nothing): viewers read the queue and the history; analysts assign,
confirm, reject, reopen, edit, merge and split; supervisors also confirm, dismiss or reopen
possible violations and take over items held by someone else.

**Holds.** An item is held by at most one user. An analyst cannot change an item someone else
holds; taking it over needs a supervisor, or ``force=True`` with a reason. Holds are anchored on
the incident's events like decisions, so they follow the incident when fusion renames it.

**Writes.** Each action writes one audit entry (who, when, before, after, reason) and the decision
it makes in one transaction, then re-applies every stored decision to the incidents concerned and
stores them with their assessments (no full re-fusion; if that last step fails the decision is
kept and the next ``ceasefire process`` applies it). The queue is ordered by need: undecided
possible violations first, then disputed incidents, then new ones (reported or corroborated, not
yet verified or rejected by anyone), then the rest; newest first within each tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.reviews import (
    EditableField,
    FieldEdit,
    MergeLink,
    ReviewAction,
    ReviewInputError,
    SplitLink,
    StatusDecision,
    TargetType,
    ViolationDecision,
    assessment_target,
    field_from_json,
    field_to_json,
)
from ceasefire.domain.users import Role, User
from ceasefire.errors import ConflictError, NotFoundError
from ceasefire.pipeline.review import (
    PENDING_SEQ,
)
from ceasefire.services.review_queue import Need, QueueActions, QueueItem, QueuePage
from ceasefire.services.review_state import (
    HUMAN_DETERMINATIONS,
    HUMAN_STATUSES,
    field_of,
    incident_json,
    reason_text,
    require_role,
)
from ceasefire.storage.reviews import NewReview

__all__ = ["Need", "QueueItem", "QueuePage", "ReviewService"]


class ReviewService(QueueActions):
    """The review workflow over one store, with the profile's agreements and the taxonomy."""

    # ---------------------------------------------------------------------------- incidents
    def confirm(self, user: User, incident_id: str, reason: str | None = None) -> Incident:
        """Mark an incident verified (a human confirmed it)."""
        return self._status(
            user, incident_id, IncidentStatus.VERIFIED, ReviewAction.CONFIRM, reason
        )

    def reject(self, user: User, incident_id: str, reason: str) -> Incident:
        """Mark an incident rejected (it is not assessed as a violation any more)."""
        return self._status(user, incident_id, IncidentStatus.REJECTED, ReviewAction.REJECT, reason)

    def reopen(self, user: User, incident_id: str, reason: str) -> Incident:
        """Withdraw the human status: the status fusion computes applies again."""
        return self._status(user, incident_id, None, ReviewAction.REOPEN, reason)

    def edit(
        self, user: User, incident_id: str, field: EditableField | str, value: Any, reason: str
    ) -> Incident:
        """Correct one field; the human value wins over every recomputation.

        ``value`` is the JSON form (see :func:`ceasefire.domain.reviews.field_from_json`) or a
        typed value. Event and sub-event types are checked against the taxonomy and written
        with their output names; an event type edit also sets the family, and a sub-event type
        must belong to the incident's (possibly edited) event type, so changing both is two
        edits: the type first."""
        require_role(user, Role.ANALYST, "edit incidents")
        why = reason_text(reason, True, "an edit")
        try:
            edited = EditableField(field)
        except ValueError as exc:
            raise ReviewInputError(
                f"{field!r} cannot be edited: one of {list(EditableField)}"
            ) from exc
        incident = self._incident(incident_id, user)
        parsed = field_from_json(edited, value)
        family = None
        if edited is EditableField.EVENT_TYPE:
            parsed, family = self._event_type(str(parsed))
        elif edited is EditableField.SUB_EVENT_TYPE:
            parsed = self._sub_type(incident, str(parsed))
        before = field_to_json(edited, field_of(incident, edited))
        after = field_to_json(edited, parsed)
        if before == after:
            raise ConflictError(f"{edited.value} of incident {incident.id} is already {after!r}")
        decision = FieldEdit(
            PENDING_SEQ,
            self._anchors(incident.event_ids),
            user.username,
            self.clock(),
            why,
            edited,
            parsed,
            family,
        )
        entry = self._entry(
            user, incident, ReviewAction.EDIT, {edited.value: before}, {edited.value: after}, why
        )
        [changed] = self._decide(entry, decision, [incident])
        return changed

    def merge(self, user: User, incident_id: str, other_id: str, reason: str) -> Incident:
        """Force the events of two incidents into one."""
        require_role(user, Role.ANALYST, "merge incidents")
        why = reason_text(reason, True, "a merge")
        first, second = self._incident(incident_id, user), self._incident(other_id, user)
        if first.id == second.id:
            raise ConflictError("an incident cannot be merged with itself")
        events = (*first.event_ids, *second.event_ids)
        decision = MergeLink(PENDING_SEQ, self._anchors(events), user.username, self.clock(), why)
        entry = self._entry(
            user,
            first,
            ReviewAction.MERGE,
            {"incidents": [incident_json(first), incident_json(second)]},
            {},
            why,
            events,
        )
        [merged] = self._decide(
            entry, decision, [first, second], after=lambda new: {"incident": incident_json(new[0])}
        )
        return merged

    def split(
        self, user: User, incident_id: str, event_ids: Sequence[str], reason: str
    ) -> tuple[Incident, Incident]:
        """Force events out of an incident into one of their own: (the rest, the split one)."""
        require_role(user, Role.ANALYST, "split incidents")
        why = reason_text(reason, True, "a split")
        incident = self._incident(incident_id, user)
        out = sorted(set(event_ids))
        if not out or not set(out) <= set(incident.event_ids):
            raise ReviewInputError(
                f"the events to split out must be members of incident {incident.id}"
            )
        if len(out) == len(incident.event_ids):
            raise ConflictError("splitting out every event leaves nothing to split from")
        decision = SplitLink(PENDING_SEQ, self._anchors(out), user.username, self.clock(), why)
        entry = self._entry(
            user,
            incident,
            ReviewAction.SPLIT,
            {"incident": incident_json(incident), "split_out": out},
            {},
            why,
        )
        new = self._decide(
            entry,
            decision,
            [incident],
            after=lambda new: {"incidents": [incident_json(i) for i in new]},
        )
        [part] = [i for i in new if set(i.event_ids) == set(out)]
        [rest] = [i for i in new if i is not part]
        return rest, part

    # --------------------------------------------------------------------------- violations
    def confirm_violation(
        self, user: User, incident_id: str, agreement_id: str, term_id: str, reason: str
    ) -> Assessment | None:
        """A supervisor determines that the possible violation is one."""
        return self._violation(
            user,
            incident_id,
            agreement_id,
            term_id,
            Determination.CONFIRMED,
            ReviewAction.CONFIRM_VIOLATION,
            reason,
        )

    def dismiss_violation(
        self, user: User, incident_id: str, agreement_id: str, term_id: str, reason: str
    ) -> Assessment | None:
        """A supervisor determines that the possible violation is not one."""
        return self._violation(
            user,
            incident_id,
            agreement_id,
            term_id,
            Determination.NOT_A_VIOLATION,
            ReviewAction.DISMISS_VIOLATION,
            reason,
        )

    def reopen_violation(
        self, user: User, incident_id: str, agreement_id: str, term_id: str, reason: str
    ) -> Assessment | None:
        """Withdraw a determination: the engine's applies again (None if it finds none)."""
        return self._violation(
            user, incident_id, agreement_id, term_id, None, ReviewAction.REOPEN_VIOLATION, reason
        )

    # ------------------------------------------------------------------------------ helpers
    def _status(
        self,
        user: User,
        incident_id: str,
        status: IncidentStatus | None,
        action: ReviewAction,
        reason: str | None,
    ) -> Incident:
        require_role(user, Role.ANALYST, f"{action.value} incidents")
        required = action is not ReviewAction.CONFIRM
        why = reason_text(reason, required, f"to {action.value} an incident")
        incident = self._incident(incident_id, user)
        if status is None and incident.status not in HUMAN_STATUSES:
            raise ConflictError(f"incident {incident.id} has no human status to reopen")
        if status is not None and incident.status is status:
            raise ConflictError(f"incident {incident.id} is already {status.value}")
        anchors = self._anchors(incident.event_ids)
        decision = StatusDecision(PENDING_SEQ, anchors, user.username, self.clock(), why, status)
        entry = self._entry(user, incident, action, {"status": incident.status.value}, {}, why)
        [changed] = self._decide(
            entry, decision, [incident], after=lambda new: {"status": new[0].status.value}
        )
        return changed

    def _violation(
        self,
        user: User,
        incident_id: str,
        agreement_id: str,
        term_id: str,
        determination: Determination | None,
        action: ReviewAction,
        reason: str,
    ) -> Assessment | None:
        require_role(user, Role.SUPERVISOR, "determine violations")
        why = reason_text(reason, True, "a violation determination")
        incident = self._incident(incident_id, user)
        found = [
            a
            for a in self.incidents.list_assessments(incident=incident.id)
            if (a.agreement_id, a.term_id) == (agreement_id, term_id)
        ]
        if not found:
            raise NotFoundError(
                f"incident {incident.id} has no possible violation of {agreement_id}/{term_id}"
            )
        [machine] = found
        if determination is None and machine.determination not in HUMAN_DETERMINATIONS:
            raise ConflictError("no determination to reopen: the engine's is in force")
        if determination is not None and machine.determination is determination:
            raise ConflictError(f"the possible violation is already {determination.value}")
        decision = ViolationDecision(
            PENDING_SEQ,
            self._anchors(incident.event_ids),
            user.username,
            self.clock(),
            why,
            agreement_id,
            term_id,
            determination,
            machine.party,
            machine.actor,
            machine.side,
        )
        new, assessments = self._recompute([incident], decision)
        [now] = [i for i in new if set(i.event_ids) == set(incident.event_ids)] or [incident]
        result = next(
            (
                a
                for a in assessments
                if (a.incident_id, a.agreement_id, a.term_id) == (now.id, agreement_id, term_id)
            ),
            None,
        )
        entry = NewReview(
            user,
            TargetType.ASSESSMENT,
            assessment_target(incident.id, agreement_id, term_id),
            action,
            {"determination": machine.determination.value, "party": machine.party},
            {"determination": result.determination.value if result else None},
            why,
            decision.anchors,
            self.clock(),
        )
        self.reviews.record(entry, decision)
        self._store([incident], new, assessments)
        return result
