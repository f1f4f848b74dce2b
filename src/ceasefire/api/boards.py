"""What the dashboard pages compute beyond a query: lenient filters from a page's query string,
the violation board's grouping, the review queue's order and an article's evidence marks."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from ceasefire.api.highlight import Mark
from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.events import Event
from ceasefire.domain.incidents import Incident
from ceasefire.storage.search import IncidentQueries, IncidentSearch

PAGE_SIZE = 50
FILTER_KEYS = ("from", "to", "type", "actor", "side", "status", "q")
#: the review queue's order of need: disputed first, then single-source, then corroborated


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _text(value: str | None, limit: int = 200) -> str | None:
    cleaned = (value or "").strip()[:limit]
    return cleaned or None


@dataclass(frozen=True, slots=True)
class PageFilters:
    """The dashboard's filters as typed by a person: bad dates are ignored, not refused."""

    values: dict[str, str]
    search: IncidentSearch

    @property
    def query(self) -> str:
        """The filters as a query string (without paging), for links and the map's data URL."""
        return urlencode({k: v for k, v in self.values.items() if v})

    def page_link(self, offset: int) -> str:
        params = {k: v for k, v in self.values.items() if v}
        if offset:
            params["offset"] = str(offset)
        return "/?" + urlencode(params) if params else "/"


def page_filters(params: Mapping[str, str]) -> PageFilters:
    """Filters from a dashboard URL (``from``, ``to``, ``type``, ``actor``, ``side``,
    ``status``, ``q``, ``offset``)."""
    date_from, date_to = _day(params.get("from")), _day(params.get("to"))
    values = {
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
        **{key: _text(params.get(key)) or "" for key in ("type", "actor", "side", "status", "q")},
    }
    try:
        offset = max(0, int(params.get("offset", "0")))
    except ValueError:
        offset = 0
    search = IncidentSearch(
        date_from=date_from,
        date_to=date_to,
        event_type=values["type"] or None,
        actor=values["actor"] or None,
        status=values["status"] or None,
        limit=PAGE_SIZE,
        offset=offset,
        side=values["side"] or None,
        text=values["q"] or None,
    )
    return PageFilters(values, search)


@dataclass
class PartyBoard:
    """One party's possible violations of one agreement."""

    party: str
    counts: Counter[str] = field(default_factory=Counter)
    rows: list[tuple[Assessment, Incident | None]] = field(default_factory=list)


@dataclass
class AgreementBoard:
    agreement_id: str
    name: str
    parties: dict[str, PartyBoard] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(p.rows) for p in self.parties.values())


def violation_board(
    assessments: Iterable[Assessment],
    incidents: IncidentQueries,
    names: Mapping[str, str],
    rows_per_party: int = 200,
) -> list[AgreementBoard]:
    """Assessments grouped by agreement then party, with counts by determination and the
    incidents behind the first ``rows_per_party`` of each party (newest first)."""
    boards: dict[str, AgreementBoard] = {}
    cache: dict[str, Incident | None] = {}
    for assessment in assessments:
        board = boards.setdefault(
            assessment.agreement_id,
            AgreementBoard(assessment.agreement_id, names.get(assessment.agreement_id, "")),
        )
        party = board.parties.setdefault(assessment.party, PartyBoard(assessment.party))
        party.counts[assessment.determination.value] += 1
        if len(party.rows) < rows_per_party:
            if assessment.incident_id not in cache:
                cache[assessment.incident_id] = incidents.get(assessment.incident_id)
            party.rows.append((assessment, cache[assessment.incident_id]))
    for board in boards.values():
        for party in board.parties.values():
            party.rows.sort(key=lambda row: _newest(row[1]))
        board.parties = dict(sorted(board.parties.items()))
    return sorted(boards.values(), key=lambda b: b.agreement_id)


def _newest(incident: Incident | None) -> tuple[int, str]:
    if incident is None or incident.date is None:
        return (0, "")
    return (-incident.date.start.toordinal(), incident.id)


DETERMINATIONS = tuple(d.value for d in Determination)


def evidence_marks(
    events: Iterable[tuple[str, Event]], wanted: set[str] | None = None
) -> list[Mark]:
    """Marks for the evidence sentences of ``events`` (only the ``wanted`` event ids when
    given), labelled with the event's type and modality."""
    by_span: dict[tuple[int, int], list[str]] = defaultdict(list)
    for event_id, event in events:
        if wanted is not None and event_id not in wanted:
            continue
        label = f"{event.sub_event_type} ({event.modality.value})"
        by_span[(event.evidence.start, event.evidence.end)].append(label)
    return [Mark(start, end, "; ".join(labels)) for (start, end), labels in by_span.items()]
