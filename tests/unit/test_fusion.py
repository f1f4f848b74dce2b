"""Fusion of statements into incidents: examples of the matching rule, independence, claims and
status, canonical fields, and the incremental index."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ceasefire.domain.events import ActorRef, Event, EventDate, Location, Modality, Span
from ceasefire.domain.incidents import IncidentStatus, Report, Stance
from ceasefire.pipeline.fusion import FusionError, FusionIndex, fuse, incident_id

SHELLING = "Explosions/Remote violence"
LNA = ActorRef("lna", "Libyan National Army", side="east")
WAGNER = ActorRef("wagner", "Wagner Group", side="east")
GNA = ActorRef("gna", "Government of National Accord", side="west")
UNKNOWN = ActorRef(None, "unidentified gunmen")
PORT = Location("Tripoli port", 32.9035, 13.1900, 1, "Tripoli", "Libya", "tripoli_port")
TRIPOLI = Location("Tripoli", 32.8872, 13.1913, 2, "Tripoli", "Libya", "tripoli")
SIRTE = Location("Sirte", 31.2089, 16.5887, 1, "Sirte", "Libya", "sirte")
BENGHAZI = Location("Benghazi", 32.1167, 20.0667, 1, "Benghazi", "Libya", "benghazi")
TRIPOLI_REGION = Location("Tripoli district", 32.8, 13.2, 3, "Tripoli", "Libya")
DAY = date(2020, 2, 18)


def make_report(
    event_id: str,
    *,
    outlet: str = "outlet",
    origin: str | None = None,
    event_type: str = SHELLING,
    sub: str = "Shelling/artillery/missile attack",
    family: str = "violence",
    actor1: ActorRef | None = LNA,
    actor2: ActorRef | None = GNA,
    place: Location | None = PORT,
    start: date | None = DAY,
    end: date | None = None,
    precision: int = 1,
    fatalities: int | None = None,
    modality: Modality = Modality.ASSERTED,
    claimed_by: ActorRef | None = None,
    party: str | None = None,
    published: date | None = date(2020, 2, 19),
    text: str = "Rockets hit the port.",
) -> Report:
    """A report of one statement, by default: the LNA shelled Tripoli's port on 18 Feb 2020."""
    when = None if start is None else EventDate(start, end or start, precision)
    event = Event(
        article_id=f"article-{outlet}",
        event_type=event_type,
        sub_event_type=sub,
        family=family,
        actor1=actor1,
        actor2=actor2,
        location=place,
        date=when,
        fatalities=fatalities,
        wounded=None,
        modality=modality,
        claimed_by=claimed_by,
        evidence=Span(0, len(text), text),
        trigger=Span(0, 7, text[:7]),
        confidence=0.9,
        coder="test",
    )
    return Report(event_id, event, outlet, origin or outlet, party=party, published=published)


def test_the_port_shelling_told_by_two_outlets_is_one_corroborated_incident() -> None:
    arab_news = make_report(
        "e1", outlet="Arab News", origin="Reuters", text="rocket fire hit a port in Tripoli"
    )
    telesur = make_report(
        "e2",
        outlet="teleSUR",
        place=TRIPOLI,  # the city, less precise than the port
        sub="Air/drone strike",
        actor2=None,
        fatalities=0,
        text="the Libyan National Army (LNA) hit Tripoli's port",
    )
    month = make_report(  # "rockets hit the port in February": month precision, same place
        "e3", outlet="Libya Herald", start=date(2020, 2, 1), end=date(2020, 2, 29), precision=3
    )
    (incident,) = fuse([arab_news, telesur, month])
    assert incident.event_ids == ("e1", "e2", "e3")
    assert incident.independent_sources == 3
    assert incident.origins == ("Libya Herald", "Reuters", "teleSUR")
    assert incident.status is IncidentStatus.CORROBORATED
    assert incident.date == EventDate(DAY, DAY, 1)  # the most precise date
    assert incident.location == PORT  # the most specific place
    assert incident.actor1 == LNA and incident.actor2 == GNA
    assert incident.sub_event_type == "Shelling/artillery/missile attack"  # 2 of 3
    assert incident.first_reported == date(2020, 2, 19)
    assert incident.id == incident_id(["e3", "e2", "e1"])


def test_a_wire_story_and_its_copy_in_another_outlet_are_one_source() -> None:
    reuters = make_report("e1", outlet="Reuters", origin="Reuters")
    copy = make_report("e2", outlet="Arab News", origin="Reuters")
    (incident,) = fuse([reuters, copy])
    assert incident.independent_sources == 1
    assert incident.origins == ("Reuters",)
    assert incident.status is IncidentStatus.REPORTED


def test_a_partys_claim_and_the_other_partys_denial_are_one_disputed_incident() -> None:
    capture = "Battles"
    claim = make_report(
        "e1",
        outlet="Al Arabiya",
        event_type=capture,
        sub="Non-state actor overtakes territory",
        place=SIRTE,
        modality=Modality.CLAIMED,
        claimed_by=LNA,
        text="The LNA said it had taken full control of Sirte.",
    )
    denial = make_report(
        "e2",
        outlet="Libya Observer",
        event_type=capture,
        sub="Non-state actor overtakes territory",
        place=SIRTE,
        modality=Modality.DENIED,
        claimed_by=GNA,
        text="The GNA denied that Sirte had fallen.",
    )
    (incident,) = fuse([denial, claim])
    assert incident.status is IncidentStatus.DISPUTED
    assert [(c.stance, c.by) for c in incident.claims] == [
        (Stance.CLAIMS, LNA),
        (Stance.DENIES, GNA),
    ]
    assert incident.claims[1].text == "The GNA denied that Sirte had fallen."
    assert incident.independent_sources == 1  # the LNA's claim; a denial is no source
    assert incident.actor1 == LNA


def test_competing_party_versions_of_who_shelled_are_one_disputed_incident() -> None:
    lna_version = make_report(
        "e1", outlet="LNA media", party="lna", actor1=GNA, actor2=None, fatalities=2
    )
    gna_version = make_report(
        "e2", outlet="GNA media", party="gna", actor1=LNA, actor2=None, fatalities=3
    )
    (incident,) = fuse([lna_version, gna_version])
    assert incident.status is IncidentStatus.DISPUTED
    assert {c.by.id for c in incident.claims if c.by is not None} == {"lna", "gna"}
    assert all(c.stance is Stance.CLAIMS for c in incident.claims)
    assert incident.origins == ("actor:gna", "actor:lna")
    assert (incident.fatalities, incident.fatalities_high) == (2, 3)


def test_neutral_accounts_blaming_opposite_sides_are_two_happenings() -> None:
    one = make_report("e1", outlet="a", actor1=LNA, actor2=GNA)
    other = make_report("e2", outlet="b", actor1=GNA, actor2=LNA)
    assert len(fuse([one, other])) == 2


def test_allied_and_unknown_actors_are_compatible() -> None:
    lna = make_report("e1", outlet="a", actor1=LNA)
    wagner = make_report("e2", outlet="b", actor1=WAGNER)  # same side: a coalition
    gunmen = make_report("e3", outlet="c", actor1=UNKNOWN, actor2=None)
    (incident,) = fuse([lna, wagner, gunmen])
    assert incident.independent_sources == 3
    assert incident.status is IncidentStatus.CORROBORATED


def test_battles_are_symmetric_in_their_actors() -> None:
    one = make_report("e1", outlet="a", event_type="Battles", sub="Armed clash")
    other = make_report(
        "e2", outlet="b", event_type="Battles", sub="Armed clash", actor1=GNA, actor2=LNA
    )
    (incident,) = fuse([one, other])
    assert incident.status is IncidentStatus.CORROBORATED


def test_shellings_300_km_apart_on_the_same_day_are_two_incidents() -> None:
    tripoli = make_report("e1", outlet="a")
    sirte = make_report("e2", outlet="b", place=SIRTE)
    incidents = fuse([tripoli, sirte])
    assert len(incidents) == 2
    assert {i.location for i in incidents} == {PORT, SIRTE}


def test_different_days_or_types_are_different_incidents() -> None:
    today = make_report("e1", outlet="a")
    tomorrow = make_report("e2", outlet="b", start=date(2020, 2, 19))
    clash = make_report("e3", outlet="c", event_type="Battles", sub="Armed clash")
    assert len(fuse([today, tomorrow, clash])) == 3


def test_a_vague_statement_does_not_chain_two_happenings() -> None:
    third = make_report("e1", outlet="a", start=date(2020, 2, 3))
    eighteenth = make_report("e2", outlet="b")
    month = make_report(
        "e3", outlet="c", start=date(2020, 2, 1), end=date(2020, 2, 29), precision=3
    )
    incidents = fuse([month, eighteenth, third])
    assert len(incidents) == 2
    # the vague statement joins the first precise happening that fits it (the earlier day)
    assert [i.event_ids for i in incidents] == [("e1", "e3"), ("e2",)]


def test_places_in_a_line_do_not_chain_beyond_25_km() -> None:
    west = make_report("e1", outlet="a", place=replace(PORT, lon=13.0, place_id="w"))
    middle = make_report("e2", outlet="b", place=replace(PORT, lon=13.2, place_id="m"))  # 19 km
    east = make_report("e3", outlet="c", place=replace(PORT, lon=13.4, place_id="e"))  # 37 km
    incidents = fuse([east, middle, west])
    assert sorted(i.event_ids for i in incidents) == [("e1", "e2"), ("e3",)]


def test_a_copy_joins_its_original_and_moves_nobody() -> None:
    west = make_report("e3", outlet="a", place=replace(PORT, lon=13.0, place_id="w"))
    middle = make_report("e1", outlet="b", place=replace(PORT, lon=13.2, place_id="m"))
    east = make_report("e5", outlet="c", place=replace(PORT, lon=13.4, place_id="e"))
    before = fuse([west, middle, east])
    assert sorted(i.event_ids for i in before) == [("e1", "e3"), ("e5",)]
    # a copy of the east report whose id sorts between the others: it must not pull the
    # middle report away from the west one
    copy = replace(east, event_id="e2", outlet="d", origin="d")
    after = fuse([west, middle, east, copy])
    assert sorted(i.event_ids for i in after) == [("e1", "e3"), ("e2", "e5")]


def test_a_region_level_place_matches_places_inside_the_region() -> None:
    port = make_report("e1", outlet="a")
    region = make_report("e2", outlet="b", place=TRIPOLI_REGION)
    benghazi = make_report("e3", outlet="c", place=BENGHAZI)
    incidents = fuse([port, region, benghazi])
    assert sorted(i.event_ids for i in incidents) == [("e1", "e2"), ("e3",)]
    assert next(i for i in incidents if "e1" in i.event_ids).location == PORT


def test_placeless_and_undated_statements_are_bounded() -> None:
    placeless = make_report("e1", outlet="a", place=None)
    placeless_same_actor = make_report("e2", outlet="b", place=None, actor2=None)
    placeless_other_actors = make_report("e3", outlet="c", place=None, actor1=None, actor2=None)
    undated = make_report("e4", outlet="d", start=None, published=date(2020, 2, 20))
    timeless = make_report("e5", outlet="e", start=None, published=None)
    placed = make_report("e6", outlet="f")
    incidents = fuse([placeless, placeless_same_actor, placeless_other_actors, undated, timeless])
    groups = sorted(i.event_ids for i in incidents)
    assert groups == [("e1", "e2"), ("e3",), ("e4",), ("e5",)]
    # an undated statement meets dated ones through the week before its publication...
    with_placed = fuse([undated, placed])
    assert [i.event_ids for i in with_placed] == [("e4", "e6")]
    assert with_placed[0].date == EventDate(DAY, DAY, 1)
    # ...but one with neither date nor publication date stays alone
    assert len(fuse([timeless, placed])) == 2


def test_only_statements_that_something_happened_are_fused() -> None:
    reports = [
        make_report(f"e{n}", outlet=f"o{n}", modality=modality)
        for n, modality in enumerate(Modality)
    ]
    (incident,) = fuse(reports)
    kept = {r.event.modality for r in reports if r.event_id in incident.event_ids}
    assert kept == {Modality.ASSERTED, Modality.CLAIMED, Modality.DENIED}


def test_a_denial_alone_is_a_disputed_incident_without_sources() -> None:
    (incident,) = fuse([make_report("e1", modality=Modality.DENIED, claimed_by=LNA)])
    assert incident.status is IncidentStatus.DISPUTED
    assert incident.independent_sources == 0
    assert incident.actor1 == LNA  # who is accused
    assert incident.fatalities is None


def test_party_voices_count_once_per_party() -> None:
    quoted_by_reuters = make_report(
        "e1", outlet="Reuters", modality=Modality.CLAIMED, claimed_by=LNA, actor1=GNA
    )
    quoted_by_afp = make_report(
        "e2", outlet="AFP", modality=Modality.CLAIMED, claimed_by=LNA, actor1=GNA
    )
    own_channel = make_report("e3", outlet="Libya al-Hadath", party="lna", actor1=GNA)
    (incident,) = fuse([quoted_by_reuters, quoted_by_afp, own_channel])
    assert incident.origins == ("actor:lna",)
    assert incident.status is IncidentStatus.REPORTED
    assert {c.stance for c in incident.claims} == {Stance.CLAIMS}
    assert all(c.by is not None and c.by.id == "lna" for c in incident.claims)


def test_fatalities_are_conservative_and_disputed_beyond_tolerance() -> None:
    low = make_report("e1", outlet="a", fatalities=3)
    high = make_report("e2", outlet="b", fatalities=10)
    (incident,) = fuse([low, high])
    assert (incident.fatalities, incident.fatalities_high) == (3, 10)
    assert incident.status is IncidentStatus.CORROBORATED  # 10 <= 2 * 3 + 5
    far = make_report("e3", outlet="c", fatalities=12)
    (incident,) = fuse([low, high, far])
    assert incident.status is IncidentStatus.DISPUTED  # 12 > 11
    none_killed = make_report("e4", outlet="d", fatalities=0)
    (incident,) = fuse([none_killed, low])
    assert incident.status is IncidentStatus.DISPUTED  # nobody killed against three killed


def test_actor_vote_prefers_neutral_accounts() -> None:
    neutral = make_report("e1", outlet="a", actor1=LNA)
    claim = make_report("e2", outlet="b", actor1=WAGNER, modality=Modality.CLAIMED, claimed_by=GNA)
    (incident,) = fuse([claim, neutral])
    assert incident.actor1 == LNA  # weight 2 against 1


def test_claims_are_sorted_asserts_claims_denies() -> None:
    reports = [
        make_report("e3", outlet="c", modality=Modality.DENIED, claimed_by=LNA),
        make_report("e2", outlet="b", modality=Modality.CLAIMED, claimed_by=GNA),
        make_report("e1", outlet="a"),
    ]
    (incident,) = fuse(reports)
    assert [c.stance for c in incident.claims] == [Stance.ASSERTS, Stance.CLAIMS, Stance.DENIES]
    assert [c.event_id for c in incident.claims] == ["e1", "e2", "e3"]


def test_output_is_sorted_by_date_then_id_with_undated_last() -> None:
    later = make_report("e1", outlet="a", start=date(2020, 3, 1))
    earlier = make_report("e2", outlet="b")
    timeless = make_report("e3", outlet="c", start=None, published=None)
    incidents = fuse([timeless, later, earlier])
    assert [i.event_ids for i in incidents] == [("e2",), ("e1",), ("e3",)]


def test_index_reports_changed_and_removed_incidents() -> None:
    index = FusionIndex([make_report("e5", outlet="a")])
    (before,) = index.incidents()
    update = index.add([make_report("e1", outlet="b"), make_report("e9", outlet="c", place=SIRTE)])
    assert update.removed == (before.id,)  # renamed: e1 is now the smallest member
    assert sorted(i.event_ids for i in update.changed) == [("e1", "e5"), ("e9",)]
    assert index.incident_of("e5") == index.incident_of("e1")
    again = index.add([make_report("e1", outlet="b")])  # an exact repeat changes nothing
    assert again.changed == () and again.removed == ()
    assert len(index) == 3 and "e9" in index
    assert index.incidents() == fuse(
        [
            make_report("e5", outlet="a"),
            make_report("e1", outlet="b"),
            make_report("e9", outlet="c", place=SIRTE),
        ]
    )


def test_two_different_reports_under_one_id_are_refused_before_any_change() -> None:
    index = FusionIndex([make_report("e1", outlet="a")])
    with pytest.raises(FusionError, match="e1"):
        index.add([make_report("e2", outlet="b"), make_report("e1", outlet="z")])
    assert len(index) == 1 and "e2" not in index


def test_an_undated_article_links_its_own_claim_and_denial_only() -> None:
    capture = dict(
        event_type="Battles",
        sub="Non-state actor overtakes territory",
        actor2=None,
        place=SIRTE,
        start=None,
        published=None,
    )
    claim = make_report(
        "e1", outlet="al-jazeera", modality=Modality.CLAIMED, claimed_by=LNA, **capture
    )
    denial = make_report(
        "e2", outlet="al-jazeera", modality=Modality.DENIED, claimed_by=GNA, **capture
    )
    elsewhere = make_report("e3", outlet="other-paper", **capture)
    incidents = fuse([claim, denial, elsewhere])
    assert sorted(len(i.event_ids) for i in incidents) == [1, 2]
    [disputed] = [i for i in incidents if len(i.event_ids) == 2]
    assert disputed.status is IncidentStatus.DISPUTED and disputed.date is None
    assert {c.stance for c in disputed.claims} == {Stance.CLAIMS, Stance.DENIES}
