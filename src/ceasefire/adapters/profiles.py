"""Reading conflict profiles, the taxonomy and the English cues from their data files."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ceasefire.domain.agreements import AgreementsFile, agreement_problems
from ceasefire.domain.profile import (
    ActorsFile,
    Gazetteer,
    Profile,
    ProfileSpec,
    ReferenceEventsFile,
)
from ceasefire.domain.taxonomy import EnglishCues, Taxonomy
from ceasefire.errors import ProfileError

Model = TypeVar("Model", bound=BaseModel)


def shipped_profiles() -> Path:
    return Path(str(resources.files("ceasefire") / "profiles"))


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping that refuses a key written twice (YAML would silently keep the last one)."""
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, but a duplicated key is an error."""


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _read(path: Path) -> Any:
    if not path.is_file():
        raise ProfileError(f"missing profile file {path}")
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"cannot read {path}: {exc}") from exc


def _validate(model: type[Model], path: Path) -> Model:
    try:
        return model.model_validate(_read(path))
    except ValidationError as exc:
        problems = []
        for error in exc.errors()[:10]:
            where = ".".join(str(part) for part in error["loc"])
            problems.append(f"  {where}: {error['msg']}")
        more = f"\n  … and {exc.error_count() - 10} more" if exc.error_count() > 10 else ""
        raise ProfileError(f"{path} is invalid:\n" + "\n".join(problems) + more) from exc


def _check_references(profile: Profile) -> None:
    problems: list[str] = []
    sides = {side.id for side in profile.spec.sides}
    for actor in profile.actors.values():
        for ref in (*actor.backers, *(a.actor for a in actor.affiliations)):
            if ref not in profile.actors:
                problems.append(f"actor {actor.id}: unknown actor {ref!r}")
        if actor.parent and actor.parent not in profile.actors:
            problems.append(f"actor {actor.id}: unknown parent {actor.parent!r}")
        if actor.abroad and actor.abroad not in profile.actors:
            problems.append(f"actor {actor.id}: unknown actor abroad {actor.abroad!r}")
        for period in actor.sides:
            if period.side not in sides:
                problems.append(f"actor {actor.id}: side {period.side!r} is not in profile.yaml")
    for parties in profile.spec.principal_parties:
        for ref in parties.actors:
            if ref not in profile.actors:
                problems.append(f"principal parties: unknown actor {ref!r}")
    for place in profile.places.values():
        if place.parent and place.parent not in profile.places:
            problems.append(f"place {place.id}: unknown parent {place.parent!r}")
    for outlet in profile.spec.party_outlets:
        if outlet.actor not in profile.actors:
            problems.append(f"party outlet {outlet.name}: unknown actor {outlet.actor!r}")
    for event in profile.reference_events.values():
        if event.place and event.place not in profile.places:
            problems.append(f"reference event {event.id}: unknown place {event.place!r}")
        if event.actor and event.actor not in profile.actors:
            problems.append(f"reference event {event.id}: unknown actor {event.actor!r}")
    ids = [a for a in profile.actors]
    if len(ids) != len(set(ids)):
        problems.append("actor ids are not unique")
    if problems:
        shown = "\n  ".join(problems[:20])
        raise ProfileError(f"profile {profile.id} has broken references:\n  {shown}")


def _check_agreements(profile: Profile, taxonomy: Taxonomy, path: Path) -> None:
    event_types: set[str] = set()
    for _family, event_type, sub in taxonomy.all_sub_types():
        event_types |= {event_type.id, f"{event_type.id}/{sub.id}"}
    problems = agreement_problems(
        profile.agreements.values(),
        actors=profile.actors,
        sides={side.id for side in profile.spec.sides},
        places=profile.places,
        event_types=event_types,
        reference_events=profile.reference_events,
    )
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ProfileError(f"{path} has broken references:\n  {shown}{more}")


def load_profile(name_or_path: str | Path = "libya", taxonomy: Taxonomy | None = None) -> Profile:
    """A shipped profile by name (``libya``) or a profile folder by path, validated.

    ``agreements.yaml`` is optional; when present its event types are checked against
    ``taxonomy`` (the shipped one by default) and its actors, sides, places and reference events
    against the profile.
    """
    folder = Path(name_or_path)
    if not folder.is_dir():
        folder = shipped_profiles() / str(name_or_path)
    if not folder.is_dir():
        known = sorted(
            p.name for p in shipped_profiles().iterdir() if (p / "profile.yaml").exists()
        )
        raise ProfileError(f"no profile {name_or_path!r}: shipped profiles are {', '.join(known)}")
    spec = _validate(ProfileSpec, folder / "profile.yaml")
    actors = _validate(ActorsFile, folder / "actors.yaml")
    places = _validate(Gazetteer, folder / "places.json")
    events_path = folder / "reference_events.yaml"
    events = _validate(ReferenceEventsFile, events_path) if events_path.exists() else None
    agreements_path = folder / "agreements.yaml"
    agreements = _validate(AgreementsFile, agreements_path) if agreements_path.exists() else None
    seen: set[str] = set()
    for actor in actors.actors:
        if actor.id in seen:
            raise ProfileError(f"{folder / 'actors.yaml'}: actor id {actor.id!r} appears twice")
        seen.add(actor.id)
    profile = Profile(
        spec,
        actors.actors,
        places,
        events.events if events else (),
        agreements.agreements if agreements else (),
    )
    _check_references(profile)
    if agreements:
        _check_agreements(profile, taxonomy or load_taxonomy(), agreements_path)
    return profile


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    return _validate(Taxonomy, path or shipped_profiles() / "taxonomy.yaml")


def load_cues(path: Path | None = None) -> EnglishCues:
    return _validate(EnglishCues, path or shipped_profiles() / "english.yaml")
