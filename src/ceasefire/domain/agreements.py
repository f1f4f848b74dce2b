"""Agreements and what is made of them: the schema of a profile's ``agreements.yaml`` and the
value objects of assessment (:class:`Assessment`) and commitment tracking (:class:`Commitment`).

An agreement (a truce, a ceasefire, an embargo, a political agreement, conference conclusions, a
joint commission's implementing decisions) is data: parties, dates and **terms**.

- A **prohibition** names event types (taxonomy ids, ``type`` or ``type/sub_type``), the actors it
  binds (:class:`Binding`: named parties, whole sides, the parties' camps, or everyone) and an area
  (:class:`Area`), with optional dated limits and :class:`Exemption` s. An incident of those types,
  by a bound actor, in the area, while the term is in force, is a *possible violation*.
- An **obligation** names what is owed, by whom, by when (a date, or an ISO 8601 duration such as
  ``P3M`` counted from the day the agreement takes effect), and the event types whose incidents are
  evidence that MEETS it or BREACHES it.

No I/O here: :func:`ceasefire.adapters.profiles.load_profile` reads the file, and
:func:`agreement_problems` lists the references (actors, sides, places, event types, reference
events) that do not resolve in the profile.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ceasefire.errors import CeasefireError

_ID = r"^[a-z0-9][a-z0-9_]*$"
_EVENT = r"^[a-z0-9][a-z0-9_]*(/[a-z0-9][a-z0-9_]*)?$"
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")

Id = Annotated[str, StringConstraints(pattern=_ID)]
#: an event type of the taxonomy, by id: ``battles`` or ``deployment/foreign_forces_arrival``
EventRef = Annotated[str, StringConstraints(pattern=_EVENT)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AgreementError(CeasefireError):
    """A request about agreements that cannot be met (e.g. an override of an unknown term)."""

    code = "agreement"


def add_duration(start: date, duration: str) -> date:
    """``start`` plus an ISO 8601 date duration (``P3M``, ``P30D``, ``P1Y2M``, ``P2W``).

    Months and years are calendar months: 23 Oct 2020 + P3M = 23 Jan 2021; a day that does not
    exist in the target month is clamped to its last day (31 Jan + P1M = 28 or 29 Feb).
    """
    match = _DURATION.match(duration)
    if not match or duration == "P":
        raise ValueError(f"{duration!r} is not an ISO 8601 date duration such as P3M or P30D")
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(weeks=weeks, days=days)


class AgreementKind(StrEnum):
    TRUCE = "truce"
    CEASEFIRE = "ceasefire"
    EMBARGO = "embargo"
    POLITICAL_AGREEMENT = "political_agreement"
    CONFERENCE_CONCLUSIONS = "conference_conclusions"
    IMPLEMENTING_DECISION = "implementing_decision"  # a joint commission's follow-up measures


class Area(_Strict):
    """Where a term applies. Empty lists mean "anywhere"; ``admin1`` and ``places`` narrow the
    countries (a place matches itself and every place under it, e.g. a city's districts)."""

    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    places: tuple[Id, ...] = ()

    @field_validator("countries")
    @classmethod
    def _iso(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [code for code in value if not re.fullmatch(r"[A-Z]{2}", code)]
        if bad:
            raise ValueError(f"countries are ISO 3166-1 alpha-2 codes, not {bad}")
        return value


class Binding(_Strict):
    """Whom a term binds.

    ``all``: every state and actor (an embargo). ``parties``: actor ids, which bind the party,
    its units (actors whose ``parent`` chain reaches it) and what it represents (persons).
    ``sides``: every actor on those sides on the incident date. ``camps``: each party answers for
    its camp, i.e. every actor on the same side as a party on the incident date (a truce between
    two camps binds their allied brigades and foreign fighters too).
    """

    all: bool = False
    parties: tuple[Id, ...] = ()
    sides: tuple[Id, ...] = ()
    camps: bool = False

    @model_validator(mode="after")
    def _someone(self) -> Binding:
        if not (self.all or self.parties or self.sides):
            raise ValueError("a binding needs 'all: true', 'parties' or 'sides'")
        if self.camps and not self.parties:
            raise ValueError("'camps: true' needs 'parties' whose camps are bound")
        return self


class Exemption(_Strict):
    """Incidents a prohibition does not cover. Every criterion given must match; ``actor*``
    match through the actor's parents, ``actor*_sides`` through its side on the incident date."""

    note: str = Field(min_length=1)
    events: tuple[EventRef, ...] = ()
    actor1: tuple[Id, ...] = ()
    actor1_sides: tuple[Id, ...] = ()
    actor2: tuple[Id, ...] = ()
    actor2_sides: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _criterion(self) -> Exemption:
        criteria = (self.events, self.actor1, self.actor1_sides, self.actor2, self.actor2_sides)
        if not any(criteria):
            raise ValueError("an exemption needs at least one criterion")
        return self


class _Term(_Strict):
    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    notes: str | None = None


class Prohibition(_Term):
    """Something the bound actors must not do, in an area, while the term is in force."""

    events: tuple[EventRef, ...] = Field(min_length=1)
    bound: Binding | None = None  # default: the agreement's parties (or everyone for "all")
    area: Area | None = None  # default: the agreement's area
    start: date | None = Field(default=None, alias="from")  # default: the agreement's
    until: date | None = None
    exemptions: tuple[Exemption, ...] = ()


class Obligation(_Term):
    """Something owed: by whom, by when, and what evidence meets or breaches it."""

    who: tuple[Id, ...] = ()  # actor ids; default: the agreement's parties
    deadline: date | str | None = None  # a date, or a duration ("P3M") from the agreement's start
    met_by: tuple[EventRef, ...] = ()
    breached_by: tuple[EventRef, ...] = ()
    area: Area | None = None  # where evidence counts; default: the agreement's area

    @field_validator("deadline")
    @classmethod
    def _deadline(cls, value: date | str | None) -> date | str | None:
        if not isinstance(value, str):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            add_duration(date(2000, 1, 1), value)  # raises on a malformed duration
            return value


class DatedNote(_Strict):
    on: date = Field(alias="date")
    note: str = Field(min_length=1)


class AgreementSpec(_Strict):
    """One agreement. ``from`` is the first day it is in force, ``until`` the last (inclusive)."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: AgreementKind
    parties: Literal["all"] | tuple[Id, ...]
    brokers: tuple[Id, ...] = ()  # mediators, guarantors, the body that imposed it
    signed: date | None = None
    start: date = Field(alias="from")
    effective_time: str | None = None  # when on the first day, as documented ("00:00 local")
    until: date | None = None
    area: Area = Area()
    reference_event: str | None = None  # the profile's reference event for it
    prohibitions: tuple[Prohibition, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    history: tuple[DatedNote, ...] = ()  # extensions, renewals, endorsements
    sources: tuple[str, ...] = Field(min_length=1)
    notes: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> AgreementSpec:
        problems = []
        if self.until and self.until < self.start:
            problems.append(f"'until' {self.until} is before 'from' {self.start}")
        for term in self.prohibitions:
            start, until = term.start or self.start, term.until or self.until
            if start < self.start or (self.until and until and until > self.until):
                problems.append(f"term {term.id}: its period lies outside the agreement's")
            if until and until < start:
                problems.append(f"term {term.id}: 'until' {until} is before 'from' {start}")
        for obligation in self.obligations:
            due = self.due(obligation)
            if due and due < self.start:
                problems.append(
                    f"term {obligation.id}: deadline {due} is before 'from' {self.start}"
                )
        ids = [term.id for term in self.terms()]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            problems.append(f"term ids appear twice: {', '.join(duplicated)}")
        if problems:
            raise ValueError(f"agreement {self.id}: " + "; ".join(problems))
        return self

    @property
    def binds_all(self) -> bool:
        return self.parties == "all"

    @property
    def party_ids(self) -> tuple[str, ...]:
        return () if isinstance(self.parties, str) else self.parties

    def terms(self) -> tuple[Prohibition | Obligation, ...]:
        return (*self.prohibitions, *self.obligations)

    def binding(self, term: Prohibition) -> Binding:
        return term.bound or Binding(all=self.binds_all, parties=self.party_ids)

    def period(self, term: Prohibition) -> tuple[date, date | None]:
        """The first and last day (inclusive, ``None`` = open) the prohibition is in force."""
        return term.start or self.start, term.until or self.until

    def due(self, obligation: Obligation) -> date | None:
        """The obligation's deadline as a date (a duration counts from the agreement's start)."""
        if isinstance(obligation.deadline, str):
            return add_duration(self.start, obligation.deadline)
        return obligation.deadline


class AgreementsFile(_Strict):
    """``agreements.yaml``. Term ids are unique across the file (overrides refer to them)."""

    agreements: tuple[AgreementSpec, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> AgreementsFile:
        seen: dict[str, str] = {}
        problems = []
        for agreement in self.agreements:
            if agreement.id in seen:
                problems.append(f"agreement id {agreement.id!r} appears twice")
            seen[agreement.id] = agreement.id
        terms: dict[str, str] = {}
        for agreement in self.agreements:
            for term in agreement.terms():
                if term.id in terms and terms[term.id] != agreement.id:
                    problems.append(
                        f"term id {term.id!r} is used by {terms[term.id]} and {agreement.id}"
                    )
                terms.setdefault(term.id, agreement.id)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def agreement_problems(
    agreements: Iterable[AgreementSpec],
    *,
    actors: Collection[str],
    sides: Collection[str],
    places: Collection[str],
    event_types: Collection[str],
    reference_events: Collection[str],
) -> list[str]:
    """References that do not resolve: ``event_types`` holds ``type`` and ``type/sub`` ids."""
    problems: list[str] = []

    def check(where: str, kind: str, refs: Iterable[str], known: Collection[str]) -> None:
        problems.extend(f"{where}: unknown {kind} {ref!r}" for ref in refs if ref not in known)

    for agreement in agreements:
        where = f"agreement {agreement.id}"
        check(where, "actor", (*agreement.party_ids, *agreement.brokers), actors)
        if agreement.reference_event:
            check(where, "reference event", (agreement.reference_event,), reference_events)
        check(where, "place", agreement.area.places, places)
        for term in agreement.prohibitions:
            at = f"{where}, term {term.id}"
            check(at, "event type", term.events, event_types)
            if term.bound:
                check(at, "actor", term.bound.parties, actors)
                check(at, "side", term.bound.sides, sides)
            if term.area:
                check(at, "place", term.area.places, places)
            for exemption in term.exemptions:
                check(at, "event type", exemption.events, event_types)
                check(at, "actor", (*exemption.actor1, *exemption.actor2), actors)
                check(at, "side", (*exemption.actor1_sides, *exemption.actor2_sides), sides)
        for obligation in agreement.obligations:
            at = f"{where}, term {obligation.id}"
            check(at, "actor", obligation.who, actors)
            check(at, "event type", (*obligation.met_by, *obligation.breached_by), event_types)
            if obligation.area:
                check(at, "place", obligation.area.places, places)
    return problems


class Determination(StrEnum):
    """How sure a possible violation is. The engine sets only the first three."""

    ALLEGED = "alleged"  # one independent source, or disputed
    CORROBORATED = "corroborated"  # two or more independent sources
    INDETERMINATE = "indeterminate"  # the data cannot tell whether the term applied
    CONFIRMED = "confirmed"  # a human determined it is a violation
    NOT_A_VIOLATION = "not_a_violation"  # a human determined it is not


@dataclass(frozen=True, slots=True)
class Assessment:
    """An incident × a prohibition: a possible violation, by which party, how sure, and why.

    ``party`` is the bound party the act is attributed to (an actor id, a side id for terms that
    bind sides, or ``"unattributed"``); ``actor`` and ``side`` are the incident's actor1 as
    resolved in the profile on the incident date.
    """

    incident_id: str
    agreement_id: str
    term_id: str
    party: str
    actor: str | None
    side: str | None
    determination: Determination
    rationale: str
    assessor: str  # the engine's versioned name


class CommitmentStatus(StrEnum):
    PENDING = "pending"  # before the deadline (or no deadline), not met yet
    MET = "met"  # evidence meets it by the deadline, nothing breaches it
    PARTLY_MET = "partly_met"  # met late, or meeting and breaching evidence both
    OVERDUE = "overdue"  # the deadline passed unmet, or breached after it
    UNKNOWN = "unknown"  # no evidence the incident stream could show


@dataclass(frozen=True, slots=True)
class CommitmentOverride:
    """An analyst's status for an obligation; it wins over the computed one."""

    status: CommitmentStatus
    reason: str
    by: str | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class Commitment:
    """An obligation's state as of a day, with the evidence incidents and the reasoning."""

    agreement_id: str
    term_id: str
    text: str
    parties: tuple[str, ...]
    due: date | None
    as_of: date
    status: CommitmentStatus  # the override's when there is one, else the computed one
    computed: CommitmentStatus
    meeting: tuple[str, ...]  # incident ids of evidence that meets it
    breaching: tuple[str, ...]  # incident ids of evidence that breaches it
    rationale: str
    override: CommitmentOverride | None = None

    @property
    def overridden(self) -> bool:
        return self.override is not None
