"""Assessment: which terms of which agreements an incident may violate, by whom, how sure.

A data-driven rules engine (the rules are the profile's ``agreements.yaml``); pure, no I/O, no
clock. For each incident and each prohibition of each agreement:

1. **Statements.** Only what a reporter asserts or a party claims can be a violation. Fusion
   builds incidents from asserted, claimed and denied statements only (planned, conditional,
   negated and background events never reach an incident); the engine checks it again where it
   can: an incident whose claims are all denials is not assessed, and when the caller passes the
   modality of each event (``modalities``), an incident with no asserted or claimed event is not
   assessed. Incidents a human rejected are not assessed; undated incidents are not assessed
   (nothing may invent a date).
2. **Type.** The incident's event type and sub type (output names: ACLED's, or ours) are mapped
   back to taxonomy ids and matched against the term's ``events`` (``type`` or ``type/sub``).
3. **Time.** The term is in force from its first day to its last (inclusive). The incident's date
   is an interval (a day, a week, a month, by its precision). Entirely before the first day or
   after the last: not assessed. Entirely inside and *after* the first day: determinate. Anything
   else is ``indeterminate``: an interval that straddles the first or the last day, and any
   interval that touches the first day, even a day-precision event on that very day. Agreements
   take effect at an hour (00:00 local for the Moscow/Ankara truce, 11:15 in Geneva on signature
   for the Geneva agreement) while reports give days, in the reporter's time zone, "overnight"
   fighting straddles midnight, and orders reach units in the hours after the start: the first
   day cannot be decided from a day-precision report. A month-precision event in the month a
   truce starts is indeterminate for the same reason.
4. **Place.** The term's area (countries, admin1 names, place ids with their sub-places). An
   incident with no location, or too vague a location for an area narrower than a country, is
   ``indeterminate``.
5. **Party.** actor1 (resolved to what it represents on the incident date: a person to their
   organisation) is bound when the term binds everyone, when actor1 or one of its parents is a
   bound party, when its side on that date is a bound side, or when the term binds the parties'
   camps and actor1 is on the same side as a party that day. The violation is attributed to that
   party (for "all": actor1's top-level actor, e.g. Turkish forces to Turkey). actor1 unknown, or
   known but with no side on that date (gunmen, a force that fought for both camps), is counted
   as ``"unattributed"`` for terms that bind everyone, sides or camps; terms that bind named
   parties only (foreign states' pledges) need a named party. A known actor on a side that is not
   bound (a jihadist group in a truce between two camps) is outside the term.
6. **Exemptions** (e.g. the Geneva ceasefire does not cover operations against UN-designated
   terrorist groups) remove the incident from the term.
7. **Determination.** ``indeterminate`` from steps 3-4, else ``corroborated`` for corroborated
   (and human-verified) incidents, else ``alleged`` (reported or disputed incidents).
   ``confirmed`` and ``not_a_violation`` are set by a human only, never here.

Output is sorted by (incident id, agreement id, term id): deterministic whatever the input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ceasefire.domain.agreements import (
    AgreementSpec,
    Area,
    Assessment,
    Binding,
    Determination,
    Exemption,
    Prohibition,
)
from ceasefire.domain.events import ActorRef, EventDate, Location, Modality
from ceasefire.domain.incidents import Incident, IncidentStatus, Stance
from ceasefire.domain.profile import Profile, alias_key
from ceasefire.domain.taxonomy import Taxonomy

ASSESSOR = "assess-1"
UNATTRIBUTED = "unattributed"
_VIOLATING = frozenset({Modality.ASSERTED, Modality.CLAIMED})
_PRECISION = {1: "day", 2: "week", 3: "month"}


@dataclass(frozen=True, slots=True)
class TypeIndex:
    """Output names (ACLED's or ours) and ids of the taxonomy, mapped back to ids."""

    types: Mapping[str, str] = field(default_factory=dict)
    subs: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def build(cls, taxonomy: Taxonomy) -> TypeIndex:
        types: dict[str, str] = {}
        subs: dict[tuple[str, str], str] = {}
        for _family, event_type, sub in taxonomy.all_sub_types():
            for name in (event_type.id, event_type.name, event_type.acled):
                if name:
                    types.setdefault(alias_key(name), event_type.id)
            for name in (sub.id, sub.name, sub.acled):
                if name:
                    subs.setdefault((event_type.id, alias_key(name)), sub.id)
        return cls(types, subs)

    def resolve(self, event_type: str, sub_event_type: str) -> tuple[str | None, str | None]:
        type_id = self.types.get(alias_key(event_type))
        if type_id is None:
            return None, None
        return type_id, self.subs.get((type_id, alias_key(sub_event_type)))

    def matches(self, refs: Iterable[str], event_type: str, sub_event_type: str) -> bool:
        """Whether the incident's type is one of ``refs`` (``type`` or ``type/sub`` ids)."""
        type_id, sub_id = self.resolve(event_type, sub_event_type)
        if type_id is None:
            return False
        return any(ref == type_id or ref == f"{type_id}/{sub_id}" for ref in refs)


class Timing(StrEnum):
    BEFORE = "before"
    IN_FORCE = "in_force"
    UNCERTAIN = "uncertain"
    AFTER = "after"


def timing(when: EventDate, start: date, until: date | None) -> Timing:
    """Where a dated interval lies against a period in force from ``start`` to ``until``
    (inclusive); touching the first day is uncertain (see the module's rule 3)."""
    if when.end < start:
        return Timing.BEFORE
    if until is not None and when.start > until:
        return Timing.AFTER
    if when.start > start and (until is None or when.end <= until):
        return Timing.IN_FORCE
    return Timing.UNCERTAIN


def in_area(location: Location | None, area: Area, profile: Profile | None = None) -> bool | None:
    """Whether a location is in the area; ``None`` when the location cannot tell."""
    if not (area.countries or area.admin1 or area.places):
        return True
    if location is None:
        return None
    if area.countries and location.country not in area.countries:
        return False
    if not (area.admin1 or area.places):
        return True
    admin1 = location.admin1
    if admin1 is None and profile and location.place_id in profile.places:
        admin1 = profile.places[location.place_id].admin1
    if admin1 and alias_key(admin1) in {alias_key(name) for name in area.admin1}:
        return True
    place = location.place_id
    seen: set[str] = set()
    while place and place not in seen:
        if place in area.places:
            return True
        seen.add(place)
        spec = profile.places.get(place) if profile else None
        place = spec.parent if spec else None
    if admin1 is None and location.place_id is None:
        return None
    return False


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who answers for an act under a term, and why."""

    party: str
    actor: str | None
    side: str | None
    reason: str


def _chain(actor_id: str, profile: Profile) -> list[str]:
    chain: list[str] = []
    current: str | None = actor_id
    while current and current not in chain and current in profile.actors:
        chain.append(current)
        current = profile.actors[current].parent
    return chain


def resolve_actor(
    ref: ActorRef | None, day: date, profile: Profile
) -> tuple[str | None, str | None]:
    """An actor reference as the profile knows it on ``day``: (represented id, side)."""
    if ref is None or ref.id is None or ref.id not in profile.actors:
        return None, ref.side if ref else None
    actor = profile.represented(ref.id, day).id
    return actor, profile.side_of(actor, day) or ref.side


def attribute(
    ref: ActorRef | None, day: date, binding: Binding, profile: Profile
) -> Attribution | None:
    """Who answers for actor1's act under ``binding`` (module rule 5); ``None``: not bound."""
    actor, side = resolve_actor(ref, day, profile)
    name = f"{ref.name} ({ref.id or 'not in the profile'})" if ref else "no actor"
    if actor is None:
        if binding.all or binding.sides or binding.camps:
            return Attribution(UNATTRIBUTED, None, side, f"actor1 is unknown ({name})")
        return None
    chain = _chain(actor, profile)
    if binding.all:
        top = chain[-1] if chain else actor
        how = f"the term binds every actor; actor1 {name}" + (
            f" answers through {top}" if top != actor else " answers for itself"
        )
        return Attribution(top, actor, side, how)
    party = next((p for p in binding.parties if p in chain), None)
    if party:
        how = (
            f"actor1 {name} is party {party}"
            if party == actor
            else f"actor1 {name} is part of {party}"
        )
        return Attribution(party, actor, side, how)
    if side is None:
        if binding.sides or binding.camps:
            how = f"actor1 {name} has no known side on {day}"
            return Attribution(UNATTRIBUTED, actor, None, how)
        return None
    camp = next((p for p in binding.parties if profile.side_of(p, day) == side), None)
    if side in binding.sides:
        how = f"actor1 {name} is on bound side {side}"
        return Attribution(camp or side, actor, side, how)
    if binding.camps and camp:
        how = f"actor1 {name} is on side {side} on {day}, the camp of party {camp}"
        return Attribution(camp, actor, side, how)
    return None


def exempted(
    exemption: Exemption, incident: Incident, index: TypeIndex, day: date, profile: Profile
) -> bool:
    """Whether every criterion the exemption gives matches the incident."""
    if exemption.events and not index.matches(
        exemption.events, incident.event_type, incident.sub_event_type
    ):
        return False
    for ref, ids, sides in (
        (incident.actor1, exemption.actor1, exemption.actor1_sides),
        (incident.actor2, exemption.actor2, exemption.actor2_sides),
    ):
        actor, side = resolve_actor(ref, day, profile)
        if ids and not (actor and set(_chain(actor, profile)) & set(ids)):
            return False
        if sides and side not in sides:
            return False
    return True


def assessable(incident: Incident, modalities: Mapping[str, Modality] | None = None) -> bool:
    """Module rule 1: an asserted or claimed happening, dated, not rejected by a human."""
    if incident.date is None or incident.status is IncidentStatus.REJECTED:
        return False
    if incident.claims and all(claim.stance is Stance.DENIES for claim in incident.claims):
        return False
    if modalities is not None:
        known = [modalities[e] for e in incident.event_ids if e in modalities]
        if known and not any(modality in _VIOLATING for modality in known):
            return False
    return True


def describe_date(when: EventDate) -> str:
    precision = _PRECISION.get(when.time_precision, f"precision {when.time_precision}")
    span = str(when.start) if when.start == when.end else f"{when.start}..{when.end}"
    return f"{span} ({precision} precision)"


class Assessor:
    """The rules of a profile's agreements, built once, applied to incidents."""

    def __init__(
        self, agreements: Iterable[AgreementSpec], profile: Profile, taxonomy: Taxonomy
    ) -> None:
        self.agreements = tuple(sorted(agreements, key=lambda agreement: agreement.id))
        self.profile = profile
        self.index = TypeIndex.build(taxonomy)

    def assess(
        self, incident: Incident, modalities: Mapping[str, Modality] | None = None
    ) -> list[Assessment]:
        if not assessable(incident, modalities) or incident.date is None:
            return []
        results = []
        for agreement in self.agreements:
            for term in sorted(agreement.prohibitions, key=lambda term: term.id):
                assessment = self._term(incident, incident.date, agreement, term)
                if assessment:
                    results.append(assessment)
        return results

    def assess_all(
        self, incidents: Iterable[Incident], modalities: Mapping[str, Modality] | None = None
    ) -> list[Assessment]:
        results = [a for incident in incidents for a in self.assess(incident, modalities)]
        return sorted(results, key=lambda a: (a.incident_id, a.agreement_id, a.term_id))

    def _term(
        self, incident: Incident, when: EventDate, agreement: AgreementSpec, term: Prohibition
    ) -> Assessment | None:
        if not self.index.matches(term.events, incident.event_type, incident.sub_event_type):
            return None
        start, until = agreement.period(term)
        place = timing(when, start, until)
        if place in (Timing.BEFORE, Timing.AFTER):
            return None
        day = when.start
        attribution = attribute(incident.actor1, day, agreement.binding(term), self.profile)
        if attribution is None:
            return None
        if any(exempted(e, incident, self.index, day, self.profile) for e in term.exemptions):
            return None
        where = in_area(incident.location, term.area or agreement.area, self.profile)
        if where is False:
            return None
        doubts = []
        if place is Timing.UNCERTAIN:
            doubts.append(self._time_doubt(when, agreement, start, until))
        if where is None:
            doubts.append("the location is unknown or too vague to place it in the term's area")
        if doubts:
            determination = Determination.INDETERMINATE
        elif incident.status in (IncidentStatus.CORROBORATED, IncidentStatus.VERIFIED):
            determination = Determination.CORROBORATED
        else:
            determination = Determination.ALLEGED
        rationale = self._rationale(incident, when, agreement, term, attribution, doubts)
        return Assessment(
            incident_id=incident.id,
            agreement_id=agreement.id,
            term_id=term.id,
            party=attribution.party,
            actor=attribution.actor,
            side=attribution.side,
            determination=determination,
            rationale=rationale,
            assessor=ASSESSOR,
        )

    @staticmethod
    def _time_doubt(
        when: EventDate, agreement: AgreementSpec, start: date, until: date | None
    ) -> str:
        hour = (
            f" ({agreement.effective_time})"
            if agreement.effective_time and start == agreement.start
            else ""
        )
        if when.start <= start <= when.end:
            return (
                f"the date {describe_date(when)} includes {start}, the day the term took "
                f"effect{hour}, and the report cannot tell whether it happened before it"
            )
        return (
            f"the date {describe_date(when)} runs past {until}, the term's last day, so it may "
            "have happened after the term ended"
        )

    def _rationale(
        self,
        incident: Incident,
        when: EventDate,
        agreement: AgreementSpec,
        term: Prohibition,
        attribution: Attribution,
        doubts: list[str],
    ) -> str:
        start, until = agreement.period(term)
        period = f"in force from {start}" + (f" to {until}" if until else "")
        place = incident.location
        where = f" at {place.name} ({place.admin1 or '?'}, {place.country})" if place else ""
        what = f"{incident.event_type} / {incident.sub_event_type}{where} on {describe_date(when)}"
        sources = f"{incident.independent_sources} independent source(s)"
        parts = [
            f"Possible violation of {agreement.name}, term {term.id} ({term.text.strip()})",
            f"{what}; the term is {period}",
            f"{attribution.reason}: attributed to {attribution.party}",
            f"incident {incident.status.value} with {sources}",
        ]
        if doubts:
            parts.append("indeterminate because " + " and ".join(doubts))
        return "; ".join(parts) + "."


def assess(
    incident: Incident,
    agreements: Iterable[AgreementSpec],
    profile: Profile,
    taxonomy: Taxonomy,
    *,
    modalities: Mapping[str, Modality] | None = None,
) -> list[Assessment]:
    """The possible violations of one incident (build an :class:`Assessor` once for many)."""
    return Assessor(agreements, profile, taxonomy).assess(incident, modalities)


def assess_all(
    incidents: Iterable[Incident],
    agreements: Iterable[AgreementSpec],
    profile: Profile,
    taxonomy: Taxonomy,
    *,
    modalities: Mapping[str, Modality] | None = None,
) -> list[Assessment]:
    """The possible violations of many incidents, sorted by incident, agreement and term."""
    return Assessor(agreements, profile, taxonomy).assess_all(incidents, modalities)
