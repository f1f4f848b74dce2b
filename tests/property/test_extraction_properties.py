"""Invariants of extraction on generated text (hypothesis): it always terminates, every span
points into the text, undated text gets no date the text does not give, and it is deterministic."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.pipeline.extract.candidates import split_sentences
from ceasefire.pipeline.extract.extractor import ArticleText
from tests.conftest import EXAMPLES, seeds_path

WORDS = st.sampled_from(
    "the LNA GNA Haftar forces shelled attacked Tripoli Misrata port talks resumed in Geneva on "
    "Friday Tuesday April 2019 killed three civilians were by a drone strike clashes between and "
    "said denied will meet if fail without signing agreement ceasefire truce Sirte near 40 km "
    "south of . , ; offensive capture withdrew mercenaries prisoners exchange reopened airport "
    "UNSMIL condemned the attack accused violations".split()
)
TEXT = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@PROPERTIES
@given(TEXT, st.one_of(st.none(), st.dates(min_value=date(2011, 1, 1), max_value=date(2025, 1, 1))))
def test_extraction_spans_and_dates(extractor, text: str, published: date | None) -> None:  # type: ignore[no-untyped-def]
    article = ArticleText("p", text, published)
    events = extractor.extract(article)
    for event in events:
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert event.evidence.start <= event.trigger.start < event.evidence.end
        if event.date is not None:
            assert event.date.start <= event.date.end
            if published is None:
                assert event.date.span is not None
        for actor in (event.actor1, event.actor2):
            if actor is not None and actor.span is not None:
                assert text[actor.span.start : actor.span.end] == actor.span.text
    assert extractor.extract(article) == events  # deterministic


def _sentences_by_spacy(extractor, text: str) -> list[tuple[int, int, str, bool]]:  # type: ignore[no-untyped-def]
    """Stage one as spaCy's own pipeline (tokenizer, sentencizer, tokens) gives it."""
    found: list[tuple[int, int, str, bool]] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        for sent in extractor.engine.tokenizer(paragraph).sents:
            if stripped := sent.text.strip():
                start = offset + sent.start_char + len(sent.text) - len(sent.text.lstrip())
                words = {token.lower_ for token in sent}
                candidate = extractor.lexicon.could_carry_event(words)
                found.append((start, start + len(stripped), stripped, candidate))
        offset += len(paragraph) + 2
    return found


PIECES = st.one_of(
    WORDS,
    st.sampled_from([".", "!", "?", "...", "…", '"', "”", "'", ")", "(", ":", "—", "Mr.", "U.S."]),
    st.sampled_from([" ", "  ", "\n", "\n\n", "\n \n", " \n\n "]),
)


@PROPERTIES
@given(st.lists(PIECES, max_size=60).map(" ".join), st.lists(PIECES, max_size=30).map("".join))
def test_stage_one_splits_as_spacys_sentencizer(extractor, spaced: str, packed: str) -> None:  # type: ignore[no-untyped-def]
    """Stage one applies the sentencizer's rule to plain lists: the same sentences, offsets and
    candidates as the sentencizer component over spaCy tokens."""
    for text in (spaced, packed, spaced + packed):
        ours = split_sentences(extractor.engine.tokenizer, text, extractor.lexicon)
        assert [(s.start, s.end, s.text, s.candidate) for s in ours] == _sentences_by_spacy(
            extractor, text
        )
        assert [s.index for s in ours] == list(range(len(ours)))


def test_stage_one_splits_the_examples_and_seeds_as_spacy(extractor) -> None:  # type: ignore[no-untyped-def]
    paths = sorted(EXAMPLES.rglob("*.*"))
    if seeds_path().is_dir():
        paths += sorted(seeds_path().glob("*.txt"))
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    assert len(texts) > 10
    for text in texts:
        ours = split_sentences(extractor.engine.tokenizer, text, extractor.lexicon)
        assert [(s.start, s.end, s.text, s.candidate) for s in ours] == _sentences_by_spacy(
            extractor, text
        )
