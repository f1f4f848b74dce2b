"""Invariants of extraction on generated text (hypothesis): it always terminates, every span
points into the text, undated text gets no date the text does not give, and it is deterministic."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.pipeline.extract.extractor import ArticleText

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
