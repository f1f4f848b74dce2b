"""Where an event happened: a profile place attached to the trigger, a distance from a place
("40 km south of Tripoli": near Tripoli, precision 2), the article's dateline, or, when only the
country or a region is known, that area with precision 3. Never a silent country centroid."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ceasefire.adapters.nlp import ACTOR_LABEL, EVENT_LABEL, PLACE_LABEL
from ceasefire.domain.events import Location
from ceasefire.domain.events import Span as TextSpan
from ceasefire.domain.profile import PlaceKind, PlaceSpec, Profile, alias_key
from ceasefire.domain.taxonomy import EnglishCues
from ceasefire.pipeline.extract.parsed import Parsed, Phrase, Word

_KIND_RANK = {
    PlaceKind.CITY: 0,
    PlaceKind.TOWN: 1,
    PlaceKind.AIRPORT: 2,
    PlaceKind.PORT: 2,
    PlaceKind.BASE: 2,
    PlaceKind.OIL_TERMINAL: 2,
    PlaceKind.DISTRICT: 3,
    PlaceKind.VENUE: 3,
    PlaceKind.VILLAGE: 4,
    PlaceKind.OIL_FIELD: 4,
    PlaceKind.SITE: 5,
    PlaceKind.ROAD: 5,
    PlaceKind.BORDER_CROSSING: 5,
    PlaceKind.HAMLET: 6,
    PlaceKind.ADMIN1: 7,
    PlaceKind.REGION: 8,
    PlaceKind.COUNTRY: 9,
}
_AREA_KINDS = frozenset({PlaceKind.ADMIN1, PlaceKind.REGION, PlaceKind.COUNTRY, PlaceKind.ROAD})
DATELINE = re.compile(
    r"^\s*([A-Z][A-Za-z.'’ -]{1,40}?)(?:\s*/\s*[A-Z][A-Za-z.' -]+)*\s*(?::|—|–|-\s)"
)


def best_place(profile: Profile, ids: Iterable[str]) -> PlaceSpec | None:
    """The most likely referent of a name: a place in the profile's country, a bigger one first."""
    places = [profile.places[i] for i in ids if i in profile.places]
    if not places:
        return None
    home = profile.spec.country
    return min(
        places,
        key=lambda p: (p.country != home, _KIND_RANK.get(p.kind, 9), -(p.population or 0), p.id),
    )


def _location(place: PlaceSpec, precision: int, span: TextSpan | None) -> Location:
    if place.kind in _AREA_KINDS:
        precision = 3 if place.kind is not PlaceKind.ADMIN1 else max(precision, 2)
    return Location(
        name=place.name,
        lat=place.lat,
        lon=place.lon,
        geo_precision=precision,
        admin1=place.admin1,
        country=place.country,
        place_id=place.id,
        span=span,
    )


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: PlaceSpec
    ent: Phrase


def _places_inside(ent: Phrase, profile: Profile) -> list[PlaceMention]:
    """Places named inside a named event: "the offensive on Tripoli", "talks in Geneva"."""
    found: list[PlaceMention] = []
    start = ent.start
    while start < ent.end:
        for end in range(min(ent.end, start + 4), start, -1):
            ids = profile.place_names.get(alias_key(ent.doc[start:end].text))
            place = best_place(profile, ids) if ids else None
            if place is not None:
                found.append(PlaceMention(place, ent.doc[start:end]))
                start = end - 1
                break
        start += 1
    return found


# "Libya's warring parties", "Libya's eastern commander": a place that owns a party or a person
# says whose they are, not where anything happened ("Tripoli's port" stays a place)
_PARTY_NOUNS = frozenset(
    "commander party side government leader president minister army force envoy parliament "
    "strongman general people authority official spokesman premier delegation rival".split()
)


def _owner_of_party(root: Word) -> bool:
    head = root.head
    return root.dep_ == "poss" and (
        head.ent_type_ == ACTOR_LABEL or head.lemma_.lower() in _PARTY_NOUNS
    )


def place_mentions(
    doc: Parsed, profile: Profile, country: PlaceSpec | None = None
) -> list[PlaceMention]:
    """The profile places a sentence names; with ``country``, "the country" (the one the
    article is about) names it too."""
    found: list[PlaceMention] = []
    if country is not None:
        found.extend(
            PlaceMention(country, doc[t.i : t.i + 1])
            for t in doc
            if t.lower_ == "country"
            and t.ent_type_ == ""
            and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
        )
    for ent in doc.ents:
        if ent.label_ == EVENT_LABEL:
            found.extend(_places_inside(ent, profile))
            continue
        if ent.label_ != PLACE_LABEL or _owner_of_party(ent.root):
            continue
        ids = profile.place_names.get(alias_key(ent.text), [ent.ent_id_])
        place = best_place(profile, ids)
        if place is not None:
            found.append(PlaceMention(place, ent))
    return found


def _near(token: Word, cues: EnglishCues) -> bool:
    """ "40 km south of X", "outskirts of X", "near X": the event is near the place."""
    head = token.head
    if head.lower_ == "of":
        head = head.head
    words = {head.lower_} | {t.lower_ for t in head.children}
    if head.lower_ in ("near", "outside", "around", "nearby"):
        return True
    return bool(words & set(cues.directions)) or bool(words & set(cues.distance_units))


# nouns for a part of a place: "the port of Tripoli", "the outskirts of Sirte"
_PLACE_PARTS = frozenset(
    "port harbour harbor outskirts suburb suburbs street streets district centre center city town "
    "area airport base coast edge entrance gate part parts neighbourhood neighborhood".split()
)


def _named_parts(token: Word) -> list[Word]:
    parts = [c for c in token.children if c.dep_ in ("poss", "compound")]
    if token.lemma_.lower() in _PLACE_PARTS or token.lower_ in _PLACE_PARTS:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                parts.extend(g for g in child.children if g.dep_ == "pobj")
    return parts


def locate(
    doc: Parsed,
    offset: int,
    mentions: Sequence[PlaceMention],
    attached: Sequence[Word],
    trigger: Word,
    cues: EnglishCues,
    attached_only: bool = False,
    own_only: bool = False,
    departure: bool = False,
) -> Location | None:
    """The place of an event from its sentence: attached places first (the last of them, as in
    "from X to Y"; origins last), then the nearest one. Statements (``attached_only``) are placed
    only where the text says they were made; ``own_only`` events only by places in their clause."""
    # "in Tripoli's streets", "at the port of Misrata": the place inside an attached phrase
    attached = [*attached, *(c for t in attached for c in _named_parts(t))]
    attached_ids = {t.i for t in attached}
    if attached_only:
        mentions = [
            m for m in mentions if any(i in attached_ids for i in range(m.ent.start, m.ent.end))
        ]
    if not mentions:
        return None

    def score(mention: PlaceMention) -> tuple[int, int, int]:
        tokens = set(range(mention.ent.start, mention.ent.end))
        is_attached = any(t.i in tokens for t in attached)
        root = mention.ent.root
        in_subtree = root == trigger or root.is_ancestor(trigger) or trigger.is_ancestor(root)
        area = mention.place.kind in _AREA_KINDS
        # "from Misrata towards Sirte"; but a departure happens where it leaves from
        origin = not departure and mention.ent.root.head.lower_ == "from"
        return (
            (0 if is_attached else 1 if in_subtree else 2) + 2 * int(origin),
            int(area),
            -mention.ent.start if is_attached else abs(mention.ent.start - trigger.i),
        )

    chosen = min(mentions, key=score)
    if own_only and score(chosen)[0] >= 2:
        return None  # a process event is placed only by the places of its own clause
    near = _near(chosen.ent.root, cues)
    span = TextSpan(offset + chosen.ent.start_char, offset + chosen.ent.end_char, chosen.ent.text)
    return _location(chosen.place, 2 if near else 1, span)


def dateline_place(text: str, profile: Profile) -> PlaceSpec | None:
    """ "TRIPOLI —", "GENEVA / MOSCOW:" at the start of an article."""
    match = DATELINE.match(text)
    if not match or "/" in match.group(0):
        return None  # "GENEVA / MOSCOW:" places nothing
    return best_place(profile, profile.place_names.get(alias_key(match.group(1)), []))


def area_location(place: PlaceSpec) -> Location:
    return _location(place, 3, None)


def country_place(profile: Profile) -> PlaceSpec | None:
    return next(
        (
            p
            for p in profile.places.values()
            if p.kind is PlaceKind.COUNTRY and p.country == profile.spec.country
        ),
        None,
    )


def fallback(place: PlaceSpec, precision: int) -> Location:
    return _location(place, precision, None)
