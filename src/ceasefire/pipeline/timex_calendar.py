"""Calendar arithmetic for :mod:`ceasefire.pipeline.timex`: months, weeks, parts of periods, and
the choice of the year a day-and-month date falls in. Pure functions over dates; no clock."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

Span = tuple[date, date]


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, month_length(year, month))


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, month_length(year, month + 1)))


def week_bounds(day: date) -> tuple[date, date]:
    """The Monday–Sunday week that contains ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


_PARTS: Final = (
    *("first half", "second half", "spring", "summer", "autumn", "fall"),
    *("early", "beginning", "start", "mid", "late", "end"),
)
_PART_NAMES: Final = MappingProxyType({"fall": "autumn", "beginning": "early", "start": "early"})
_YEAR_PARTS: Final = MappingProxyType(
    {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "first half": (1, 6)}
    | {"second half": (7, 12), "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
)
_MONTH_PARTS: Final = MappingProxyType({"early": (1, 10), "mid": (11, 20), "late": (21, 31)})
_WEEK_PARTS: Final = MappingProxyType({"early": (0, 2), "mid": (1, 3), "late": (3, 6)})


def part_kind(mod: str | None) -> str:
    """Normalised part of a period: early, mid, late, first half, second half, a season, or ""."""
    text = " ".join((mod or "").lower().split())
    found = next((p for p in _PARTS if p in text), "")
    return "late" if found == "end" else _PART_NAMES.get(found, found)


def part_of_month(year: int, month: int, mod: str | None) -> tuple[date, date]:
    """The month, or its early (1–10), mid (11–20) or late (21–end) part."""
    first, last = _MONTH_PARTS.get(part_kind(mod), (1, 31))
    return date(year, month, first), date(year, month, min(last, month_length(year, month)))


def part_of_year(year: int, mod: str | None) -> tuple[date, date]:
    """The year, or a part: early Jan–Apr, mid May–Aug, late Sep–Dec, a half, a season.

    Seasons are the northern meteorological ones (spring Mar–May, summer Jun–Aug, autumn Sep–Nov).
    """
    first, last = _YEAR_PARTS.get(part_kind(mod), (1, 12))
    return date(year, first, 1), month_bounds(year, last)[1]


def part_of_week(day: date, mod: str | None) -> tuple[date, date]:
    """The week of ``day``, or its early (Mon–Wed), mid (Tue–Thu) or late (Thu–Sun) part."""
    monday = week_bounds(day)[0]
    first, last = _WEEK_PARTS.get(part_kind(mod), (0, 6))
    return monday + timedelta(days=first), monday + timedelta(days=last)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def pick(candidates: Sequence[Span], anchor: date, tense: str, slack: int) -> Span | None:
    """The candidate nearest the anchor in the direction of the tense (see the module doc)."""
    ordered = sorted(candidates)
    if not ordered:
        return None
    margin = timedelta(days=slack)
    if tense == "past":
        before = [c for c in ordered if c[0] <= anchor + margin]
        return before[-1] if before else ordered[0]
    if tense == "future":
        after = [c for c in ordered if c[1] >= anchor - margin]
        return after[0] if after else ordered[-1]

    return min(ordered, key=lambda c: max((c[0] - anchor).days, (anchor - c[1]).days, 0))


def unit_bounds(day: date, unit: str) -> Span:
    if unit == "week":
        return week_bounds(day)
    if unit == "month":
        return month_bounds(day.year, day.month)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def weekday_date(anchor: date, weekday: int, tense: str, rel: str = "", week: str = "") -> date:
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7 or 7
    monday = week_bounds(anchor)[0]
    if week or rel == "this":
        return monday + timedelta(days=weekday + {"last": -7, "next": 7}.get(week, 0))
    if rel in {"last", "past", "this past"}:
        return anchor - timedelta(days=back or 7)
    if rel in {"next", "coming", "this coming"} or tense == "future":
        return anchor + timedelta(days=ahead)
    if tense == "past" or back <= 3:
        return anchor - timedelta(days=back)
    return anchor + timedelta(days=7 - back)


def weekend(anchor: date, rel: str, tense: str) -> Span:
    saturday = week_bounds(anchor)[0] + timedelta(days=5)
    if rel in {"last", "past", "the past", "this past", "the last"}:
        if saturday + timedelta(days=1) >= anchor:
            saturday -= timedelta(days=7)
    elif rel in {"next", "coming", "the coming"}:
        if saturday <= anchor:
            saturday += timedelta(days=7)
    elif rel == "the" and saturday > anchor:  # "over the weekend": the last one unless future
        back = tense == "past" or (tense == "present" and anchor.weekday() < 3)
        saturday -= timedelta(days=7 if back else 0)
    return saturday, saturday + timedelta(days=1)


def year_candidates(anchor: date, build: Callable[[int], Span | None]) -> list[Span]:
    years = range(max(1, anchor.year - 2), min(9999, anchor.year + 2) + 1)
    return [s for y in years if (s := build(y)) is not None]
