"""Wire attributions: who a story (or one statement) really comes from, for counting independence.

Ten outlets that reprint one Reuters story are one source, not ten. Fusion counts *origins*, and
the caller builds each report's origin with :func:`report_origin` from three things it knows:
the wire agency the text is attributed to (:func:`wire_origin`), the syndication group of
near-identical copies (found at ingestion), and the outlet itself.

:func:`wire_origin` looks for the ways news text credits an agency, strongest first:

1. a dateline: ``TRIPOLI (Reuters) -``, ``GENEVA, Feb 21 (AFP) –``, ``(AP) —`` at the start of a
   line;
2. a sign-off: ``— AP``, ``Reuters contributed to this report``, ``Source: Xinhua``;
3. an attribution in a sentence: ``told Reuters``, ``Reuters reported``, ``according to TASS``,
   ``quoted by RIA Novosti``, ``in an interview with Sputnik``, ``Anadolu Agency reported``,
   ``TASS news agency``;
4. a bare parenthesised credit: ``(AFP)``. This is the weakest signal, because pages print photo
   credits the same way ("Forces patrol in Sebha. (AFP)"), so any stronger signal wins over it.

Among signals of the same strength the earliest in the text wins. Only press *agencies* count:
newspapers and broadcasters that are quoted ("Al Arabiya", "Libya Observer", "Al Wasat") are
outlets, not wires.

Call it on one evidence sentence to get the origin of that statement ("..., the envoy told Reuters
on Friday"), and call :func:`story_wire` on a whole article: it reads only the signals that credit
the story itself (a dateline, a sign-off), because a story that cites an agency once for one quote
("was quoted by TASS") is not that agency's story.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: canonical agency name -> how texts spell it (case-sensitive: agencies are proper names)
AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Reuters", ("Reuters", "Thomson Reuters")),
    ("AFP", ("AFP", "Agence France-Presse", "Agence France Presse", "Agence France Press")),
    ("AP", ("AP", "Associated Press")),
    ("TASS", ("TASS", "ITAR-TASS", "ITAR TASS", "Tass")),
    ("RIA Novosti", ("RIA Novosti", "RIA")),
    ("Sputnik", ("Sputnik", "Sputnik News")),
    ("Anadolu Agency", ("Anadolu Agency", "Anadolu News Agency", "Anadolu", "AA")),
    ("Xinhua", ("Xinhua", "Xinhua News Agency")),
    ("dpa", ("dpa", "DPA", "Deutsche Presse-Agentur", "Deutsche Presse Agentur")),
    ("Agenzia Nova", ("Agenzia Nova", "Nova News")),
    ("Interfax", ("Interfax",)),
    ("EFE", ("EFE",)),
    ("ANSA", ("ANSA",)),
    ("UPI", ("UPI", "United Press International")),
    ("Kyodo", ("Kyodo", "Kyodo News")),
    ("Yonhap", ("Yonhap",)),
    ("MENA", ("MENA", "Middle East News Agency")),
    ("WAM", ("WAM", "Emirates News Agency")),
    ("KUNA", ("KUNA", "Kuwait News Agency")),
)

#: abbreviations that are also other things ("(MENA)" the region): not trusted as a bare credit
_AMBIGUOUS = frozenset({"AA", "RIA", "EFE", "ANSA", "MENA", "WAM", "DPA", "UPI"})

_SPELLINGS: dict[str, str] = {
    spelling: canonical for canonical, spellings in AGENCIES for spelling in spellings
}
_FOLDED: dict[str, str] = {
    spelling.casefold(): canonical
    for spelling, canonical in _SPELLINGS.items()
    if spelling not in _AMBIGUOUS and len(spelling) > 2
}
_ALTERNATION = "|".join(
    re.escape(spelling) for spelling in sorted(_SPELLINGS, key=lambda text: (-len(text), text))
)
_NAME = rf"(?P<name>{_ALTERNATION})"
_DASH = r"[-\u2010-\u2015\u2212]"

# (strength, pattern): 0 is the strongest. Patterns are case-sensitive on purpose: agencies are
# proper names ("told Reuters"), and "ap" or "aa" in lowercase are not credits.
_SIGNALS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # a dateline: "TRIPOLI (Reuters) -", "GENEVA, Feb 21 (AFP) -", "(AP) —" opening a line
    (0, re.compile(rf"(?m)^[^\n()]{{0,60}}\(\s*{_NAME}\s*\)\s*{_DASH}")),
    # a sign-off at the end of a line: "— AP", "- Reuters"
    (1, re.compile(rf"(?m)^\s*{_DASH}{{1,2}}\s*{_NAME}\s*\.?\s*$")),
    (1, re.compile(rf"(?m){_DASH}\s+{_NAME}\s*$")),
    (1, re.compile(rf"\b{_NAME}\s+contributed\b")),
    (1, re.compile(rf"(?i:source|sources|credit)\s*:\s*{_NAME}\b")),
    # attribution inside a sentence
    (
        2,
        re.compile(
            rf"\b(?:told|telling|tells|according to|quoted by|cited by|reported by|"
            rf"said to|interview (?:with|to)|speaking to|spoke to|statement to|"
            rf"(?:comments|remarks) to)\s+(?:the\s+)?{_NAME}\b"
        ),
    ),
    (
        2,
        re.compile(
            rf"\b{_NAME}(?:'s?|\u2019s?)?\s+(?:news agency\s+)?"
            rf"(?:reported|reports|said|says|learned|learnt|quoted|cited|news agency)\b"
        ),
    ),
    # a bare parenthesised credit, often a photo credit: the weakest signal
    (3, re.compile(rf"\(\s*{_NAME}\s*\)")),
)


def canonical_agency(name: str) -> str | None:
    """The canonical name of a wire agency spelled ``name`` ("Agence France-Presse" -> "AFP"),
    or None when ``name`` is not an agency. Also reads outlet domains ("reuters.com", "afp.com")."""
    text = " ".join(name.split())
    if not text:
        return None
    if text in _SPELLINGS:
        return _SPELLINGS[text]
    if "." in text and " " not in text:  # a domain: its first label that is not "www"
        labels = [label for label in text.casefold().split(".") if label != "www"]
        text = labels[0] if labels else text
        if text.upper() in _SPELLINGS:
            return _SPELLINGS[text.upper()]
    return _FOLDED.get(text.casefold())


def _signals(text: str) -> Iterator[tuple[int, int, str]]:
    for strength, pattern in _SIGNALS:
        for match in pattern.finditer(text):
            spelled = match.group("name")
            canonical = canonical_agency(spelled)
            if canonical is None:
                continue
            if strength == 3 and spelled in _AMBIGUOUS:
                # "(MENA)" is more often the region than the agency: ambiguous abbreviations
                # count only where the layout or the verb says "this is a credit"
                continue
            yield strength, match.start("name"), canonical


def wire_origin(text: str) -> str | None:
    """The wire agency ``text`` is attributed to, by its canonical name, or None.

    The strongest signal wins (dateline, then sign-off, then an attribution in a sentence, then
    a bare parenthesised credit), and among equals the earliest; see the module docstring.
    """
    best: tuple[int, int, str] | None = None
    for signal in _signals(text):
        if best is None or signal[:2] < best[:2]:
            best = signal
    return best[2] if best is not None else None


def report_origin(outlet: str, syndication_group: str | None, wire: str | None) -> str:
    """Who a report's information comes from, for independence.

    The wire agency first (any outlet reprinting Reuters is Reuters), then the syndication group
    of near-identical copies (``group:<id>``), then the outlet itself, itself read as an agency
    when it is one (the outlet "reuters.com" is the origin "Reuters").
    """
    if wire:
        return canonical_agency(wire) or wire
    if syndication_group:
        return f"group:{syndication_group}"
    return canonical_agency(outlet) or outlet


def story_wire(text: str) -> str | None:
    """The wire agency a whole story is credited to by its dateline or sign-off, or None."""
    best: tuple[int, int, str] | None = None
    for signal in _signals(text):
        if signal[0] <= 1 and (best is None or signal[:2] < best[:2]):
            best = signal
    return best[2] if best is not None else None
