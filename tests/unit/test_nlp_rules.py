"""The rule layer and the token vectors set exactly what spaCy's own components set."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from ceasefire.adapters.nlp import PARSE_COMPONENTS
from tests.conftest import EXAMPLES

# the model's special cases: "gonna", "y'all", "let's", "ain't", "there is", pronoun cases, spaces
TRICKY = [
    "I'm gonna go, y'all. Let's see what they've got ta say.",
    "There is  heavy fighting.\n\nIt hit it, and I told you it was him.",
    "c'mon  ,  ain't  nothin' happening , did they do it?",
    "Haftar’s forces shelled Mitiga airport; the GNA said it had repelled the LNA's attack.",
    "Which of those who have left will return? That is what the Presidential Council asked.",
]


def annotations(doc: Doc) -> list[tuple[Any, ...]]:
    tokens = [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start)
        for t in doc
    ]
    names = [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents]
    return [*tokens, *names]


def test_the_rule_layer_matches_spacys_components(extractor: Any) -> None:
    engine = extractor.engine
    texts = list(TRICKY)
    for path in sorted(EXAMPLES.rglob("*.txt"))[:4]:
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    disabled = [name for name in engine.full.pipe_names if name not in PARSE_COMPONENTS]
    stock = [annotations(doc) for doc in engine.full.pipe(texts, disable=disabled)]
    ours = [annotations(doc) for doc in engine.parse(texts, batch_size=8)]
    assert len(texts) > 20
    for text, expected, got in zip(texts, stock, ours, strict=True):
        assert got == expected, text


def test_the_token_vectors_are_the_tok2vec_components_bit_for_bit(extractor: Any) -> None:
    engine = extractor.engine
    texts = list(TRICKY) * 2  # repeated tokens and sentences in one batch
    for path in sorted(EXAMPLES.rglob("*.txt"))[:4]:
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    stock = list(
        engine.full.pipe(texts, disable=[n for n in engine.full.pipe_names if n != "tok2vec"])
    )
    ours = [engine.full.make_doc(text) for text in texts]
    engine.vectors.annotate(ours)
    assert len(texts) > 20
    for text, expected, got in zip(texts, stock, ours, strict=True):
        assert expected.tensor.shape == got.tensor.shape == (len(expected), 96), text
        assert (got.tensor == expected.tensor).all(), text


def test_numpys_blas_gives_the_stock_pipelines_tags_and_parse(extractor: Any) -> None:
    """The engine runs the model's matrix products through NumPy's BLAS (on one thread); a
    stock pipeline (blis) tags and parses every paragraph of the examples the same way."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_info

    from ceasefire.adapters.nlp import load_model

    engine = extractor.engine
    for _name, component in engine.full.pipeline:
        model = getattr(component, "model", None)
        for layer in model.walk() if model is not None else ():
            assert isinstance(layer.ops, NumpyOps) and not layer.ops.use_blis, layer.name
    known = {lib["filepath"] for lib in engine.threads.info() if lib["user_api"] == "blas"}
    assert any("numpy" in path for path in known)  # NumPy's own BLAS, loaded before the engine
    with engine.one_thread():
        limited = [lib for lib in threadpool_info() if lib["filepath"] in known]
        assert limited and all(lib["num_threads"] == 1 for lib in limited)
    texts = list(TRICKY)
    for path in sorted(EXAMPLES.rglob("*.txt")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    stock_nlp = load_model()
    disabled = [name for name in stock_nlp.pipe_names if name not in PARSE_COMPONENTS]
    stock = list(stock_nlp.pipe(texts, disable=disabled))
    ours = list(engine.parse(texts))
    assert len(texts) > 40
    for text, expected, got in zip(texts, stock, ours, strict=True):
        assert annotations(got)[: len(got)] == annotations(expected)[: len(expected)], text
        assert abs(got.tensor - expected.tensor).max() < 1e-4, text
