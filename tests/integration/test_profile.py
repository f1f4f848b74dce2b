"""The shipped Libya profile, the taxonomy and the language model, as loaded for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from ceasefire.adapters.nlp import check_model, load_model
from ceasefire.adapters.profiles import load_cues, load_profile, load_taxonomy, shipped_profiles
from ceasefire.domain.profile import PlaceKind, alias_key
from ceasefire.errors import ModelError, ProfileError


@pytest.fixture(scope="module")
def libya():  # type: ignore[no-untyped-def]
    return load_profile("libya")


def test_gazetteer_has_a_thousand_libyan_places_with_variants(libya) -> None:  # type: ignore[no-untyped-def]
    libyan = [p for p in libya.places.values() if p.country == "LY"]
    assert len(libyan) >= 1000
    assert all(p.admin1 for p in libyan if p.kind not in (PlaceKind.COUNTRY, PlaceKind.REGION))
    ids = {tuple(libya.place_names[alias_key(n)]) for n in ("Misrata", "Misratah", "Misurata")}
    assert len({i for group in ids for i in group if libya.places[i].kind is PlaceKind.CITY}) == 1
    for name in ("Mitiga", "Al Watiya", "Benina", "Ain Zara", "Es Sider", "Geneva"):
        assert alias_key(name) in libya.place_names, name
    assert "OpenStreetMap" in libya.gazetteer.attribution


def test_actors_resolve_people_to_what_they_represent(libya) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    assert libya.actor_names[alias_key("forces loyal to Haftar")] == "lna"
    assert libya.actor_names[alias_key("Tripoli government")] == "gna"
    assert libya.represented("khalifa_haftar", date(2020, 2, 21)).id == "lna"
    assert libya.represented("fayez_al_sarraj", date(2020, 2, 19)).id == "gna"
    assert libya.represented("ghassan_salame", date(2020, 2, 19)).id == "unsmil"
    assert libya.side_of("lna", date(2020, 2, 19)) == "east"
    assert libya.side_of("gna", date(2020, 2, 19)) == "west"
    assert len(libya.actors) >= 150


def test_taxonomy_covers_spec_types() -> None:
    taxonomy = load_taxonomy()
    names = {(t.acled or t.name) for f in taxonomy.families for t in f.types}
    assert {
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
        "talks",
        "agreement",
        "withdrawal",
        "deployment",
        "arms_transfer",
        "confidence_building",
        "threat",
        "accusation",
        "demand",
        "condemnation",
        "rejection",
        "enforcement",
    } <= names
    assert all(s.plover for _f, _t, s in taxonomy.all_sub_types())
    assert load_cues().reporting_verbs


def test_broken_profile_gives_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(shipped_profiles() / "libya", folder)
    actors = folder / "actors.yaml"
    actors.write_text(actors.read_text().replace("backers: [", "backers: [no_such_actor, ", 1))
    with pytest.raises(ProfileError, match="unknown actor 'no_such_actor'"):
        load_profile(folder)
    (folder / "places.json").write_text('{"license": "x", "attribution": "y", "places": [{}]}')
    with pytest.raises(ProfileError, match=r"places\.json is invalid"):
        load_profile(folder)
    with pytest.raises(ProfileError, match="no profile 'atlantis'"):
        load_profile("atlantis")


def test_a_key_written_twice_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "twice"
    shutil.copytree(shipped_profiles() / "libya", folder)
    actors = folder / "actors.yaml"
    text = actors.read_text()
    first_kind = text.index("    kind: ")
    actors.write_text(text[:first_kind] + "    kind: person\n" + text[first_kind:])
    with pytest.raises(ProfileError, match="duplicate key 'kind'"):
        load_profile(folder)


def test_the_pinned_model_loads_and_another_is_refused() -> None:
    nlp = load_model()
    assert nlp.meta["version"] == "3.8.0"
    with pytest.raises(ModelError, match=r"core_web_sm 3\.8\.0"):
        check_model(spacy.blank("en"))
