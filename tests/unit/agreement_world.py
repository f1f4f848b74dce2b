"""A small hand-made world for the assessment and commitment tests: a taxonomy, a profile and
agreements built in memory (no files), and a maker of incidents."""

from __future__ import annotations

from datetime import date
from typing import Any

from ceasefire.domain.agreements import AgreementsFile, AgreementSpec
from ceasefire.domain.events import ActorRef, EventDate, Location
from ceasefire.domain.incidents import Claim, Incident, IncidentStatus
from ceasefire.domain.profile import (
    ActorsFile,
    Gazetteer,
    Profile,
    ProfileSpec,
)
from ceasefire.domain.taxonomy import Taxonomy


def _sub(id_: str, name: str, acled: bool = False) -> dict[str, Any]:
    return {"id": id_, "name": name, "acled": name if acled else None, "plover": "X"}


def _type(id_: str, name: str, subs: list[dict[str, Any]], acled: bool = False) -> dict[str, Any]:
    return {
        "id": id_,
        "name": name,
        "acled": name if acled else None,
        "plover": "X",
        "sub_types": subs,
    }


TAXONOMY = Taxonomy.model_validate(
    {
        "version": 1,
        "families": [
            {
                "id": "violence",
                "name": "Political violence",
                "types": [
                    _type("battles", "Battles", [_sub("armed_clash", "Armed clash", True)], True),
                    _type(
                        "explosions",
                        "Explosions/Remote violence",
                        [
                            _sub("shelling", "Shelling/artillery/missile attack", True),
                            _sub("air_drone_strike", "Air/drone strike", True),
                        ],
                        True,
                    ),
                    _type(
                        "violence_against_civilians",
                        "Violence against civilians",
                        [_sub("attack", "Attack", True), _sub("abduction", "Abduction", True)],
                        True,
                    ),
                ],
            },
            {
                "id": "process",
                "name": "Ceasefire process",
                "types": [
                    _type(
                        "deployment",
                        "deployment",
                        [
                            _sub("foreign_forces_arrival", "foreign forces arrival"),
                            _sub("reinforcement", "reinforcement"),
                        ],
                    ),
                    _type(
                        "withdrawal",
                        "withdrawal",
                        [
                            _sub("foreign_fighters_departed", "foreign fighters departed"),
                            _sub("forces_withdrawn", "forces withdrawn"),
                        ],
                    ),
                    _type(
                        "confidence_building",
                        "confidence_building",
                        [_sub("prisoner_exchange", "prisoner exchange")],
                    ),
                    _type(
                        "arms_transfer",
                        "arms_transfer",
                        [_sub("shipment_by_sea", "shipment by sea")],
                    ),
                ],
            },
        ],
    }
)


def _actor(id_: str, kind: str, **more: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "name": more.pop("name", id_.replace("_", " ").title()),
        "kind": kind,
        **more,
    }


ACTORS = ActorsFile.model_validate(
    {
        "actors": [
            _actor(
                "lna",
                "state_force",
                name="Libyan National Army",
                sides=[{"side": "east", "from": "2014-05-16"}],
            ),
            _actor("al_saiqa", "state_force", parent="lna"),
            _actor("wagner", "private_military_company", sides=[{"side": "east"}]),
            _actor(
                "gna",
                "government",
                sides=[{"side": "west", "from": "2015-12-17", "until": "2021-03-15"}],
            ),
            _actor("gnu", "government", sides=[{"side": "west", "from": "2021-03-15"}]),
            _actor("turkey", "foreign_state", sides=[{"side": "west", "from": "2019-11-27"}]),
            _actor(
                "turkish_armed_forces",
                "foreign_military",
                parent="turkey",
                sides=[{"side": "west", "from": "2019-04-04"}],
            ),
            _actor("uae", "foreign_state", sides=[{"side": "east", "from": "2014-08-18"}]),
            _actor("isis_libya", "non_state_armed_group", sides=[{"side": "jihadist"}]),
            _actor("unsmil", "intergovernmental_body", sides=[{"side": "international"}]),
            _actor("gunmen", "generic"),
            _actor(
                "khalifa_haftar", "person", affiliations=[{"actor": "lna", "from": "2014-05-16"}]
            ),
        ]
    }
)

PLACES = Gazetteer.model_validate(
    {
        "license": "test",
        "attribution": "test",
        "places": [
            {
                "id": "tripoli",
                "name": "Tripoli",
                "kind": "city",
                "lat": 32.89,
                "lon": 13.19,
                "country": "LY",
                "admin1": "Tripoli",
            },
            {
                "id": "tripoli_port",
                "name": "Port of Tripoli",
                "kind": "port",
                "lat": 32.9,
                "lon": 13.18,
                "country": "LY",
                "admin1": "Tripoli",
                "parent": "tripoli",
            },
            {
                "id": "sirte",
                "name": "Sirte",
                "kind": "city",
                "lat": 31.2,
                "lon": 16.59,
                "country": "LY",
                "admin1": "Sirt",
            },
        ],
    }
)

SPEC = ProfileSpec.model_validate(
    {
        "id": "testland",
        "name": "Test",
        "version": "1",
        "country": "LY",
        "country_name": "Libya",
        "sides": [{"id": s, "name": s} for s in ("east", "west", "jihadist", "international")],
    }
)

AGREEMENTS: tuple[AgreementSpec, ...] = AgreementsFile.model_validate(
    {
        "agreements": [
            {
                "id": "arms_embargo",
                "name": "Arms embargo",
                "kind": "embargo",
                "parties": "all",
                "from": "2011-02-26",
                "area": {"countries": ["LY"]},
                "sources": ["resolution 1970"],
                "prohibitions": [
                    {
                        "id": "embargo_arms",
                        "text": "No arms to Libya.",
                        "events": ["arms_transfer", "deployment/foreign_forces_arrival"],
                        "exemptions": [{"note": "UN", "actor1_sides": ["international"]}],
                    }
                ],
            },
            {
                "id": "truce",
                "name": "Moscow/Ankara truce",
                "kind": "truce",
                "parties": ["gna", "lna"],
                "from": "2020-01-12",
                "until": "2020-10-22",
                "effective_time": "00:00 local",
                "area": {"countries": ["LY"]},
                "sources": ["joint statement"],
                "prohibitions": [
                    {
                        "id": "truce_hostilities",
                        "text": "Stop hostilities.",
                        "events": ["battles", "explosions", "violence_against_civilians/attack"],
                        "bound": {"parties": ["lna", "gna"], "camps": True},
                    }
                ],
            },
            {
                "id": "geneva",
                "name": "Geneva ceasefire agreement",
                "kind": "ceasefire",
                "parties": ["gna", "lna", "gnu"],
                "signed": "2020-10-23",
                "from": "2020-10-23",
                "area": {"countries": ["LY"]},
                "sources": ["agreement"],
                "prohibitions": [
                    {
                        "id": "geneva_ceasefire",
                        "text": "Permanent ceasefire.",
                        "events": ["battles", "explosions", "violence_against_civilians/attack"],
                        "bound": {"parties": ["lna", "gna", "gnu"], "camps": True},
                        "exemptions": [{"note": "terrorists", "actor2_sides": ["jihadist"]}],
                    }
                ],
                "obligations": [
                    {
                        "id": "foreign_fighters_out",
                        "text": "All foreign fighters out within three months.",
                        "who": ["gna", "lna"],
                        "deadline": "P3M",
                        "met_by": ["withdrawal/foreign_fighters_departed"],
                        "breached_by": ["deployment/foreign_forces_arrival"],
                    },
                    {
                        "id": "prisoner_exchange",
                        "text": "Exchange detainees.",
                        "met_by": ["confidence_building/prisoner_exchange"],
                    },
                    {
                        "id": "training_frozen",
                        "text": "Training agreements frozen.",
                        "deadline": "P3M",
                    },
                ],
            },
        ]
    }
).agreements

PROFILE = Profile(SPEC, ACTORS.actors, PLACES, (), AGREEMENTS)

TRIPOLI_PORT = Location("Port of Tripoli", 32.9, 13.18, 1, "Tripoli", "LY", "tripoli_port")


def actor(id_: str | None, name: str | None = None) -> ActorRef:
    return ActorRef(id_, name or (id_ or "someone"))


def incident(
    id_: str = "inc-1",
    *,
    event_type: str = "Explosions/Remote violence",
    sub_event_type: str = "Shelling/artillery/missile attack",
    actor1: ActorRef | None = None,
    actor2: ActorRef | None = None,
    day: date = date(2020, 2, 18),
    end: date | None = None,
    precision: int = 1,
    location: Location | None = TRIPOLI_PORT,
    status: IncidentStatus = IncidentStatus.CORROBORATED,
    sources: int = 2,
    claims: tuple[Claim, ...] = (),
    event_ids: tuple[str, ...] = ("e1", "e2"),
) -> Incident:
    family = "violence" if event_type[0].isupper() else "process"
    return Incident(
        id=id_,
        event_type=event_type,
        sub_event_type=sub_event_type,
        family=family,
        actor1=actor1,
        actor2=actor2,
        location=location,
        date=EventDate(day, end or day, precision),
        fatalities=None,
        fatalities_high=None,
        event_ids=event_ids,
        independent_sources=sources,
        origins=tuple(f"origin{i}" for i in range(sources)),
        status=status,
        claims=claims,
        first_reported=day,
    )
