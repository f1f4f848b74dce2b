"""Human decisions over machine results: pure, deterministic, no I/O.

Fusion and assessment are recomputed whenever reports, the code or the profile change; a human
decision must survive every recomputation. This stage takes what the machine computed and the
stored decisions (:mod:`ceasefire.domain.reviews`) and returns what the record shows.

**Rebasing** (:func:`rebase`). Decisions are anchored on events. When an article is re-extracted
(a new extractor version) its statements get new event ids; an anchor whose event id no longer
exists is moved to the current events with the same statement key (article id and evidence span).
When several current events share that key, all of them take its place. Stored decisions are
never rewritten: rebasing is done again on every application.

**Grouping** (merges and splits, in ``seq`` order, over the machine's incidents). A merge puts
every incident holding an anchored event into one. A split takes its anchored events out of their
incidents into one incident of their own. Replaying them in order means a later split undoes part
of an earlier merge and a later merge undoes a split. Anchored events that no longer exist are
ignored. An incident whose members changed is rebuilt with fusion's canonical rules
(:func:`ceasefire.pipeline.fusion.canonical.build_incident`), so its id is again
``sha256("incident:" + smallest member)`` and every canonical field, the independent sources,
the status and the claims are those of its new members.

**Targets.** A status decision, a field edit or a violation decision applies to one incident: the
one that now holds the most of its *effective* anchors, ties to the incident that holds the
smallest of them. The effective anchors are the anchors minus the events a *later* split moved out
(so a decision stays with the incident it was made on when part of that incident is split away);
if that leaves none, all anchors count. A decision none of whose anchors exists waits (it applies
again if its events come back).

**Winning.** Per incident, the latest decision (highest ``seq``) of each kind wins: one status,
one value per edited field, one determination per agreement × term. A human status (``verified``,
``rejected``) replaces the computed one; ``None`` (reopened) leaves the computed one. Field edits
replace the computed value (an edited ``fatalities`` also widens ``fatalities_high`` to keep the
range). A violation determination (``confirmed``, ``not_a_violation``) replaces the engine's; if
the engine no longer finds that possible violation, the decision keeps it, with the party it was
decided for. Output is sorted as fusion sorts (date, then id) and assessments by incident,
agreement and term.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ceasefire.domain.agreements import Assessment
from ceasefire.domain.events import ActorRef, EventDate, Location
from ceasefire.domain.incidents import Incident, Report
from ceasefire.domain.reviews import (
    Anchor,
    Decision,
    EditableField,
    FieldEdit,
    MergeLink,
    SplitLink,
    StatusDecision,
    ViolationDecision,
)
from ceasefire.errors import CeasefireError
from ceasefire.pipeline.fusion.blocking import cluster_order, prepare
from ceasefire.pipeline.fusion.canonical import build_incident, incident_order

REVIEW_STAGE = "review/1"
#: a seq later than every stored decision, for a decision not yet stored
PENDING_SEQ = 2**62


class ReviewApplyError(CeasefireError):
    """A merge or split needs the reports of events the caller did not pass."""

    code = "review_apply"


def statement_of(report: Report) -> tuple[str, int, int]:
    evidence = report.event.evidence
    return (report.event.article_id, evidence.start, evidence.end)


def anchor_of(report: Report) -> Anchor:
    """The anchor of a stored statement (its id and statement key)."""
    article, start, end = statement_of(report)
    return Anchor(report.event_id, article, start, end)


def rebase_anchors(
    anchors: Sequence[Anchor],
    existing: Container[str],
    by_statement: Mapping[tuple[str, int, int], Sequence[str]],
) -> tuple[Anchor, ...]:
    """Anchors whose events are gone, moved to the current events of their statement."""
    moved: list[Anchor] = []
    for anchor in anchors:
        key = anchor.statement
        if anchor.event_id in existing or key is None or key not in by_statement:
            moved.append(anchor)
        else:
            moved += [Anchor(event, *key) for event in sorted(by_statement[key])]
    return tuple(moved)


def rebase(
    decisions: Iterable[Decision],
    reports: Iterable[Report],
    existing: Collection[str] = frozenset(),
) -> list[Decision]:
    """Move anchors whose events are gone to the current events of the same statement.

    An anchor stays when its event is among ``reports`` or in ``existing`` (the anchored events
    that still exist anywhere: a caller passing only some reports passes these, so an anchor is
    moved only when its event is really gone, never because it is outside the reports given).
    """
    reports = list(reports)
    current = {report.event_id for report in reports} | set(existing)
    by_statement: dict[tuple[str, int, int], list[str]] = {}
    for report in reports:
        by_statement.setdefault(statement_of(report), []).append(report.event_id)
    result: list[Decision] = []
    for decision in decisions:
        anchors = rebase_anchors(decision.anchors, current, by_statement)
        result.append(
            decision if anchors == decision.anchors else replace(decision, anchors=anchors)
        )
    return result


def _ordered(decisions: Iterable[Decision]) -> list[Decision]:
    return sorted(decisions, key=lambda decision: decision.seq)


def _later_splits(decisions: Sequence[Decision]) -> list[tuple[int, frozenset[str]]]:
    return [
        (d.seq, frozenset(a.event_id for a in d.anchors))
        for d in decisions
        if isinstance(d, SplitLink)
    ]


def target(
    anchors: Iterable[Anchor],
    membership: Mapping[str, str],
    seq: int | None = None,
    splits: Sequence[tuple[int, frozenset[str]]] = (),
) -> str | None:
    """The incident that anchors point to now (see the module docstring), or None.

    ``membership`` maps event ids to the ids of the incidents that hold them now; ``splits`` are
    the (seq, split events) of every split decision, of which those after ``seq`` count.
    """
    anchored = sorted({a.event_id for a in anchors if a.event_id in membership})
    moved: set[str] = set()
    if seq is not None:
        moved = set().union(*(events for at, events in splits if at > seq))
    effective = [event for event in anchored if event not in moved] or anchored
    if not effective:
        return None
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for event in effective:  # sorted: the first event seen for an incident is its smallest
        incident = membership[event]
        counts[incident] = counts.get(incident, 0) + 1
        first.setdefault(incident, event)
    return min(counts, key=lambda incident: (-counts[incident], first[incident]))


def regroup(incidents: Iterable[Incident], decisions: Iterable[Decision]) -> list[frozenset[str]]:
    """The member sets after replaying merges and splits in order (module docstring)."""
    groups: dict[int, set[str]] = {}
    group_of: dict[str, int] = {}
    for number, incident in enumerate(incidents):
        groups[number] = set(incident.event_ids)
        for event in incident.event_ids:
            group_of[event] = number
    fresh = len(groups)
    for decision in _ordered(decisions):
        if not isinstance(decision, MergeLink | SplitLink):
            continue
        events = sorted({a.event_id for a in decision.anchors if a.event_id in group_of})
        if not events:
            continue
        if isinstance(decision, MergeLink):
            touched = sorted({group_of[event] for event in events})
            keep = touched[0]
            for other in touched[1:]:
                for event in groups.pop(other):
                    group_of[event] = keep
                    groups[keep].add(event)
            continue
        for event in events:
            old = group_of[event]
            groups[old].discard(event)
            if not groups[old]:
                del groups[old]
            group_of[event] = fresh
        groups[fresh] = set(events)
        fresh += 1
    return sorted((frozenset(group) for group in groups.values()), key=min)


def rebuild(members: Iterable[str], reports: Mapping[str, Report]) -> Incident:
    """The machine's incident of these events, by fusion's canonical rules."""
    members = frozenset(members)
    missing = sorted(members - reports.keys())
    if missing:
        raise ReviewApplyError(
            f"a merge or split changes an incident whose events were not given: {missing[:3]}"
        )
    items = sorted((prepare(reports[event]) for event in members), key=cluster_order)
    return build_incident(items)


def _edit(incident: Incident, edit: FieldEdit) -> Incident:
    value = edit.value
    match edit.field:
        case EditableField.EVENT_TYPE if isinstance(value, str):
            return replace(incident, event_type=value, family=edit.family or incident.family)
        case EditableField.SUB_EVENT_TYPE if isinstance(value, str):
            return replace(incident, sub_event_type=value)
        case EditableField.ACTOR1 if value is None or isinstance(value, ActorRef):
            return replace(incident, actor1=value)
        case EditableField.ACTOR2 if value is None or isinstance(value, ActorRef):
            return replace(incident, actor2=value)
        case EditableField.LOCATION if value is None or isinstance(value, Location):
            return replace(incident, location=value)
        case EditableField.DATE if isinstance(value, EventDate):
            return replace(incident, date=value)
        case EditableField.FATALITIES if value is None or isinstance(value, int):
            high = incident.fatalities_high
            if value is None or high is None or high < value:
                high = value
            return replace(incident, fatalities=value, fatalities_high=high)
    raise ReviewApplyError(f"a {edit.field.value} edit cannot hold {value!r}")


@dataclass(frozen=True, slots=True)
class _Winners:
    status: dict[str, StatusDecision]
    edits: dict[tuple[str, EditableField], FieldEdit]
    violations: dict[tuple[str, str, str], ViolationDecision]


def _winners(incidents: Iterable[Incident], decisions: Sequence[Decision]) -> _Winners:
    membership = {event: incident.id for incident in incidents for event in incident.event_ids}
    splits = _later_splits(decisions)
    winners = _Winners({}, {}, {})
    for decision in _ordered(decisions):  # later ones overwrite earlier ones
        if isinstance(decision, MergeLink | SplitLink):
            continue
        incident = target(decision.anchors, membership, decision.seq, splits)
        if incident is None:
            continue
        if isinstance(decision, StatusDecision):
            winners.status[incident] = decision
        elif isinstance(decision, FieldEdit):
            winners.edits[(incident, decision.field)] = decision
        else:
            winners.violations[(incident, decision.agreement_id, decision.term_id)] = decision
    return winners


def apply_decisions(
    incidents: Iterable[Incident],
    reports: Iterable[Report] | None,
    decisions: Iterable[Decision],
) -> list[Incident]:
    """The incidents as humans decided them: merges, splits, human statuses and field edits.

    ``reports`` must hold (at least) the members of incidents a merge or split changes. Pass
    the decisions through :func:`rebase` first when events may have been re-extracted.
    """
    machine = list(incidents)
    decided = list(decisions)
    by_event = {report.event_id: report for report in reports or ()}
    known = {incident.event_ids: incident for incident in machine}
    result = []
    for members in regroup(machine, decided):
        key = tuple(sorted(members))
        incident = known.get(key)
        result.append(incident if incident is not None else rebuild(members, by_event))
    winners = _winners(result, decided)
    final = []
    for incident in result:
        status = winners.status.get(incident.id)
        if status is not None and status.status is not None:
            incident = replace(incident, status=status.status)
        for field in EditableField:
            edit = winners.edits.get((incident.id, field))
            if edit is not None:
                incident = _edit(incident, edit)
        final.append(incident)
    return sorted(final, key=incident_order)


def _human_rationale(decision: ViolationDecision) -> str:
    assert decision.determination is not None
    when = decision.at.date().isoformat()
    why = f": {decision.reason}" if decision.reason else ""
    return f"Determined {decision.determination.value} by {decision.by} on {when}{why}."


def apply_violation_decisions(
    assessments: Iterable[Assessment],
    incidents: Iterable[Incident],
    decisions: Iterable[Decision],
) -> list[Assessment]:
    """The assessments with supervisors' determinations winning over the engine's.

    ``incidents`` are the incidents as decided (the output of :func:`apply_decisions`), which
    the decisions are resolved against; pass the decisions rebased as for that call.
    """
    decided = list(decisions)
    winners = _winners(incidents, decided).violations
    result: dict[tuple[str, str, str], Assessment] = {
        (a.incident_id, a.agreement_id, a.term_id): a for a in assessments
    }
    for key, decision in winners.items():
        if decision.determination is None:
            continue
        machine = result.get(key)
        note = _human_rationale(decision)
        if machine is not None:
            result[key] = replace(
                machine,
                determination=decision.determination,
                rationale=f"{note} Engine: {machine.rationale}",
            )
        else:
            result[key] = Assessment(
                incident_id=key[0],
                agreement_id=key[1],
                term_id=key[2],
                party=decision.party,
                actor=decision.actor,
                side=decision.side,
                determination=decision.determination,
                rationale=f"{note} The engine no longer finds this possible violation.",
                assessor=REVIEW_STAGE,
            )
    return [result[key] for key in sorted(result)]
