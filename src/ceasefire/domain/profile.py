"""Conflict profile schemas: actors, places, reference events. Validated on load; no I/O.

A profile is a folder of data files (see ``ceasefire/profiles/libya``): ``profile.yaml``
(identity and sides), ``actors.yaml``, ``places.json`` (the gazetteer),
``reference_events.yaml`` and ``agreements.yaml`` (its schema is in
:mod:`ceasefire.domain.agreements`). These models describe each file;
:func:`ceasefire.adapters.profiles.load_profile` reads and cross-checks them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ceasefire.domain.agreements import AgreementSpec

_ID = r"^[a-z0-9][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ActorKind(StrEnum):
    STATE_FORCE = "state_force"  # a government's army, police, security services
    NON_STATE_ARMED_GROUP = "non_state_armed_group"  # rebels, jihadists, brigades outside a state
    COMMUNAL_MILITIA = "communal_militia"  # tribal, ethnic, town-based militias
    FOREIGN_STATE = "foreign_state"  # a foreign government acting as such
    FOREIGN_MILITARY = (
        "foreign_military"  # a foreign state's forces on the ground, at sea, in the air
    )
    PRIVATE_MILITARY_COMPANY = "private_military_company"
    MERCENARIES = "mercenaries"  # foreign fighters recruited by a party
    GOVERNMENT = "government"  # executives and legislatures: governments, parliaments, councils
    INTERGOVERNMENTAL_BODY = "intergovernmental_body"  # UN, EU, AU, NATO missions and bodies
    MEDIATOR = "mediator"  # joint commissions and mediation formats
    PERSON = "person"  # a named leader or spokesman; events are coded to what they represent
    CIVILIANS = "civilians"
    GENERIC = "generic"  # "gunmen", "unidentified armed group", "protesters", "police"


class Period(_Strict):
    start: date | None = Field(default=None, alias="from")
    until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.until and self.until < self.start:
            raise ValueError(f"'until' {self.until} is before 'from' {self.start}")
        return self

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (
            self.until is None or day <= self.until
        )


class SidePeriod(Period):
    side: str = Field(pattern=_ID)


class Affiliation(Period):
    actor: str = Field(pattern=_ID)
    role: str | None = None  # "commander", "spokesman", "prime minister", "envoy"


class ActorSpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    acled_name: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    sides: tuple[SidePeriod, ...] = ()
    backers: tuple[str, ...] = ()
    parent: str | None = None  # a brigade's parent force
    affiliations: tuple[Affiliation, ...] = ()  # a person's organisations over time
    # the actor to code this one as in events outside the profile's country ("Islamic State"
    # in a story from Syria is the Islamic State group there, not its Libyan branch)
    abroad: str | None = None
    notes: str | None = None

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not alias.strip() for alias in value):
            raise ValueError("aliases must not be empty")
        return value

    def side_on(self, day: date | None) -> str | None:
        """The side this actor is on at ``day`` (the latest period without a date)."""
        for period in self.sides:
            if day is None or period.covers(day):
                return period.side
        return None


class SideSpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str


class PrincipalParties(Period):
    """The two main belligerents in a period, as "the two sides" of a report are coded."""

    actors: tuple[str, str]


class PartyOutlet(_Strict):
    """A media outlet a party owns or runs: what it publishes is that party's claim."""

    name: str = Field(min_length=1)
    domains: tuple[str, ...] = ()
    actor: str = Field(pattern=_ID)
    notes: str | None = None


class ProfileSpec(_Strict):
    """``profile.yaml``."""

    id: str = Field(pattern=_ID)
    name: str
    version: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    country_name: str
    description: str | None = None
    sides: tuple[SideSpec, ...] = ()
    principal_parties: tuple[PrincipalParties, ...] = ()
    party_outlets: tuple[PartyOutlet, ...] = ()


class PlaceKind(StrEnum):
    COUNTRY = "country"
    REGION = "region"  # a named area larger than a district: "Fezzan", "the oil crescent"
    ADMIN1 = "admin1"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    HAMLET = "hamlet"
    DISTRICT = "district"  # a neighbourhood of a city
    AIRPORT = "airport"
    PORT = "port"
    BASE = "base"
    OIL_TERMINAL = "oil_terminal"
    OIL_FIELD = "oil_field"
    ROAD = "road"
    BORDER_CROSSING = "border_crossing"
    SITE = "site"  # any other named site: a prison, a camp, a bridge
    VENUE = "venue"  # a foreign city where talks are held


class PlaceSpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: PlaceKind
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    admin1: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # a district's city
    population: int | None = Field(default=None, ge=0)
    source: str = "compiled"  # osm, geonames or compiled


class Gazetteer(_Strict):
    """``places.json``."""

    license: str
    attribution: str
    places: tuple[PlaceSpec, ...]


class ReferenceEventSpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    aliases: tuple[str, ...] = ()
    start: date = Field(alias="date")
    end: date | None = None
    place: str | None = None  # a place id
    # the party that acted in it, when the event itself is a subject ("the 2011 uprising that
    # toppled Gaddafi" → the rebels' council)
    actor: str | None = None


class ActorsFile(_Strict):
    actors: tuple[ActorSpec, ...]


class ReferenceEventsFile(_Strict):
    events: tuple[ReferenceEventSpec, ...] = ()


def alias_key(text: str) -> str:
    """How names are compared: case-folded, apostrophes and hyphens unified, spaces collapsed."""
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")
    return " ".join(text.split())


class Profile:
    """A validated profile with lookups by id and by name. Built by the profile loader."""

    def __init__(
        self,
        spec: ProfileSpec,
        actors: tuple[ActorSpec, ...],
        places: Gazetteer,
        reference_events: tuple[ReferenceEventSpec, ...],
        agreements: tuple[AgreementSpec, ...] = (),
    ) -> None:
        self.spec = spec
        self.actors = {actor.id: actor for actor in actors}
        self.places = {place.id: place for place in places.places}
        self.gazetteer = places
        self.reference_events = {event.id: event for event in reference_events}
        self.agreements = {agreement.id: agreement for agreement in agreements}
        # outlet names (case-folded) and web domains → the party that runs the outlet
        self.party_outlets: dict[str, str] = {}
        for outlet in spec.party_outlets:
            self.party_outlets[outlet.name.casefold()] = outlet.actor
            for domain in outlet.domains:
                self.party_outlets[domain.casefold().removeprefix("www.")] = outlet.actor
        self.actor_names: dict[str, str] = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                self.actor_names.setdefault(alias_key(name), actor.id)
        self.place_names: dict[str, list[str]] = {}
        for place in places.places:
            for name in (place.name, *place.aliases):
                ids = self.place_names.setdefault(alias_key(name), [])
                if place.id not in ids:
                    ids.append(place.id)

    @property
    def id(self) -> str:
        return self.spec.id

    def represented(self, actor_id: str, day: date | None) -> ActorSpec:
        """What an actor stands for on ``day``: a person's organisation (or a body's, such as a
        presidential council's government), else the actor itself."""
        actor = self.actors[actor_id]
        if actor.kind is not ActorKind.PERSON and not actor.affiliations:
            return actor
        if day is not None:
            for affiliation in actor.affiliations:
                if affiliation.covers(day):
                    return self.actors.get(affiliation.actor, actor)
        if actor.affiliations:  # undated, or outside every period: the most recent one
            return self.actors.get(actor.affiliations[-1].actor, actor)
        return actor

    def principal_parties(self, day: date | None) -> tuple[str, str] | None:
        """The two sides a report means by "the warring parties" on ``day`` (latest if undated)."""
        periods = self.spec.principal_parties
        if day is not None:
            return next((p.actors for p in periods if p.covers(day)), None)
        return periods[-1].actors if periods else None

    def side_of(self, actor_id: str, day: date | None) -> str | None:
        """The side of an actor (or of its parent force) on ``day``."""
        seen: set[str] = set()
        current: str | None = actor_id
        while current and current not in seen:
            seen.add(current)
            actor = self.actors.get(current)
            if actor is None:
                return None
            side = actor.side_on(day)
            if side:
                return side
            current = actor.parent
        return None
