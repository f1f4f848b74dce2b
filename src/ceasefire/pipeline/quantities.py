"""Casualty mentions in news text, coded with ACLED's conservative conventions.

Counts are read by :func:`ceasefire.pipeline.numbers.parse_number` (hedges, vague words).

:func:`find_casualties` finds statements of people killed or wounded:

- "killing at least 30 people", "killed three civilians", "injuring 12", "left five dead";
- "one pro-government fighter was killed", "a civilian was killed" (an article counts one),
  "two soldiers died", "dozens were killed", "a dozen fighters killed", "five others were
  wounded", coordinated subjects ("280 civilians and 2,000 fighters have been killed" gives one
  mention per number, each spanning from its number to the shared verb);
- "death toll rose to 12", "claiming more than 2,000 lives", "30 deaths";
- zero: "no casualties were reported", "no one was hurt/killed" → count 0, kind "killed" (the
  fatality count is known to be zero); "no one was injured", "no injuries" → 0 "wounded";
- unnumbered: "casualties were reported", "killing civilians", "civilians were killed" → count
  ``None`` and kind "killed" (fatalities happened but their number is unknown).

"N casualties" and "N injuries" are coded "wounded": casualties count the killed and the injured
together, and ACLED fatalities must not be inflated. A mention is ``cumulative`` (a running
tally, not the toll of one event) when its part of the sentence says so: "since …", "so far",
"to date", "in total", "overall", "tally", "over the past year", "bringing the toll to", or a
war-scale subject with a perfect or "claiming … lives" ("the war has killed", "a stalemate,
claiming more than 2,000 lives"). "The first attack since the truce" is not a tally. Numbers
about anything else ("280 civilians", "146,000 displaced", "two vehicles destroyed") are not
reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final, NamedTuple

from ceasefire.pipeline.literals import Need, folded, has_all, need_any
from ceasefire.pipeline.numbers import NUM, NUMBER_WORD, parse_number

__all__ = ["CasualtyMention", "find_casualties", "parse_number"]


@dataclass(frozen=True, slots=True)
class CasualtyMention:
    """A statement that people were killed or wounded; offsets index the given text."""

    start: int
    end: int
    text: str
    count: int | None  # None when stated without a number ("casualties were reported")
    kind: str  # "killed" or "wounded"
    cumulative: bool  # a running tally, not the toll of one event
    victims: str | None  # head noun of who died or was hurt: "civilians", "soldier", "people"


# ------------------------------------------------------------------------------------ patterns

_HEADS = (
    r"people|persons?|civilians?|fighters?|soldiers?|troops|servicem[ae]n|militants?|rebels?|"
    r"combatants?|members?|policem[ae]n|police(?:\s+officers?)?|officers?|guards?|children|child|"
    r"kids|women|woman|men|man|boys?|girls?|migrants?|refugees?|protest[eo]rs?|demonstrators?|"
    r"workers?|residents?|villagers?|mercenar(?:y|ies)|gunm[ae]n|jihadists?|insurgents?|"
    r"militiam[ae]n|others?|individuals?|personnel|conscripts?|recruits?|pilots?|journalists?|"
    r"reporters?|medics?|doctors?|nurses?|paramedics?|passengers?|students?|pupils?|relatives|"
    r"bystanders?|attackers?|assailants?|commanders?|leaders?|officials?|staff|volunteers?|"
    r"worshipp?ers?|farmers?|shepherds?|fishermen|detainees?|prisoners?|inmates?|employees?|"
    r"contractors?|nationals?|citizens?|victims?|infants?|babies|baby|youths?|teenagers?|adults?|"
    r"pedestrians?|(?-i:[A-Z][a-z]+(?:ians|ans|ese|is))"
)
_STOP = (
    r"(?:and|or|but|were|was|are|is|be|been|being|have|has|had|who|which|that|in|on|at|by|from|"
    rf"with|to|of|for|than|as|while|when|after|before|during|killed|wounded|injured|dead|died|"
    rf"{NUMBER_WORD})\b"
)
_MODS = rf"(?:(?!{_STOP}|\d)[\w'’.-]+\s+){{0,3}}"
_NOT_UNIT = (
    r"(?!\s+(?:days?|weeks?|months?|years?|hours?|minutes?|km|kilomet(?:er|re)s?|miles?|"
    r"met(?:er|re)s?|percent|per\s*cent|times|am|pm|a\.m|p\.m)\b)"
)
_OF = r"(?:of\s+(?:the\s+|their\s+|its\s+)?)?"
_NP = (
    rf"(?:{NUM}{_NOT_UNIT}(?:\s+of\s+them\b|\s+{_OF}{_MODS}(?:{_HEADS})\b)?|(?:an?|another)\s+"
    rf"{_MODS}(?:{_HEADS})\b)"
)
_MEMBER = re.compile(
    rf"(?P<num>{NUM}){_NOT_UNIT}(?:\s+of\s+them\b|\s+{_OF}{_MODS}(?P<head>{_HEADS})\b)?"
    rf"|(?P<art>\b(?:an?|another))\s+{_MODS}(?P<head2>{_HEADS})\b",
    re.IGNORECASE,
)
_LIST = rf"{_NP}(?:\s*,\s*{_NP}){{0,3}}(?:\s*,?\s+and\s+{_NP})?"
_KILL = (
    r"killed|dead|died|slain|perished|executed|murdered|martyred|shot\s+dead|beheaded|"
    r"assassinated|lost\s+(?:their|his|her)\s+li(?:fe|ves)"
)
_WOUND = r"wounded|injured|hurt|maimed|hospitali[sz]ed|(?:suffered|sustained)\s+(?:\w+\s+)?injuries"
_AUX = (
    r"(?:(?:were|was|are|is|have|has|had|been|being|be|got|reportedly|allegedly|also|all|both|"
    r"later|subsequently|now|confirmed|believed|feared|said|reported|thought|known|to)\s+)*"
)
_PLURALS = (
    r"people|civilians|fighters|soldiers|troops|militants|rebels|children|women|men|residents|"
    r"protesters|migrants|personnel"
)
_I = re.IGNORECASE


_ZERO_SUBJECT = (
    r"\b(?:no(?:\s+(?P<head>one|body|civilians?|people|persons?|soldiers?|fighters?|troops))?|"
    r"nobody|none(?:\s+of\s+(?:them|the\s+\w+))?|not\s+a\s+single\s+\w+)\s+"
    r"(?:(?:was|were|has\s+been|have\s+been|had\s+been|is|are|got|reportedly)\s+)*"
    r"(?P<trig>killed|hurt|injured|wounded|harmed|dead|died)\b"
)
_ZERO_NOUN = (
    r"\b(?:(?:there\s+were|caused|causing|resulted\s+in|resulting\s+in|reported)\s+)?no\s+"
    r"(?:immediate\s+|reported\s+|known\s+)?(?:reports?\s+of\s+(?:any\s+)?)?(?P<trig>casualties|"
    r"deaths|fatalities|injuries|loss(?:es)?\s+of\s+life|human\s+losses)\b"
    r"(?:\s+(?:were|was|have\s+been|had\s+been)\s+reported)?"
)
_ZERO_WITHOUT = (
    r"\b(?:without\s+(?:causing\s+)?(?:any\s+)?|did\s+not\s+cause\s+(?:any\s+)?|"
    r"didn['’]t\s+cause\s+(?:any\s+)?)(?P<trig>casualties|injuries|deaths|loss\s+of\s+life)\b"
)
_TOLL = (
    r"\b(?P<trig>(?:(?:death|casualty|fatality|civilian|overall|total|final)\s+)*toll|number\s+of"
    r"\s+(?:dead|deaths|fatalities|(?:people|those|civilians)\s+killed|victims))(?:\s+[\w'’]+){0,5}?"
    r"\s+(?:to|at|of|reached|hit|hits|is|was|rose|climbed|jumped|stands|stood|increased|risen)\s+"
    rf"(?:to\s+|at\s+)?(?P<list>{_NP})"
)
_LIVES = (
    rf"\b(?P<trig>claim(?:ed|ing|s)?|cost(?:ing|s)?|took|taken|taking)\s+(?P<list>{NUM})\s+"
    rf"(?:\w+\s+)?lives\b|(?P<list2>{NUM})\s+(?:\w+\s+)?lives\s+(?:(?:were|have\s+been|"
    r"had\s+been|was)\s+)?lost\b"
)
_PASSIVE = (
    rf"(?P<list>{_LIST})(?:\s*,\s*(?:including|among\s+them|mostly|most\s+of\s+them|many\s+of"
    r"\s+them|all)[^,.;]{0,60},|\s+(?:including|among\s+them)\s[^,.;]{0,40}?(?=\s+(?:were|was|"
    rf"have|has|had|are|is)\s))?(?:\s+(?:who|that))?\s+(?P<aux>{_AUX})(?P<trig>{_KILL}|{_WOUND})\b"
)
_ACTIVE = (
    r"\b(?P<trig>killed|killing|wounded|wounding|injured|injuring|shot\s+dead|shooting\s+dead|"
    r"executed|executing|massacred|murdered|left|leaving|(?:claimed|claiming|took|taking)\s+the"
    rf"\s+lives\s+of)\s+(?P<list>{_LIST})(?:\s+(?P<tail>dead|wounded|injured|hurt)\b)?"
)
_NOUN = (
    rf"(?P<list>{NUM})\s+(?:(?:more|other|civilian|military|further|new|confirmed|reported|"
    r"combat|battle-related|additional)\s+)?(?P<trig>deaths|fatalities|casualties|injuries)\b"
)
_REPORTED = (
    r"\b(?P<trig>casualties|deaths|fatalities)\s+(?:were|have\s+been|had\s+been)\s+(?:also\s+)?"
    r"reported\b|\b(?:causing|caused|inflicting|inflicted|resulting\s+in|resulted\s+in|"
    r"reports?\s+of|there\s+were)\s+(?:heavy\s+|many\s+|numerous\s+|civilian\s+)?"
    r"(?P<trig2>casualties|deaths|fatalities)\b"
)
_UNCOUNTED = (
    r"\b(?P<trig>killing|killed|wounding|wounded|injuring|injured)(?:\s+and\s+(?:killing|"
    rf"wounding|injuring|killed|wounded|injured))?\s+(?:many\s+|numerous\s+)?(?P<head>{_PLURALS})"
    rf"\b|\b(?P<head2>{_PLURALS})\s+(?:who\s+)?(?:were|have\s+been|had\s+been|are|got)\s+"
    r"(?:(?:reportedly|also|all|allegedly)\s+)*(?P<trig2>killed|wounded|injured|dead|hurt)\b"
)


class _Pattern(NamedTuple):
    name: str
    priority: int  # lower wins when spans overlap
    regex: re.Pattern[str]
    needs: tuple[Need, ...]  # words every match contains (see _PATTERNS)


_LOSS_NOUN = "casualties deaths fatalities injuries loss"
_KILL_OR_WOUND = (
    "killed dead died slain perished executed murdered martyred beheaded assassinated lost "
    "wounded injur hurt maimed hospitali"
)
_ACTIVE_VERB = "kill wound injur dead execut massacred murdered left leaving lives"
_PATTERNS: Final = tuple(
    _Pattern(name, priority, re.compile(regex, re.IGNORECASE), tuple(map(need_any, needs)))
    for name, priority, regex, needs in (
        ("zero", 0, _ZERO_SUBJECT, ("no", "killed hurt injured wounded harmed dead died")),
        ("zero", 0, _ZERO_NOUN, ("no", _LOSS_NOUN)),
        ("zero", 0, _ZERO_WITHOUT, ("without cause", _LOSS_NOUN)),
        ("toll", 1, _TOLL, ("toll number",)),
        ("lives", 1, _LIVES, ("lives",)),
        ("passive", 2, _PASSIVE, (_KILL_OR_WOUND,)),
        ("active", 2, _ACTIVE, (_ACTIVE_VERB,)),
        ("noun", 3, _NOUN, ("deaths fatalities casualties injuries",)),
        ("unnumbered", 4, _REPORTED, ("casualties deaths fatalities",)),
        ("unnumbered", 4, _UNCOUNTED, ("kill wound injur dead hurt",)),
    )
)
"""The patterns with, for each, literal words that every match of it contains.

A pattern is only run on a sentence holding all of its words: the literal searches are much
cheaper than the patterns, whose leading number or list is tried at every position (a
speed-up, same matches; see :mod:`~ceasefire.pipeline.literals`).
"""

_TRANSITIVE: Final = frozenset(
    "killed executed murdered wounded injured hurt beheaded assassinated maimed".split()
)
_DETERMINERS: Final = frozenset("a an the his her their its this that these those".split())
_TIMEWORDS: Final = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday overnight "
    "january february march april may june july august september october november december".split()
)
_TALLY = re.compile(
    r"\bsince\b|\bso\s+far\b|\bto\s+date\b|\bin\s+total\b|\bin\s+all\b|\boverall\b|\baltogether\b|"
    r"\bcumulative(?:ly)?\b|\btally\b|\brunning\s+total\b|\bthroughout\b|\btotal\s+(?:death\s+)?toll\b|"
    r"\b(?:over|during|in|within)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:days|weeks|months|years|"
    r"decade|year|month|week)\b|\b(?:bringing|raising|pushing|taking|brought|raised|pushed)\s+"
    r"(?:the\s+)?(?:\w+\s+){0,2}toll\b",
    _I,
)
_NOT_TALLY_SINCE = re.compile(
    r"\b(?:first|worst|deadliest|biggest|largest|heaviest|bloodiest|most\s+\w+|major|serious|"
    r"latest|fiercest)\b[^.;]{0,50}$",
    _I,
)
_WAR = re.compile(
    r"\b(?:war|conflict|offensive|campaign|insurgency|siege|stalemate|crisis|hostilities|"
    r"assault|uprising|fighting|violence)\b[^.;]{0,80}?\b(?:(?:has|have|had)\s+(?:\w+\s+)?"
    r"(?:killed|claimed|left|cost|taken)|claiming|costing)\b"
    r"|\b(?:have|has|had)\s+been\s+(?:killed|lost)\b[^.;]{0,60}\b(?:war|conflict|offensive|"
    r"campaign|insurgency|siege)\b",
    _I,
)
_TRIGGERS = (
    need_any(
        "kill dead died wound injur hurt casualt death fatalit toll lives slain perish execut "
        "murder martyr behead assassin maim hospital massacr harmed"
    ),
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])|\n")
_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr gen lt col maj brig sgt capt st jan feb mar apr jun jul aug sep sept oct nov dec "
    "no vs etc u.s u.n e.g i.e".split()
)


class _Unit(NamedTuple):
    start: int
    end: int
    priority: int
    mentions: tuple[tuple[int, int, int | None, str, str | None], ...]  # start end count kind who


def find_casualties(text: str) -> list[CasualtyMention]:
    """Casualty mentions in ``text`` in order of position (see the module doc for the rules)."""
    starts = _sentence_starts(text)
    lower = folded(text)
    units: list[_Unit] = []
    for lo, hi in zip(starts, [*starts[1:], len(text)], strict=True):
        seen: dict[Need, bool] = {}
        # most sentences say nothing of casualties
        if has_all(_TRIGGERS, text, lower, lo, hi, seen):
            units += [
                u
                for p in _PATTERNS
                if has_all(p.needs, text, lower, lo, hi, seen)
                for m in p.regex.finditer(text, lo, hi)
                if (u := _unit(p, m, text))
            ]
    units.sort(key=lambda u: (u.priority, u.start - u.end, u.start))
    chosen: list[_Unit] = []
    for unit in units:
        if all(unit.end <= c.start or unit.start >= c.end for c in chosen):
            chosen.append(unit)
    chosen.sort(key=lambda u: u.start)
    result: list[CasualtyMention] = []
    for index, unit in enumerate(chosen):
        cumulative = _is_tally(text, _region(chosen, index, starts, len(text)))
        for start, end, count, kind, victims in unit.mentions:
            result.append(
                CasualtyMention(start, end, text[start:end], count, kind, cumulative, victims)
            )
    return result


def _kind(word: str) -> str:
    return "wounded" if re.search(r"wound|injur|hurt|maim|hospital", word, _I) else "killed"


def _unit(pattern: _Pattern, m: re.Match[str], text: str) -> _Unit | None:
    groups = m.groupdict()
    trig = groups.get("trig") or groups.get("trig2") or ""
    if pattern.name in {"zero", "unnumbered"}:
        head = groups.get("head") or groups.get("head2")
        victims = head if head and head.lower() not in {"one", "body"} else None
        count = 0 if pattern.name == "zero" else None
        kind = "wounded" if re.match(r"wound|injur", trig, _I) else "killed"  # "no one was hurt"
        return _Unit(m.start(), m.end(), pattern.priority, ((*m.span(), count, kind, victims),))
    if pattern.name == "noun":
        kind = "killed" if trig.lower() in {"deaths", "fatalities"} else "wounded"
        return _single(pattern, m, m.start(), m.end(), parse_number(m["list"]), kind, None)
    if pattern.name in {"toll", "lives"}:
        group = "list" if groups.get("list") else "list2"
        member = _MEMBER.fullmatch(m[group])
        if member is None:
            return None
        count, head = _membernumber_value(member)
        return _single(pattern, m, m.start(), m.end(), count, "killed", head)
    if pattern.name == "active":
        kind = _kind(groups["tail"] or "") if trig.lower() in {"left", "leaving"} else _kind(trig)
        if trig.lower() in {"left", "leaving"} and not groups["tail"]:
            return None
    else:
        kind = _kind(trig)
        if not m["aux"] and trig.lower() in _TRANSITIVE and _object_follows(text, m.end()):
            return None  # "two gunmen killed a civilian": the gunmen are not the victims
    members = _members(m)
    if not members:
        return None
    if pattern.name == "active":  # "killed three civilians", "left five dead"
        tail_end = m.end() if m["tail"] else 0
        spans = [(m.start(), max(end, tail_end), c, kind, h) for _, end, c, h in members]
    else:
        spans = [(start, m.end(), c, kind, h) for start, _, c, h in members]
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    return _Unit(lo, hi, pattern.priority, tuple(spans))


def _single(
    pattern: _Pattern,
    m: re.Match[str],
    start: int,
    end: int,
    count: int | None,
    kind: str,
    victims: str | None,
) -> _Unit | None:
    if count is None:
        return None
    return _Unit(start, end, pattern.priority, ((start, end, count, kind, victims),))


def _membernumber_value(member: re.Match[str]) -> tuple[int | None, str | None]:
    head = member["head"] or member["head2"]
    return (1 if member["art"] else parse_number(member["num"])), head


def _members(m: re.Match[str]) -> list[tuple[int, int, int, str | None]]:
    """The numbers of a list ("280 civilians and roughly 2,000 fighters"), with their nouns."""
    offset = m.start("list")
    found: list[tuple[int, int, int, str | None]] = []
    for member in _MEMBER.finditer(m["list"]):
        count, head = _membernumber_value(member)
        if count is None:
            continue
        bare_year = head is None and re.fullmatch(r"(?:19|20)\d\d", member.group().strip())
        if not bare_year:
            found.append((offset + member.start(), offset + member.end(), count, head))
    if len(found) > 1:
        found = [f for f in found if f[3] is not None]
    return found


def _object_follows(text: str, position: int) -> bool:
    after = re.match(r"\s+([\w'’]+)", text[position : position + 40])
    if after is None:
        return False
    word = after[1]
    if word.lower() in _DETERMINERS or word[0].isdigit() or parse_number(word) is not None:
        return True
    return word[0].isupper() and word.lower() not in _TIMEWORDS


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()].split()
        token = before[-1].lower().rstrip(".") if before and match.group() != "\n" else ""
        if token not in _ABBREVIATIONS and not (len(token) == 1 and token.isalpha()):
            starts.append(match.end())
    return starts


def _region(chosen: list[_Unit], index: int, starts: list[int], length: int) -> tuple[int, int]:
    """The part of the unit's sentence not claimed by a neighbouring unit."""
    unit = chosen[index]
    at = bisect.bisect_right(starts, unit.start) - 1
    lo, hi = starts[at], starts[at + 1] if at + 1 < len(starts) else length
    if index > 0 and chosen[index - 1].end > lo:
        lo = chosen[index - 1].end
    if index + 1 < len(chosen) and chosen[index + 1].start < hi:
        hi = chosen[index + 1].start
    return min(lo, unit.start), max(hi, unit.end)


def _is_tally(text: str, region: tuple[int, int]) -> bool:
    part = text[region[0] : region[1]]
    if _WAR.search(part):
        return True
    for match in _TALLY.finditer(part):
        if match.group().lower() != "since" or not _NOT_TALLY_SINCE.search(part[: match.start()]):
            return True
    return False
