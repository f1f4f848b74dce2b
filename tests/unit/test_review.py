"""The pure review stage: merges and splits replayed over fusion's incidents, anchoring on events
(renamed incidents, re-extracted statements), winners, violation determinations, determinism;
and the checking of edited field values."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.events import ActorRef, EventDate, Location
from ceasefire.domain.incidents import Incident, IncidentStatus, Report
from ceasefire.domain.reviews import (
    Anchor,
    Decision,
    EditableField,
    FieldEdit,
    MergeLink,
    ReviewInputError,
    SplitLink,
    StatusDecision,
    ViolationDecision,
    field_from_json,
    field_to_json,
)
from ceasefire.pipeline.fusion import fuse, incident_id
from ceasefire.pipeline.review import (
    ReviewApplyError,
    anchor_of,
    apply_decisions,
    apply_violation_decisions,
    rebase,
    regroup,
    target,
)
from tests.unit.test_fusion import BENGHAZI, make_report

AT = datetime(2020, 3, 1, tzinfo=UTC)


def _anchors(*ids: str) -> tuple[Anchor, ...]:
    return tuple(Anchor(i) for i in ids)


def status(seq: int, value: IncidentStatus | None, *ids: str) -> StatusDecision:
    return StatusDecision(seq, _anchors(*ids), "ana", AT, "why", value)


def edit(seq: int, field: EditableField, value: object, *ids: str) -> FieldEdit:
    return FieldEdit(seq, _anchors(*ids), "ana", AT, "why", field, value)  # type: ignore[arg-type]


def merge(seq: int, *ids: str) -> MergeLink:
    return MergeLink(seq, _anchors(*ids), "ana", AT, "why")


def split(seq: int, *ids: str) -> SplitLink:
    return SplitLink(seq, _anchors(*ids), "ana", AT, "why")


@pytest.fixture
def reports() -> list[Report]:
    """Two outlets on the port shelling (e1, e2: one incident), one on Benghazi (e3)."""
    return [
        make_report("e1", outlet="a", fatalities=3),
        make_report("e2", outlet="b", fatalities=5),
        make_report("e3", outlet="c", place=BENGHAZI),
    ]


def _by_members(incidents: list[Incident]) -> dict[tuple[str, ...], Incident]:
    return {incident.event_ids: incident for incident in incidents}


def test_without_decisions_nothing_changes(reports: list[Report]) -> None:
    machine = fuse(reports)
    assert apply_decisions(machine, reports, []) == machine


def test_a_merge_rebuilds_the_incident_with_fusion_rules(reports: list[Report]) -> None:
    machine = fuse(reports)
    assert sorted(i.event_ids for i in machine) == [("e1", "e2"), ("e3",)]
    [merged] = apply_decisions(machine, reports, [merge(1, "e1", "e2", "e3")])
    assert merged.event_ids == ("e1", "e2", "e3") and merged.id == incident_id(["e1"])
    assert merged.independent_sources == 3 and merged.status is IncidentStatus.CORROBORATED
    assert (merged.fatalities, merged.fatalities_high) == (3, 5)
    with pytest.raises(ReviewApplyError):  # a rebuilt incident needs its reports
        apply_decisions(machine, reports[:1], [merge(1, "e1", "e3")])


def test_a_split_forces_events_into_their_own_incident(reports: list[Report]) -> None:
    result = _by_members(apply_decisions(fuse(reports), reports, [split(1, "e2")]))
    assert set(result) == {("e1",), ("e2",), ("e3",)}
    assert result[("e2",)].id == incident_id(["e2"])
    assert result[("e1",)].status is IncidentStatus.REPORTED
    assert result[("e1",)].fatalities == 3 and result[("e2",)].fatalities == 5


def test_merges_and_splits_replay_in_order() -> None:
    machine = [replace(_incident(("a", "b")), id="x"), replace(_incident(("c",)), id="y")]
    assert regroup(machine, [merge(1, "a", "c"), split(2, "b")]) == [
        frozenset({"a", "c"}),
        frozenset({"b"}),
    ]
    assert regroup(machine, [split(1, "b"), merge(2, "b", "c")]) == [
        frozenset({"a"}),
        frozenset({"b", "c"}),
    ]
    # the order decisions are given in does not matter, their seq does
    assert regroup(machine, [merge(2, "b", "c"), split(1, "b")]) == [
        frozenset({"a"}),
        frozenset({"b", "c"}),
    ]
    assert regroup(machine, [merge(1, "gone", "a")]) == [frozenset({"a", "b"}), frozenset({"c"})]


def _incident(members: tuple[str, ...]) -> Incident:
    [incident] = fuse([make_report(m, outlet=m) for m in members])
    return incident


def test_human_status_and_edits_win_and_the_latest_decision_wins(reports: list[Report]) -> None:
    machine = fuse(reports)
    worker = ActorRef(None, "port workers")
    decisions: list[Decision] = [
        status(1, IncidentStatus.VERIFIED, "e1", "e2"),
        edit(2, EditableField.FATALITIES, 9, "e1", "e2"),
        edit(3, EditableField.FATALITIES, 4, "e1", "e2"),
        edit(4, EditableField.ACTOR2, worker, "e1", "e2"),
    ]
    port = _by_members(apply_decisions(machine, reports, decisions))[("e1", "e2")]
    assert port.status is IncidentStatus.VERIFIED
    assert (port.fatalities, port.fatalities_high, port.actor2) == (4, 5, worker)
    reopened = apply_decisions(machine, reports, [*decisions, status(5, None, "e1", "e2")])
    assert _by_members(reopened)[("e1", "e2")].status is IncidentStatus.CORROBORATED


def test_a_decision_follows_its_events_when_the_incident_is_renamed() -> None:
    before = [make_report("m", outlet="a"), make_report("n", outlet="b")]
    decision = edit(1, EditableField.FATALITIES, 7, "m", "n")
    [first] = apply_decisions(fuse(before), before, [decision])
    after = [*before, make_report("a0", outlet="c", fatalities=1)]  # a smaller id joins
    [renamed] = apply_decisions(fuse(after), after, [decision])
    assert renamed.id != first.id and renamed.id == incident_id(["a0"])
    assert first.fatalities == renamed.fatalities == 7


def test_targets_the_incident_holding_most_anchors_ignoring_later_splits() -> None:
    membership = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y"}
    assert target(_anchors("a", "b", "c"), membership) == "X"
    assert target(_anchors("a", "c"), membership) == "X"  # a tie goes to the smallest event's
    assert target(_anchors("a", "c", "d"), membership) == "Y"
    assert target(_anchors("zz"), membership) is None
    splits = [(5, frozenset({"a"}))]
    assert target(_anchors("a", "c"), membership, 3, splits) == "Y"  # "a" was split out later
    assert target(_anchors("a", "c"), membership, 6, splits) == "X"  # ... not after this one
    assert target(_anchors("a"), membership, 3, splits) == "X"  # nothing else: all anchors


def test_a_decision_stays_with_what_a_later_split_leaves(reports: list[Report]) -> None:
    decisions = [status(1, IncidentStatus.VERIFIED, "e1", "e2"), split(2, "e1")]
    result = _by_members(apply_decisions(fuse(reports), reports, decisions))
    assert result[("e2",)].status is IncidentStatus.VERIFIED
    assert result[("e1",)].status is IncidentStatus.REPORTED


def test_rebase_moves_anchors_of_re_extracted_statements(reports: list[Report]) -> None:
    old = [anchor_of(r) for r in reports[:2]]
    decision = FieldEdit(1, tuple(old), "ana", AT, "why", EditableField.FATALITIES, 8)
    renamed = [replace(r, event_id=f"new-{r.event_id}") for r in reports]
    [moved] = rebase([decision], renamed)
    assert [a.event_id for a in moved.anchors] == ["new-e1", "new-e2"]
    [port] = [
        i for i in apply_decisions(fuse(renamed), renamed, [moved]) if "new-e1" in i.event_ids
    ]
    assert port.fatalities == 8
    # an event that still exists elsewhere keeps its anchor
    [kept] = rebase([decision], renamed, existing={"e1", "e2"})
    assert kept is decision


def _assessment(incident: str, determination: Determination) -> Assessment:
    return Assessment(incident, "truce", "t1", "lna", "lna", "east", determination, "engine", "a-1")


def _violation(seq: int, value: Determination | None, *ids: str) -> ViolationDecision:
    return ViolationDecision(seq, _anchors(*ids), "sue", AT, "JMC", "truce", "t1", value, "lna")


def test_violation_determinations_win_and_persist(reports: list[Report]) -> None:
    incidents = fuse(reports)
    port = _by_members(incidents)[("e1", "e2")]
    machine = [_assessment(port.id, Determination.CORROBORATED)]
    confirmed = _violation(1, Determination.CONFIRMED, "e1", "e2")
    [decided] = apply_violation_decisions(machine, incidents, [confirmed])
    assert decided.determination is Determination.CONFIRMED
    assert decided.rationale.startswith("Determined confirmed by sue on 2020-03-01: JMC.")
    [kept] = apply_violation_decisions([], incidents, [confirmed])  # the engine dropped it
    assert (kept.incident_id, kept.determination, kept.party) == (
        port.id,
        Determination.CONFIRMED,
        "lna",
    )
    withdrawn = [confirmed, _violation(2, None, "e1", "e2")]
    assert apply_violation_decisions(machine, incidents, withdrawn) == machine
    assert apply_violation_decisions([], incidents, withdrawn) == []
    dismissed = [confirmed, _violation(3, Determination.NOT_A_VIOLATION, "e1", "e2")]
    [last] = apply_violation_decisions(machine, incidents, dismissed)
    assert last.determination is Determination.NOT_A_VIOLATION


def test_the_result_does_not_depend_on_input_order(reports: list[Report]) -> None:
    decisions: list[Decision] = [
        merge(1, "e1", "e2", "e3"),
        split(2, "e2"),
        status(3, IncidentStatus.REJECTED, "e2"),
        edit(4, EditableField.FATALITIES, 1, "e1", "e3"),
    ]
    expected = apply_decisions(fuse(reports), reports, decisions)
    generator = random.Random(5)
    for _ in range(10):
        shuffled_reports = generator.sample(reports, len(reports))
        shuffled = generator.sample(decisions, len(decisions))
        fused = fuse(shuffled_reports)
        machine = generator.sample(fused, len(fused))
        assert apply_decisions(machine, shuffled_reports, shuffled) == expected
    assert apply_decisions(expected, reports, decisions) == expected  # idempotent


def test_field_values_are_checked_and_round_trip() -> None:
    place = Location("Tripoli", 32.8872, 13.1913, 2, "Tripoli", "LY", "tripoli")
    when = EventDate(date(2020, 2, 18), date(2020, 2, 18), 1)
    actor = ActorRef("lna", "Libyan National Army", None, "east")
    for field, value in (
        (EditableField.LOCATION, place),
        (EditableField.DATE, when),
        (EditableField.ACTOR1, actor),
        (EditableField.FATALITIES, 4),
        (EditableField.FATALITIES, None),
        (EditableField.ACTOR2, None),
    ):
        assert field_from_json(field, field_to_json(field, value)) == value
    for field, bad in (
        (EditableField.FATALITIES, "4"),
        (EditableField.FATALITIES, True),
        (EditableField.FATALITIES, -2),
        (EditableField.DATE, None),
        (EditableField.DATE, {"start": "2020-02-19", "end": "2020-02-18"}),
        (EditableField.DATE, {"start": "yesterday"}),
        (EditableField.LOCATION, {"name": "X", "lat": 95, "lon": 0, "country": "LY"}),
        (EditableField.LOCATION, {"name": "X"}),
        (EditableField.ACTOR1, {"name": " "}),
        (EditableField.EVENT_TYPE, ""),
    ):
        with pytest.raises(ReviewInputError):
            field_from_json(field, bad)
