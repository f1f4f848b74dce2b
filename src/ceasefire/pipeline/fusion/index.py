"""The fusion index: incremental fusion, and full fusion as one big increment.

:class:`FusionIndex` holds the fusable reports seen so far, indexed by block key
(:mod:`~ceasefire.pipeline.fusion.blocking`), the matching graph (an edge for every pair of
candidates that match, :mod:`~ceasefire.pipeline.fusion.match`) and its connected components
(union-find). :meth:`FusionIndex.add` compares each new report only with the reports in its blocks,
merges components along new edges, and re-clusters only the components that received a new report
(:mod:`~ceasefire.pipeline.fusion.cluster`).

Why incremental equals full: whether two reports match depends on those two reports alone, so the
matching graph of all reports is the same however they arrive; adding reports only adds nodes and
edges, so components only merge; and the clusters of a component depend only on its set of members.
:func:`fuse` is an empty index fed everything at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ceasefire.domain.incidents import Incident, Report
from ceasefire.errors import CeasefireError
from ceasefire.pipeline.fusion.blocking import Item, Key, block_keys, is_fusable, prepare
from ceasefire.pipeline.fusion.canonical import build_incident, incident_order
from ceasefire.pipeline.fusion.cluster import clusters
from ceasefire.pipeline.fusion.match import compatible


class FusionError(CeasefireError):
    """Fusion was given inconsistent input (two different reports under one event id)."""

    code = "fusion"


@dataclass(frozen=True, slots=True)
class FusionUpdate:
    """What one :meth:`FusionIndex.add` changed.

    ``changed``: the incidents that are new or whose content changed, sorted by date then id.
    ``removed``: ids of incidents that no longer exist (merged into another, or renamed because a
    member with a smaller event id joined), sorted.
    """

    changed: tuple[Incident, ...]
    removed: tuple[str, ...]


class FusionIndex:
    """Reports indexed for fusion; incidents kept up to date as reports are added."""

    def __init__(self, reports: Iterable[Report] = ()) -> None:
        # Items are numbered in arrival order; the graph and the blocks hold those numbers.
        self._items: list[Item] = []
        self._position: dict[str, int] = {}  # event id -> item number
        self._active: dict[Key, list[int]] = {}  # key -> the items active in it
        self._passive: dict[Key, list[int]] = {}  # key -> the items passive in it
        self._neighbours: dict[int, list[int]] = {}  # the matching graph (items with an edge)
        self._parent: list[int] = []  # union-find over item numbers
        self._members: dict[int, list[int]] = {}  # root -> members, for components of 2 or more
        self._incident_of: dict[str, str] = {}  # event id -> incident id
        self._incidents: dict[str, Incident] = {}
        self.add(reports)

    def __len__(self) -> int:
        """The number of fusable reports held."""
        return len(self._items)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._position

    def incidents(self) -> list[Incident]:
        """Every incident, sorted by date (undated last), then id."""
        return sorted(self._incidents.values(), key=incident_order)

    def incident_of(self, event_id: str) -> Incident | None:
        """The incident an event belongs to (None if the event is unknown or not fusable)."""
        incident_id = self._incident_of.get(event_id)
        return self._incidents[incident_id] if incident_id is not None else None

    def add(self, reports: Iterable[Report]) -> FusionUpdate:
        """Add reports; return the incidents that changed and the ids of those that vanished.

        Reports that are not fusable (planned, conditional, negated, background) are ignored, as
        are exact repeats of a report already held. Two different reports under one event id raise
        :class:`FusionError` before anything changes.
        """
        fresh = self._validate(reports)
        numbers = [self._insert(prepare(report)) for report in fresh]
        roots = {self._find(number) for number in numbers}
        changed: dict[str, Incident] = {}
        vanished: set[str] = set()
        for root in sorted(roots):
            members = self._members.get(root, [root])
            vanished |= {
                self._incident_of[self._items[m].event_id]
                for m in members
                if self._items[m].event_id in self._incident_of
            }
            for group in clusters(members, self._items, self._neighbours):
                incident = build_incident(group)
                for item in group:
                    self._incident_of[item.event_id] = incident.id
                changed[incident.id] = incident
        for incident_id in vanished - changed.keys():
            del self._incidents[incident_id]
        updated = [
            incident
            for incident in changed.values()
            if self._incidents.get(incident.id) != incident
        ]
        for incident in updated:
            self._incidents[incident.id] = incident
        return FusionUpdate(
            changed=tuple(sorted(updated, key=incident_order)),
            removed=tuple(sorted(vanished - changed.keys())),
        )

    def _validate(self, reports: Iterable[Report]) -> list[Report]:
        fresh: dict[str, Report] = {}
        for report in reports:
            if not is_fusable(report.event):
                continue
            known = self._position.get(report.event_id)
            seen = self._items[known].report if known is not None else fresh.get(report.event_id)
            if seen is not None:
                if seen != report:
                    raise FusionError(
                        f"two different reports share the event id {report.event_id!r}: "
                        "event ids must identify one statement (re-extracted events need new ids)"
                    )
                continue
            fresh[report.event_id] = report
        return list(fresh.values())

    def _insert(self, item: Item) -> int:
        number = len(self._items)
        self._items.append(item)
        self._position[item.event_id] = number
        self._parent.append(number)
        active, passive = block_keys(item)
        candidates: set[int] = set()
        actives, passives = self._active, self._passive
        for key in active:
            block = actives.get(key)
            if block is not None:
                candidates.update(block)
            block = passives.get(key)
            if block is not None:
                candidates.update(block)
        for key in passive:
            block = actives.get(key)
            if block is not None:
                candidates.update(block)
        items, neighbours = self._items, self._neighbours
        start, end = item.start, item.end
        near: list[int] = []
        for other in candidates:
            candidate = items[other]
            # the date gate inline: most candidates of a week block fail it
            if candidate.end >= start and candidate.start <= end and compatible(item, candidate):
                near.append(other)
                neighbours.setdefault(other, []).append(number)
        if near:
            neighbours[number] = near
            for other in near:
                self._union(number, other)
        for key in active:
            actives.setdefault(key, []).append(number)
        for key in passive:
            passives.setdefault(key, []).append(number)
        return number

    def _find(self, number: int) -> int:
        parent = self._parent
        root = number
        while parent[root] != root:
            root = parent[root]
        while parent[number] != root:
            parent[number], number = root, parent[number]
        return root

    def _union(self, left: int, right: int) -> None:
        a, b = self._find(left), self._find(right)
        if a == b:
            return
        if len(self._members.get(a, (a,))) < len(self._members.get(b, (b,))):
            a, b = b, a
        self._parent[b] = a
        members = self._members.pop(a, [a])
        members.extend(self._members.pop(b, [b]))
        self._members[a] = members


def fuse(reports: Iterable[Report]) -> list[Incident]:
    """Fuse reports into incidents: pure, deterministic, independent of input order, idempotent.

    Only statements that say something happened (asserted, claimed, denied) are fused; planned,
    conditional, negated and background events are in no incident. Incidents are sorted by date
    (undated last), then id. See the package docstring for the rules.
    """
    return FusionIndex(reports).incidents()
