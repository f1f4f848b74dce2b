"""Numbers and casualty mentions (ceasefire.pipeline.quantities)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.pipeline.quantities import CasualtyMention, find_casualties, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three", 3),
        ("Three", 3),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("30", 30),
        ("2,000", 2000),
        ("146,000", 146000),
        ("1.5 million", 1_500_000),
        ("2 million", 2_000_000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("dozens", 12),
        ("dozens of", 12),
        ("several dozen", 12),
        ("tens", 10),
        ("tens of thousands", 10_000),
        ("hundreds", 100),
        ("hundreds of thousands", 100_000),
        ("thousands", 1000),
        ("scores", 20),
        ("a handful", 3),
        ("several", 3),
        ("a few", 3),
        ("some", 3),
        ("a number of", 3),
        ("a couple of", 2),
        ("both", 2),
        ("at least 30", 30),
        ("more than 280", 280),
        ("nearly 40", 40),
        ("about 40", 40),
        ("around 40", 40),
        ("up to 40", 40),
        ("roughly 2,000", 2000),
        ("some 40", 40),
        ("an estimated 146,000", 146000),
        ("one", 1),
        ("a hundred", 100),
        ("one hundred and twenty-five", 125),
        ("three thousand", 3000),
        ("zero", 0),
        ("none", 0),
        ("at least 30 people", 30),
        ("2,000, including children", 2000),
        ("  12  ", 12),
    ],
)
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "an",
        "many",
        "numerous",
        "countless",
        "",
        "people",
        "2.5",
        "30-year-old",
        "5+5",
        "2020-10-23",
        "30%",
        "second",
        "5th",
        "May",
        "twentieth",
    ],
)
def test_not_a_count(text: str) -> None:
    assert parse_number(text) is None


def mentions(text: str) -> list[tuple[str, int | None, str, bool, str | None]]:
    return [(m.text, m.count, m.kind, m.cumulative, m.victims) for m in find_casualties(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a military college was hit, killing at least 30 people, a day after",
            [("killing at least 30 people", 30, "killed", False, "people")],
        ),
        (
            "Gunmen killed three civilians.",
            [("killed three civilians", 3, "killed", False, "civilians")],
        ),
        (
            "one pro-government fighter was killed by a sniper",
            [("one pro-government fighter was killed", 1, "killed", False, "fighter")],
        ),
        ("a civilian was killed", [("a civilian was killed", 1, "killed", False, "civilian")]),
        ("two soldiers died", [("two soldiers died", 2, "killed", False, "soldiers")]),
        ("The blast left five dead.", [("left five dead", 5, "killed", False, None)]),
        (
            "leaving 12 people injured",
            [("leaving 12 people injured", 12, "wounded", False, "people")],
        ),
        ("The death toll rose to 12.", [("death toll rose to 12", 12, "killed", False, None)]),
        (
            "a bloody stalemate, claiming more than 2,000 lives and displacing thousands",
            [("claiming more than 2,000 lives", 2000, "killed", True, None)],
        ),
        (
            "More than 2,000 lives have been lost.",
            [("More than 2,000 lives have been lost", 2000, "killed", False, None)],
        ),
        ("five others were wounded", [("five others were wounded", 5, "wounded", False, "others")]),
        ("The shelling hit a market, injuring 12.", [("injuring 12", 12, "wounded", False, None)]),
        ("wounding five others", [("wounding five others", 5, "wounded", False, "others")]),
        (
            "No casualties were reported.",
            [("No casualties were reported", 0, "killed", False, None)],
        ),
        ("No one was hurt.", [("No one was hurt", 0, "killed", False, None)]),
        ("no one was killed", [("no one was killed", 0, "killed", False, None)]),
        (
            "no civilians were killed",
            [("no civilians were killed", 0, "killed", False, "civilians")],
        ),
        ("no one was injured", [("no one was injured", 0, "wounded", False, None)]),
        ("without causing casualties", [("without causing casualties", 0, "killed", False, None)]),
        (
            "There were no immediate reports of casualties.",
            [("There were no immediate reports of casualties", 0, "killed", False, None)],
        ),
        ("dozens were killed", [("dozens were killed", 12, "killed", False, None)]),
        (
            "hundreds of civilians were killed",
            [("hundreds of civilians were killed", 100, "killed", False, "civilians")],
        ),
        (
            "a dozen fighters killed in clashes",
            [("a dozen fighters killed", 12, "killed", False, "fighters")],
        ),
        (
            "The militia killed two and wounded three.",
            [
                ("killed two", 2, "killed", False, None),
                ("wounded three", 3, "wounded", False, None),
            ],
        ),
        (
            "12 killed, 20 wounded in clashes",
            [("12 killed", 12, "killed", False, None), ("20 wounded", 20, "wounded", False, None)],
        ),
        (
            "one person was killed and four others injured",
            [
                ("one person was killed", 1, "killed", False, "person"),
                ("four others injured", 4, "wounded", False, "others"),
            ],
        ),
        (
            "At least 30 people, including children, were killed",
            [
                (
                    "At least 30 people, including children, were killed",
                    30,
                    "killed",
                    False,
                    "people",
                )
            ],
        ),
        (
            "Two gunmen killed a civilian on Monday.",
            [("killed a civilian", 1, "killed", False, "civilian")],
        ),
        (
            "Three soldiers killed Monday",
            [("Three soldiers killed", 3, "killed", False, "soldiers")],
        ),
        (
            "In 2019, 30 people were killed.",
            [("30 people were killed", 30, "killed", False, "people")],
        ),
        (
            "On 5 May 12 people were killed.",
            [("12 people were killed", 12, "killed", False, "people")],
        ),
        ("the attack caused 20 casualties", [("20 casualties", 20, "wounded", False, None)]),
        ("30 deaths were recorded", [("30 deaths", 30, "killed", False, None)]),
        ("casualties were reported", [("casualties were reported", None, "killed", False, None)]),
        ("the shelling caused casualties", [("caused casualties", None, "killed", False, None)]),
        ("killing civilians", [("killing civilians", None, "killed", False, "civilians")]),
        ("civilians were killed", [("civilians were killed", None, "killed", False, "civilians")]),
        ("Five Syrians were killed", [("Five Syrians were killed", 5, "killed", False, "Syrians")]),
        ("both were killed", [("both were killed", 2, "killed", False, None)]),
        ("two of them died", [("two of them died", 2, "killed", False, None)]),
        (
            "11 people including four children were killed",
            [("11 people including four children were killed", 11, "killed", False, "people")],
        ),
        (
            "The attack killed at least 10 and injured 20 others.",
            [
                ("killed at least 10", 10, "killed", False, None),
                ("injured 20 others", 20, "wounded", False, "others"),
            ],
        ),
        (
            "10 soldiers were killed and 20 were wounded",
            [
                ("10 soldiers were killed", 10, "killed", False, "soldiers"),
                ("20 were wounded", 20, "wounded", False, None),
            ],
        ),
        (
            "several people were wounded",
            [("several people were wounded", 3, "wounded", False, "people")],
        ),
    ],
)
def test_find_casualties(
    text: str, expected: list[tuple[str, int | None, str, bool, str | None]]
) -> None:
    assert mentions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "According to the latest UN tally, more than 280 civilians and roughly 2,000 fighters "
            "have been killed since Haftar launched his offensive in April.",
            [
                (
                    "more than 280 civilians and roughly 2,000 fighters have been killed",
                    280,
                    "killed",
                    True,
                    "civilians",
                ),
                ("roughly 2,000 fighters have been killed", 2000, "killed", True, "fighters"),
            ],
        ),
        (
            "The war has killed more than 1,000 people.",
            [("killed more than 1,000 people", 1000, "killed", True, "people")],
        ),
        (
            "So far 40 people have been killed.",
            [("40 people have been killed", 40, "killed", True, "people")],
        ),
        (
            "In total, 40 people were killed.",
            [("40 people were killed", 40, "killed", True, "people")],
        ),
        (
            "Over the past year 300 civilians were killed.",
            [("300 civilians were killed", 300, "killed", True, "civilians")],
        ),
        (
            "Since the start of the offensive, 500 fighters have died.",
            [("500 fighters have died", 500, "killed", True, "fighters")],
        ),
        (
            "Five people were killed on Monday, bringing the death toll since April to 300.",
            [
                ("Five people were killed", 5, "killed", False, "people"),
                ("death toll since April to 300", 300, "killed", True, None),
            ],
        ),
        (
            "Two civilians were killed on Monday in the first attack since the truce.",
            [("Two civilians were killed", 2, "killed", False, "civilians")],
        ),
        (
            "The tally is 50. Two soldiers were killed on Monday.",
            [("Two soldiers were killed", 2, "killed", False, "soldiers")],
        ),
    ],
)
def test_cumulative_tallies(
    text: str, expected: list[tuple[str, int | None, str, bool, str | None]]
) -> None:
    assert mentions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "more than 280 civilians",
        "An estimated 146,000 Libyans have been displaced.",
        "destroying two armed vehicles near the east of Sirte",
        "Five high-ranking officers appointed by the GNA",
        "The strike killed Abu Bakr al-Baghdadi.",
        "killed two days ago",
        "five people were not killed",
        "the 5+5 commission met in 2020",
        "The 2,000 fighters returned home.",
        "he was killed in 2019",
        "",
    ],
)
def test_no_casualty_numbers_where_there_are_none(text: str) -> None:
    assert [m for m in find_casualties(text) if m.count] == []


@pytest.mark.seeds
def test_seed_article_casualties(seeds_dir: Path) -> None:
    text = (seeds_dir / "002_af6400747b89f12c.txt").read_text(encoding="utf-8")
    found = [(m.count, m.kind, m.cumulative, m.victims) for m in find_casualties(text)]
    assert found == [
        (1, "killed", False, "fighter"),
        (280, "killed", True, "civilians"),
        (2000, "killed", True, "fighters"),
        (30, "killed", False, "people"),
    ]


_CASUALTY_WORDS = st.sampled_from(
    [
        "killed",
        "were",
        "wounded",
        "at least",
        "30",
        "2,000",
        "people",
        "civilians",
        "and",
        "no",
        "one",
        "a",
        "dozens",
        "since",
        "toll",
        "rose to",
        "lives",
        "claiming",
        "left",
        "dead",
        ",",
        ".",
        "casualties",
        "reported",
        "injuring",
        "five",
        "others",
        "2019",
        "May",
        "hurt",
        "the",
    ]
)
_PROSE = st.lists(st.one_of(_CASUALTY_WORDS, st.text(max_size=10)), max_size=15).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _PROSE))
def test_casualty_spans_index_the_text(text: str) -> None:
    for mention in find_casualties(text):
        assert isinstance(mention, CasualtyMention)
        assert text[mention.start : mention.end] == mention.text
        assert mention.kind in {"killed", "wounded"}
        assert mention.count is None or mention.count >= 0


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _PROSE))
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or value >= 0
