"""A parsed sentence read out of spaCy (``pipeline.extract.parsed``) says what spaCy says."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span, Token

from ceasefire.pipeline.extract.parsed import Parsed, Phrase, Word, read
from tests.conftest import EXAMPLES
from tests.unit.test_nlp_rules import TRICKY

_FIELDS = "i idx text lower_ lemma_ dep_ tag_ pos_ ent_type_ ent_id_ is_punct is_quote is_space"
_TREE = "children lefts rights subtree conjuncts ancestors"


def _fields(token: Token | Word, tree: bool = True) -> tuple[Any, ...]:
    """What extraction reads of a token: the same names on spaCy's tokens and on ours."""
    fields = (*(getattr(token, name) for name in _FIELDS.split()), len(token))
    if not tree:  # spaCy's tree of an unparsed doc is undefined (and can crash)
        return fields
    related = ([t.i for t in getattr(token, name)] for name in _TREE.split())
    return (*fields, token.head.i, *related)


def _span(span: Span | Phrase) -> tuple[Any, ...]:
    return (span.start, span.end, span.text, span.start_char, span.end_char, span.root.i)


def _texts() -> list[str]:
    texts = list(TRICKY)
    for path in sorted(EXAMPLES.rglob("*.txt")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return texts


def _same(doc: Doc, parsed: Parsed) -> None:
    assert parsed.text == doc.text and len(parsed) == len(doc)
    assert [_fields(w) for w in parsed] == [_fields(t) for t in doc], doc.text
    assert [(*_span(e), e.label_, e.ent_id_) for e in parsed.ents] == [
        (*_span(e), e.label_, e.ent_id_) for e in doc.ents
    ], doc.text
    for start in range(0, len(doc), 3):  # slices, and where their roots are
        for end in range(start + 1, min(len(doc), start + 9) + 1, 2):
            assert _span(parsed[start:end]) == _span(doc[start:end]), (doc.text, start, end)
            assert [w.i for w in reversed(parsed[start:end])] == list(range(end - 1, start - 1, -1))
    for word in parsed.words[:12]:  # ancestors both ways, on a few words
        for other in parsed.words:
            assert word.is_ancestor(other) == doc[word.i].is_ancestor(doc[other.i])
    for start in range(0, len(doc.text), 7):  # character spans, expanded to whole tokens
        end = min(len(doc.text), start + 11)
        ours = parsed.char_span(start, end, alignment_mode="expand")
        theirs = doc.char_span(start, end, alignment_mode="expand")
        assert (ours and (ours.start, ours.end)) == (theirs and (theirs.start, theirs.end))


def test_parsed_sentences_read_as_spacy_has_them(extractor: Any) -> None:
    engine = extractor.engine
    texts = _texts()
    names: dict[int, str] = {}
    docs = list(engine.parse(texts, batch_size=16))
    nonprojective = 0  # the parser's non-projective trees are covered too
    for doc, text in zip(docs, texts, strict=True):
        _same(doc, read(doc, text, names))
        nonprojective += any(
            t.left_edge.i != min(s.i for s in t.subtree)
            or sorted(s.i for s in t.subtree) != [s.i for s in t.subtree]
            for t in doc
        )
    assert len(docs) > 40 and sum(len(d.ents) for d in docs) > 100
    assert nonprojective  # trees whose subtrees are not in order, or not from the left edge


def test_unparsed_sentences_keep_their_names(extractor: Any) -> None:
    """Sentences the gate keeps from the parser: every word its own root, the names kept."""
    engine = extractor.engine
    texts = _texts()[:20]
    docs = list(engine.parse(texts, worth_parsing=lambda _doc: False))
    for doc, text in zip(docs, texts, strict=True):
        parsed = read(doc, text, {})
        assert [_fields(w, tree=False) for w in parsed] == [_fields(t, tree=False) for t in doc]
        assert [(e.start, e.end, e.label_, e.ent_id_, e.text) for e in parsed.ents] == [
            (e.start, e.end, e.label_, e.ent_id_, e.text) for e in doc.ents
        ]
        assert all(w.head is w and not w.children and w.subtree == (w,) for w in parsed)
    assert sum(len(d.ents) for d in docs) > 10


def test_an_empty_sentence_reads_as_empty(extractor: Any) -> None:
    doc = extractor.engine.full.make_doc("")
    parsed = read(doc, "", {})
    assert len(parsed) == 0 and not parsed.ents and parsed[0:3].text == ""
