"""CSV in ACLED's column layout (ACLED codebook, 2023 export), then our columns.

Choices, for a reader merging this file with ACLED data:

- ``event_id_cnty`` is the country's ISO 3166 alpha-3 code and the first 16 hex digits of our
  incident id, upper-cased (``LBY1F1D23253847FD97``): stable across exports, as the incident id is
  derived from its events; the full id is in our ``incident_id`` column.
- ``event_date`` is ACLED's "18 February 2020"; ``timestamp`` the incident's last update (unix).
- ``actor1``/``actor2`` carry ACLED's name when the profile records it (``acled_name``), else
  the profile's name; ``inter1``/``inter2`` ACLED's actor codes from the profile's actor kinds
  (1 state forces, 2 rebel groups, 3 political militias, 4 identity militias, 5 rioters,
  6 protesters, 7 civilians, 8 external/other forces), ``interaction`` the two codes, lower first
  (a sole actor: its code times ten).
- ``fatalities`` follows ACLED: the lowest credible figure, 0 when none is reported; the highest
  figure reported is in our ``fatalities_high`` column.
- ``iso``, ``region`` and ``country`` come from a small table of the region's countries.
- ``source_scale``, ``admin2``, ``admin3``, ``assoc_actor_*`` and ``tags`` are left empty: we do
  not code them.
- Ceasefire-process incidents (talks, agreements, withdrawals ...) are not ACLED events: they are
  left out unless asked for (``include_process``), then with an empty ``disorder_type``.

Our columns after ACLED's: ``status``, ``independent_sources``, ``modality`` (the stances of the
claims: asserted, claimed, denied, "; "-joined), ``violations`` (the possible violations the
reader may see: ``agreement/term (party: determination)``, "; "-joined), ``incident_id``,
``fatalities_high``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from ceasefire.domain.events import ActorRef
from ceasefire.domain.incidents import Incident
from ceasefire.domain.profile import ActorKind, Profile
from ceasefire.exports.common import (
    acled_actor_name,
    actor_spec,
    modalities,
    outlets,
    unix,
    violation_label,
)
from ceasefire.exports.records import ExportRecord, FormatContext

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
OUR_COLUMNS: tuple[str, ...] = (
    "status",
    "independent_sources",
    "modality",
    "violations",
    "incident_id",
    "fatalities_high",
)
COLUMNS = ACLED_COLUMNS + OUR_COLUMNS

#: alpha-2 → (ISO 3166 numeric, alpha-3, ACLED country name, ACLED region)
COUNTRIES: dict[str, tuple[int, str, str, str]] = {
    "LY": (434, "LBY", "Libya", "Northern Africa"),
    "TN": (788, "TUN", "Tunisia", "Northern Africa"),
    "EG": (818, "EGY", "Egypt", "Northern Africa"),
    "DZ": (12, "DZA", "Algeria", "Northern Africa"),
    "MA": (504, "MAR", "Morocco", "Northern Africa"),
    "SD": (729, "SDN", "Sudan", "Northern Africa"),
    "TD": (148, "TCD", "Chad", "Middle Africa"),
    "NE": (562, "NER", "Niger", "Western Africa"),
    "SY": (760, "SYR", "Syria", "Middle East"),
    "TR": (792, "TUR", "Turkey", "Middle East"),
    "LB": (422, "LBN", "Lebanon", "Middle East"),
    "YE": (887, "YEM", "Yemen", "Middle East"),
}

_INTER = {
    ActorKind.STATE_FORCE: 1,
    ActorKind.GOVERNMENT: 1,
    ActorKind.NON_STATE_ARMED_GROUP: 2,
    ActorKind.COMMUNAL_MILITIA: 4,
    ActorKind.CIVILIANS: 7,
    ActorKind.FOREIGN_STATE: 8,
    ActorKind.FOREIGN_MILITARY: 8,
    ActorKind.PRIVATE_MILITARY_COMPANY: 8,
    ActorKind.MERCENARIES: 8,
    ActorKind.INTERGOVERNMENTAL_BODY: 8,
    ActorKind.MEDIATOR: 8,
}
_GENERIC_WORDS = (
    ("protest", 6),
    ("demonstrat", 6),
    ("riot", 5),
    ("civilian", 7),
    ("police", 1),
    ("army", 1),
    ("military", 1),
    ("gunmen", 3),
    ("armed group", 3),
    ("militia", 3),
)
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_BOTH = {"Excessive force against protesters", "Mob violence"}
_NOTE_EVIDENCE = 2  # evidence sentences quoted in the notes
_NOTE_SENTENCE = 300  # characters kept of each


def inter_code(profile: Profile, actor: ActorRef | None, day: date | None) -> int | None:
    """ACLED's actor code for ``actor`` (None when unknown)."""
    if actor is None:
        return None
    spec = actor_spec(profile, actor, day)
    if spec is not None and spec.kind in _INTER:
        return _INTER[spec.kind]
    name = (spec.name if spec is not None else actor.name).casefold()
    return next((code for word, code in _GENERIC_WORDS if word in name), None)


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: both codes, lower first; a sole actor's code times ten."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def acled_date(day: date) -> str:
    return f"{day.day:02d} {day:%B} {day.year}"


def notes(incident: Incident) -> str:
    """A short ACLED-style summary with the evidence sentences and their outlets."""
    parts: list[str] = []
    when = f"On {acled_date(incident.date.start)}" if incident.date else "On an unknown date"
    who = " and ".join(a.name for a in (incident.actor1, incident.actor2) if a is not None)
    where = f" in {incident.location.name}" if incident.location else ""
    parts.append(
        f"{when}, {incident.sub_event_type.lower()}{where}" + (f" ({who})." if who else ".")
    )
    if incident.fatalities_high is not None and incident.fatalities_high != incident.fatalities:
        parts.append(f"Fatalities reported: {incident.fatalities or 0}-{incident.fatalities_high}.")
    for claim in incident.claims[:_NOTE_EVIDENCE]:
        text = " ".join(claim.text.split())
        if len(text) > _NOTE_SENTENCE:
            text = text[: _NOTE_SENTENCE - 1] + "…"
        parts.append(f'{claim.outlet} ({claim.stance.value}): "{text}"')
    return " ".join(parts)


def acled_row(record: ExportRecord, context: FormatContext) -> list[str]:
    """One CSV row in :data:`COLUMNS` order."""
    incident, profile = record.incident, context.profile
    day = incident.date.start if incident.date else None
    location = incident.location
    country = location.country if location else profile.spec.country
    numeric, alpha3, country_name, region = COUNTRIES.get(country, (0, country, country, ""))
    if country == profile.spec.country:
        country_name = profile.spec.country_name
    inter1 = inter_code(profile, incident.actor1, day)
    inter2 = inter_code(profile, incident.actor2, day)
    disorder = _DISORDER.get(incident.event_type, "")
    if incident.sub_event_type in _BOTH:
        disorder = "Political violence; Demonstrations"
    targets_civilians = disorder.startswith("Political violence") and inter2 == 7
    values: Sequence[object | None] = (
        f"{alpha3}{incident.id[:16].upper()}",
        acled_date(day) if day else "",
        day.year if day else "",
        incident.date.time_precision if incident.date else "",
        disorder,
        incident.event_type,
        incident.sub_event_type,
        acled_actor_name(profile, incident.actor1),
        "",
        inter1,
        acled_actor_name(profile, incident.actor2),
        "",
        inter2,
        interaction_code(inter1, inter2),
        "Civilian targeting" if targets_civilians else "",
        numeric or "",
        region,
        country_name,
        location.admin1 if location else "",
        "",
        "",
        location.name if location else "",
        f"{location.lat:.4f}" if location else "",
        f"{location.lon:.4f}" if location else "",
        location.geo_precision if location else "",
        "; ".join(outlets(incident)),
        "",
        notes(incident),
        incident.fatalities or 0,
        "",
        unix(record.updated_at),
        incident.status.value,
        incident.independent_sources,
        "; ".join(modalities(incident)),
        "; ".join(violation_label(a) for a in record.assessments),
        incident.id,
        incident.fatalities_high,
    )
    return ["" if value is None else str(value) for value in values]


def acled_csv(records: Iterable[ExportRecord], context: FormatContext) -> Iterator[str]:
    """The header, then one line per record (process incidents only with ``include_process``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Sequence[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(COLUMNS)
    for record in records:
        if record.incident.family != "violence" and not context.include_process:
            continue
        yield line(acled_row(record, context))
