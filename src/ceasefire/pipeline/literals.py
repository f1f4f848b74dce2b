"""Cheap prechecks for the regular-expression finders (dates, casualties): literal words.

A finder's pattern is expensive to try at every position of a text; the literal words every
match of it must contain are cheap to look for. A pattern is run only on a stretch of text that
holds all of its ``Need``s, which finds the same matches faster. Words are searched without
regard to case, and where that gives the same result (``folded``), case-sensitively in a
lower-cased copy of the text, which is several times faster than ``re.IGNORECASE``.

Only compiled patterns and pure functions live here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple


class Need(NamedTuple):
    """A search for words regardless of case, in two compilations that find the same spans."""

    folded: re.Pattern[str]  # case-sensitive and lower-case: for ``folded`` text
    any_case: re.Pattern[str]  # IGNORECASE: for other text ("ſ", "ı", "K" fold as in the rules)

    def finditer(self, text: str, lower: str | None) -> Iterator[re.Match[str]]:
        """The matches in ``text``; ``lower`` is ``folded(text)`` (same offsets)."""
        return self.any_case.finditer(text) if lower is None else self.folded.finditer(lower)

    def search(self, text: str, lower: str | None, lo: int, hi: int) -> bool:
        """Whether ``text[lo:hi]`` holds a match; ``lower`` is ``folded(text)``."""
        if lower is None:
            return self.any_case.search(text, lo, hi) is not None
        return self.folded.search(lower, lo, hi) is not None


_UNFOLDABLE = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K: IGNORECASE ASCII letters


def folded(text: str) -> str | None:
    """``text`` lower-cased if searching that case-sensitively finds what IGNORECASE finds.

    Lower-casing keeps every offset, ``\\w`` and ``\\d`` of text without "İ", "ı", "ſ" and the
    Kelvin sign, the only non-ASCII characters IGNORECASE matches to ASCII letters (a unit test
    checks every code point of the Basic Multilingual Plane), so lower-case ASCII words and
    digits are found at the same places.
    """
    return text.lower() if text.isascii() or not _UNFOLDABLE.search(text) else None


def need(regex: str) -> Need:
    """A :class:`Need` for a pattern written in lower case."""
    return Need(re.compile(regex), re.compile(regex, re.IGNORECASE))


def need_any(words: str) -> Need:
    """A :class:`Need` for any of the space-separated ``words`` (found inside other words too)."""
    return need("|".join(words.split()))


def has_all(
    needs: tuple[Need, ...], text: str, lower: str | None, lo: int, hi: int, seen: dict[Need, bool]
) -> bool:
    """Whether ``text[lo:hi]`` holds every need; ``lower`` is ``folded(text)``; ``seen`` keeps
    what was already looked for in this stretch, for the next pattern's needs."""
    for wanted in needs:
        found = seen.get(wanted)
        if found is None:
            found = seen[wanted] = wanted.search(text, lower, lo, hi)
        if not found:
            return False
    return True
