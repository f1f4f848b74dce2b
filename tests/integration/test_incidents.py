"""From stored reports to incidents, possible violations and commitments, on the real seed pages
and the example corpus, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.config import Settings
from ceasefire.domain.agreements import CommitmentStatus
from ceasefire.domain.incidents import Incident, IncidentStatus, Stance
from ceasefire.pipeline.fusion.match import distance_km
from ceasefire.services.fusion import commitment_states, fuse_and_assess
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.process import process
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository

TRIPOLI = (32.8872, 13.1913)


def _ingest(settings: Settings, store: Store, *folders: Path) -> None:
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, 50)
        Ingestor(store, items, IngestOptions()).run([str(f) for f in folders])


def _km(lat: float, lon: float, other: tuple[float, float]) -> float:
    return distance_km(lat, lon, *other)


def _all(repo: IncidentRepository) -> list[Incident]:
    return repo.find(IncidentFilter(limit=10_000))


def _documents_of(store: Store, repo: IncidentRepository, incident: Incident) -> set[str]:
    events = {r.event_id: r for r in repo.reports(event_ids=incident.event_ids)}
    articles = {r.event.article_id for r in events.values()}
    return {
        stored.article.document_id
        for stored in store.iter_articles()
        if stored.article.id in articles
    }


@pytest.fixture
def seeded(settings: Settings, store: Store, seeds_dir: Path, extractor) -> Store:  # type: ignore[no-untyped-def]
    _ingest(settings, store, seeds_dir)
    process(store, extractor, load_taxonomy())
    return store


def test_the_tripoli_port_attack_is_one_corroborated_truce_violation(seeded: Store) -> None:
    repo = IncidentRepository(seeded)
    port = [
        i
        for i in _all(repo)
        if i.event_type == "Explosions/Remote violence"
        and i.date is not None
        and i.date.start == date(2020, 2, 18)
        and i.location is not None
        and _km(i.location.lat, i.location.lon, TRIPOLI) <= 25
    ]
    assert len(port) == 1, port
    [attack] = port
    assert attack.actor1 is not None and attack.actor1.id == "lna"
    assert attack.independent_sources == 2
    assert attack.status is IncidentStatus.CORROBORATED
    documents = _documents_of(seeded, repo, attack)
    assert len(documents) == 2  # seeds 000 and 001
    violations = repo.list_assessments(incident=attack.id)
    truce = [a for a in violations if a.agreement_id == "moscow_ankara_truce"]
    assert truce and truce[0].party == "lna"
    assert truce[0].determination.value == "corroborated"
    assert "truce" in truce[0].rationale.lower()
    assert not [a for a in violations if a.agreement_id == "geneva_ceasefire_agreement"]


def test_the_sirte_capture_is_disputed_with_both_versions(seeded: Store) -> None:
    repo = IncidentRepository(seeded)
    sirte = [
        i
        for i in _all(repo)
        if i.location is not None
        and i.location.name.startswith("Sirte")
        and i.status is IncidentStatus.DISPUTED
    ]
    assert sirte, [(i.sub_event_type, i.location, i.status) for i in _all(repo)]
    stances = {(c.stance, c.by.id if c.by else None) for i in sirte for c in i.claims}
    assert (Stance.DENIES, "gna") in stances
    assert any(stance is Stance.CLAIMS and by == "lna" for stance, by in stances)


def test_the_geneva_foreign_fighter_deadline(seeded: Store, extractor) -> None:  # type: ignore[no-untyped-def]
    taxonomy = load_taxonomy()
    before = commitment_states(seeded, extractor.profile, taxonomy, date(2021, 1, 10))
    [fighters] = [c for c in before if c.term_id == "geneva_foreign_fighters_out"]
    assert fighters.due == date(2021, 1, 23)
    assert fighters.status is CommitmentStatus.PENDING
    after = commitment_states(seeded, extractor.profile, taxonomy, date(2021, 2, 1))
    [late] = [c for c in after if c.term_id == "geneva_foreign_fighters_out"]
    assert late.status is CommitmentStatus.OVERDUE


def test_incremental_fusion_equals_a_full_recompute(
    settings: Settings,
    store: Store,
    seeds_dir: Path,
    examples_dir: Path,
    extractor,  # type: ignore[no-untyped-def]
) -> None:
    taxonomy = load_taxonomy()
    _ingest(settings, store, examples_dir)
    process(store, extractor, taxonomy)
    _ingest(settings, store, seeds_dir)
    process(store, extractor, taxonomy)  # only what the seeds' events touch
    repo = IncidentRepository(store)
    incremental = _all(repo)
    assessed = repo.list_assessments()
    fuse_and_assess(store, extractor.profile, taxonomy)  # everything again
    assert _all(repo) == incremental
    assert repo.list_assessments() == assessed
    again = process(store, extractor, taxonomy)
    assert (again.articles, again.incidents) == (0, 0)
    assert _all(repo) == incremental


def test_a_rejected_incident_is_no_evidence_for_a_commitment(store: Store, extractor) -> None:  # type: ignore[no-untyped-def]
    from ceasefire.domain.events import EventDate, Location

    departure = Incident(
        id="i-departure",
        event_type="withdrawal",
        sub_event_type="foreign fighters departed",
        family="process",
        actor1=None,
        actor2=None,
        location=Location("Mitiga International Airport", 32.894, 13.276, 1, "Tripoli", "LY"),
        date=EventDate(date(2021, 1, 15), date(2021, 1, 15), 1),
        fatalities=None,
        fatalities_high=None,
        event_ids=("e-departure",),
        independent_sources=2,
        origins=("a", "b"),
        status=IncidentStatus.CORROBORATED,
        claims=(),
        first_reported=date(2021, 1, 16),
    )
    repo = IncidentRepository(store)
    taxonomy = load_taxonomy()

    def state() -> CommitmentStatus:
        found = commitment_states(store, extractor.profile, taxonomy, date(2021, 1, 20))
        return next(c for c in found if c.term_id == "geneva_foreign_fighters_out").status

    repo.replace([], [departure], "test")
    assert state() is CommitmentStatus.MET
    rejected = replace(departure, status=IncidentStatus.REJECTED)
    repo.replace(["e-departure"], [rejected], "test")
    assert state() is CommitmentStatus.PENDING
