"""The finders' speed-ups (word prechecks, case-sensitive search of lower-cased text) change
nothing: with them switched off, every text gives the same expressions and mentions."""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.pipeline import literals, quantities, timex
from ceasefire.pipeline import timex_rules as tr
from ceasefire.pipeline.quantities import find_casualties
from ceasefire.pipeline.timex import find_time_expressions

_WORDS = (
    "Monday Friday saturday Sunday January February March may Mar Feb. Sept. Dec 2 5-7 19th 23 "
    "26 31 2011 2019 2020 2019-20 1990s 23/10/2020 2020-02-19 last next this past coming early "
    "mid- late earlier later the of in on since through until from to between and ago day days "
    "week weeks month year years weekend night morning tonight today yesterday overnight same "
    "following that before after prior a few two three several recent at least more than dozens "
    "killed wounded injured died dead killing left five civilians fighters soldiers people were "
    "was have been has no one nobody casualties deaths toll rose to lives claiming without "
    "causing number of uprising war , . ; - – ’ “ ” İ ı ſ K é"
).split()
_PROSE = st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join)
_TEXT = st.one_of(_PROSE, st.text(max_size=80), _PROSE.map(str.upper))


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_time_expressions_do_not_depend_on_the_speed_ups(text: str) -> None:
    fast = find_time_expressions(text)
    with (
        mock.patch.object(tr, "RULES", tuple(rule._replace(needs=()) for rule in tr.RULES)),
        mock.patch.object(timex, "folded", lambda _: None),
    ):
        slow = find_time_expressions(text)
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_casualties_do_not_depend_on_the_speed_ups(text: str) -> None:
    fast = find_casualties(text)
    plain = tuple(p._replace(needs=()) for p in quantities._PATTERNS)
    with (
        mock.patch.object(quantities, "_PATTERNS", plain),
        mock.patch.object(quantities, "folded", lambda _: None),
    ):
        slow = find_casualties(text)
    assert fast == slow


def test_folding_keeps_offsets_word_characters_and_ascii_letters() -> None:
    """What :func:`literals.folded` relies on, checked over the Basic Multilingual Plane."""
    letter, word, digit = re.compile("[a-z]", re.IGNORECASE), re.compile(r"\w"), re.compile(r"\d")
    for code in range(0x80, 0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or literals.folded(char) is None:
            continue
        lower = char.lower()
        assert len(lower) == 1 and not lower.isascii() and not letter.match(char)
        assert bool(word.match(char)) == bool(word.match(lower))
        assert bool(digit.match(char)) == bool(digit.match(lower))


def test_needs_are_found_in_every_match_of_their_rule() -> None:
    examples = {
        "numeric": "on 2020-02-19 and 23/10/2020",
        "range": "from 2 to 4 November, Nov. 2-4",
        "date": "19 February 2020, Feb. 26",
        "month_range": "between January and March 2020",
        "month": "in April",
        "year_range": "2019–2020",
        "decade": "the 1990s",
        "year": "in 2011",
        "weekday_range": "Monday and Tuesday",
        "weekday": "last Friday",
        "rel_day": "the day before yesterday",
        "ago": "two weeks ago",
        "ctx_offset": "a day earlier",
        "ctx_day": "the day after.",
        "trailing": "in recent weeks",
        "rel_unit": "later this year",
    }
    for rule in tr.RULES:
        for match in rule.pattern.finditer(examples[rule.name]):
            for need in rule.needs:
                assert need.any_case.search(match.group()), (rule.name, match.group())
