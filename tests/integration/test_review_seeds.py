"""Issue 5 on the real seed pages: after a human edit and a supervisor's determination of the
Tripoli port attack, re-running ``process`` (in full, and with a new extractor version that
re-extracts every article under new event ids) keeps the human's values."""

from __future__ import annotations

import copy
import math
from datetime import date
from pathlib import Path

from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.config import Settings
from ceasefire.domain.agreements import Determination
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.reviews import ReviewAction, TargetType
from ceasefire.domain.users import Role, User
from ceasefire.services.fusion import fuse_and_assess
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.process import process
from ceasefire.services.review import Need, ReviewService
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository

TRIPOLI = (32.8872, 13.1913)
TRUCE = ("moscow_ankara_truce", "truce_cease_hostilities")
ANALYST = User(2, "ana", Role.ANALYST)
SUPERVISOR = User(4, "sue", Role.SUPERVISOR)


def _port(store: Store) -> Incident:
    """The port attack: among incidents of current events (a re-extraction leaves the incidents
    of the replaced events behind; that is fusion's, not the review's, to clean up)."""
    repo = IncidentRepository(store)
    current = {r.event_id for r in repo.reports()}

    def near(incident: Incident) -> bool:
        if incident.location is None:
            return False
        dlat = incident.location.lat - TRIPOLI[0]
        dlon = (incident.location.lon - TRIPOLI[1]) * math.cos(math.radians(TRIPOLI[0]))
        return math.hypot(dlat, dlon) * 111.2 <= 25

    [port] = [
        i
        for i in repo.find(IncidentFilter(limit=10_000))
        if set(i.event_ids) <= current
        and i.event_type == "Explosions/Remote violence"
        and i.date is not None
        and i.date.start == date(2020, 2, 18)
        and near(i)
    ]
    return port


def test_process_never_overwrites_a_human_decision(  # type: ignore[no-untyped-def]
    settings: Settings, store: Store, seeds_dir: Path, extractor
) -> None:
    taxonomy = load_taxonomy()
    with HttpFetcher(settings) as fetcher:
        Ingestor(store, ItemSource(fetcher, settings.max_file_bytes, 50), IngestOptions()).run(
            [str(seeds_dir)]
        )
    process(store, extractor, taxonomy)
    service = ReviewService(store, extractor.profile, taxonomy)
    port = _port(store)
    first = service.queue(ANALYST).items[0]
    assert first.need is Need.POSSIBLE_VIOLATION
    service.assign(ANALYST, port.id)
    service.edit(ANALYST, port.id, "fatalities", 7, "the ministry's list of the dead")
    service.confirm(ANALYST, port.id, "two independent outlets and footage")
    service.confirm_violation(SUPERVISOR, port.id, *TRUCE, "JMC observers confirmed it")

    def check() -> None:
        now = _port(store)
        assert (now.fatalities, now.status) == (7, IncidentStatus.VERIFIED)
        [truce] = [
            a
            for a in IncidentRepository(store).list_assessments(incident=now.id)
            if (a.agreement_id, a.term_id) == TRUCE
        ]
        assert truce.determination is Determination.CONFIRMED and truce.party == "lna"
        [held] = service.queue(ANALYST, mine=True).items
        assert held.incident.id == now.id
        actions = [r.action for r in service.history(ANALYST, TargetType.INCIDENT, now.id)]
        assert actions == [
            ReviewAction.ASSIGN,
            ReviewAction.EDIT,
            ReviewAction.CONFIRM,
            ReviewAction.CONFIRM_VIOLATION,
        ]

    check()
    process(store, extractor, taxonomy, full=True)
    check()
    fuse_and_assess(store, extractor.profile, taxonomy)
    check()
    # a new extractor version re-extracts every article: every event gets a new id
    newer = copy.copy(extractor)
    newer.coder = extractor.coder + "+review-test"
    again = process(store, newer, taxonomy, full=True)
    assert again.articles > 0
    assert not set(_port(store).event_ids) & set(port.event_ids)
    check()
