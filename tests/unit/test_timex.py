"""Finding and resolving date expressions (ceasefire.pipeline.timex)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.pipeline import timex
from ceasefire.pipeline.timex import (
    DateInterval,
    Tense,
    TimeExpression,
    find_time_expressions,
    resolve,
    tense_of,
)

SAT = date(2020, 2, 22)  # a Saturday
WED = date(2020, 2, 19)  # a Wednesday
PAST, PRESENT, FUTURE = Tense.PAST, Tense.PRESENT, Tense.FUTURE


def texts(sentence: str) -> list[str]:
    return [e.text for e in find_time_expressions(sentence)]


def only(sentence: str) -> TimeExpression:
    found = find_time_expressions(sentence)
    assert len(found) == 1, found
    return found[0]


def interval(start: date, end: date | None = None, precision: int = 1) -> DateInterval:
    return DateInterval(start, end or start, precision)


def day(y: int, m: int, d: int) -> DateInterval:
    return interval(date(y, m, d))


def month(y: int, m: int, first: int = 1, last: int | None = None) -> DateInterval:
    import calendar

    end = last or calendar.monthrange(y, m)[1]
    return interval(date(y, m, first), date(y, m, end), 3)


def year(y: int, first: tuple[int, int] = (1, 1), last: tuple[int, int] = (12, 31)) -> DateInterval:
    return interval(date(y, *first), date(y, *last), 3)


# ------------------------------------------------------------------------------------ finding


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Salame told Reuters on Friday.", ["Friday"]),
        ("The talks broke down late on Tuesday after the attack.", ["late on Tuesday"]),
        (
            "Haftar on Monday evening asked until Tuesday morning to look.",
            ["Monday evening", "until Tuesday morning"],
        ),
        ("It happened Saturday night.", ["Saturday night"]),
        ("Haftar launched an offensive in April.", ["April"]),
        ("fighting since early April", ["early April"]),
        ("talks to convene on Feb. 26 in Geneva", ["Feb. 26"]),
        ("Published 19 February 2020", ["19 February 2020"]),
        ("signed on 23/10/2020 and on 2020-10-23", ["23/10/2020", "2020-10-23"]),
        ("meetings from 2 to 4 November", ["from 2 to 4 November"]),
        ("meetings 2–4 Nov in Tunis", ["2–4 Nov"]),
        ("between 18 and 19 February", ["between 18 and 19 February"]),
        ("on Nov. 2-4 in Ghadames", ["Nov. 2-4"]),
        ("the meetings through Wednesday would discuss", ["through Wednesday"]),
        ("a truce declared last month", ["last month"]),
        ("talks ended earlier this month", ["earlier this month"]),
        ("chaos since 2011 when a NATO-backed uprising", ["2011"]),
        ("after the 2011 NATO-backed uprising", ["2011"]),
        ("the 2019–2020 war over Tripoli", ["2019–2020"]),
        ("taken over by ISIL in early 2015", ["early 2015"]),
        ("with US air raids in late 2016.", ["late 2016"]),
        ("a truce agreed to in mid-January.", ["mid-January"]),
        ("the assault began nearly a year ago in April", ["nearly a year ago", "April"]),
        ("A day earlier, Salame had said", ["A day earlier"]),
        ("The next day the talks resumed.", ["The next day"]),
        ("Two days later, fighting resumed.", ["Two days later"]),
        ("on Monday last week", ["Monday last week"]),
        ("over the weekend", ["the weekend"]),
        ("Wednesday, Feb. 19, 2020 was calm", ["Wednesday, Feb. 19, 2020"]),
        ("the 19th of February", ["the 19th of February"]),
        ("in the 1990s", ["the 1990s"]),
        ("since last year's attack", ["last year"]),
        ("in recent weeks", ["recent weeks"]),
        ("violations by Haftar's forces overnight", ["overnight"]),
        ("The October cease-fire deal", ["October"]),
        ("by the end of 2020", ["the end of 2020"]),
        ("in May", ["May"]),
        ("on 31 February", ["February"]),  # no such day: only the month is a date
        ("May 2020", ["May 2020"]),
        ("on May 5", ["May 5"]),
        ("on 5 May", ["5 May"]),
        ("in early May", ["early May"]),
        ("the 5+5 military commission met in Geneva in April.", ["April"]),
    ],
)
def test_finds_expressions(sentence: str, expected: list[str]) -> None:
    assert texts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "we met them",
        "Talks may resume soon.",
        "May God protect them.",
        "Protesters will march on Tripoli.",
        "March on Tripoli, they said.",
        "They sat in the sun on wed afternoon in mar",
        "A second round began",
        "the 5+5 joint military commission",
        "more than 280 civilians",
        "roughly 2,000 fighters",
        "under the 1970 resolution",
        "Resolution 1970 imposed an embargo",
        "the 1500 fighters",
        "sent by 2000 troops",
        "Jan. said",
        "a day after the only functioning airport closed",
        "two weeks after the two sides signed",
        "the last week of fighting",
        "a year-long battle",
        "Good Friday",
        "",
    ],
)
def test_ordinary_words_are_not_dates(sentence: str) -> None:
    assert texts(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("in 1970", ["1970"]),
        ("since 2011", ["2011"]),
        ("until 2021", ["2021"]),
        ("the 2011 uprising", ["2011"]),
        ("the 2011 revolution", ["2011"]),
        ("2019 elections", ["2019"]),
        ("a 2014 civil war", ["2014"]),
        ("by 2021", ["2021"]),
        ("in 2011 rebels toppled him", ["2011"]),
        ("mid-2019", ["mid-2019"]),
    ],
)
def test_years_in_year_positions(sentence: str, expected: list[str]) -> None:
    assert texts(sentence) == expected


def test_spans_index_the_text() -> None:
    text = "On Friday, and on 19 February 2020, and two days later, in April 2019; since 2011."
    for expr in find_time_expressions(text):
        assert text[expr.start : expr.end] == expr.text
    assert texts(text) == ["Friday", "19 February 2020", "two days later", "April 2019", "2011"]


# ---------------------------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("sentence", "anchor", "tense", "expected"),
    [
        # weekdays
        ("on Friday", SAT, PAST, day(2020, 2, 21)),
        ("Friday", SAT, PAST, day(2020, 2, 21)),
        ("on Saturday", SAT, PAST, day(2020, 2, 22)),  # the anchor's own weekday: the anchor
        ("on Wednesday", WED, PAST, day(2020, 2, 19)),
        ("late on Tuesday", WED, PAST, day(2020, 2, 18)),
        ("said Sunday", WED, PAST, day(2020, 2, 16)),
        ("on Monday", WED, PAST, day(2020, 2, 17)),
        ("will meet on Sunday", SAT, FUTURE, day(2020, 2, 23)),
        ("on Saturday", SAT, FUTURE, day(2020, 2, 29)),  # future: strictly after the anchor
        ("on Wednesday", SAT, FUTURE, day(2020, 2, 26)),
        ("on Sunday", SAT, PRESENT, day(2020, 2, 23)),  # present: the nearest
        ("on Thursday", SAT, PRESENT, day(2020, 2, 20)),
        ("on Tuesday", SAT, PRESENT, day(2020, 2, 25)),
        ("Tuesday evening", SAT, PAST, day(2020, 2, 18)),
        ("on Monday evening", SAT, PAST, day(2020, 2, 17)),
        ("Saturday night", SAT, PAST, day(2020, 2, 22)),
        ("last Friday", SAT, PAST, day(2020, 2, 21)),
        ("last Saturday", SAT, PAST, day(2020, 2, 15)),
        ("next Sunday", SAT, PAST, day(2020, 2, 23)),
        ("this Friday", WED, FUTURE, day(2020, 2, 21)),
        ("this Monday", WED, PAST, day(2020, 2, 17)),
        ("on Monday last week", SAT, PAST, day(2020, 2, 10)),
        ("on Friday next week", WED, FUTURE, day(2020, 2, 28)),
        (
            "through Wednesday",
            date(2020, 11, 2),
            FUTURE,
            interval(date(2020, 11, 2), date(2020, 11, 4), 2),
        ),
        ("through Wednesday", WED, PAST, day(2020, 2, 19)),
        ("until Tuesday morning", date(2020, 1, 14), PAST, day(2020, 1, 14)),
        ("from Tuesday to Thursday", SAT, PAST, interval(date(2020, 2, 18), date(2020, 2, 20), 2)),
        ("overnight", SAT, PAST, day(2020, 2, 21)),
        ("overnight", SAT, FUTURE, day(2020, 2, 22)),
        # months
        ("in April", SAT, PAST, month(2019, 4)),
        ("in April", SAT, FUTURE, month(2020, 4)),
        ("in February", SAT, PAST, month(2020, 2)),
        ("in February", SAT, FUTURE, month(2020, 2)),
        ("in January", SAT, PRESENT, month(2020, 1)),
        ("since April", date(2020, 1, 14), PAST, month(2019, 4)),
        ("in June", date(2020, 11, 2), PAST, month(2020, 6)),
        ("in November", SAT, PAST, month(2019, 11)),
        ("in April 2019", SAT, FUTURE, month(2019, 4)),
        ("April 2019", SAT, PAST, month(2019, 4)),
        ("in mid-January", date(2020, 2, 5), PAST, month(2020, 1, 11, 20)),
        ("since early April", date(2020, 6, 5), PAST, month(2020, 4, 1, 10)),
        ("in late March 2019", SAT, PAST, month(2019, 3, 21)),
        ("last April", date(2020, 4, 20), PAST, month(2019, 4)),
        ("next April", date(2020, 4, 20), FUTURE, month(2021, 4)),
        ("The October cease-fire deal", date(2020, 11, 2), PAST, month(2020, 10)),
        (
            "between January and March 2020",
            SAT,
            PAST,
            interval(date(2020, 1, 1), date(2020, 3, 31), 3),
        ),
        ("from November to January", SAT, PAST, interval(date(2019, 11, 1), date(2020, 1, 31), 3)),
        # explicit dates
        ("on Feb. 26", SAT, FUTURE, day(2020, 2, 26)),
        ("on Feb. 26", SAT, PAST, day(2020, 2, 26)),  # within the 7-day tolerance
        ("on Jan. 19", WED, PAST, day(2020, 1, 19)),
        ("on 19 February 2020", None, PAST, day(2020, 2, 19)),
        ("on Oct. 23", date(2020, 11, 2), PAST, day(2020, 10, 23)),
        ("on 23 October", SAT, PAST, day(2019, 10, 23)),
        ("on 23 October", SAT, FUTURE, day(2020, 10, 23)),
        ("on Dec. 30", date(2020, 1, 3), PAST, day(2019, 12, 30)),
        ("on Jan. 3", date(2019, 12, 30), FUTURE, day(2020, 1, 3)),
        ("scheduled Nov. 9", date(2020, 11, 2), FUTURE, day(2020, 11, 9)),
        ("23/10/2020", None, PAST, day(2020, 10, 23)),
        ("10/23/2020", None, PAST, day(2020, 10, 23)),
        ("2020-10-23", None, PAST, day(2020, 10, 23)),
        ("Feb. 18, 2020", None, PAST, day(2020, 2, 18)),
        ("the 19th of February", SAT, PAST, day(2020, 2, 19)),
        ("February 19th", SAT, PAST, day(2020, 2, 19)),
        ("Wednesday, Feb. 19", SAT, PAST, day(2020, 2, 19)),
        ("on 29 February", date(2021, 3, 10), PAST, day(2020, 2, 29)),
        # ranges
        (
            "from 2 to 4 November",
            date(2020, 11, 1),
            FUTURE,
            interval(date(2020, 11, 2), date(2020, 11, 4), 2),
        ),
        ("2–4 Nov", date(2020, 11, 1), FUTURE, interval(date(2020, 11, 2), date(2020, 11, 4), 2)),
        (
            "between 18 and 19 February",
            SAT,
            PAST,
            interval(date(2020, 2, 18), date(2020, 2, 19), 2),
        ),
        ("Nov. 2-4", date(2020, 11, 1), FUTURE, interval(date(2020, 11, 2), date(2020, 11, 4), 2)),
        ("from 1 to 20 March 2020", None, PAST, interval(date(2020, 3, 1), date(2020, 3, 20), 3)),
        (
            "30 December to 2 January 2020",
            None,
            PAST,
            interval(date(2019, 12, 30), date(2020, 1, 2), 2),
        ),
        # relative to the anchor
        ("yesterday", SAT, PAST, day(2020, 2, 21)),
        ("today", SAT, PAST, day(2020, 2, 22)),
        ("tomorrow", SAT, FUTURE, day(2020, 2, 23)),
        ("tonight", SAT, FUTURE, day(2020, 2, 22)),
        ("last night", SAT, PAST, day(2020, 2, 21)),
        ("this week", SAT, PAST, interval(date(2020, 2, 17), date(2020, 2, 23), 2)),
        ("last week", SAT, PAST, interval(date(2020, 2, 10), date(2020, 2, 16), 2)),
        ("next week", SAT, FUTURE, interval(date(2020, 2, 24), date(2020, 3, 1), 2)),
        ("earlier this week", SAT, PAST, interval(date(2020, 2, 17), date(2020, 2, 22), 2)),
        ("this month", SAT, PAST, month(2020, 2)),
        ("last month", SAT, PAST, month(2020, 1)),
        ("last month", date(2020, 1, 14), PAST, month(2019, 12)),
        ("next month", SAT, FUTURE, month(2020, 3)),
        ("earlier this month", SAT, PAST, month(2020, 2, 1, 22)),
        ("later this month", SAT, FUTURE, month(2020, 2, 22)),
        ("last year", SAT, PAST, year(2019)),
        ("this year", SAT, PAST, year(2020)),
        ("next year", SAT, FUTURE, year(2021)),
        ("earlier this year", SAT, PAST, year(2020, last=(2, 22))),
        ("late last year", SAT, PAST, year(2019, first=(9, 1))),
        ("in 2011", SAT, PAST, year(2011)),
        ("in 2011", None, PAST, year(2011)),
        ("in late 2016", None, PAST, year(2016, first=(9, 1))),
        ("in early 2015", None, PAST, year(2015, last=(4, 30))),
        ("in mid-2019", None, PAST, year(2019, (5, 1), (8, 31))),
        ("the first half of 2019", None, PAST, year(2019, last=(6, 30))),
        ("the 2019–2020 war", None, PAST, interval(date(2019, 1, 1), date(2020, 12, 31), 3)),
        ("in the 1990s", None, PAST, interval(date(1990, 1, 1), date(1999, 12, 31), 3)),
        ("nearly a year ago", date(2020, 2, 5), PAST, year(2019)),
        ("a week ago", SAT, PAST, interval(date(2020, 2, 12), date(2020, 2, 18), 2)),
        ("three days ago", SAT, PAST, day(2020, 2, 19)),
        ("two months ago", SAT, PAST, month(2019, 12)),
        ("last weekend", SAT, PAST, interval(date(2020, 2, 15), date(2020, 2, 16), 2)),
        (
            "last weekend",
            date(2020, 2, 24),
            PAST,
            interval(date(2020, 2, 22), date(2020, 2, 23), 2),
        ),
        (
            "over the weekend",
            date(2020, 2, 24),
            PAST,
            interval(date(2020, 2, 22), date(2020, 2, 23), 2),
        ),
        ("next weekend", WED, FUTURE, interval(date(2020, 2, 22), date(2020, 2, 23), 2)),
        ("the past week", SAT, PAST, interval(date(2020, 2, 16), date(2020, 2, 22), 2)),
        ("the last three days", SAT, PAST, interval(date(2020, 2, 20), date(2020, 2, 22), 2)),
        ("in recent weeks", SAT, PAST, interval(date(2020, 1, 26), date(2020, 2, 22), 3)),
        ("in the coming days", SAT, FUTURE, interval(date(2020, 2, 22), date(2020, 2, 28), 2)),
    ],
)
def test_resolve(sentence: str, anchor: date | None, tense: Tense, expected: DateInterval) -> None:
    assert resolve(only(sentence), anchor, tense) == expected


CONTEXT = date(2020, 2, 10)


@pytest.mark.parametrize(
    ("sentence", "with_context", "without_context"),
    [
        ("A day earlier, Salame said", day(2020, 2, 9), day(2020, 2, 21)),
        ("the day before,", day(2020, 2, 9), day(2020, 2, 21)),
        ("the previous day", day(2020, 2, 9), day(2020, 2, 21)),
        ("the next day", day(2020, 2, 11), day(2020, 2, 23)),
        ("the following day", day(2020, 2, 11), day(2020, 2, 23)),
        ("two days later", day(2020, 2, 12), day(2020, 2, 24)),
        ("the same day", day(2020, 2, 10), day(2020, 2, 22)),
        ("that day", day(2020, 2, 10), day(2020, 2, 22)),
        ("later that day", day(2020, 2, 10), day(2020, 2, 22)),
        ("a week later", interval(date(2020, 2, 14), date(2020, 2, 20), 2), None),
        ("the following week", interval(date(2020, 2, 17), date(2020, 2, 23), 2), None),
        ("the following month", month(2020, 3), None),
        ("the previous year", year(2019), year(2019)),
    ],
)
def test_context_relative(
    sentence: str, with_context: DateInterval, without_context: DateInterval | None
) -> None:
    expr = only(sentence)
    assert resolve(expr, SAT, PAST, context=CONTEXT) == with_context
    if without_context is not None:
        assert resolve(expr, SAT, PAST) == without_context
    assert resolve(expr, None, PAST, context=CONTEXT) == with_context  # an explicit reference
    assert resolve(expr, None, PAST) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "on Friday",
        "in April",
        "Feb. 26",
        "yesterday",
        "last week",
        "this month",
        "last year",
        "three days ago",
        "nearly a year ago",
        "the next day",
        "through Wednesday",
        "over the weekend",
        "in recent weeks",
        "from 2 to 4 November",
        "mid-January",
        "overnight",
    ],
)
def test_nothing_relative_resolves_without_an_anchor(sentence: str) -> None:
    assert resolve(only(sentence), None, PAST) is None


def test_resolve_accepts_prepositions_and_arbitrary_expressions() -> None:
    assert resolve(TimeExpression(0, 9, "on Friday"), SAT) == day(2020, 2, 21)
    assert resolve(TimeExpression(0, 11, "since April"), SAT) == month(2019, 4)
    assert resolve(TimeExpression(0, 8, " in 2011 "), None) == year(2011)
    assert resolve(TimeExpression(0, 0, ""), SAT) is None
    assert resolve(TimeExpression(0, 5, "hello"), SAT) is None


def test_dateparser_is_only_a_guarded_fallback() -> None:
    assert resolve(TimeExpression(0, 8, "the 18th"), SAT) == day(2020, 2, 18)
    assert resolve(TimeExpression(0, 8, "the 18th"), None) is None  # never the clock
    assert resolve(TimeExpression(0, 2, "we"), SAT) is None  # dateparser would say Wednesday
    assert resolve(TimeExpression(0, 3, "wed"), SAT) is None


def test_explicit_date_tolerance_is_a_week() -> None:
    assert timex.EXPLICIT_DATE_SLACK_DAYS == 7
    assert resolve(only("on Feb. 29"), SAT, PAST) == day(2020, 2, 29)
    assert resolve(only("on March 2"), SAT, PAST) == day(2019, 3, 2)
    assert resolve(only("on Feb. 16"), SAT, FUTURE) == day(2020, 2, 16)
    assert resolve(only("on Feb. 10"), SAT, FUTURE) == day(2021, 2, 10)


# -------------------------------------------------------------------------------------- tense


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Haftar will meet Sarraj on Sunday", FUTURE),
        ("they'll meet on Sunday", FUTURE),
        ("talks are to resume on Monday", FUTURE),
        ("the conference is due to open", FUTURE),
        ("political talks scheduled Nov. 9", FUTURE),
        ("Russia plans to host talks", FUTURE),
        ("talks are expected to resume", FUTURE),
        ("he expected political-level talks to convene on Feb. 26", FUTURE),
        ("the meetings through Wednesday would discuss", FUTURE),
        ("it shall enter into force", FUTURE),
        ("Salame told Reuters on Friday", PAST),
        ("Haftar launched an offensive in April", PAST),
        ("rocket fire hit a port", PAST),
        ("2,000 fighters have been killed since April", PAST),
        ("Erdogan last week announced", PAST),
        ("the agreement would have formalised a ceasefire", PAST),
        ("the political will exists", PRESENT),
        ("talks are underway in Geneva", PRESENT),
        ("the armed groups control the city", PRESENT),
        ("Salame says both sides agree", PRESENT),
        ("", PRESENT),
    ],
)
def test_tense_of(clause: str, expected: Tense) -> None:
    assert tense_of(clause) is expected


# ----------------------------------------------------------------------------- the real pages


@pytest.mark.seeds
def test_seed_article_dates(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_d31605bc7ea32a97.txt").read_text(encoding="utf-8")
    story = text[: text.index("Syria Kurdish-led force")]
    resolved = {
        e.text: resolve(e, SAT, tense_of(story[max(0, e.start - 80) : e.end + 20]))
        for e in find_time_expressions(story)
    }
    assert resolved["Friday"] == day(2020, 2, 21)
    assert resolved["Wednesday"] == day(2020, 2, 19)
    assert resolved["Tuesday"] == day(2020, 2, 18)
    assert resolved["Thursday"] == day(2020, 2, 20)
    assert resolved["Feb. 26"] == day(2020, 2, 26)
    assert resolved["last month"] == month(2020, 1)
    assert resolved["2011"] == year(2011)
    assert resolved["April"] == month(2019, 4)


# ------------------------------------------------------------------------------- properties

_DATE_WORDS = st.sampled_from(
    [
        "on Friday",
        "in April",
        "Feb. 26",
        "19 February 2020",
        "last week",
        "in 2011",
        "yesterday",
        "two days later",
        "from 2 to 4 November",
        "mid-2019",
        "the 2011 uprising",
        "May",
        "may",
        "March",
        "2,000",
        "280 civilians",
        "5+5",
        "we",
        "sat",
        "Sunday night",
        "through Wednesday",
        "2020-10-23",
        "23/10/2020",
        "the next day",
        "nearly a year ago",
        "the weekend",
        "1970",
    ]
)
_PROSE = st.lists(st.one_of(_DATE_WORDS, st.text(max_size=12)), max_size=12).map(" ".join)
_ANCHORS = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
_OWN_YEAR = re.compile(r"(?:19|20)\d\d")


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _PROSE))
def test_find_never_raises_and_spans_index_the_text(text: str) -> None:
    previous_end = 0
    for expr in find_time_expressions(text):
        assert text[expr.start : expr.end] == expr.text
        assert expr.start >= previous_end  # ordered, no overlaps
        previous_end = expr.end


@settings(max_examples=300, deadline=None)
@given(text=_PROSE, anchor=_ANCHORS, tense=st.sampled_from(list(Tense)))
def test_resolved_intervals_are_well_formed(text: str, anchor: date | None, tense: Tense) -> None:
    for expr in find_time_expressions(text):
        found = resolve(expr, anchor, tense)
        if found is None:
            continue
        assert found.start <= found.end
        assert found.precision in {1, 2, 3}
        assert (found.start == found.end) == (found.precision == 1)
        if anchor is None:  # no clock: only expressions with their own year resolve
            assert _OWN_YEAR.search(expr.text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(), _DATE_WORDS, _PROSE),
    anchor=st.one_of(st.none(), st.dates()),
    context=st.one_of(st.none(), st.dates()),
    tense=st.sampled_from(list(Tense)),
)
def test_resolve_never_raises(
    text: str, anchor: date | None, context: date | None, tense: Tense
) -> None:
    found = resolve(TimeExpression(0, len(text), text), anchor, tense, context)
    if found is not None:
        assert found.start <= found.end and found.precision in {1, 2, 3}
    if anchor is None and context is None and found is not None:
        assert _OWN_YEAR.search(text)


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(), _PROSE))
def test_windows_do_not_change_what_is_found(text: str) -> None:
    fast = find_time_expressions(text)
    with mock.patch.object(timex, "_windows", lambda t, _lower: [(0, len(t))]):
        slow = find_time_expressions(text)
    assert fast == slow


def test_no_clock_is_read() -> None:
    source = Path(timex.__file__).read_text(encoding="utf-8")
    rules = "".join(
        Path(timex.__file__).with_name(name).read_text(encoding="utf-8")
        for name in ("timex_rules.py", "timex_resolve.py", "timex_calendar.py")
    )
    for forbidden in ("date.today", "datetime.now", "datetime.today", "utcnow", "time.time"):
        assert forbidden not in source and forbidden not in rules
