"""Lexical layer of :mod:`ceasefire.pipeline.timex`: vocabularies, patterns, guards, tense cues.

Every pattern reads ``(?:(?P<prep>…)\\s+)?(?P<x>…)``: the optional preposition is matched so
that the guards can see it ("in May" is a month, "may resume" is not), but the reported span is
the ``x`` group. Plain prepositions (on, in, since, during, by, of) stay outside the span; words
that change the meaning (last, next, this, early, mid, late, through, until, from … to,
between … and, ago, earlier, later) are inside it, so an expression resolves from its own text.

Only constant tables, compiled patterns and pure functions live here.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final, NamedTuple

from ceasefire.pipeline.dates import MONTHS as DATE_MONTHS
from ceasefire.pipeline.literals import Need, need, need_any
from ceasefire.pipeline.timex_calendar import month_length

MONTHS: Final = MappingProxyType(dict(DATE_MONTHS))
"""Month names and abbreviations → month number."""
_DAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split()
WEEKDAYS: Final = MappingProxyType({name: i for i, name in enumerate(_DAY_NAMES)})
"""Full weekday names → ``date.weekday()``. Abbreviations ("sat", "sun", "wed") are words."""
SMALL_NUMBERS: Final = MappingProxyType(
    dict(
        zip(
            "one two three four five six seven eight nine ten eleven twelve".split(),
            range(1, 13),
            strict=True,
        )
    )
    | {"a": 1, "an": 1, "fifteen": 15, "twenty": 20, "thirty": 30, "a couple of": 2}
    | {"a few": 3, "several": 3, "few": 3, "couple of": 2}
)
"""Counts in offsets such as "two days later", "a few weeks ago"; vague ones count as 3."""

_WORDLIKE_MONTHS: Final = frozenset({"may", "march", "mar"})
YEAR_NOUNS: Final = frozenset(
    "uprising revolution revolt war wars election elections conflict offensive ceasefire "
    "cease-fire truce agreement accord deal summit conference talks crisis split intervention "
    "invasion coup attack attacks campaign battle battles protests vote referendum constitution "
    "embargo polls clashes fighting violence unrest siege massacre operation civil".split()
)
"""Nouns after a bare year that make it a year: "the 2011 uprising", "2019 elections"."""
_NOT_YEAR_NOUNS: Final = frozenset({"resolution", "resolutions", "km", "kilometres", "kilometers"})
_ADJECTIVE_END = re.compile(r"(?:al|ary|ian|ic|ive|ist)$")
_COUNT_PREPS: Final = frozenset({"the", "of", "by", "from", "around", "before", "after"})

_NUMW = (
    r"(?P<n>a\s+couple\s+of|a\s+few|several|an?|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve|fifteen|twenty|thirty|\d{1,3})"
)
_POD = r"(?P<pod>morning|afternoon|evening|night|midday|noon|dawn|dusk|lunchtime)"
_MOD = r"(?P<mod>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)"
_YEAR_MOD = (
    r"(?P<mod>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of|"
    r"(?:the\s+)?(?:first|second)\s+half\s+of|(?:the\s+)?(?:spring|summer|autumn|fall)(?:\s+of)?)"
)
_DASH = r"(?:\s*[-–—]\s*|\s+(?:to|and|through|until|till|thru)\s+)"
_INTRO = r"(?:(?:from|between)\s+)?"
_UNTIL_PUNCT = r"(?=\s*(?:[,.;:!?)\"”]|$))"
_FULL: Final = frozenset(n for n in MONTHS if len(n) > 4 or n in {"may", "june", "july"})
_FULL_MONTHS = "|".join(sorted(_FULL, key=len, reverse=True))
_ABBR_MONTHS = "|".join(sorted(set(MONTHS) - _FULL, key=len, reverse=True))


def _mon(name: str) -> str:  # a dot is part of an abbreviation only ("Feb.", not "April.")
    return rf"(?P<{name}>(?:{_FULL_MONTHS})\b|(?:{_ABBR_MONTHS})\b\.?+)"


def _day(name: str) -> str:
    return rf"(?<![\d,.])(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"


def _year(name: str) -> str:
    return rf"(?P<{name}>(?:19|20)\d\d)(?!\d|,\d)"


def _wd(name: str) -> str:
    return rf"(?P<{name}>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"


"""An inclusive date range."""


class Rule(NamedTuple):
    """A named pattern; :mod:`ceasefire.pipeline.timex` maps the name to its resolver."""

    name: str
    pattern: re.Pattern[str]
    # words every match contains (one of each need's): the rule is tried only where they all
    # are, a cheap precheck (see :mod:`ceasefire.pipeline.literals`); kept next to the pattern
    needs: tuple[Need, ...]


def _rule(name: str, regex: str, *needs: Need) -> Rule:
    return Rule(name, re.compile(regex, re.IGNORECASE), needs)


_DIGIT = need(r"\d")
_MONTH = need(rf"\b(?:{'|'.join(MONTHS)})\b")  # a whole word in every rule
_YEAR = need(r"(?:19|20)\d\d")
_WEEKDAY = need("|".join(WEEKDAYS))
_TWO_WEEKDAYS = need(rf"(?:{'|'.join(WEEKDAYS)})[\s\S]*(?:{'|'.join(WEEKDAYS)})")
_UNIT = need_any("day week month year")


_WD_PREFIX = rf"(?:{_wd('wd')},?\s+)?"
_OPT_YEAR = rf"(?:,?\s+{_year('year')})?"

RULES: Final[tuple[Rule, ...]] = (
    _rule(
        "numeric",
        rf"\b(?P<x>{_year('year')}-(?P<mon_n>[01]\d)-(?P<day>[0-3]\d))(?!\d)",
        need(r"\d-[01]\d-"),
    ),
    _rule(
        "numeric",  # 23/10/2020, 23.10.2020
        rf"(?<![\d/.])(?P<x>(?P<day>[0-3]?\d)(?P<sep>[/.])(?P<mon_n>[0-3]?\d)(?P=sep){_year('year')})"
        r"(?![/\d])",
        need(r"\d[/.]\d"),
    ),
    _rule(  # from 2 to 4 November, 2–4 Nov, between 18 and 19 February, 30 Oct - 2 Nov 2020
        "range",
        rf"\b(?P<x>{_INTRO}{_day('day')}(?:\s+(?:of\s+)?{_mon('mon')})?{_DASH}{_day('day2')}"
        rf"\s+(?:of\s+)?{_mon('mon2')}{_OPT_YEAR})",
        _DIGIT,
        _MONTH,
    ),
    _rule(  # Nov. 2-4, Nov. 2 to Nov. 4, Feb. 28 - March 2, 2020
        "range",
        rf"\b(?P<x>{_INTRO}{_mon('mon')}\s+{_day('day')}{_DASH}(?:{_mon('mon2')}\s+)?"
        rf"{_day('day2')}{_OPT_YEAR})",
        _DIGIT,
        _MONTH,
    ),
    _rule(  # 19 February 2020, the 19th of February, Wednesday 19 Feb
        "date",
        rf"\b(?P<x>{_WD_PREFIX}(?:the\s+)?{_day('day')}\s+(?:of\s+)?{_mon('mon')}{_OPT_YEAR})",
        _DIGIT,
        _MONTH,
    ),
    _rule(  # Feb. 26
        "date", rf"\b(?P<x>{_WD_PREFIX}{_mon('mon')}\s+{_day('day')}{_OPT_YEAR})", _DIGIT, _MONTH
    ),
    _rule(  # between January and March 2020, from May to July
        "month_range",
        rf"\b(?P<x>(?:from|between)\s+{_mon('mon')}{_DASH}{_mon('mon2')}{_OPT_YEAR})",
        _MONTH,
        need_any("from between"),
    ),
    _rule(  # in April, since early April, last May, mid-January, April 2019, the end of May 2020
        "month",
        r"\b(?:(?P<prep>in|since|during|by|until|till|through|throughout|before|after|from|of|"
        r"as\s+of|around|for)\s+)?"
        rf"(?P<x>(?:{_MOD}[\s-]+)?(?:(?P<rel>last|next|this|past|coming|this\s+past)\s+)?"
        rf"{_mon('mon')}(?:,?\s+(?:of\s+)?{_year('year')})?)(?!\s+\d|\d)",
        _MONTH,
    ),
    _rule(  # 2019–2020, between 2014 and 2016, from 2011 to 2014
        "year_range",
        r"\b(?:(?P<prep>in|since|of|the|during|throughout)\s+)?"
        rf"(?P<x>(?P<intro>(?:from|between)\s+)?{_year('year')}(?:\s*[-–—/]\s*|\s+(?:to|and|until)\s+)"
        r"(?P<year2>(?:19|20)\d\d|\d\d))(?![\d-])",
        _YEAR,
    ),
    _rule(
        "decade",
        r"\b(?P<x>the\s+(?:(?P<mod>early|mid|late)[\s-]+)?(?P<dec>(?:19|20)\d0)s)\b",
        need_any("0s"),
    ),
    _rule(  # in 2011, the 2011 uprising, mid-2019, in late 2016, the first half of 2019
        "year",
        r"\b(?:(?P<prep>in|since|of|the(?!\s+(?:end|beginning|start|middle|first|second|spring|"
        r"summer|autumn|fall)\b)|until|till|by|from|during|before|after|around|as\s+of|"
        rf"as\s+early\s+as|throughout)\s+)?(?P<x>(?:{_YEAR_MOD}[\s-]+)?{_year('year')})"
        r"(?!\s*[-–]\s*\d)",
        _YEAR,
    ),
    _rule(  # from Tuesday to Thursday, Monday and Tuesday
        "weekday_range",
        rf"\b(?P<x>{_INTRO}{_wd('wd')}(?:\s+{_POD})?{_DASH}{_wd('wd2')})",
        _TWO_WEEKDAYS,
    ),
    _rule(  # last Friday, late on Tuesday, Monday evening, through Wednesday, Monday last week
        "weekday",
        r"\b(?:(?P<prep>on|by|since|before|after|from|earlier\s+on|later\s+on|as\s+of|starting|"
        r"beginning)\s+)?(?P<x>(?:(?P<op>through|until|till|thru|up\s+to)\s+)?"
        r"(?:(?P<rel>last|next|this\s+past|this\s+coming|this|coming|past)\s+)?"
        rf"(?:(?P<part>early|late)\s+(?:on\s+)?)?(?<!good\s){_wd('wd')}(?:\s+{_POD})?"
        r"(?:\s+(?P<wk>last|next|this)\s+week)?)",
        _WEEKDAY,
    ),
    _rule(
        "rel_day",
        r"\b(?P<x>(?:(?P<part>early|late|earlier|later)\s+)?(?P<word>the\s+day\s+before\s+yesterday|"
        r"the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|last\s+night|overnight|"
        r"this\s+morning|this\s+afternoon|this\s+evening))\b",
        need_any("yesterday today tomorrow night morning afternoon evening"),
    ),
    _rule(
        "ago",
        r"\b(?P<x>(?:(?:nearly|almost|about|around|some|roughly|more\s+than|over|less\s+than|"
        r"just\s+over|just\s+under|barely|only|exactly|approximately)\s+)?"
        rf"{_NUMW}\s+(?P<unit>day|week|month|year)s?\s+ago)\b",
        need_any("ago"),
        _UNIT,
    ),
    _rule(  # a day earlier, two days later, a week after.
        "ctx_offset",
        rf"\b(?P<x>{_NUMW}\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>earlier|later|afterwards?|"
        rf"(?:before|after|prior){_UNTIL_PUNCT}))",
        need_any("earlier later after before prior"),
        _UNIT,
    ),
    _rule(  # the next day, the following day, the same day, later that day, that week
        "ctx_day",
        r"\b(?P<x>(?:(?P<pre>earlier|later|early|late)\s+)?(?:on\s+)?"
        r"(?:the\s+(?P<which>same|following|next|previous|preceding|prior)|that(?:\s+same)?)"
        r"\s+(?P<unit>day|night|morning|evening|afternoon|week|month|year)"
        rf"|the\s+(?P<unit2>day|week|month|year)\s+(?P<dir>before|after){_UNTIL_PUNCT})(?!-)\b",
        need_any("same following next previous preceding prior that before after"),
        need_any("day night morning evening afternoon week month year"),
    ),
    _rule(  # the past week, the last three days, in recent weeks, the coming days
        "trailing",
        r"\b(?P<x>(?:(?:the|this)\s+)?(?P<dir>past|last|coming|next)\s+(?:(?P<n>few|couple\s+of|"
        r"\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?"
        r"(?P<unit>day|week|month|year)s|(?P<recent>recent)\s+(?P<unit2>day|week|month)s)\b"
        r"(?!\s+of\b)",
        need_any("past last coming next recent"),
        need_any("days weeks months years"),
    ),
    _rule(  # this week, last month, earlier this month, late last year, over the weekend
        "rel_unit",
        r"\b(?P<x>(?:(?P<pre>earlier|later|early|late|mid|(?:the\s+)?(?:end|beginning|start|"
        r"middle)\s+of)[\s-]+)?(?P<rel>this\s+past|the\s+past|the\s+last|this|last|next|past|"
        r"the\s+coming|coming|the)\s+(?P<unit>weekend|week|month|year))(?!\s+of\b|-)\b",
        need_any("week month year"),
    ),
)
"""All rules; for overlapping spans of equal length the earlier rule wins."""


TRIGGERS: Final = need(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"yesterday|today|tomorrow|tonight|overnight|night|morning|evening|afternoon|day|week|"
    r"month|year|spring|summer|autumn|fall)",
)
"""Tokens that every time expression contains (month and weekday names by their prefix)."""


def guard(rule: Rule, match: re.Match[str], text: str) -> bool:
    """Whether ``match`` of ``rule`` in ``text`` is really a time expression (finder only).

    - "May", "March" and "Mar" are months only when capitalised; a bare month (no day, year,
      preposition or modifier) must be a capitalised full name: "may resume" and "March on
      Tripoli" are not dates, "in May" and "the October deal" are. "Jan." alone is not.
    - Day numbers must fit the month ("31 February" is not a date).
    - A bare four-digit year needs a year position, see :func:`year_position`.
    - "the week/month/year" alone is not a date; "the weekend" is.
    """
    groups = match.groupdict()
    for key in ("mon", "mon2"):
        token = groups.get(key)
        if token and token.lower() in _WORDLIKE_MONTHS and not token[0].isupper():
            return False
    if not _days_fit(groups):
        return False
    if rule.name == "month" and not groups["year"]:
        token = groups["mon"]
        if groups["prep"] or groups["mod"] or groups["rel"]:
            return True
        lower = token.lower()
        return token[0].isupper() and lower in _FULL and lower not in _WORDLIKE_MONTHS
    if rule.name == "year_range" and not _year_range_ok(groups["year"], groups["year2"]):
        return False
    if rule.name in {"year", "year_range"}:
        modified = bool(groups.get("mod") or groups.get("intro"))
        return year_position(groups["prep"], modified, text[match.end() :])
    if rule.name == "rel_unit":
        return " ".join(groups["rel"].lower().split()) != "the" or groups["unit"] == "weekend"
    return True


def year_position(prep: str | None, modified: bool, after: str) -> bool:
    """Whether a bare year stands where a year can stand.

    A four-digit number 1900–2099 is a year with a modifier ("mid-2019", "late 2016"), after a
    preposition ("in 2011", "since 2011", "until 2021"), or before an event noun, directly or
    after adjectives ("2019 elections", "2011 NATO-backed uprising"). After "the", "of", "by",
    "from", "around", "before" or "after", a following "resolution" or lower-case plural noun
    marks a count or document number ("the 1970 resolution", "by 2000 fighters"), while
    "in 2011 rebels …" stays a year.
    """
    words = re.findall(r"[\w'’-]+", after[:60])
    if modified:
        return True
    if prep:
        if prep.lower() in _COUNT_PREPS and words:
            first = words[0]
            if first.lower() in _NOT_YEAR_NOUNS:
                return False
            return not (first.islower() and first.endswith("s") and first not in YEAR_NOUNS)
        return True
    for word in words[:3]:
        if word.lower() in YEAR_NOUNS:
            return True
        if not (word[0].isupper() or "-" in word or _ADJECTIVE_END.search(word)):
            return False  # "Resolution 1970 imposed an embargo"
    return False


def year_pair(first_text: str, second_text: str) -> tuple[int, int]:
    """The years of "2019–2020" or "2019-20" (a two-digit end stays in the first's century)."""
    first = int(first_text)
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    return first, second


def _year_range_ok(first_text: str, second_text: str) -> bool:
    first, second = year_pair(first_text, second_text)
    return first < second <= first + 30


def _days_fit(groups: dict[str, str | None]) -> bool:
    for day_key in ("day", "day2"):
        day_text = groups.get(day_key)
        if not day_text:
            continue
        months = [groups.get(k) for k in (("mon", "mon2") if day_key == "day" else ("mon2", "mon"))]
        token = next((t for t in [*months, groups.get("mon_n")] if t), None)
        month = month_number(token) if token else None
        if not 1 <= int(day_text) <= (month_length(2020, month) if month else 31):
            return False
    return True


def month_number(token: str) -> int | None:
    """Month number of a name, an abbreviation (with or without a dot) or a number 1–12."""
    token = token.strip().rstrip(".").lower()
    if token.isdigit():
        return int(token) if 1 <= int(token) <= 12 else None
    return MONTHS.get(token)


def small_number(token: str | None) -> int | None:
    """Value of a count such as "two", "a few" or "12" (``None`` if not a count)."""
    token = " ".join((token or "").lower().split())
    return int(token) if token.isdigit() else SMALL_NUMBERS.get(token)


REL_DAYS: Final = MappingProxyType(
    {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1}
    | {"this morning": 0, "this afternoon": 0, "this evening": 0}
    | {"the day before yesterday": -2, "the day after tomorrow": 2}
)


FALLBACK_WORTHY = re.compile(
    r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|(?i:\b(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|yesterday|today|tomorrow|ago|days?|weeks?|months?|years?)\b)"
)

# ---------------------------------------------------------------------------------- tense cues

FUTURE_CUES: Final = re.compile(
    r"(?<!political\s)(?<!the\s)(?<!good\s)(?<!free\s)\bwill\b(?!-)|\bshall\b|\bwon[’']t\b|"
    r"\w[’']ll\b|\b(?:is|are|am)\s+(?:due\s+|set\s+|scheduled\s+|expected\s+|going\s+)?to\s+\w+|"
    r"\bscheduled\b|\bplan(?:s|ning)?\s+to\b|\bplanned\b|\bexpect(?:s|ed)?\s+(?:\S+\s+){0,4}?to\s+"
    r"(?!have\b)\w+|\bintends?\s+to\b|\baims?\s+to\b|\bwould\b(?!\s+(?:not\s+)?have\b)|"
    r"\bupcoming\b|\btomorrow\b|\bnext\s+(?:week|month|year|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)\b|\bin\s+the\s+coming\b|\bdue\s+to\s+(?:begin|start|meet|resume|"
    r"take\s+place|be\s+held|convene|open|arrive|visit)\b",
    re.IGNORECASE,
)
PAST_CUES: Final = re.compile(
    r"\blast\s+(?:week|month|year|night|weekend|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b|\b(?:has|have)\s+(?:\w+\s+)?(?:been|\w+ed|\w+en)\b",
    re.IGNORECASE,
)
PAST_WORDS: Final = frozenset(
    "was were had did said told met began left took came went gave held fought hit shot fled fell "
    "ran saw made sent led won lost broke brought bought built caught chose drove felt found flew "
    "got grew heard hid kept knew laid meant paid rode rose sought sold spoke spent stood stole "
    "struck swore taught thought threw understood wrote withdrew overran became beat blew dealt "
    "drew fed froze hung lit overtook rang swept undertook upheld arose bore tore yesterday ago "
    "previously earlier".split()
)
ED_ADJECTIVES: Final = frozenset(
    "need indeed speed seed feed proceed exceed succeed bed red shed hundred kindred sacred naked "
    "wicked rugged ragged beloved aged armed unarmed based backed alleged united limited detailed "
    "advanced divided concerned interested involved related supposed unidentified unnamed "
    "unprecedented embed breed greed creed weed steed tweed skilled qualified organised organized "
    "coordinated sophisticated experienced dedicated varied renewed continued fixed mixed "
    "heightened increased reduced expected scheduled planned sustained unexpected tired worried "
    "committed determined".split()
)
"""Lower-case "-ed" words that are not past-tense verbs (or not reliably so)."""
NOT_VERB_BEFORE: Final = frozenset(
    "the a an its their his her our my your this that these those is are be being am".split()
)
"""Words after which an "-ed" word is an adjective or a passive, not a past tense."""
