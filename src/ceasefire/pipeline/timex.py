"""Date expressions in news sentences: find them, then resolve them against the publication date.

:func:`find_time_expressions` returns spans of date expressions (patterns and guards are in
:mod:`ceasefire.pipeline.timex_rules`). :func:`resolve` turns one expression into a
:class:`DateInterval` with ACLED ``time_precision`` (1 a day, 2 within a week, 3 a month or more)
from the ``anchor`` (publication date), the ``tense`` of the clause, and a ``context`` date
already established in the same article.

Resolution rules:

- **No clock.** Nothing reads today's date. Without an anchor only expressions carrying their
  own year resolve ("19 February 2020", "in April 2019", "in 2011", "the 2019–2020 war"), plus
  context-relative ones ("the next day") when a ``context`` date is given.
- **Weekdays.** Past: the most recent such day on or before the anchor. "On Wednesday" in a
  Wednesday story is the anchor day itself, because wire copy names the publication day's
  weekday for that day's events ("dashed hopes … Wednesday" in a Wednesday story). Future: the
  first such day strictly after the anchor. Present: the nearest such day (at most three days
  away). "last Friday" is strictly before the anchor, "next/coming Sunday" strictly after,
  "this Friday" in the anchor's Monday–Sunday week, "Monday last week" in the week before.
  Parts of the day ("Tuesday evening", "late on Tuesday", "Saturday night") keep the day;
  "through/until Wednesday" runs from the anchor to the first Wednesday on or after it.
- **Months.** Past: the latest such month starting on or before the anchor ("in April" in a
  February story is last April); future: the first such month not yet over; present: the month
  containing or nearest the anchor. "last April" is the latest April before the anchor's month,
  "next April" the first after it. Precision 3; early/mid/late are days 1–10, 11–20, 21–end.
- **Day and month without a year** ("Feb. 26", "on 23 October") and day ranges: the year that
  puts the date nearest the anchor in the direction of the tense, with a tolerance of
  :data:`EXPLICIT_DATE_SLACK_DAYS` (past: not after anchor + 7 days; future: not before
  anchor − 7 days). The brief says one day; a week is used because a date a few days off the
  anchor is far more often a misread tense ("said he expected talks to convene on Feb. 26")
  than an event a whole year away.
- **Ranges** ("from 2 to 4 November", "Nov. 2-4", "between 18 and 19 February", "Monday and
  Tuesday"): precision 1 for one day, 2 up to seven days, 3 beyond.
- **Relative.** yesterday/today/tomorrow/tonight; "overnight" is the night before the anchor
  (its previous day; the anchor itself in a future clause); this/last/next week (Monday–Sunday,
  precision 2), month and year (precision 3); "earlier this month" runs from the 1st to the
  anchor, "later this year" from the anchor to 31 December; "N days ago" is that day, "N weeks
  ago" the seven days around it (precision 2), "N months/years ago" that calendar month/year;
  "the past week", "the last three days", "in recent weeks" are windows ending at the anchor;
  "a day earlier", "the next day", "two days later", "that day" count from ``context`` if
  given, else from the anchor ("a day after the talks" names another event and is not found).

``dateparser`` is only a fallback for text that none of our rules parses (say a date entity
from another tagger): imported lazily, given only short text with a digit or a date word, and
always given the anchor as its relative base.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from ceasefire.pipeline import timex_rules as tr
from ceasefire.pipeline.literals import Need, folded, has_all
from ceasefire.pipeline.timex_resolve import (
    EXPLICIT_DATE_SLACK_DAYS,
    RESOLVERS,
    DateInterval,
    Refs,
    Tense,
    dateparser_fallback,
)

__all__ = [
    "EXPLICIT_DATE_SLACK_DAYS",
    "DateInterval",
    "Tense",
    "TimeExpression",
    "find_time_expressions",
    "resolve",
    "tense_of",
]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date expression; ``start``/``end`` are offsets into the text it was found in."""

    start: int
    end: int
    text: str


_WORD = re.compile(r"[A-Za-z’']+(?:-[A-Za-z]+)*")


def find_time_expressions(text: str) -> list[TimeExpression]:
    """Date expressions in ``text``, in order and without overlaps (the longest match wins).

    Spans leave out plain prepositions ("on Friday" → "Friday", "since 2011" → "2011") and keep
    words that change the meaning ("last Friday", "through Wednesday", "early 2015").
    """
    lower = folded(text)  # if not None, searched case-sensitively (see literals)
    candidates: list[tuple[int, int, int]] = []
    for lo, hi in _windows(text, lower):
        seen: dict[Need, bool] = {}  # a rule runs only where its words are (Rule.needs)
        for index, rule in enumerate(tr.RULES):
            if has_all(rule.needs, text, lower, lo, hi, seen):
                candidates += _matches(rule, index, text, lo, hi)
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    starts: list[int] = []
    ends: list[int] = []
    for start, end, _ in candidates:
        at = bisect.bisect_left(starts, start)
        if (at > 0 and ends[at - 1] > start) or (at < len(starts) and starts[at] < end):
            continue
        starts.insert(at, start)
        ends.insert(at, end)
    return [TimeExpression(s, e, text[s:e]) for s, e in zip(starts, ends, strict=True)]


def _matches(rule: tr.Rule, index: int, text: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """Spans of ``rule`` in ``text[lo:hi]`` that pass its guard, tagged with the rule's index."""
    found: list[tuple[int, int, int]] = []
    for match in rule.pattern.finditer(text, lo, hi):
        start, end = match.span("x")
        if end > start and tr.guard(rule, match, text):
            found.append((start, end, index))
    return found


def _windows(text: str, lower: str | None) -> list[tuple[int, int]]:
    """Stretches of text around date-like tokens; only these are searched (a speed-up).

    Every expression contains a trigger token and reaches at most 45 characters before it
    and 70 after it, so searching the merged windows finds the same expressions as searching
    the whole text. Windows end at whitespace so no word is cut. ``lower`` is ``folded(text)``.
    """
    windows: list[tuple[int, int]] = []
    for match in tr.TRIGGERS.finditer(text, lower):
        lo, hi = max(0, match.start() - 45), match.end() + 70
        space = text.find(" ", hi)
        hi = len(text) if space < 0 else space
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def resolve(
    expr: TimeExpression,
    anchor: date | None,
    tense: Tense = Tense.PAST,
    context: date | None = None,
) -> DateInterval | None:
    """The interval ``expr`` denotes, or ``None`` if it cannot be placed (see the module doc)."""
    text = " ".join(expr.text.split()).strip(" ,;:")
    if not text or len(text) > 200:
        return None
    refs = Refs(anchor, Tense(tense), context)
    for candidate in dict.fromkeys((text, text.rstrip("."))):  # "in April." as well
        for rule in tr.RULES:
            match = rule.pattern.fullmatch(candidate)
            try:
                found = RESOLVERS[rule.name](match, refs) if match else None
            except (ValueError, OverflowError):  # beyond the calendar (year 1 or 9999)
                found = None
            if found is not None:
                return found
    return dateparser_fallback(text, anchor, refs.tense)


def tense_of(text: str) -> Tense:
    """A cheap tense guess from cue words, for when no dependency parse is available.

    FUTURE if a future cue occurs: will/'ll/shall/won't, "is/are (due/set/scheduled/expected)
    to", "scheduled", "plans to", "planned", "expected … to", "intends/aims to", "would" (not
    "would have"), "upcoming", "tomorrow", "next week/…", "in the coming", "due to begin/meet/…".
    Otherwise PAST on a past cue: an irregular past form or past-time word (said, was, met,
    yesterday, ago, "last week"), a present perfect ("has been", "have killed"), or a lower-case
    "-ed" word that is not a known adjective and does not follow an article or a form of "be"
    ("the alleged", "are backed" do not count). Otherwise PRESENT. Future wins over past, so pass
    the clause around an expression rather than a whole long sentence.
    """
    if tr.FUTURE_CUES.search(text):
        return Tense.FUTURE
    if tr.PAST_CUES.search(text):
        return Tense.PAST
    previous = ""
    for match in _WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower in tr.PAST_WORDS or (
            word.islower()
            and len(word) > 4
            and word.endswith("ed")
            and "-" not in word
            and lower not in tr.ED_ADJECTIVES
            and previous not in tr.NOT_VERB_BEFORE
        ):
            return Tense.PAST
        previous = lower
    return Tense.PRESENT
