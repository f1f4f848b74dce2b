"""The shipped Libya agreements, loaded and cross-checked for real, and broken copies of them."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from ceasefire.adapters.profiles import load_profile, load_taxonomy, shipped_profiles
from ceasefire.domain.agreements import CommitmentStatus, Determination
from ceasefire.domain.events import ActorRef, EventDate, Location
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.errors import ProfileError
from ceasefire.pipeline.assess import assess
from ceasefire.pipeline.commitments import commitments


@pytest.fixture(scope="module")
def libya() -> Profile:
    return load_profile("libya")


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def test_the_libya_agreements_load_with_their_dates(libya: Profile) -> None:
    agreements = libya.agreements
    assert {
        "un_arms_embargo",
        "libyan_political_agreement",
        "moscow_ankara_truce",
        "berlin_conclusions",
        "geneva_ceasefire_agreement",
        "jmc_ghadames_measures",
    } <= set(agreements)
    assert agreements["un_arms_embargo"].binds_all
    assert agreements["un_arms_embargo"].start == date(2011, 2, 26)
    assert agreements["libyan_political_agreement"].signed == date(2015, 12, 17)
    assert agreements["moscow_ankara_truce"].start == date(2020, 1, 12)
    assert agreements["berlin_conclusions"].start == date(2020, 1, 19)
    geneva = agreements["geneva_ceasefire_agreement"]
    assert geneva.start == date(2020, 10, 23)
    (fighters,) = [o for o in geneva.obligations if o.id == "geneva_foreign_fighters_out"]
    assert geneva.due(fighters) == date(2021, 1, 23)
    assert all(agreement.sources for agreement in agreements.values())


def tripoli_port_attack(day: date) -> Incident:
    """Seeds 000 and 001: the LNA's rockets on Tripoli's port, 18 February 2020."""
    return Incident(
        id="tripoli-port",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        family="violence",
        actor1=ActorRef("lna", "Libyan National Army"),
        actor2=ActorRef("gna", "Government of National Accord"),
        location=Location("Tripoli", 32.8872, 13.1913, 1, "Tripoli", "LY", "tripoli"),
        date=EventDate(day, day, 1),
        fatalities=None,
        fatalities_high=None,
        event_ids=("seed000", "seed001"),
        independent_sources=2,
        origins=("a", "b"),
        status=IncidentStatus.CORROBORATED,
        claims=(),
        first_reported=day,
    )


def test_the_tripoli_port_attack_is_a_possible_violation_of_the_january_truce(
    libya: Profile, taxonomy: Taxonomy
) -> None:
    results = assess(
        tripoli_port_attack(date(2020, 2, 18)), libya.agreements.values(), libya, taxonomy
    )
    assert [(a.agreement_id, a.party, a.determination) for a in results] == [
        ("moscow_ankara_truce", "lna", Determination.CORROBORATED)
    ]
    first_day = assess(
        tripoli_port_attack(date(2020, 1, 12)), libya.agreements.values(), libya, taxonomy
    )
    assert [a.determination for a in first_day] == [Determination.INDETERMINATE]


def test_foreign_forces_arriving_breach_the_embargo_and_the_berlin_pledges(
    libya: Profile, taxonomy: Taxonomy
) -> None:
    arrival = replace(
        tripoli_port_attack(date(2020, 2, 1)),
        event_type="deployment",
        sub_event_type="foreign forces arrival",
        family="process",
        actor1=ActorRef("turkish_armed_forces", "Turkish troops"),
        actor2=None,
    )
    results = assess(arrival, libya.agreements.values(), libya, taxonomy)
    assert {(a.agreement_id, a.term_id, a.party) for a in results} == {
        ("un_arms_embargo", "embargo_armed_personnel", "turkey"),
        ("berlin_conclusions", "berlin_no_interference", "turkey"),
        ("berlin_conclusions", "berlin_respect_embargo", "turkey"),
    }


def test_the_geneva_foreign_fighter_obligation_is_due_on_23_january_2021(
    libya: Profile, taxonomy: Taxonomy
) -> None:
    def status(as_of: date) -> tuple[CommitmentStatus, date | None]:
        found = commitments(libya.agreements.values(), [], as_of, taxonomy, profile=libya)
        (fighters,) = [c for c in found if c.term_id == "geneva_foreign_fighters_out"]
        return fighters.status, fighters.due

    assert status(date(2021, 1, 10)) == (CommitmentStatus.PENDING, date(2021, 1, 23))
    assert status(date(2021, 2, 1)) == (CommitmentStatus.OVERDUE, date(2021, 1, 23))


def _broken_copy(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "libya"
    shutil.copytree(shipped_profiles() / "libya", folder)
    path = folder / "agreements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["agreements"])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def _geneva(agreements: list[dict]) -> dict:  # type: ignore[type-arg]
    return next(a for a in agreements if a["id"] == "geneva_ceasefire_agreement")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: _geneva(a)["parties"].append("haftar_army"), "unknown actor 'haftar_army'"),
        (
            lambda a: _geneva(a)["prohibitions"][0]["events"].append("shelling"),
            "term geneva_ceasefire: unknown event type 'shelling'",
        ),
        (
            lambda a: _geneva(a)["obligations"][0]["met_by"].append("withdrawal/fighters_left"),
            "unknown event type 'withdrawal/fighters_left'",
        ),
        (
            lambda a: _geneva(a)["prohibitions"][0]["bound"].update(sides=["north"]),
            "unknown side 'north'",
        ),
        (
            lambda a: _geneva(a).update(until=date(2020, 1, 1)),
            "'until' 2020-01-01 is before 'from' 2020-10-23",
        ),
        (lambda a: _geneva(a)["obligations"][0].update(deadline="three months"), "ISO 8601"),
        (
            lambda a: _geneva(a)["obligations"][1].update(id="geneva_foreign_fighters_out"),
            "appear twice",
        ),
        (lambda a: a.append(dict(_geneva(a))), "appears twice"),
    ],
)
def test_a_broken_agreements_file_is_refused_with_a_clear_message(
    tmp_path: Path,
    change,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    folder = _broken_copy(tmp_path, change)
    with pytest.raises(ProfileError, match=r"agreements\.yaml") as error:
        load_profile(folder)
    assert message in str(error.value)


def test_a_duplicated_key_in_the_agreements_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "libya"
    shutil.copytree(shipped_profiles() / "libya", folder)
    path = folder / "agreements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    kind: truce\n", "    kind: truce\n    kind: truce\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="duplicate key 'kind'"):
        load_profile(folder)


def test_a_profile_without_agreements_still_loads(tmp_path: Path) -> None:
    folder = tmp_path / "libya"
    shutil.copytree(shipped_profiles() / "libya", folder)
    (folder / "agreements.yaml").unlink()
    assert load_profile(folder).agreements == {}
