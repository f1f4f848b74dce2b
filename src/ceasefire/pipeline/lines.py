"""Lines of a scraped page and what each one is: body, boilerplate, caption, date, heading.

The patterns are the knowledge of the plain-text cleaner; they describe web page furniture in
general (share buttons, comment boxes, publisher notices), never a particular conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ceasefire.pipeline.dates import parse_date_line


class LineKind(StrEnum):
    BLANK = "blank"
    BOILERPLATE = "boilerplate"  # navigation, share, subscription, publisher notices
    END = "end"  # "Continue Reading", "Leave a Reply": the story is over
    DATE = "date"  # "Published 19 February 2020"
    CAPTION = "caption"  # "... | Photo: Reuters", "... (AFP)"
    SENTENCE = "sentence"  # candidate body paragraph
    SHORT = "short"  # a line that is not a sentence: headline, subheading, label, link


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int  # offset of the raw line in the source text
    end: int
    text: str  # whitespace-normalised, list bullet removed
    bullet: bool
    kind: LineKind

    @property
    def words(self) -> int:
        return len(self.text.split())


_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_BULLET = re.compile(r"^[•·▪●◦‣∙*]\s+|^[–—-]\s+(?=\S)")
CLOSERS = "\"'”’»)]\u201d\u2019 "
_TERMINAL = (".", "!", "?", "…")

_NAV_EXACT = frozenset(
    line.strip()
    for line in """
    share|share this|share this article|share on facebook|share on twitter|facebook|twitter|x
    whatsapp|telegram|linkedin|email|e-mail|print|google plus|google+|reddit|pinterest|copy link
    short url|live|audio only|menu|home|search|connect with us|follow us|opinion|advertisement
    skip to content|skip to main content|sign in|log in|register|subscribe|newsletter|more|more:
    related|related:|read more|read more:|see also|see also:|tags|tags:|topics|topics:|0|next
    previous|back to top|listen|watch|video|photos|gallery|close|loading...|loading
    """.replace("\n", "|").split("|")
    if line.strip()
)
_NAV_PATTERNS = tuple(
    re.compile(p, re.I)
    for p in (
        r"^(share|follow us|find us) (on|via)\b",
        r"\bsubscribe to (our|the)\b",
        r"\bsign up (for|to) (our|the)\b",
        r"^your email address will not be published",
        r"\brequired fields are marked\b",
        r"\bpublishes (around|about|more than|over) [\d,]+ (reports|articles|stories)\b",
        r"\bpublishers named above\b",
        r"\bresponsible for their own content\b",
        r"\bto address comments or complaints\b",
        r"\ball rights reserved\b",
        r"^(©|\(c\)|copyright\b)",
        r"\bcookies?\b.*\b(consent|policy|accept|settings)\b",
        r"^click (here|to)\b",
        r"^(download|get) (our|the) app\b",
        r"^(advertisement|sponsored)\b",
        r"^(tags|topics|filed under|categories)\s*:",
        r"^[\w .&'’-]{1,30}(\s[>»›]\s[\w .&'’-]{1,30})+$",  # breadcrumbs: News > Libya
        r"^[^.!?:]{1,40}(\s[-|–]\s[^.!?:]{1,40}){2,}$",  # banners: Iraq News - Local News - Site
        r"^(min read|\d+ min(ute)?s? read)$",
        r"^by\s+[A-Z][\w.'’ -]{1,60}$",  # bylines
    )
)
_END_PATTERNS = tuple(
    re.compile(p, re.I)
    for p in (
        r"^continue reading\W*$",
        r"^leave a (reply|comment)\W*$",
        r"^click to comment\W*$",
        r"^post with no comments\W*$",
        r"^(\d+\s+)?comments?(\s*\(\d+\))?\W*$",
        r"^see what everyone is watching\W*$",
        r"^don'?’?t miss\W*$",
        r"^more from\s*:?.{0,40}$",
        r"^trending( now| stories)?\W*$",
        r"^you (may|might) also like\W*$",
        r"^recommended( for you| stories)?\W*$",
        r"^most (read|popular|viewed|shared)\W*$",
        r"^related (articles|stories|news|content|posts)\W*$",
        r"^about the author\W*$",
    )
)
_CAPTION_PATTERNS = tuple(
    re.compile(p, re.I)
    for p in (
        r"(\|\s*|\s)(photo|image|picture|file photo|credit|photograph)s?\s*:\s*[\w .,&/'’-]{1,60}$",
        r"\((afp|reuters|ap|epa|getty images|anadolu( agency)?|aa|xinhua|file( photo)?"
        r"|ap photo)\)$",
        r"\s[/|]\s*(afp|reuters|ap|epa|getty images|anadolu agency)\s*$",
    )
)
DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ /-]{1,40}(?:\s*\([A-Za-z ]+\))?\s*[:—–-]\s"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?(?:\s*\([A-Za-z ]+\))?\s+[—–]\s)"
)


def normalise(raw: str) -> tuple[str, bool]:
    """Collapse whitespace and remove a leading list bullet; report whether there was one."""
    text = _SPACES.sub(" ", raw).strip()
    stripped = _BULLET.sub("", text, count=1)
    return stripped.strip(), stripped != text


def is_sentence(text: str) -> bool:
    """Body paragraphs end like sentences; long unterminated lines count too."""
    core = text.rstrip(CLOSERS)
    return core.endswith(_TERMINAL) or len(text.split()) >= 15


def is_caption(text: str) -> bool:
    return any(p.search(text) for p in _CAPTION_PATTERNS)


def strip_credit(text: str) -> str:
    for pattern in _CAPTION_PATTERNS:
        text = pattern.sub("", text)
    return text.rstrip(" |/").strip()


def classify(text: str) -> LineKind:
    if not text:
        return LineKind.BLANK
    lowered = text.lower()
    if any(p.match(text) for p in _END_PATTERNS):
        return LineKind.END
    if lowered in _NAV_EXACT or any(p.search(text) for p in _NAV_PATTERNS):
        return LineKind.BOILERPLATE
    if len(text) <= 80 and parse_date_line(text) is not None:
        return LineKind.DATE
    if is_caption(text):
        return LineKind.CAPTION
    return LineKind.SENTENCE if is_sentence(text) else LineKind.SHORT


def _continues(previous: str, following: str) -> bool:
    """A hard-wrapped paragraph goes on when a line breaks mid-sentence before a lowercase word."""
    return (
        bool(previous)
        and bool(following)
        and not previous.rstrip(CLOSERS).endswith((*_TERMINAL, ":"))
        and following[0].islower()
    )


def split_lines(text: str) -> list[Line]:
    """Every logical line of ``text`` (hard-wrapped paragraphs joined) with offsets and kind."""
    physical: list[tuple[int, int, str, bool]] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        clean, bullet = normalise(body)
        if physical and _continues(physical[-1][2], clean) and not bullet:
            start, _end, previous, was_bullet = physical[-1]
            physical[-1] = (start, offset + len(body), f"{previous} {clean}", was_bullet)
        else:
            physical.append((offset, offset + len(body), clean, bullet))
        offset += len(raw)
    return [
        Line(index, start, end, clean, bullet, classify(clean))
        for index, (start, end, clean, bullet) in enumerate(physical)
    ]


def comparable(text: str) -> str:
    """A key for comparing lines: lower case, letters and digits only."""
    return " ".join(re.findall(r"\w+", text.lower()))


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = comparable(text).split()
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 0))}
