"""Hard cases of extraction, pinned (issue 3): dates, negation, claims, tallies, conditionals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from ceasefire.domain import SourceDocument
from ceasefire.domain.events import Event, Modality
from ceasefire.pipeline.articles import document_articles
from ceasefire.pipeline.extract.extractor import ArticleText


def _seed_articles(seeds_dir: Path, name: str) -> list[ArticleText]:
    raw = (seeds_dir / name).read_bytes()
    doc = SourceDocument(SourceDocument.digest(raw), name, "text/plain", datetime.now(UTC), raw)
    return [
        ArticleText(a.id, a.text, a.published.value if a.published else None, a.title)
        for a in document_articles(doc)
    ]


def _events(extractor, text: str, published: date | None) -> list[Event]:  # type: ignore[no-untyped-def]
    return list(extractor.extract(ArticleText("t", text, published)))


def test_friday_in_a_saturday_story(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(
        extractor,
        "Libya's eastern commander, Gen. Khalifa Haftar, vowed on Friday to fight Turkish forces.",
        date(2020, 2, 22),
    )
    assert events and all(e.date and e.date.start == date(2020, 2, 21) for e in events)


def test_leaving_without_signing_is_negated(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(
        extractor, "Haftar left Moscow without signing the agreement.", date(2020, 1, 14)
    )
    signed = [e for e in events if e.sub_event_type == "agreement signed"]
    assert signed and signed[0].modality is Modality.NEGATED


def test_documented_violation_is_claimed_with_its_fatality(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The GNA has documented several violations by Haftar's forces overnight and one "
        "pro-government fighter was killed by a sniper, according to a government spokesperson."
    )
    events = _events(extractor, text, date(2020, 1, 14))
    killing = [e for e in events if e.fatalities == 1]
    assert killing
    assert killing[0].modality is Modality.CLAIMED
    assert killing[0].claimed_by is not None and killing[0].claimed_by.id == "gna"


def test_cumulative_tally_is_not_an_event_toll(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "According to the latest UN tally, more than 280 civilians and roughly 2,000 fighters "
        "have been killed since Haftar launched his offensive in April."
    )
    assert all(e.fatalities is None for e in _events(extractor, text, date(2020, 1, 14)))


def test_if_talks_fail_is_conditional(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "If talks in Geneva do not achieve peace and security for our country, the armed forces "
        "will fight to defend against the Turkish invaders, Haftar said."
    )
    events = _events(extractor, text, date(2020, 2, 22))
    assert any(e.modality is Modality.CONDITIONAL for e in events)


def test_syria_story_is_never_placed_in_libya(extractor, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    syria = _seed_articles(seeds_dir, "000_d31605bc7ea32a97.txt")[1]
    for event in extractor.extract(syria):
        assert event.location is None or event.location.country != "LY"


def test_undated_articles_get_no_invented_dates(extractor, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    for name in (
        "002_af6400747b89f12c.txt",
        "003_1d03824f4f11dffd.txt",
        "004_78913e6a7f982758.txt",
    ):
        for article in _seed_articles(seeds_dir, name):
            assert article.published is None
            for event in extractor.extract(article):
                if event.date is not None:
                    # from words in the text: a dated expression or a named event ("the truce")
                    assert event.date.span is not None
                    assert event.date.span.text in article.text


def test_rejecting_the_information_denies_the_claim_before_it(extractor) -> None:  # type: ignore[no-untyped-def]
    events = _events(
        extractor,
        "The LNA said on Monday its forces had captured the town of Sirte. "
        "The GNA rejected the information in a statement.",
        date(2020, 1, 7),
    )
    claim = next(e for e in events if e.modality is Modality.CLAIMED)
    [denial] = [e for e in events if e.modality is Modality.DENIED]
    assert claim.event_type == denial.event_type == "Battles"
    assert denial.claimed_by is not None and denial.claimed_by.id == "gna"
    assert denial.actor1 is not None and denial.actor1.id == "lna"
    assert denial.location is not None and denial.location.name.startswith("Sirte")
    assert denial.fatalities is None
