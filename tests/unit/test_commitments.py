"""Commitment states of obligations, from hand-made evidence incidents."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire.domain.agreements import (
    AgreementError,
    CommitmentOverride,
    CommitmentStatus,
    add_duration,
)
from ceasefire.domain.events import Location, Modality
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.pipeline.commitments import commitments
from tests.unit.agreement_world import AGREEMENTS, PROFILE, TAXONOMY, actor, incident

Status = CommitmentStatus
DUE = date(2021, 1, 23)


def departed(id_: str, day: date, **kwargs) -> Incident:  # type: ignore[no-untyped-def]
    return incident(
        id_,
        event_type="withdrawal",
        sub_event_type="foreign fighters departed",
        actor1=actor("wagner"),
        day=day,
        **kwargs,
    )


def arrived(id_: str, day: date, **kwargs) -> Incident:  # type: ignore[no-untyped-def]
    return incident(
        id_,
        event_type="deployment",
        sub_event_type="foreign forces arrival",
        actor1=actor("turkish_armed_forces"),
        day=day,
        **kwargs,
    )


def state(incidents: list[Incident], as_of: date, term: str = "foreign_fighters_out", **kwargs):  # type: ignore[no-untyped-def]
    found = commitments(AGREEMENTS, incidents, as_of, TAXONOMY, profile=PROFILE, **kwargs)
    return next(c for c in found if c.term_id == term)


def test_geneva_deadline_is_three_months_after_signature() -> None:
    assert add_duration(date(2020, 10, 23), "P3M") == DUE
    assert state([], date(2021, 1, 10)).due == DUE


def test_pending_before_the_deadline() -> None:
    found = state([], date(2021, 1, 10))
    assert (found.status, found.computed) == (Status.PENDING, Status.PENDING)
    assert found.parties == ("gna", "lna")
    assert "due 2021-01-23" in found.rationale


def test_overdue_after_the_deadline_without_evidence() -> None:
    found = state([], date(2021, 2, 1))
    assert found.status is Status.OVERDUE
    assert "2021-01-23 passed" in found.rationale


def test_met_by_a_departure_before_the_deadline() -> None:
    found = state([departed("dep", date(2021, 1, 15))], date(2021, 2, 1))
    assert found.status is Status.MET
    assert found.meeting == ("dep",)
    assert found.breaching == ()


def test_the_deadline_day_itself_counts_as_in_time() -> None:
    assert state([departed("dep", DUE)], date(2021, 2, 1)).status is Status.MET


def test_overdue_when_foreign_forces_arrive_after_the_deadline() -> None:
    found = state([arrived("arr", date(2021, 2, 10))], date(2021, 3, 1))
    assert found.status is Status.OVERDUE
    assert found.breaching == ("arr",)
    assert "after the deadline" in found.rationale


def test_an_arrival_after_the_deadline_outweighs_earlier_departures() -> None:
    evidence = [departed("dep", date(2021, 1, 15)), arrived("arr", date(2021, 2, 10))]
    found = state(evidence, date(2021, 3, 1))
    assert found.status is Status.OVERDUE
    assert (found.meeting, found.breaching) == (("dep",), ("arr",))


def test_partly_met_with_meeting_and_breaching_evidence_before_the_deadline() -> None:
    evidence = [arrived("arr", date(2020, 12, 1)), departed("dep", date(2021, 1, 15))]
    assert state(evidence, date(2021, 1, 20)).status is Status.PARTLY_MET
    assert state(evidence, date(2021, 2, 20)).status is Status.PARTLY_MET


def test_partly_met_when_met_only_after_the_deadline() -> None:
    found = state([departed("late", date(2021, 2, 5))], date(2021, 3, 1))
    assert found.status is Status.PARTLY_MET
    assert "after the deadline" in found.rationale


def test_breaching_evidence_before_the_deadline_leaves_time() -> None:
    found = state([arrived("arr", date(2020, 12, 1))], date(2021, 1, 10))
    assert found.status is Status.PENDING
    assert found.breaching == ("arr",)


@pytest.mark.parametrize(
    "evidence",
    [
        departed("future", date(2021, 1, 25)),  # after as_of: not known yet
        departed("before", date(2020, 9, 1)),  # before the agreement
        departed("rejected", date(2021, 1, 15), status=IncidentStatus.REJECTED),
        departed(
            "abroad", date(2021, 1, 15), location=Location("Ankara", 39.9, 32.8, 1, None, "TR")
        ),
    ],
)
def test_evidence_that_does_not_count(evidence: Incident) -> None:
    assert state([evidence], date(2021, 1, 20)).meeting == ()


def test_planned_departures_are_no_evidence() -> None:
    plan = departed("plan", date(2021, 1, 15), event_ids=("e9",))
    found = state([plan], date(2021, 2, 1), modalities={"e9": Modality.PLANNED})
    assert found.status is Status.OVERDUE
    assert (
        state([plan], date(2021, 2, 1), modalities={"e9": Modality.ASSERTED}).status is Status.MET
    )


def test_pending_before_the_agreement_takes_effect() -> None:
    found = state([], date(2020, 10, 1))
    assert found.status is Status.PENDING
    assert "takes effect on 2020-10-23" in found.rationale


def test_override_wins_and_is_reported() -> None:
    override = CommitmentOverride(
        Status.PARTLY_MET,
        "Some Syrian fighters left; Turkish troops stay.",
        by="analyst1",
        on=date(2021, 3, 2),
    )
    found = state([], date(2021, 3, 1), overrides={"foreign_fighters_out": override})
    assert found.status is Status.PARTLY_MET
    assert found.computed is Status.OVERDUE
    assert found.overridden and found.override == override
    assert "Overridden by analyst1 on 2021-03-02 to partly_met" in found.rationale
    assert "Turkish troops stay" in found.rationale


def test_override_of_an_unknown_term_is_an_error() -> None:
    with pytest.raises(AgreementError, match="foreign_fighter_out"):
        state(
            [],
            date(2021, 3, 1),
            overrides={"foreign_fighter_out": CommitmentOverride(Status.MET, "typo")},
        )


def test_unobservable_obligations_are_unknown() -> None:
    found = state([], date(2021, 3, 1), term="training_frozen")
    assert found.status is Status.UNKNOWN
    assert found.due == DUE
    assert "no event type" in found.rationale


def test_obligations_without_deadline_are_pending_then_met_never_overdue() -> None:
    assert state([], date(2025, 1, 1), term="prisoner_exchange").status is Status.PENDING
    exchange = incident(
        "swap",
        event_type="confidence_building",
        sub_event_type="prisoner exchange",
        actor1=actor("gna"),
        day=date(2020, 12, 20),
    )
    found = state([exchange], date(2021, 1, 1), term="prisoner_exchange")
    assert (found.status, found.meeting, found.due) == (Status.MET, ("swap",), None)


def test_every_obligation_gets_a_state_in_a_stable_order() -> None:
    found = commitments(AGREEMENTS, [], date(2021, 2, 1), TAXONOMY)
    assert [(c.agreement_id, c.term_id) for c in found] == [
        ("geneva", "foreign_fighters_out"),
        ("geneva", "prisoner_exchange"),
        ("geneva", "training_frozen"),
    ]
    assert all(c.as_of == date(2021, 2, 1) for c in found)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2020, 1, 31), "P1M", date(2020, 2, 29)),
        (date(2015, 12, 17), "P1M", date(2016, 1, 17)),
        (date(2020, 10, 23), "P30D", date(2020, 11, 22)),
        (date(2020, 10, 23), "P2W", date(2020, 11, 6)),
        (date(2020, 10, 23), "P1Y2M", date(2021, 12, 23)),
    ],
)
def test_durations(start: date, duration: str, expected: date) -> None:
    assert add_duration(start, duration) == expected


@pytest.mark.parametrize("bad", ["P", "3 months", "P3H", "PT3H", "P-1M"])
def test_bad_durations(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        add_duration(date(2020, 1, 1), bad)
