"""Publication dates written on a page: "Published 19 February 2020", "Updated Feb. 22, 2020"."""

from __future__ import annotations

import re
from datetime import date, datetime

from ceasefire.domain import DatePrecision, DateSource, PublishedDate

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

_PATTERNS = (
    re.compile(rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.I),  # 19 February 2020
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # February 19, 2020
    re.compile(r"^(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),  # 2020-02-19
    re.compile(r"^(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b"),  # 19/02/2020
)
_MONTH_ONLY = re.compile(rf"^{_MONTH}\s+{_YEAR}\b", re.I)

DATE_LINE = re.compile(
    r"^(?P<label>published|updated|last updated|first published|posted|date)"
    r"(?:\s+(?:on|at))?\s*:?\s+(?P<rest>.+)$",
    re.I,
)


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token.lower().rstrip(".")]


def parse_date_text(text: str) -> tuple[date, DatePrecision] | None:
    """The date written at the start of ``text``; ``None`` if absent or invalid."""
    text = text.strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                value = date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except ValueError:
                return None
            return value, DatePrecision.DAY
    match = _MONTH_ONLY.match(text)
    if match:
        return date(int(match["year"]), _month_number(match["month"]), 1), DatePrecision.MONTH
    return None


def parse_date_line(line: str) -> tuple[str, PublishedDate] | None:
    """``("published" | "updated", date)`` for a dateline such as "Updated 22 February 2020"."""
    match = DATE_LINE.match(line.strip())
    if not match:
        return None
    parsed = parse_date_text(match["rest"])
    if parsed is None:
        return None
    label = "updated" if "updated" in match["label"].lower() else "published"
    return label, PublishedDate(parsed[0], parsed[1], DateSource.PAGE)


def parse_metadata_date(value: str | None, source: DateSource) -> PublishedDate | None:
    """An ISO-like date from metadata ("2020-02-19", "2020-02-19T10:00:00Z", "2020-02")."""
    if not value:
        return None
    value = value.strip()
    try:
        return PublishedDate(
            datetime.fromisoformat(value.replace("Z", "+00:00")).date(), DatePrecision.DAY, source
        )
    except ValueError:
        pass
    if re.fullmatch(r"(?:19|20)\d\d-[01]\d", value):
        year, month = value.split("-")
        try:
            return PublishedDate(date(int(year), int(month), 1), DatePrecision.MONTH, source)
        except ValueError:
            return None
    if re.fullmatch(r"(?:19|20)\d\d", value):
        return PublishedDate(date(int(value), 1, 1), DatePrecision.YEAR, source)
    parsed = parse_date_text(value)
    return PublishedDate(parsed[0], parsed[1], source) if parsed else None
