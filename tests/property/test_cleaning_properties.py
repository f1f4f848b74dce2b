"""Invariants of cleaning, checked on generated pages (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.domain import SourceDocument
from ceasefire.errors import IngestError
from ceasefire.pipeline.articles import document_articles
from ceasefire.pipeline.clean import clean_text, split_page
from ceasefire.pipeline.neardup import Match, merge_groups

WORDS = st.sampled_from(
    "forces shelled the port on Tuesday talks resumed in Geneva envoy said two civilians were "
    "killed near Sirte militia convoy withdrew from Tarhuna prisoners exchanged Misrata airport "
    "reopened drone strike hit base officials denied claims government spokesman".split()
)
SENTENCE = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(WORDS, min_size=3, max_size=25),
    st.sampled_from([".", "!", "?", ".”"]),
)
HEADLINE = st.builds(lambda words: " ".join(words).title(), st.lists(WORDS, min_size=3, max_size=9))
JUNK = st.sampled_from(
    [
        "Share on facebook",
        "twitter",
        "Menu",
        "Subscribe to our newsletter",
        "Related:",
        "News > Libya",
        "Advertisement",
        "Photo caption of a street | Photo: Reuters",
        "Continue Reading",
        "Comments",
        "",
        "   ",
        "\u00a0",
    ]
)
LINE = st.one_of(SENTENCE, SENTENCE, SENTENCE, JUNK, HEADLINE)
PAGE = st.builds(
    lambda top, title, date, body: "\n".join([*top, title, date, "", *body]),
    st.lists(JUNK, max_size=4),
    HEADLINE,
    st.sampled_from(["Published 19 February 2020", "Updated 3 March 2021", ""]),
    st.lists(LINE, min_size=1, max_size=30),
)
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400
)  # anything at all, including odd whitespace and controls

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _normalised(text: str) -> str:
    return " ".join(text.split())


@QUICK
@given(PAGE)
def test_cleaning_is_idempotent(page: str) -> None:
    for story in split_page(page):
        again = clean_text(story.text, title=story.title)
        assert [p.text for p in again.paragraphs] == [p.text for p in story.paragraphs]


@QUICK
@given(st.one_of(PAGE, ANY_TEXT))
def test_every_paragraph_comes_from_the_source_in_order(page: str) -> None:
    source = _normalised(page)
    position = 0
    for story in split_page(page):
        for paragraph in story.paragraphs:
            found = source.find(_normalised(paragraph.text), position)
            assert found >= position, paragraph.text
            position = found + len(_normalised(paragraph.text))


@QUICK
@given(st.one_of(PAGE, ANY_TEXT))
def test_paragraphs_are_non_empty_and_not_boilerplate(page: str) -> None:
    for story in split_page(page):
        for paragraph in story.paragraphs:
            assert paragraph.text.strip()
            assert paragraph.text not in ("Continue Reading", "Menu", "twitter")


@QUICK
@given(PAGE)
def test_ids_are_stable_and_depend_only_on_the_bytes(page: str) -> None:
    raw = page.encode("utf-8")

    def ids(when: datetime) -> list[str]:
        doc = SourceDocument(SourceDocument.digest(raw), "page.txt", "text/plain", when, raw)
        try:
            return [a.id for a in document_articles(doc)]
        except IngestError:  # pages with no body text are dropped, which is stable too
            return []

    assert ids(datetime(2020, 1, 1, tzinfo=UTC)) == ids(datetime(2026, 1, 1, tzinfo=UTC))


@QUICK
@given(
    st.lists(st.sampled_from("abcdefgh"), min_size=2, max_size=8, unique=True),
    st.randoms(use_true_random=False),
)
def test_syndication_groups_do_not_depend_on_arrival_order(ids: list[str], rnd: object) -> None:
    """Articles that all copy one story end in one group named by the smallest id."""

    def arrive(order: list[str]) -> dict[str, str]:
        groups: dict[str, str] = {}
        seen: list[str] = []
        for article in order:
            matches = [Match(o, groups.get(o), 0.9) for o in seen]
            if matches:
                group, merged = merge_groups(article, matches)
                for other in seen:
                    if other not in groups or groups[other] in merged:
                        groups[other] = group
                groups[article] = group
            seen.append(article)
        return groups

    shuffled = list(ids)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert arrive(ids) == arrive(shuffled)
    assert set(arrive(ids).values()) == {min(ids)}
