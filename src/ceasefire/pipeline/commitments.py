"""Commitments: the state of every obligation of the agreements as of a day, from evidence.

Pure, no I/O, no clock: ``as_of`` is always given. For an obligation of an agreement in force from
day E, due on day D (a date, or a duration from E: Geneva's "within three months" of 23 Oct 2020 is
due 2021-01-23, inclusive), evidence is the incidents of its ``met_by`` and ``breached_by`` types in
its area (an incident without a location is not excluded), asserted or claimed (the same rule as
assessment: :func:`ceasefire.pipeline.assess.assessable`), starting on or after E and on or before
``as_of`` (what had happened by then). Meeting evidence is **timely** when its whole date interval
ends by D, **late** otherwise; breaching evidence is **after the deadline** when it starts after D.

The states:

- ``unknown``: the obligation names no evidence type (a cabinet formed, training agreements frozen,
  mines cleared: nothing the incident stream shows), or it names only breaching types and none
  was seen after the deadline. Only an analyst can say more (override).
- ``pending``: the agreement is not in effect yet; or the deadline has not passed (or there is
  none) and nothing meets it yet (breaching evidence before the deadline is listed, but time
  remains).
- ``met``: timely meeting evidence and no breaching evidence.
- ``partly_met``: meeting evidence and breaching evidence both, before the deadline (a prisoner
  exchange happened but new arrivals too); or, after the deadline, meeting evidence that came only
  late (met after the deadline).
- ``overdue``: the deadline passed with no meeting evidence, or breaching evidence starts after the
  deadline (foreign forces arriving after 2021-01-23 breach "all out by 23 January" whatever
  departures came before).

Obligations without a deadline are never overdue. One departure reads as "met" for "all foreign
fighters out": the engine sees incidents, not head counts, so an analyst's override (a mapping
term id → :class:`CommitmentOverride`) wins and is reported as such, with the computed state kept
beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from ceasefire.domain.agreements import (
    AgreementError,
    AgreementSpec,
    Commitment,
    CommitmentOverride,
    CommitmentStatus,
    Obligation,
)
from ceasefire.domain.events import Modality
from ceasefire.domain.incidents import Incident
from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.pipeline.assess import TypeIndex, assessable, in_area

TRACKER = "commitments-1"

Status = CommitmentStatus


class _Evidence:
    """The evidence of one obligation, sorted into timely/late meeting and pre/post breaching."""

    def __init__(self) -> None:
        self.timely: list[str] = []
        self.late: list[str] = []
        self.breach_before: list[str] = []
        self.breach_after: list[str] = []

    @property
    def meeting(self) -> tuple[str, ...]:
        return tuple(sorted({*self.timely, *self.late}))

    @property
    def breaching(self) -> tuple[str, ...]:
        return tuple(sorted({*self.breach_before, *self.breach_after}))


def _gather(
    obligation: Obligation,
    agreement: AgreementSpec,
    incidents: Iterable[Incident],
    as_of: date,
    index: TypeIndex,
    profile: Profile | None,
    modalities: Mapping[str, Modality] | None,
) -> _Evidence:
    evidence = _Evidence()
    due = agreement.due(obligation)
    area = obligation.area or agreement.area
    for incident in incidents:
        when = incident.date
        if when is None or not assessable(incident, modalities):
            continue
        if when.start < agreement.start or when.start > as_of:
            continue
        if in_area(incident.location, area, profile) is False:
            continue
        kind, sub = incident.event_type, incident.sub_event_type
        if index.matches(obligation.met_by, kind, sub):
            (evidence.timely if due is None or when.end <= due else evidence.late).append(
                incident.id
            )
        if index.matches(obligation.breached_by, kind, sub):
            after = due is not None and when.start > due
            (evidence.breach_after if after else evidence.breach_before).append(incident.id)
    return evidence


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(sorted(set(ids)))


def _state(
    obligation: Obligation, agreement: AgreementSpec, evidence: _Evidence, as_of: date
) -> tuple[CommitmentStatus, str]:
    """The computed state and why (the module's table)."""
    due = agreement.due(obligation)
    if not (obligation.met_by or obligation.breached_by):
        return Status.UNKNOWN, "no event type can evidence this obligation"
    if as_of < agreement.start:
        return Status.PENDING, f"the agreement takes effect on {agreement.start}"
    passed = due is not None and as_of > due
    if evidence.breach_after:
        return (
            Status.OVERDUE,
            f"breaching evidence after the deadline {due}: {_ids(evidence.breach_after)}",
        )
    if evidence.timely and evidence.breach_before:
        return (
            Status.PARTLY_MET,
            f"evidence meets it ({_ids(evidence.timely)}) and breaches it "
            f"({_ids(evidence.breach_before)})",
        )
    if evidence.timely:
        by = f"by the deadline {due}" if due else "(no deadline)"
        return Status.MET, f"evidence meets it {by}: {_ids(evidence.timely)}"
    if not obligation.met_by:
        if passed:
            return (
                Status.UNKNOWN,
                "no breaching evidence after the deadline, and compliance is not observable",
            )
        return Status.PENDING, f"due {due}" if due else "no deadline"
    if passed and evidence.late:
        return Status.PARTLY_MET, f"met only after the deadline {due}: {_ids(evidence.late)}"
    if passed:
        also = (
            f"; breaching evidence {_ids(evidence.breach_before)}" if evidence.breach_before else ""
        )
        return Status.OVERDUE, f"the deadline {due} passed with no evidence that meets it{also}"
    until = f"due {due}" if due else "no deadline"
    also = (
        f"; breaching evidence so far: {_ids(evidence.breach_before)}"
        if evidence.breach_before
        else ""
    )
    return Status.PENDING, f"{until}, no evidence that meets it yet{also}"


def commitments(
    agreements: Iterable[AgreementSpec],
    incidents: Iterable[Incident],
    as_of: date,
    taxonomy: Taxonomy,
    *,
    overrides: Mapping[str, CommitmentOverride] | None = None,
    profile: Profile | None = None,
    modalities: Mapping[str, Modality] | None = None,
) -> list[Commitment]:
    """Every obligation's state as of ``as_of``, sorted by agreement and term id.

    ``overrides`` maps term ids to an analyst's status and reason; a key that names no obligation
    of ``agreements`` is an error (a typo must not silently lose a human decision). ``profile``
    resolves place ids in obligations' areas to the places under them.
    """
    agreements = sorted(agreements, key=lambda agreement: agreement.id)
    incidents = tuple(incidents)
    overrides = overrides or {}
    obligations = {o.id for agreement in agreements for o in agreement.obligations}
    unknown = sorted(set(overrides) - obligations)
    if unknown:
        raise AgreementError(
            f"overrides name no obligation of the agreements: {', '.join(unknown)}"
        )
    index = TypeIndex.build(taxonomy)
    results = []
    for agreement in agreements:
        for obligation in sorted(agreement.obligations, key=lambda o: o.id):
            evidence = _gather(obligation, agreement, incidents, as_of, index, profile, modalities)
            computed, why = _state(obligation, agreement, evidence, as_of)
            override = overrides.get(obligation.id)
            status = override.status if override else computed
            rationale = f"As of {as_of}: {computed.value}, {why}."
            if override:
                who = f" by {override.by}" if override.by else ""
                when = f" on {override.on}" if override.on else ""
                rationale += f" Overridden{who}{when} to {override.status.value}: {override.reason}"
            results.append(
                Commitment(
                    agreement_id=agreement.id,
                    term_id=obligation.id,
                    text=obligation.text.strip(),
                    parties=obligation.who or agreement.party_ids,
                    due=agreement.due(obligation),
                    as_of=as_of,
                    status=status,
                    computed=computed,
                    meeting=evidence.meeting,
                    breaching=evidence.breaching,
                    rationale=rationale,
                    override=override,
                )
            )
    return results
