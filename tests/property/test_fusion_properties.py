"""Invariants of fusion on generated reports (hypothesis): independent of input order, idempotent
and stable per incident, incremental equals full, a new independent source never lowers an
incident's corroboration, a syndicated copy never raises it, and copies move nobody else."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.domain.events import ActorRef, Location, Modality
from ceasefire.domain.incidents import Incident, IncidentStatus, Report
from ceasefire.pipeline.fusion import FusionIndex, fuse
from ceasefire.pipeline.fusion.blocking import prepare
from ceasefire.pipeline.fusion.match import compatible
from tests.unit.test_fusion import make_report

PROPERTIES = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))

ACTORS = st.sampled_from(
    [
        None,
        ActorRef("lna", "LNA", side="east"),
        ActorRef("wagner", "Wagner", side="east"),
        ActorRef("gna", "GNA", side="west"),
        ActorRef("rada", "Rada", side="west"),
        ActorRef(None, "gunmen"),
        ActorRef("unsmil", "UNSMIL", side="international"),
    ]
)
PLACES = st.sampled_from(
    [
        None,
        Location("Tripoli port", 32.9035, 13.19, 1, "Tripoli", "Libya", "port"),
        Location("Ain Zara", 32.78, 13.25, 1, "Tripoli", "Libya", "ain_zara"),  # ~14 km
        Location("Gharyan", 32.17, 13.02, 1, "Jabal al Gharbi", "Libya", "gharyan"),  # ~80 km
        Location("Tripoli", 32.88, 13.19, 2, "Tripoli", "Libya", "tripoli"),
        Location("Tripoli district", 32.8, 13.2, 3, "Tripoli", "Libya"),
        Location("Libya", 27.0, 17.0, 3, None, "Libya"),
        Location("Zuwara", 32.93, 12.08, 1, None, "Libya", "zuwara"),
    ]
)
BASE = date(2020, 2, 10)


@st.composite
def reports(draw: st.DrawFn) -> list[Report]:
    count = draw(st.integers(min_value=0, max_value=14))
    out = []
    for n in range(count):
        precision = draw(st.sampled_from([1, 1, 1, 2, 3]))
        start = BASE + timedelta(days=draw(st.integers(0, 6)))
        end = start + timedelta(days={1: 0, 2: 6, 3: 27}[precision])
        dated = draw(st.integers(0, 9)) > 0
        modality = draw(
            st.sampled_from(
                [Modality.ASSERTED] * 4 + [Modality.CLAIMED, Modality.DENIED, Modality.PLANNED]
            )
        )
        outlet = draw(st.sampled_from(["a", "b", "c", "d", "e"]))
        out.append(
            make_report(
                f"e{n:02d}",
                outlet=outlet,
                origin=draw(st.sampled_from([outlet, "Reuters", "AFP"])),
                event_type=draw(st.sampled_from(["Explosions/Remote violence", "Battles"])),
                actor1=draw(ACTORS),
                actor2=draw(ACTORS),
                place=draw(PLACES),
                start=start if dated else None,
                end=end if dated else None,
                precision=precision,
                fatalities=draw(st.sampled_from([None, None, 0, 1, 3, 12])),
                modality=modality,
                claimed_by=draw(ACTORS) if modality is not Modality.ASSERTED else None,
                party=draw(st.sampled_from([None, None, None, "lna", "gna"])),
                published=draw(st.sampled_from([None, BASE + timedelta(days=8)])),
            )
        )
    return out


def members(incident: Incident, pool: list[Report]) -> list[Report]:
    ids = set(incident.event_ids)
    return [report for report in pool if report.event_id in ids]


def containing(incidents: list[Incident], event_id: str) -> Incident:
    return next(incident for incident in incidents if event_id in incident.event_ids)


@PROPERTIES
@given(reports(), st.randoms(use_true_random=False))
def test_fusion_is_independent_of_input_order(pool: list[Report], rng) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(pool)
    rng.shuffle(shuffled)
    assert fuse(shuffled) == fuse(pool)


@PROPERTIES
@given(reports())
def test_fusion_is_idempotent_and_every_incident_is_stable(pool: list[Report]) -> None:
    incidents = fuse(pool)
    fused = [report for incident in incidents for report in members(incident, pool)]
    assert fuse(fused) == incidents
    for incident in incidents:
        assert fuse(members(incident, pool)) == [incident]
        items = [prepare(report) for report in members(incident, pool)]
        # complete linkage: every member matches every other (no chaining)
        assert all(compatible(a, b) for i, a in enumerate(items) for b in items[i + 1 :])
        assert incident.status not in (IncidentStatus.VERIFIED, IncidentStatus.REJECTED)
    ids = [event_id for incident in incidents for event_id in incident.event_ids]
    assert len(ids) == len(set(ids))  # every statement in one incident at most


@PROPERTIES
@given(reports(), st.lists(st.integers(0, 3), max_size=14))
def test_incremental_add_equals_full_fusion(pool: list[Report], batches: list[int]) -> None:
    index = FusionIndex()
    seen: dict[str, Incident] = {}
    chunks: list[list[Report]] = [[] for _ in range(4)]
    for position, report in enumerate(pool):
        chunks[batches[position] if position < len(batches) else 0].append(report)
    for chunk in chunks:
        update = index.add(chunk)
        for incident_id in update.removed:
            del seen[incident_id]
        seen.update({incident.id: incident for incident in update.changed})
    expected = fuse(pool)
    assert index.incidents() == expected
    assert sorted(seen.values(), key=lambda i: i.id) == sorted(expected, key=lambda i: i.id)


def _copy_of(
    pool: list[Report], pick: int, origin: str | None, slot: int
) -> tuple[Report, Report] | None:
    """A report of an already fused happening and a copy of it under a new id and outlet; the
    id sorts right after ``e<slot>``, so the copy can come anywhere in the order of ids."""
    candidates = [
        report
        for report in pool
        if report.event.modality is Modality.ASSERTED
        and report.party is None
        and compatible(prepare(report), prepare(replace(report, event_id="zz")))
    ]
    if not candidates:
        return None
    original = candidates[pick % len(candidates)]
    copy = replace(
        original, event_id=f"e{slot:02d}+", outlet="new outlet", origin=origin or original.origin
    )
    return original, copy


@PROPERTIES
@given(reports(), st.integers(0, 20), st.integers(-1, 14))
def test_a_new_independent_source_never_lowers_corroboration(
    pool: list[Report], pick: int, slot: int
) -> None:
    picked = _copy_of(pool, pick, "a new origin", slot)
    if picked is None:
        return
    original, copy = picked
    before = fuse(pool)
    after = fuse([*pool, copy])
    old, new = containing(before, original.event_id), containing(after, original.event_id)
    assert copy.event_id in new.event_ids
    assert new.independent_sources == old.independent_sources + 1
    if old.status is IncidentStatus.REPORTED:
        assert new.status in (IncidentStatus.REPORTED, IncidentStatus.CORROBORATED)
        assert new.status is IncidentStatus.CORROBORATED or new.independent_sources < 2
    else:
        assert new.status is old.status  # corroborated stays so, a dispute stays one
    # and nobody else moves
    assert [i for i in before if i is not old] == [i for i in after if i is not new]


@PROPERTIES
@given(reports(), st.integers(0, 20), st.integers(-1, 14))
def test_a_syndicated_copy_never_raises_corroboration(
    pool: list[Report], pick: int, slot: int
) -> None:
    picked = _copy_of(pool, pick, None, slot)
    if picked is None:
        return
    original, copy = picked
    before = fuse(pool)
    after = fuse([*pool, copy])
    old, new = containing(before, original.event_id), containing(after, original.event_id)
    assert copy.event_id in new.event_ids
    assert new.independent_sources == old.independent_sources
    assert new.origins == old.origins
    assert new.status is old.status
    assert [i for i in before if i is not old] == [i for i in after if i is not new]
