"""The facts of a situation report: what happened in a period, as the audience may see it.

:func:`gather` reads incidents, possible violations, evidence and commitments from the store and
keeps only what the audience's role may see (:mod:`ceasefire.domain.visibility`); rendering
never queries anything (:mod:`ceasefire.reports.render`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ceasefire.domain.agreements import Assessment, Commitment, Determination
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.profile import Profile
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.domain.users import Role
from ceasefire.domain.visibility import assessment_visible, incident_visible
from ceasefire.errors import CeasefireError
from ceasefire.services.fusion import commitment_states
from ceasefire.storage import Store
from ceasefire.storage.incidents import IncidentFilter, IncidentRepository

#: the longest period one report covers (a year and a day)
MAX_DAYS = 367
#: how many key incidents a report details
KEY_INCIDENTS = 12
#: how many incidents the report's full listing shows (the earliest)
LISTED = 500
_PAGE = 1000


class ReportError(CeasefireError):
    """A report cannot be made as asked (bad period or format)."""

    code = "report"


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """What a report covers: a period, optionally an area and a party, for an audience."""

    date_from: date
    date_to: date
    area: str | None = None  # an admin1 region or a place (name or gazetteer id)
    party: str | None = None  # an actor or side id
    role: Role = Role.VIEWER

    def check(self) -> None:
        """Raise :class:`ReportError` for a period that is empty or too long."""
        if self.date_to < self.date_from:
            raise ReportError(
                f"the period ends ({self.date_to}) before it starts ({self.date_from})"
            )
        if (self.date_to - self.date_from).days >= MAX_DAYS:
            raise ReportError(f"a report covers at most {MAX_DAYS} days; split the period")


@dataclass(frozen=True, slots=True)
class Citation:
    """One report of an incident: the outlet, its date and link, and the evidence sentence."""

    outlet: str
    published: date | None
    url: str | None
    evidence: str

    @property
    def link(self) -> str | None:
        """The link, only when it is a web address (never ``javascript:`` or a local path)."""
        if self.url and self.url.lower().startswith(("http://", "https://")):
            return self.url
        return None


@dataclass(frozen=True, slots=True)
class IncidentEntry:
    """An incident as the report shows it, with its visible violations and citations."""

    incident: Incident
    violations: tuple[Assessment, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Headline:
    """The report's headline numbers."""

    incidents: int
    by_status: dict[str, int]
    possible_violations: int
    confirmed_violations: int
    by_determination: dict[str, int]
    fatalities_low: int
    fatalities_high: int
    incidents_with_fatalities: int


@dataclass(frozen=True, slots=True)
class SituationReport:
    """Everything a rendered report shows, already filtered for the audience."""

    query: ReportQuery
    generated: datetime
    profile_name: str
    country: str
    headline: Headline
    incidents: tuple[Incident, ...]
    violations: tuple[Assessment, ...]
    by_party: dict[str, dict[str, int]]  # party → determination → count
    by_agreement: dict[str, dict[str, int]]  # agreement → determination → count
    key: tuple[IncidentEntry, ...]
    disputed: tuple[IncidentEntry, ...]
    commitments: tuple[Commitment, ...]
    sources: dict[str, int]  # outlet → reports cited in the period
    names: dict[str, str] = field(default_factory=dict)  # actor, side and agreement ids → names
    flagged: dict[str, tuple[Assessment, ...]] = field(default_factory=dict)  # by incident id

    def violations_of(self, incident_id: str) -> tuple[Assessment, ...]:
        """The visible possible violations of one incident."""
        return self.flagged.get(incident_id, ())

    def name(self, key: str | None) -> str:
        """A readable name for an actor, side or agreement id."""
        if key is None:
            return ""
        return self.names.get(key, key)


def _matches_area(incident: Incident, area: str) -> bool:
    location = incident.location
    if location is None:
        return False
    wanted = area.casefold()
    names = (location.admin1, location.name, location.place_id)
    return any(n is not None and n.casefold() == wanted for n in names)


def _involves(incident: Incident, party: str) -> bool:
    actors = (incident.actor1, incident.actor2)
    return any(a is not None and party in (a.id, a.side) for a in actors)


def _names(profile: Profile) -> dict[str, str]:
    names = {side.id: side.name for side in profile.spec.sides}
    names.update((actor.id, actor.name) for actor in profile.actors.values())
    names.update((a.id, a.name) for a in profile.agreements.values())
    names["unattributed"] = "Unattributed"
    return names


def _in_force(profile: Profile, agreement_id: str, query: ReportQuery) -> bool:
    """Whether an agreement was in force at some time in the report's period."""
    agreement = profile.agreements.get(agreement_id)
    if agreement is None:
        return True
    ended = agreement.until is not None and agreement.until < query.date_from
    return agreement.start <= query.date_to and not ended


def _period_incidents(repo: IncidentRepository, query: ReportQuery) -> list[Incident]:
    found: list[Incident] = []
    offset = 0
    while True:
        page = repo.find(IncidentFilter(query.date_from, query.date_to, limit=_PAGE, offset=offset))
        found.extend(page)
        if len(page) < _PAGE:
            return found
        offset += _PAGE


def _citations(
    store: Store, repo: IncidentRepository, incidents: list[Incident]
) -> dict[str, tuple[Citation, ...]]:
    """The citations of each incident, in publication order (one per event)."""
    owner = {event_id: i.id for i in incidents for event_id in i.event_ids}
    urls: dict[str, str | None] = {}
    cited: dict[str, list[Citation]] = defaultdict(list)
    for report in repo.reports(event_ids=owner):
        article_id = report.event.article_id
        if article_id not in urls:
            stored = store.get_article(article_id)
            urls[article_id] = stored.article.url if stored else None
        cited[owner[report.event_id]].append(
            Citation(report.outlet, report.published, urls[article_id], report.event.evidence.text)
        )
    return {
        key: tuple(sorted(values, key=lambda c: (c.published or date.max, c.outlet)))
        for key, values in cited.items()
    }


def _tally(violations: list[Assessment], key: str) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for assessment in violations:
        table[getattr(assessment, key)][assessment.determination.value] += 1
    return {k: dict(v) for k, v in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))}


def _rank(entry: IncidentEntry) -> tuple[int, int, int, int, str]:
    incident = entry.incident
    high = incident.fatalities_high or incident.fatalities or 0
    day = incident.date.start.toordinal() if incident.date else 0
    return (0 if entry.violations else 1, -incident.independent_sources, -high, -day, incident.id)


def _headline(incidents: list[Incident], violations: list[Assessment]) -> Headline:
    with_deaths = [i for i in incidents if i.fatalities is not None]
    return Headline(
        incidents=len(incidents),
        by_status=dict(Counter(i.status.value for i in incidents).most_common()),
        possible_violations=len({a.incident_id for a in violations}),
        confirmed_violations=len(
            {a.incident_id for a in violations if a.determination is Determination.CONFIRMED}
        ),
        by_determination=dict(Counter(a.determination.value for a in violations).most_common()),
        fatalities_low=sum(i.fatalities or 0 for i in with_deaths),
        fatalities_high=sum(max(i.fatalities or 0, i.fatalities_high or 0) for i in with_deaths),
        incidents_with_fatalities=len(with_deaths),
    )


def gather(
    store: Store,
    profile: Profile,
    taxonomy: Taxonomy,
    query: ReportQuery,
    *,
    key_incidents: int = KEY_INCIDENTS,
) -> SituationReport:
    """The facts of the report ``query`` asks for, as ``query.role`` may see them."""
    query.check()
    repo = IncidentRepository(store)
    role = query.role
    incidents = [i for i in _period_incidents(repo, query) if incident_visible(i, role)]
    if query.area:
        incidents = [i for i in incidents if _matches_area(i, query.area)]
    ids = {i.id for i in incidents}
    violations = [
        a
        for a in repo.list_assessments()
        if a.incident_id in ids
        and assessment_visible(a, role)
        and a.determination is not Determination.NOT_A_VIOLATION
    ]
    if query.party:
        party = query.party
        violations = [a for a in violations if party in (a.party, a.actor, a.side)]
        flagged = {a.incident_id for a in violations}
        incidents = [i for i in incidents if i.id in flagged or _involves(i, party)]
    incidents.sort(key=lambda i: (i.date.start if i.date else date.max, i.id))
    by_incident: dict[str, list[Assessment]] = defaultdict(list)
    for assessment in violations:
        by_incident[assessment.incident_id].append(assessment)
    disputed = [i for i in incidents if i.status is IncidentStatus.DISPUTED]
    ranked = sorted((IncidentEntry(i, tuple(by_incident[i.id]), ()) for i in incidents), key=_rank)[
        :key_incidents
    ]
    wanted = [e.incident for e in ranked] + disputed
    citations = _citations(store, repo, list({i.id: i for i in wanted}.values()))
    key = tuple(
        IncidentEntry(e.incident, e.violations, citations.get(e.incident.id, ())) for e in ranked
    )
    disputed_entries = tuple(
        IncidentEntry(i, tuple(by_incident[i.id]), citations.get(i.id, ())) for i in disputed
    )
    sources = Counter(c.outlet for cs in citations.values() for c in cs)
    return SituationReport(
        query=query,
        generated=datetime.now(UTC).replace(microsecond=0),
        profile_name=profile.spec.name,
        country=profile.spec.country,
        headline=_headline(incidents, violations),
        incidents=tuple(incidents),
        violations=tuple(violations),
        by_party=_tally(violations, "party"),
        by_agreement=_tally(violations, "agreement_id"),
        key=key,
        disputed=disputed_entries,
        commitments=tuple(
            c
            for c in commitment_states(store, profile, taxonomy, query.date_to)
            if _in_force(profile, c.agreement_id, query)
        ),
        sources=dict(sources.most_common()),
        names=_names(profile),
        flagged={key: tuple(values) for key, values in by_incident.items()},
    )
