"""The event taxonomy and English cue lists: schemas of ``profiles/taxonomy.yaml`` and
``profiles/english.yaml``. No I/O here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_ID = r"^[a-z0-9][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubTypeSpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    acled: str | None = None
    plover: str
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


class EventTypeSpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    acled: str | None = None
    plover: str
    sub_types: tuple[SubTypeSpec, ...]


class FamilySpec(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    types: tuple[EventTypeSpec, ...]


class Taxonomy(_Strict):
    version: int
    families: tuple[FamilySpec, ...]

    def sub_type(
        self, type_id: str, sub_type_id: str
    ) -> tuple[FamilySpec, EventTypeSpec, SubTypeSpec]:
        for family in self.families:
            for event_type in family.types:
                if event_type.id != type_id:
                    continue
                for sub in event_type.sub_types:
                    if sub.id == sub_type_id:
                        return family, event_type, sub
        raise KeyError(f"{type_id}/{sub_type_id}")

    def all_sub_types(self) -> list[tuple[FamilySpec, EventTypeSpec, SubTypeSpec]]:
        return [(f, t, s) for f in self.families for t in f.types for s in t.sub_types]


class GenericViolence(_Strict):
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]


class EnglishCues(_Strict):
    version: int
    generic_violence: GenericViolence
    weapons: dict[str, tuple[str, ...]]
    civilian_targets: tuple[str, ...]
    reporting_verbs: tuple[str, ...]
    denial_verbs: tuple[str, ...]
    hedges: tuple[str, ...]
    future_markers: tuple[str, ...]
    plan_verbs: tuple[str, ...]
    conditional_marks: tuple[str, ...]
    neutral_sources: tuple[str, ...]
    background_markers: tuple[str, ...]
    distance_units: tuple[str, ...]
    directions: tuple[str, ...]
    collective_parties: tuple[str, ...] = ()
