"""Resolvers of :mod:`ceasefire.pipeline.timex`: one function per kind of date expression, from
the match of its pattern and the references (anchor, tense, context) to a dated interval; and the
dateparser fallback. The rules they follow are described in the timex module."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from ceasefire.pipeline import timex_calendar as cal
from ceasefire.pipeline import timex_rules as tr

_Span = tuple[date, date]


class Tense(StrEnum):
    """Tense of the clause a date expression sits in."""

    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class DateInterval:
    """A resolved date: ``start``..``end`` inclusive, ACLED ``time_precision`` 1–3."""

    start: date
    end: date  # == start for a single day
    precision: int  # 1 a day, 2 within a week, 3 a month or more


EXPLICIT_DATE_SLACK_DAYS: Final = 7
"""Tolerance around the anchor when choosing the year of a day-and-month date."""


class Refs(NamedTuple):
    anchor: date | None
    tense: Tense
    context: date | None


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
        return _interval(cal.unit_bounds(cal.add_months(ref, count), "month"), 3)
    return _interval((date(ref.year + count, 1, 1), date(ref.year + count, 12, 31)), 3)


def _window(anchor: date, unit: str, count: int, forward: bool) -> DateInterval | None:
    """``count`` units ending at the anchor (starting at it when ``forward``)."""
    one = timedelta(days=1)
    if unit in {"day", "week"}:
        length = timedelta(days=count * (7 if unit == "week" else 1)) - one
        return _interval((anchor, anchor + length) if forward else (anchor - length, anchor))
    months = count * (12 if unit == "year" else 1)
    if forward:
        return _interval((anchor, cal.add_months(anchor, months) - one))
    return _interval((cal.add_months(anchor, -months) + one, anchor))


# --------------------------------------------------------------------------------- resolvers


def _numeric(m: re.Match[str], refs: Refs) -> DateInterval | None:
    """Day first (23/10/2020) as written in the region; month first only if the day is > 12."""
    first, second = int(m["day"]), int(m["mon_n"])
    if second > 12 >= first:
        first, second = second, first
    return _day(cal.safe_date(int(m["year"]), second, first))


def _date(m: re.Match[str], refs: Refs) -> DateInterval | None:
    month = tr.month_number(m["mon"])
    if month is None:
        return None
    day = int(m["day"])
    if m["year"]:
        return _day(cal.safe_date(int(m["year"]), month, day))
    if refs.anchor is None:
        return None

    def build(year: int) -> _Span | None:
        found = cal.safe_date(year, month, day)
        return (found, found) if found else None

    spans = cal.year_candidates(refs.anchor, build)
    return _interval(cal.pick(spans, refs.anchor, refs.tense, EXPLICIT_DATE_SLACK_DAYS))


def _range(m: re.Match[str], refs: Refs) -> DateInterval | None:
    mon1 = tr.month_number(m["mon"] or m["mon2"])
    mon2 = tr.month_number(m["mon2"] or m["mon"])
    if mon1 is None or mon2 is None:
        return None
    day1, day2 = int(m["day"]), int(m["day2"])

    def build(year: int) -> _Span | None:
        start = cal.safe_date(year - 1 if (mon1, day1) > (mon2, day2) else year, mon1, day1)
        end = cal.safe_date(year, mon2, day2)
        if start is None or end is None or not 0 < (end - start).days <= 92:
            return None
        return start, end

    if m["year"]:
        return _interval(build(int(m["year"])))
    if refs.anchor is None:
        return None
    spans = cal.year_candidates(refs.anchor, build)
    return _interval(cal.pick(spans, refs.anchor, refs.tense, EXPLICIT_DATE_SLACK_DAYS))


def _month_range(m: re.Match[str], refs: Refs) -> DateInterval | None:
    first, last = tr.month_number(m["mon"]), tr.month_number(m["mon2"])
    if first is None or last is None or first == last:
        return None

    def build(year: int) -> _Span:
        return date(year - 1 if first > last else year, first, 1), cal.month_bounds(year, last)[1]

    if m["year"]:
        return _interval(build(int(m["year"])), 3)
    if refs.anchor is None:
        return None
    return _interval(
        cal.pick(cal.year_candidates(refs.anchor, build), refs.anchor, refs.tense, 0), 3
    )


def _month(m: re.Match[str], refs: Refs) -> DateInterval | None:
    month, anchor, mod = tr.month_number(m["mon"]), refs.anchor, m["mod"]
    if month is None:
        return None
    if m["year"]:
        return _interval(cal.part_of_month(int(m["year"]), month, mod), 3)
    if anchor is None:
        return None
    rel = _words(m["rel"])
    spans = cal.year_candidates(anchor, lambda y: cal.part_of_month(y, month, mod))
    own = cal.month_bounds(anchor.year, anchor.month)
    if rel in {"last", "past", "this past"}:
        return _interval([s for s in spans if s[1] < own[0]][-1], 3)
    if rel in {"next", "coming"}:
        return _interval(next(s for s in spans if s[0] > own[1]), 3)
    if rel == "this":
        return _interval(cal.part_of_month(anchor.year, month, mod), 3)
    return _interval(cal.pick(spans, anchor, refs.tense, 0), 3)


def _year_range(m: re.Match[str], refs: Refs) -> DateInterval | None:
    first, last = tr.year_pair(m["year"], m["year2"])
    if not first < last <= first + 30:
        return None
    return _interval((date(first, 1, 1), date(last, 12, 31)), 3)


def _decade(m: re.Match[str], refs: Refs) -> DateInterval | None:
    start = int(m["dec"])
    first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(_words(m["mod"]), (0, 9))
    return _interval((date(start + first, 1, 1), date(start + last, 12, 31)), 3)


def _year(m: re.Match[str], refs: Refs) -> DateInterval | None:
    return _interval(cal.part_of_year(int(m["year"]), m["mod"]), 3)


def _weekday(m: re.Match[str], refs: Refs) -> DateInterval | None:
    anchor = refs.anchor
    if anchor is None:
        return None
    weekday, rel, week = tr.WEEKDAYS[m["wd"].lower()], _words(m["rel"]), _words(m["wk"])
    if not m["op"]:
        return _day(cal.weekday_date(anchor, weekday, refs.tense, rel, week))
    if rel or week:  # "until next Monday", "through Friday last week"
        end = cal.weekday_date(anchor, weekday, Tense.FUTURE, rel, week)
    else:  # "through Wednesday": from the anchor to the first Wednesday on or after it
        end = anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return _interval((min(anchor, end), max(anchor, end)))


def _weekday_range(m: re.Match[str], refs: Refs) -> DateInterval | None:
    if refs.anchor is None:
        return None
    first = cal.weekday_date(refs.anchor, tr.WEEKDAYS[m["wd"].lower()], refs.tense)
    last = first + timedelta(days=(tr.WEEKDAYS[m["wd2"].lower()] - first.weekday()) % 7)
    return _interval((first, last))


def _rel_day(m: re.Match[str], refs: Refs) -> DateInterval | None:
    if refs.anchor is None:
        return None
    word = _words(m["word"])
    offset = tr.REL_DAYS.get(word, 0 if refs.tense is Tense.FUTURE else -1)  # else: overnight
    return _day(refs.anchor + timedelta(days=offset))


def _count_offset(m: re.Match[str], refs: Refs) -> DateInterval | None:
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


def _ctx_day(m: re.Match[str], refs: Refs) -> DateInterval | None:
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
        whole = cal.unit_bounds(ref, unit)
        return _interval((whole[0], ref) if pre == "earlier" else (ref, whole[1]), _precision(unit))
    if unit == "week":
        return _interval(cal.week_bounds(ref + timedelta(days=7 * step)), 2)
    return _offset(ref, unit, step)


def _precision(unit: str) -> int:
    return 2 if unit in {"week", "weekend"} else 3


def _trailing(m: re.Match[str], refs: Refs) -> DateInterval | None:
    if refs.anchor is None:
        return None
    unit = (m["unit"] or m["unit2"]).lower()
    default = {"day": 7, "week": 4, "month": 3, "year": 3}[unit]
    count = tr.small_number(m["n"]) or default
    forward = _words(m["dir"]) in {"coming", "next"}
    return _window(refs.anchor, unit, count, forward)


def _rel_unit(m: re.Match[str], refs: Refs) -> DateInterval | None:
    anchor = refs.anchor
    if anchor is None:
        return None
    rel, unit, pre = _words(m["rel"]), m["unit"].lower(), _words(m["pre"])
    if unit == "weekend":
        return _interval(cal.weekend(anchor, rel, refs.tense), 2)
    if rel in {"the past", "the last", "this past", "past"}:
        return _window(anchor, unit, 1, forward=False)
    step = {"last": -1, "next": 1, "coming": 1, "the coming": 1}.get(rel, 0)
    if step == 0 and pre in {"earlier", "later"}:  # "earlier this month": the 1st to the anchor
        whole = cal.unit_bounds(anchor, unit)
        part = (whole[0], anchor) if pre == "earlier" else (anchor, whole[1])
        return _interval(part, _precision(unit))
    pre = {"earlier": "early", "later": "late"}.get(pre, pre)
    if unit == "week":
        return _interval(cal.part_of_week(anchor + timedelta(days=7 * step), pre), 2)
    if unit == "month":
        moved = cal.add_months(anchor, step)
        return _interval(cal.part_of_month(moved.year, moved.month, pre), 3)
    return _interval(cal.part_of_year(anchor.year + step, pre), 3)


RESOLVERS: Final[Mapping[str, Callable[[re.Match[str], Refs], DateInterval | None]]] = (
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


def dateparser_fallback(text: str, anchor: date | None, tense: Tense) -> DateInterval | None:
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
        return _interval(cal.unit_bounds(day, period), _precision(period))
    return _day(day)
