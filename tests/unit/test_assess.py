"""The assessment rules engine on hand-made incidents (see ``agreement_world``)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from ceasefire.domain.agreements import Determination
from ceasefire.domain.events import Location, Modality
from ceasefire.domain.incidents import Claim, IncidentStatus, Stance
from ceasefire.pipeline.assess import (
    ASSESSOR,
    UNATTRIBUTED,
    Assessor,
    Timing,
    TypeIndex,
    assess,
    assess_all,
    timing,
)
from tests.unit.agreement_world import AGREEMENTS, PROFILE, TAXONOMY, actor, incident

LNA = actor("lna", "Libyan National Army")


def run(inc, **kwargs):  # type: ignore[no-untyped-def]
    return assess(inc, AGREEMENTS, PROFILE, TAXONOMY, **kwargs)


def test_tripoli_port_rocket_attack_violates_the_truce_not_geneva() -> None:
    """18 Feb 2020: the LNA's rockets on Tripoli's port, two independent sources."""
    results = run(incident(actor1=LNA, actor2=actor("gna")))
    assert [(a.agreement_id, a.term_id) for a in results] == [("truce", "truce_hostilities")]
    (violation,) = results
    assert violation.party == "lna"
    assert violation.side == "east"
    assert violation.actor == "lna"
    assert violation.determination is Determination.CORROBORATED
    assert violation.assessor == ASSESSOR
    assert "truce_hostilities" in violation.rationale
    assert "2020-02-18 (day precision)" in violation.rationale
    assert "in force from 2020-01-12 to 2020-10-22" in violation.rationale
    assert "attributed to lna" in violation.rationale
    assert "corroborated with 2 independent source(s)" in violation.rationale


def test_a_day_precision_event_on_the_truce_s_first_day_is_indeterminate() -> None:
    (result,) = run(incident(actor1=LNA, day=date(2020, 1, 12)))
    assert result.determination is Determination.INDETERMINATE
    assert "00:00 local" in result.rationale
    assert "cannot tell whether it happened before" in result.rationale
    (next_day,) = run(incident(actor1=LNA, day=date(2020, 1, 13)))
    assert next_day.determination is Determination.CORROBORATED
    assert run(incident(actor1=LNA, day=date(2020, 1, 11))) == []


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [
        (date(2020, 1, 1), date(2020, 1, 31), 3),  # a month-precision event in the truce's month
        (date(2020, 1, 8), date(2020, 1, 14), 2),  # a week that straddles the first day
    ],
)
def test_intervals_straddling_the_start_are_indeterminate(
    start: date, end: date, precision: int
) -> None:
    (result,) = run(incident(actor1=LNA, day=start, end=end, precision=precision))
    assert result.determination is Determination.INDETERMINATE


def test_an_interval_across_the_handover_is_indeterminate_for_both_agreements() -> None:
    results = run(incident(actor1=LNA, day=date(2020, 10, 19), end=date(2020, 10, 25), precision=2))
    assert {(a.agreement_id, a.determination) for a in results} == {
        ("truce", Determination.INDETERMINATE),
        ("geneva", Determination.INDETERMINATE),
    }
    assert "term's last day" in next(a.rationale for a in results if a.agreement_id == "truce")


def test_after_geneva_only_geneva_applies() -> None:
    (result,) = run(incident(actor1=LNA, day=date(2020, 11, 5)))
    assert (result.agreement_id, result.party) == ("geneva", "lna")


@pytest.mark.parametrize("actor1", [None, actor(None, "unknown gunmen"), actor("not_in_profile")])
def test_an_unknown_attacker_is_unattributed_and_still_counted(actor1) -> None:  # type: ignore[no-untyped-def]
    (result,) = run(incident(actor1=actor1))
    assert result.party == UNATTRIBUTED
    assert result.actor is None
    assert result.determination is Determination.CORROBORATED
    assert "actor1 is unknown" in result.rationale


def test_a_generic_actor_without_a_side_is_unattributed() -> None:
    (result,) = run(incident(actor1=actor("gunmen")))
    assert (result.party, result.actor, result.side) == (UNATTRIBUTED, "gunmen", None)


@pytest.mark.parametrize(
    ("actor_id", "party", "why"),
    [
        ("al_saiqa", "lna", "is part of lna"),  # a unit of a party
        ("khalifa_haftar", "lna", "is party lna"),  # a person, as what he represents
        ("wagner", "lna", "the camp of party lna"),  # an ally on the party's side that day
        ("turkish_armed_forces", "gna", "the camp of party gna"),
    ],
)
def test_actors_are_attributed_to_the_party_they_answer_to(
    actor_id: str, party: str, why: str
) -> None:
    (result,) = run(incident(actor1=actor(actor_id)))
    assert result.party == party
    assert why in result.rationale


def test_the_camp_follows_the_side_on_the_incident_date() -> None:
    (result,) = run(incident(actor1=actor("turkish_armed_forces"), day=date(2021, 6, 1)))
    assert (result.agreement_id, result.party) == ("geneva", "gnu")


def test_an_actor_on_a_side_that_is_not_bound_is_outside_the_term() -> None:
    assert run(incident(actor1=actor("isis_libya"))) == []


def test_operations_against_un_designated_terrorists_are_exempt_from_geneva() -> None:
    day = date(2021, 2, 1)
    assert run(incident(actor1=LNA, actor2=actor("isis_libya"), day=day)) == []
    assert len(run(incident(actor1=LNA, actor2=actor("gnu"), day=day))) == 1


@pytest.mark.parametrize(
    ("status", "determination"),
    [
        (IncidentStatus.REPORTED, Determination.ALLEGED),
        (IncidentStatus.DISPUTED, Determination.ALLEGED),
        (IncidentStatus.CORROBORATED, Determination.CORROBORATED),
        (IncidentStatus.VERIFIED, Determination.CORROBORATED),
    ],
)
def test_determination_follows_the_incident_status(
    status: IncidentStatus, determination: Determination
) -> None:
    (result,) = run(incident(actor1=LNA, status=status))
    assert result.determination is determination


def test_the_engine_never_confirms_and_never_assesses_rejected_incidents() -> None:
    assert run(incident(actor1=LNA, status=IncidentStatus.REJECTED)) == []
    many = [incident(f"i{n}", actor1=LNA, status=s) for n, s in enumerate(IncidentStatus)]
    found = {a.determination for a in assess_all(many, AGREEMENTS, PROFILE, TAXONOMY)}
    assert not found & {Determination.CONFIRMED, Determination.NOT_A_VIOLATION}


def test_planned_or_negated_events_are_never_assessed() -> None:
    """Fusion admits only asserted, claimed and denied statements; given the modality of each
    event, the engine also refuses an incident with no asserted or claimed statement."""
    inc = incident(actor1=LNA, event_ids=("e1",))
    for modality in (Modality.PLANNED, Modality.NEGATED, Modality.CONDITIONAL, Modality.BACKGROUND):
        assert run(inc, modalities={"e1": modality}) == []
    assert len(run(inc, modalities={"e1": Modality.CLAIMED})) == 1
    assert len(run(inc, modalities={"other": Modality.PLANNED})) == 1  # unknown events: trusted


def test_an_incident_only_denied_is_not_assessed() -> None:
    denial = Claim("e1", Stance.DENIES, actor("lna"), "LNA media", LNA, None, "We did not.")
    assert run(incident(actor1=LNA, claims=(denial,))) == []
    claim = replace(denial, stance=Stance.CLAIMS, by=actor("gna"))
    assert (
        len(run(incident(actor1=LNA, claims=(denial, claim), status=IncidentStatus.DISPUTED))) == 1
    )


def test_place_outside_the_area_or_unknown() -> None:
    tunis = Location("Tunis", 36.8, 10.18, 1, "Tunis", "TN")
    assert run(incident(actor1=LNA, location=tunis)) == []
    (result,) = run(incident(actor1=LNA, location=None))
    assert result.determination is Determination.INDETERMINATE
    assert "location is unknown" in result.rationale


def test_embargo_binds_everyone_and_attributes_to_the_supplier_state() -> None:
    arrival = incident(
        event_type="deployment",
        sub_event_type="foreign forces arrival",
        actor1=actor("turkish_armed_forces"),
        day=date(2020, 1, 5),
    )
    (result,) = run(arrival)
    assert (result.agreement_id, result.party, result.actor) == (
        "arms_embargo",
        "turkey",
        "turkish_armed_forces",
    )
    shipment = incident(event_type="arms_transfer", sub_event_type="shipment by sea", actor1=None)
    assert [(a.agreement_id, a.party) for a in run(shipment)] == [("arms_embargo", UNATTRIBUTED)]
    exempt = replace(shipment, actor1=actor("unsmil"))
    assert run(exempt) == []


def test_types_not_covered_are_not_violations() -> None:
    abduction = incident(
        event_type="Violence against civilians", sub_event_type="Abduction", actor1=LNA
    )
    assert run(abduction) == []
    unknown = incident(event_type="Something else", sub_event_type="Other", actor1=LNA)
    assert run(unknown) == []


def test_undated_incidents_are_not_assessed() -> None:
    assert run(replace(incident(actor1=LNA), date=None)) == []


def test_output_is_deterministic_whatever_the_input_order() -> None:
    incidents = [
        incident(f"inc-{n}", actor1=a, day=d)
        for n, (a, d) in enumerate(
            [
                (LNA, date(2020, 2, 18)),
                (None, date(2020, 11, 5)),
                (actor("wagner"), date(2020, 10, 22)),
            ]
        )
    ]
    expected = assess_all(incidents, AGREEMENTS, PROFILE, TAXONOMY)
    for seed in range(5):
        shuffled = incidents[:]
        random.Random(seed).shuffle(shuffled)
        agreements = list(AGREEMENTS)
        random.Random(seed).shuffle(agreements)
        assert assess_all(shuffled, agreements, PROFILE, TAXONOMY) == expected
    assert [a.incident_id for a in expected] == sorted(a.incident_id for a in expected)


def test_assessor_built_once_gives_the_same_answers() -> None:
    assessor = Assessor(AGREEMENTS, PROFILE, TAXONOMY)
    inc = incident(actor1=LNA)
    assert assessor.assess(inc) == run(inc)


def test_type_index_maps_output_names_and_ids() -> None:
    index = TypeIndex.build(TAXONOMY)
    assert index.resolve("Explosions/Remote violence", "Shelling/artillery/missile attack") == (
        "explosions",
        "shelling",
    )
    assert index.resolve("deployment", "foreign forces arrival") == (
        "deployment",
        "foreign_forces_arrival",
    )
    assert index.resolve("withdrawal", "foreign_fighters_departed") == (
        "withdrawal",
        "foreign_fighters_departed",
    )
    assert index.matches(
        ["deployment/foreign_forces_arrival"], "deployment", "foreign forces arrival"
    )
    assert not index.matches(["deployment/reinforcement"], "deployment", "foreign forces arrival")


def test_timing_rule() -> None:
    from ceasefire.domain.events import EventDate

    start, until = date(2020, 1, 12), date(2020, 10, 22)
    day = lambda d: EventDate(d, d, 1)  # noqa: E731
    assert timing(day(date(2020, 1, 11)), start, until) is Timing.BEFORE
    assert timing(day(start), start, until) is Timing.UNCERTAIN
    assert timing(day(date(2020, 1, 13)), start, until) is Timing.IN_FORCE
    assert timing(day(until), start, until) is Timing.IN_FORCE
    assert timing(day(date(2020, 10, 23)), start, until) is Timing.AFTER
    assert timing(day(date(2030, 1, 1)), start, None) is Timing.IN_FORCE
