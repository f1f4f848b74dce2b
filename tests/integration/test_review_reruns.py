"""Human decisions are locked against the pipeline: full and incremental re-runs of fusion, an
incident renamed by a new member, and a re-extraction that gives the statements new event ids
never undo an edit, a status, a merge, a split or a violation determination."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.events import ActorRef
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.profile import Profile
from ceasefire.domain.reviews import ReviewInputError
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.errors import ConflictError, NotFoundError
from ceasefire.pipeline.fusion import incident_id
from ceasefire.storage import Store
from ceasefire.storage.events import EventRepository
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository
from tests.integration.test_review import (
    ANALYST,
    PORT,
    SHELLING,
    SUPERVISOR,
    TRUCE,
    World,
    _report_with_smaller_id,
    build_world,
    report,
)


@pytest.fixture(scope="module")
def rules() -> tuple[Profile, Taxonomy]:
    taxonomy = load_taxonomy()
    return load_profile("libya", taxonomy), taxonomy


@pytest.fixture
def world(store: Store, rules: tuple[Profile, Taxonomy]) -> World:
    return build_world(store, rules)


def _everything(world: World) -> tuple[list[Incident], list[Assessment]]:
    repo = IncidentRepository(world.store)
    return repo.find(IncidentFilter(limit=1000)), repo.list_assessments()


def _truce(world: World, incident: Incident) -> Assessment | None:
    found = [
        a
        for a in IncidentRepository(world.store).list_assessments(incident=incident.id)
        if (a.agreement_id, a.term_id) == TRUCE
    ]
    return found[0] if found else None


WORKERS = {"id": None, "name": "port workers"}


def _review_the_port(world: World) -> Incident:
    service, port = world.service, world.incident_of("port1").id
    assert world.incident_of("port1").fatalities == 3  # the machine's conservative figure
    service.edit(ANALYST, port, "fatalities", 4, "the hospital's list")
    service.edit(ANALYST, port, "actor2", WORKERS, "the victims were dock workers")
    service.confirm(ANALYST, port, "footage geolocated")
    assessment = service.confirm_violation(SUPERVISOR, port, *TRUCE, "JMC observers on site")
    assert assessment is not None and assessment.determination is Determination.CONFIRMED
    return world.incident_of("port1")


def _assert_reviewed(world: World) -> None:
    port = world.incident_of("port1")
    assert port.fatalities == 4
    assert port.actor2 == ActorRef(None, "port workers")
    assert port.status is IncidentStatus.VERIFIED
    truce = _truce(world, port)
    assert truce is not None and truce.determination is Determination.CONFIRMED
    assert "JMC observers on site" in truce.rationale


def test_edits_status_and_a_confirmed_violation_survive_every_rerun(world: World) -> None:
    reviewed = _review_the_port(world)
    _assert_reviewed(world)
    before = _everything(world)
    world.rerun()  # full: fuse_and_assess(store, profile, taxonomy) with new_event_ids=None
    _assert_reviewed(world)
    assert _everything(world) == before
    world.rerun({world.events["port1"]})  # incremental
    assert _everything(world) == before
    # a third report with a smaller event id renames the incident and says 2 dead
    third = _report_with_smaller_id(world, min(reviewed.event_ids))
    world.rerun({third})
    renamed = world.incident_of("port1")
    assert renamed.id != reviewed.id and third in renamed.event_ids
    assert renamed.independent_sources == 3
    _assert_reviewed(world)  # 4 dead, not the machine's 2


def test_decisions_survive_a_re_extraction_with_new_event_ids(world: World) -> None:
    _review_the_port(world)
    repo = IncidentRepository(world.store)
    old_ids = {world.events["port1"], world.events["port2"]}
    new_ids = set()
    for old in repo.reports(event_ids=old_ids):
        event = replace(old.event, coder="test-coder/2")
        new_ids |= set(EventRepository(world.store).save(event.article_id, "test-coder/2", [event]))
    assert len(new_ids) == 2 and not new_ids & old_ids
    world.rerun()
    # (the incident of the old ids is left behind by fusion itself, reviews or not)
    port = [i for i in repo.find(IncidentFilter(limit=1000)) if set(i.event_ids) & new_ids]
    assert len(port) == 1 and set(port[0].event_ids) == new_ids
    world.events["port1"] = port[0].event_ids[0]
    _assert_reviewed(world)


def test_merge_and_split_survive_reruns_deterministically(world: World) -> None:
    service = world.service
    port1, port2 = world.events["port1"], world.events["port2"]
    rest, part = service.split(
        ANALYST, world.incident_of("port1").id, [port2], "a second strike an hour later"
    )
    assert (rest.event_ids, part.event_ids) == ((port1,), (port2,))
    assert (rest.id, part.id) == (incident_id([port1]), incident_id([port2]))
    assert rest.independent_sources == part.independent_sources == 1
    assert rest.status is part.status is IncidentStatus.REPORTED
    merged = service.merge(
        ANALYST,
        world.incident_of("misrata1").id,
        world.incident_of("benghazi").id,
        "one offensive",
    )
    assert set(merged.event_ids) == {
        world.events["misrata1"],
        world.events["misrata2"],
        world.events["benghazi"],
    }
    assert merged.id == incident_id(merged.event_ids)
    before = _everything(world)
    assert len(before[0]) == 3
    for _ in range(2):
        world.rerun()
        assert _everything(world) == before
    world.rerun({port1, world.events["benghazi"]})
    assert _everything(world) == before
    # a later merge undoes the split, and that survives too
    service.merge(ANALYST, rest.id, part.id, "one strike after all")
    assert world.incident_of("port2").event_ids == tuple(sorted((port1, port2)))
    world.rerun()
    assert world.incident_of("port2").event_ids == tuple(sorted((port1, port2)))


def test_a_decision_stays_with_the_incident_a_split_leaves(world: World) -> None:
    port = world.incident_of("port1")
    world.service.confirm(ANALYST, port.id, "footage")
    smallest = min(port.event_ids)  # the event the incident's id was made from
    rest, part = world.service.split(ANALYST, port.id, [smallest], "another strike")
    assert rest.status is IncidentStatus.VERIFIED and part.status is IncidentStatus.REPORTED
    world.rerun()
    [kept] = [i for i in _everything(world)[0] if i.id == rest.id]
    assert kept.status is IncidentStatus.VERIFIED


def test_reject_and_reopen(world: World) -> None:
    service, port = world.service, world.incident_of("port1")
    assert _truce(world, port) is not None
    rejected = service.reject(ANALYST, port.id, "old footage from 2019")
    assert rejected.status is IncidentStatus.REJECTED and _truce(world, port) is None
    world.rerun()
    assert world.incident_of("port1").status is IncidentStatus.REJECTED
    assert _truce(world, port) is None
    with pytest.raises(ConflictError, match="already rejected"):
        service.reject(ANALYST, port.id, "again")
    reopened = service.reopen(ANALYST, port.id, "the footage was new after all")
    assert reopened.status is IncidentStatus.CORROBORATED
    assert _truce(world, port) is not None
    with pytest.raises(ConflictError, match="no human status"):
        service.reopen(ANALYST, port.id, "again")


def test_a_confirmed_violation_is_kept_when_the_engine_stops_finding_it(world: World) -> None:
    service, port = world.service, world.incident_of("port1").id
    service.confirm_violation(SUPERVISOR, port, *TRUCE, "JMC observers on site")
    edited = service.edit(
        ANALYST, port, "date", {"start": "2019-12-01", "time_precision": 1}, "an older strike"
    )
    assert edited.date is not None and edited.date.start == date(2019, 12, 1)
    world.rerun()
    kept = _truce(world, world.incident_of("port1"))
    assert kept is not None and kept.determination is Determination.CONFIRMED
    assert "no longer finds" in kept.rationale
    restored = service.reopen_violation(SUPERVISOR, port, *TRUCE, "the strike predates the truce")
    assert restored is None and _truce(world, world.incident_of("port1")) is None


def test_edits_are_checked(world: World) -> None:
    service, port = world.service, world.incident_of("port1").id
    with pytest.raises(ReviewInputError, match="reason"):
        service.edit(ANALYST, port, "fatalities", 4, "  ")
    with pytest.raises(ReviewInputError, match="cannot be edited"):
        service.edit(ANALYST, port, "status", "verified", "no")
    with pytest.raises(ReviewInputError, match="unknown event type"):
        service.edit(ANALYST, port, "event_type", "Picnic", "no")
    with pytest.raises(ReviewInputError, match="not a sub-event type"):
        service.edit(ANALYST, port, "sub_event_type", "Armed clash", "no")
    with pytest.raises(ReviewInputError, match="negative"):
        service.edit(ANALYST, port, "fatalities", -1, "no")
    with pytest.raises(ConflictError, match="already"):
        service.edit(ANALYST, port, "fatalities", 3, "same")
    with pytest.raises(NotFoundError):
        service.edit(ANALYST, "nope", "fatalities", 3, "same")
    battle = service.edit(ANALYST, port, "event_type", "battles", "a ground attack")
    assert (battle.event_type, battle.family) == ("Battles", "violence")
    clash = service.edit(ANALYST, port, "sub_event_type", "armed clash", "a ground attack")
    assert clash.sub_event_type == "Armed clash"
    moved = service.edit(
        ANALYST,
        port,
        "location",
        {"name": "Tripoli", "lat": 32.8872, "lon": 13.1913, "geo_precision": 2, "country": "LY"},
        "the port is not named",
    )
    assert moved.location is not None and moved.location.name == "Tripoli"
    world.rerun()
    again = world.incident_of("port1")
    assert (again.event_type, again.sub_event_type) == ("Battles", "Armed clash")
    assert again.location == moved.location


def test_merge_and_split_are_checked(world: World) -> None:
    service, port = world.service, world.incident_of("port1")
    with pytest.raises(ConflictError, match="itself"):
        service.merge(ANALYST, port.id, port.id, "same")
    with pytest.raises(ConflictError, match="every event"):
        service.split(ANALYST, port.id, list(port.event_ids), "all")
    with pytest.raises(ReviewInputError, match="members"):
        service.split(ANALYST, port.id, [world.events["benghazi"]], "not a member")
    with pytest.raises(ReviewInputError, match="reason"):
        service.merge(ANALYST, port.id, world.incident_of("benghazi").id, "")
    added = report(
        world.store, "extra", "Another shelling.", "X", SHELLING, PORT, date(2020, 2, 18), 1
    )
    assert added  # an unfused event is not reviewable until fusion runs
    with pytest.raises(NotFoundError):
        service.confirm(ANALYST, incident_id([added]))
