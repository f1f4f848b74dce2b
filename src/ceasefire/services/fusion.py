"""Fuse and assess use case: from stored events to incidents, assessments and commitment states.

Incremental by default: after an extraction run only the part of the record that new events can
touch is recomputed. That part is the events whose dates overlap a window around the new events'
dates (``WINDOW_DAYS`` each side; undated events are always in), closed under stored incidents (an
incident with one member in it brings all its members), so every stored incident is either wholly
recomputed or left as it is. Fusion matches only events with overlapping dates, so within the
window the result is the same as fusing everything (``full=True`` does that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ceasefire.domain.agreements import Commitment, CommitmentOverride
from ceasefire.domain.incidents import Incident, IncidentStatus, Report
from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.pipeline.assess import Assessor
from ceasefire.pipeline.commitments import commitments
from ceasefire.pipeline.fusion import fuse
from ceasefire.pipeline.review import apply_decisions, apply_violation_decisions, rebase
from ceasefire.pipeline.wires import report_origin, wire_origin
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository, StoredReport
from ceasefire.storage.reviews import ReviewRepository

FUSION = "cf-fuse/1"
WINDOW_DAYS = 45
STAGE = "fuse"


@dataclass
class FuseSummary:
    run_id: int
    reports: int = 0
    incidents: int = 0
    assessments: int = 0


def to_report(stored: StoredReport, profile: Profile) -> Report:
    """A stored event as fusion sees it: its origin for independence (the wire agency credited
    in its sentence, else its story's, else its syndication group, else its outlet), and the
    party that runs its outlet when the profile names one."""
    party = profile.party_outlets.get(stored.domain or "") if stored.domain else None
    party = party or profile.party_outlets.get(stored.outlet.casefold())
    return Report(
        event_id=stored.event_id,
        event=stored.event,
        outlet=stored.outlet,
        # an agency credited in the statement itself ("the envoy told Reuters"), else the story's
        origin=report_origin(
            stored.outlet,
            stored.syndication_group,
            wire_origin(stored.event.evidence.text) or stored.wire,
        ),
        source_kind=stored.source_kind,
        party=party,
        published=stored.published,
    )


def _window(stored: Iterable[StoredReport]) -> tuple[date, date] | None:
    starts, ends = [], []
    for report in stored:
        if report.event.date is not None:
            starts.append(report.event.date.start)
            ends.append(report.event.date.end)
    if not starts:
        return None
    pad = timedelta(days=WINDOW_DAYS)
    return min(starts) - pad, max(ends) + pad


def fuse_and_assess(
    store: Store,
    profile: Profile,
    taxonomy: Taxonomy,
    new_event_ids: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> FuseSummary:
    """Recompute the incidents (and their assessments) that ``new_event_ids`` can change; all of
    them when ``new_event_ids`` is None."""
    repo = IncidentRepository(store)
    summary = FuseSummary(store.start_run(STAGE, FUSION, {"full": new_event_ids is None}))
    status = "failed"
    try:
        if new_event_ids is None:
            stored = list(repo.reports())
        else:
            if not new_event_ids:
                status = "ok"
                return summary
            # read once for their dates only, not kept: the window's read holds them again
            window = _window(repo.reports(event_ids=new_event_ids))
            stored = list(repo.reports_around(window, new_event_ids))
        reports = [to_report(s, profile) for s in stored]
        incidents = fuse(reports)
        # --- review hook (issue 5): human decisions win over the machine (pipeline/review.py)
        reviews = ReviewRepository(store)
        decisions = reviews.decisions()
        decisions = rebase(decisions, reports, reviews.existing_events(decisions))
        incidents = apply_decisions(incidents, reports, decisions)
        # --- end of the review hook
        repo.replace((s.event_id for s in stored), incidents, FUSION)
        assessor = Assessor(profile.agreements.values(), profile, taxonomy)
        modalities = {r.event_id: r.event.modality for r in reports}
        assessments = assessor.assess_all(incidents, modalities=modalities)
        assessments = apply_violation_decisions(assessments, incidents, decisions)  # review hook
        repo.replace_assessments((i.id for i in incidents), assessments)
        summary.reports = len(reports)
        summary.incidents = len(incidents)
        summary.assessments = len(assessments)
        if progress is not None:
            progress(len(incidents))
        status = "ok"
    finally:
        store.finish_run(
            summary.run_id,
            status,
            {
                "reports": summary.reports,
                "incidents": summary.incidents,
                "assessments": summary.assessments,
            },
        )
    return summary


def commitment_states(
    store: Store, profile: Profile, taxonomy: Taxonomy, as_of: date
) -> list[Commitment]:
    """Every obligation with its state as of ``as_of``, from the stored incidents and overrides."""
    repo = IncidentRepository(store)
    incidents: list[Incident] = []
    offset = 0
    while True:
        page = repo.find(IncidentFilter(limit=1000, offset=offset))
        incidents.extend(page)
        if len(page) < 1000:
            break
        offset += 1000
    # an incident a reviewer rejected is no evidence that an obligation was met or breached
    incidents = [i for i in incidents if i.status is not IncidentStatus.REJECTED]
    overrides: dict[str, CommitmentOverride] = repo.commitment_overrides()
    return commitments(
        profile.agreements.values(),
        incidents,
        as_of,
        taxonomy,
        overrides=overrides,
        profile=profile,
    )
