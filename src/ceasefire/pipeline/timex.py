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
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from ceasefire.pipeline import timex_rules as tr


class Tense(StrEnum):
    """Tense of the clause a date expression sits in."""

    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date expression; ``start``/``end`` are offsets into the text it was found in."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DateInterval:
    """A resolved date: ``start``..``end`` inclusive, ACLED ``time_precision`` 1–3."""

    start: date
    end: date  # == start for a single day
    precision: int  # 1 a day, 2 within a week, 3 a month or more


EXPLICIT_DATE_SLACK_DAYS: Final = 7
"""Tolerance around the anchor when choosing the year of a day-and-month date."""

_WORD = re.compile(r"[A-Za-z’']+(?:-[A-Za-z]+)*")
_Span = tuple[date, date]


class _Refs(NamedTuple):
    anchor: date | None
    tense: Tense
    context: date | None


def find_time_expressions(text: str) -> list[TimeExpression]:
    """Date expressions in ``text``, in order and without overlaps (the longest match wins).

    Spans leave out plain prepositions ("on Friday" → "Friday", "since 2011" → "2011") and keep
    words that change the meaning ("last Friday", "through Wednesday", "early 2015").
    """
    candidates: list[tuple[int, int, int]] = []
    for lo, hi in _windows(text):
        for index, rule in enumerate(tr.RULES):
            for match in rule.pattern.finditer(text, lo, hi):
                start, end = match.span("x")
                if end > start and tr.guard(rule, match, text):
                    candidates.append((start, end, index))
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


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around date-like tokens; only these are searched (a speed-up).

    Every expression contains a trigger token and reaches at most 45 characters before it
    and 70 after it, so searching the merged windows finds the same expressions as searching
    the whole text. Windows end at whitespace so no word is cut.
    """
    windows: list[tuple[int, int]] = []
    for match in tr.TRIGGERS.finditer(text):
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
    refs = _Refs(anchor, Tense(tense), context)
    for candidate in dict.fromkeys((text, text.rstrip("."))):  # "in April." as well
        for rule in tr.RULES:
            match = rule.pattern.fullmatch(candidate)
            try:
                found = _RESOLVERS[rule.name](match, refs) if match else None
            except (ValueError, OverflowError):  # beyond the calendar (year 1 or 9999)
                found = None
            if found is not None:
                return found
    return _dateparser_fallback(text, anchor, refs.tense)


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


# ----------------------------------------------------------------------------------- helpers


def _interval(span: _Span | None, precision: int | None = None) -> DateInterval | None:
    """An interval; precision from its length unless given (1 a day, 2 up to a week, else 3)."""
    if span is None or span[1] < span[0]:
        return None
    if precision is None or span[0] == span[1]:  # a single day is day-precise
        days = (span[1] - span[0]).days
        precision = 1 if days == 0 else 2 if days < 7 else 3
    return DateInterval(span[0], span[1], precision)


def _day(day: date | None) -> DateInterval | None:
    return DateInterval(day, day, 1) if day is not None else None


def _words(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _offset(ref: date, unit: str, count: int) -> DateInterval | None:
    """``count`` units after ``ref`` (before if negative), at the precision the unit allows."""
    if unit == "day":
        return _day(ref + timedelta(days=count))
    if unit == "week":
        target = ref + timedelta(days=7 * count)
        return _interval((target - timedelta(days=3), target + timedelta(days=3)), 2)
    if unit == "month":
        return _interval(tr.unit_bounds(tr.add_months(ref, count), "month"), 3)
    return _interval((date(ref.year + count, 1, 1), date(ref.year + count, 12, 31)), 3)


def _window(anchor: date, unit: str, count: int, forward: bool) -> DateInterval | None:
    """``count`` units ending at the anchor (starting at it when ``forward``)."""
    one = timedelta(days=1)
    if unit in {"day", "week"}:
        length = timedelta(days=count * (7 if unit == "week" else 1)) - one
        return _interval((anchor, anchor + length) if forward else (anchor - length, anchor))
    months = count * (12 if unit == "year" else 1)
    if forward:
        return _interval((anchor, tr.add_months(anchor, months) - one))
    return _interval((tr.add_months(anchor, -months) + one, anchor))


# --------------------------------------------------------------------------------- resolvers


def _numeric(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    """Day first (23/10/2020) as written in the region; month first only if the day is > 12."""
    first, second = int(m["day"]), int(m["mon_n"])
    if second > 12 >= first:
        first, second = second, first
    return _day(tr.safe_date(int(m["year"]), second, first))


def _date(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    month = tr.month_number(m["mon"])
    if month is None:
        return None
    day = int(m["day"])
    if m["year"]:
        return _day(tr.safe_date(int(m["year"]), month, day))
    if refs.anchor is None:
        return None

    def build(year: int) -> _Span | None:
        found = tr.safe_date(year, month, day)
        return (found, found) if found else None

    spans = tr.year_candidates(refs.anchor, build)
    return _interval(tr.pick(spans, refs.anchor, refs.tense, EXPLICIT_DATE_SLACK_DAYS))


def _range(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    mon1 = tr.month_number(m["mon"] or m["mon2"])
    mon2 = tr.month_number(m["mon2"] or m["mon"])
    if mon1 is None or mon2 is None:
        return None
    day1, day2 = int(m["day"]), int(m["day2"])

    def build(year: int) -> _Span | None:
        start = tr.safe_date(year - 1 if (mon1, day1) > (mon2, day2) else year, mon1, day1)
        end = tr.safe_date(year, mon2, day2)
        if start is None or end is None or not 0 < (end - start).days <= 92:
            return None
        return start, end

    if m["year"]:
        return _interval(build(int(m["year"])))
    if refs.anchor is None:
        return None
    spans = tr.year_candidates(refs.anchor, build)
    return _interval(tr.pick(spans, refs.anchor, refs.tense, EXPLICIT_DATE_SLACK_DAYS))


def _month_range(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    first, last = tr.month_number(m["mon"]), tr.month_number(m["mon2"])
    if first is None or last is None or first == last:
        return None

    def build(year: int) -> _Span:
        return date(year - 1 if first > last else year, first, 1), tr.month_bounds(year, last)[1]

    if m["year"]:
        return _interval(build(int(m["year"])), 3)
    if refs.anchor is None:
        return None
    return _interval(tr.pick(tr.year_candidates(refs.anchor, build), refs.anchor, refs.tense, 0), 3)


def _month(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    month, anchor, mod = tr.month_number(m["mon"]), refs.anchor, m["mod"]
    if month is None:
        return None
    if m["year"]:
        return _interval(tr.part_of_month(int(m["year"]), month, mod), 3)
    if anchor is None:
        return None
    rel = _words(m["rel"])
    spans = tr.year_candidates(anchor, lambda y: tr.part_of_month(y, month, mod))
    own = tr.month_bounds(anchor.year, anchor.month)
    if rel in {"last", "past", "this past"}:
        return _interval([s for s in spans if s[1] < own[0]][-1], 3)
    if rel in {"next", "coming"}:
        return _interval(next(s for s in spans if s[0] > own[1]), 3)
    if rel == "this":
        return _interval(tr.part_of_month(anchor.year, month, mod), 3)
    return _interval(tr.pick(spans, anchor, refs.tense, 0), 3)


def _year_range(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    first, last = tr.year_pair(m["year"], m["year2"])
    if not first < last <= first + 30:
        return None
    return _interval((date(first, 1, 1), date(last, 12, 31)), 3)


def _decade(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    start = int(m["dec"])
    first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(_words(m["mod"]), (0, 9))
    return _interval((date(start + first, 1, 1), date(start + last, 12, 31)), 3)


def _year(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    return _interval(tr.part_of_year(int(m["year"]), m["mod"]), 3)


def _weekday(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    anchor = refs.anchor
    if anchor is None:
        return None
    weekday, rel, week = tr.WEEKDAYS[m["wd"].lower()], _words(m["rel"]), _words(m["wk"])
    if not m["op"]:
        return _day(tr.weekday_date(anchor, weekday, refs.tense, rel, week))
    if rel or week:  # "until next Monday", "through Friday last week"
        end = tr.weekday_date(anchor, weekday, Tense.FUTURE, rel, week)
    else:  # "through Wednesday": from the anchor to the first Wednesday on or after it
        end = anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return _interval((min(anchor, end), max(anchor, end)))


def _weekday_range(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    if refs.anchor is None:
        return None
    first = tr.weekday_date(refs.anchor, tr.WEEKDAYS[m["wd"].lower()], refs.tense)
    last = first + timedelta(days=(tr.WEEKDAYS[m["wd2"].lower()] - first.weekday()) % 7)
    return _interval((first, last))


def _rel_day(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    if refs.anchor is None:
        return None
    word = _words(m["word"])
    offset = tr.REL_DAYS.get(word, 0 if refs.tense is Tense.FUTURE else -1)  # else: overnight
    return _day(refs.anchor + timedelta(days=offset))


def _count_offset(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    """ "three days ago" from the anchor; "two days later", "a day earlier" from the context."""
    ago = m.groupdict().get("dir") is None
    ref, count = refs.anchor if ago else refs.context or refs.anchor, tr.small_number(m["n"])
    if ref is None or count is None:
        return None
    sign = -1 if ago or _words(m["dir"]) in {"earlier", "before", "prior"} else 1
    found = _offset(ref, m["unit"].lower(), sign * count)
    if ago and found is not None and found.start <= ref < found.end:  # not past the anchor
        return DateInterval(found.start, ref, found.precision)
    return found


def _ctx_day(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    ref = refs.context or refs.anchor
    if ref is None:
        return None
    if m["unit2"]:
        unit, step = m["unit2"].lower(), -1 if m["dir"].lower() == "before" else 1
    else:
        unit = m["unit"].lower()
        step = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "prior": -1}.get(
            _words(m["which"]), 0
        )
    if unit not in {"week", "month", "year"}:
        return _day(ref + timedelta(days=step))
    pre = _words(m["pre"])
    if step == 0 and pre in {"earlier", "later"}:  # "later that month"
        whole = tr.unit_bounds(ref, unit)
        return _interval((whole[0], ref) if pre == "earlier" else (ref, whole[1]), _precision(unit))
    if unit == "week":
        return _interval(tr.week_bounds(ref + timedelta(days=7 * step)), 2)
    return _offset(ref, unit, step)


def _precision(unit: str) -> int:
    return 2 if unit in {"week", "weekend"} else 3


def _trailing(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    if refs.anchor is None:
        return None
    unit = (m["unit"] or m["unit2"]).lower()
    default = {"day": 7, "week": 4, "month": 3, "year": 3}[unit]
    count = tr.small_number(m["n"]) or default
    forward = _words(m["dir"]) in {"coming", "next"}
    return _window(refs.anchor, unit, count, forward)


def _rel_unit(m: re.Match[str], refs: _Refs) -> DateInterval | None:
    anchor = refs.anchor
    if anchor is None:
        return None
    rel, unit, pre = _words(m["rel"]), m["unit"].lower(), _words(m["pre"])
    if unit == "weekend":
        return _interval(tr.weekend(anchor, rel, refs.tense), 2)
    if rel in {"the past", "the last", "this past", "past"}:
        return _window(anchor, unit, 1, forward=False)
    step = {"last": -1, "next": 1, "coming": 1, "the coming": 1}.get(rel, 0)
    if step == 0 and pre in {"earlier", "later"}:  # "earlier this month": the 1st to the anchor
        whole = tr.unit_bounds(anchor, unit)
        part = (whole[0], anchor) if pre == "earlier" else (anchor, whole[1])
        return _interval(part, _precision(unit))
    pre = {"earlier": "early", "later": "late"}.get(pre, pre)
    if unit == "week":
        return _interval(tr.part_of_week(anchor + timedelta(days=7 * step), pre), 2)
    if unit == "month":
        moved = tr.add_months(anchor, step)
        return _interval(tr.part_of_month(moved.year, moved.month, pre), 3)
    return _interval(tr.part_of_year(anchor.year + step, pre), 3)


_RESOLVERS: Final[Mapping[str, Callable[[re.Match[str], _Refs], DateInterval | None]]] = (
    MappingProxyType(
        {"numeric": _numeric, "range": _range, "date": _date, "month_range": _month_range}
        | {"month": _month, "year_range": _year_range, "decade": _decade, "year": _year}
        | {"weekday_range": _weekday_range, "weekday": _weekday, "rel_day": _rel_day}
        | {
            "ago": _count_offset,
            "ctx_offset": _count_offset,
            "ctx_day": _ctx_day,
            "trailing": _trailing,
        }
        | {"rel_unit": _rel_unit}
    )
)


def _dateparser_fallback(text: str, anchor: date | None, tense: Tense) -> DateInterval | None:
    """Ask dateparser about one short expression, relative to the anchor (never the clock)."""
    if anchor is None or len(text) > 60 or not tr.FALLBACK_WORTHY.search(text):
        return None
    prefer = {Tense.PAST: "past", Tense.FUTURE: "future"}.get(tense, "current_period")
    settings = {"RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day)}
    try:
        module: Any = importlib.import_module("dateparser.date")
        parser = module.DateDataParser(
            languages=["en"],
            settings=settings | {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"},
        )
        data = parser.get_date_data(text)
    except Exception:  # an optional helper: any failure means "not understood"
        return None
    found = getattr(data, "date_obj", None)
    if not isinstance(found, datetime):
        return None
    day, period = found.date(), str(getattr(data, "period", "day"))
    if period in {"week", "month", "year"}:
        return _interval(tr.unit_bounds(day, period), _precision(period))
    return _day(day)
