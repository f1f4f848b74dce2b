"""Counts written in news text, in digits or words, with ACLED's conservative conventions.

:func:`parse_number` reads a count written in digits or words ("2,000", "1.5 million",
"twenty-five", "a dozen"). Hedges are dropped and the stated figure kept, as ACLED records the
figure given: "at least 30", "more than 280", "nearly/about/around/up to 40" → 30, 280, 40.
Vague quantities take the value of one unit, following ACLED ("tens" = 10, "dozens" = 12,
"hundreds" = 100): "scores" = 20, "thousands" = 1,000, "tens of thousands" = 10,000,
"several dozen" = 12, "half a dozen" = 6. Small vague words are coded as the smallest figure a
careful coder would defend, never a guess: "a couple"/"a pair"/"both" = 2; "a few", "several",
"some", "a handful" and "a number of" = 3 (each means more than two; three is the least that
honours the plural without inflating the count). "many", "numerous" and "countless" have no
defensible figure and give ``None``.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

_SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_SMALL += " fifteen sixteen seventeen eighteen nineteen"
_UNITS: Final = MappingProxyType({w: i for i, w in enumerate(_SMALL.split())})
_TENS: Final = MappingProxyType(
    {
        w: 10 * i
        for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
    }
)
_SCALES: Final = MappingProxyType({"thousand": 10**3, "million": 10**6, "billion": 10**9})
_MULTIPLIERS: Final = MappingProxyType({"hundred": 100, "dozen": 12})
_VAGUE: Final = MappingProxyType(
    {"hundreds of thousands": 100_000, "tens of thousands": 10_000, "half a dozen": 6}
    | {"several dozen": 12, "a few dozen": 12, "several hundred": 100, "a few hundred": 100}
    | {"several thousand": 1000, "a few thousand": 1000, "dozens": 12, "scores": 20}
    | {"a score": 20, "tens": 10, "hundreds": 100, "thousands": 1000, "millions": 10**6}
    | {"a handful": 3, "several": 3, "a few": 3, "some": 3, "a number": 3, "a couple": 2}
    | {"a pair": 2, "both": 2, "none": 0}
)
"""Vague quantities → the conservative figure coded for them (see the module doc)."""

_QUALIFIER = (
    r"(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+(?:fewer|less)\s+than|"
    r"not\s+less\s+than|as\s+many\s+as|up\s+to|over|nearly|almost|about|around|roughly|"
    r"approximately|some|an?\s+estimated|estimated|close\s+to|upwards\s+of|in\s+excess\s+of|"
    r"a\s+total\s+of|a\s+further|another|just\s+over|just\s+under|well\s+over|only|a\s+reported|"
    r"reportedly|a\s+minimum\s+of|an?\s+additional|additional)"
)
NUMBER_WORD = "|".join([*_UNITS, *_TENS, "hundred", *_SCALES, "dozen"])
WORDS = (
    rf"(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?\b(?:{NUMBER_WORD})"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{NUMBER_WORD})){{0,6}}\b"
)
_DIGITS = (
    r"(?<![\w,.+/-])(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,12})(?:\.\d{1,6})?"
    r"(?:\s+(?:hundred|thousand|million|billion))?"
    r"(?![\w+/%-]|[.,]\d)"
)
_VAGUE_RX = "|".join(
    rf"\b{re.escape(k)}\b".replace(r"\ ", r"\s+") for k in sorted(_VAGUE, key=len)[::-1]
)
_CORE = rf"(?:{_DIGITS}|{_VAGUE_RX}|{WORDS})"
NUM = rf"(?:{_QUALIFIER}\s+){{0,2}}{_CORE}"

_NUMBER_AT_START = re.compile(rf"(?P<digits>{_DIGITS})|(?P<vague>{_VAGUE_RX})|(?P<words>{WORDS})")
_QUALIFIERS_AT_START = re.compile(rf"(?:{_QUALIFIER}\s+){{1,3}}")
_REST_OK = re.compile(r"$|[\s,;:)!?\"”’'\]]|\.(?!\d)")


def parse_number(text: str) -> int | None:
    """The count at the start of ``text`` ("at least 30 people" → 30), or ``None``.

    See the module doc for hedges and vague words. A number glued to more ("30-year-old",
    "5+5", "2020-10-23", "30%") or with a fraction and no scale word ("2.5") is not a count.
    """
    normal = " ".join(text.replace("\u2010", "-").replace("\u2011", "-").lower().split())
    stripped = _QUALIFIERS_AT_START.sub("", normal, count=1)
    for candidate in (stripped, normal) if stripped != normal else (normal,):
        match = _NUMBER_AT_START.match(candidate)
        if match and _REST_OK.match(candidate, match.end()):
            return number_value(match)
    return None


def number_value(match: re.Match[str]) -> int | None:
    if match["vague"]:
        return _VAGUE[" ".join(match["vague"].split())]
    if match["digits"]:
        parts = match["digits"].replace(",", "").split()
        scale: int = (_MULTIPLIERS | _SCALES).get(parts[-1], 1) if len(parts) > 1 else 1
        whole, _, fraction = parts[0].partition(".")
        if fraction.strip("0") and scale == 1:
            return None  # "2.5" people is not a count
        denominator: int = 10 ** len(fraction)
        return int(whole) * scale + int(fraction or 0) * scale // denominator
    total, current = 0, 0
    for word in re.split(r"[\s-]+", match["words"]):
        if word in _UNITS or word in _TENS:
            current += _UNITS.get(word, 0) + _TENS.get(word, 0)
        elif word in _MULTIPLIERS:
            current = max(current, 1) * _MULTIPLIERS[word]
        elif word in _SCALES:
            total, current = total + max(current, 1) * _SCALES[word], 0
    return total + current
