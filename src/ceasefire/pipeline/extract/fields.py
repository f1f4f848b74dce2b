"""Fields of an event other than its actors and place: its date (tense-aware, never from the
clock), its weapon (for explosions sub types) and its casualties."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from ceasefire.adapters.nlp import EVENT_LABEL
from ceasefire.domain.events import EventDate, Span
from ceasefire.domain.profile import Profile
from ceasefire.pipeline import quantities, timex
from ceasefire.pipeline.extract.lexicon import Lexicon
from ceasefire.pipeline.extract.parsed import Parsed, Word
from ceasefire.pipeline.extract.roles import Arguments
from ceasefire.pipeline.extract.triggers import Hit

# when a sentence names several weapons, the more telling one decides (ACLED: a suicide car
# bomb is a suicide bomb; a drone firing a missile is a drone strike)
_WEAPON_PRIORITY = (
    "suicide_bomb",
    "chemical_weapon",
    "air_drone_strike",
    "remote_explosive",
    "grenade",
    "shelling",
)


def weapon(lexicon: Lexicon, hit: Hit, doc: Parsed, args: Arguments) -> str | None:
    """The explosions sub type the weapon words near the trigger give, if any."""
    near: list[Word] = list(doc[hit.start : hit.end])
    for token in (args.agent, hit.head):
        if token is not None:
            near.extend(token.subtree)
    # a generic "attacked" takes its weapon from anywhere in the sentence; a named kind of
    # fighting only from its own words ("fighting ... violations by land, sea and air")
    for tokens in (near, list(doc)) if hit.trigger is None else (near,):
        words = [t.lower_ for t in tokens]
        grams = [*words, *(f"{a} {b}" for a, b in pairwise(words))]
        found = {lexicon.weapons[g] for g in grams if g in lexicon.weapons}
        if found:
            return min(
                found,
                key=lambda sub: (
                    _WEAPON_PRIORITY.index(sub) if sub in _WEAPON_PRIORITY else 99,
                    sub,
                ),
            )
    return None


def event_date(
    profile: Profile,
    published: date | None,
    doc: Parsed,
    hit: Hit,
    args: Arguments,
    expressions: Sequence[timex.TimeExpression],
    future: bool,
    context: date | None,
    offset: int,
) -> EventDate | None:
    """The event's date: the nearest time expression of its clause resolved against the
    publication date with the clause's tense, else a reference event it names, else (when
    the report is dated and the event is no plan) the publication date with precision 2."""
    clause_tokens = {t.i for t in args.clause.subtree} | {t.i for t in hit.head.subtree}
    chosen: timex.TimeExpression | None = None
    best = 10**9
    trigger_char = hit.head.idx
    for expression in expressions:
        span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
        inside = span is not None and any(t.i in clause_tokens for t in span)
        distance = abs(expression.start - trigger_char) + (0 if inside else 1000)
        if distance < best:
            best, chosen = distance, expression
    if chosen is not None and best < 1000 + 200:
        told = timex.Tense.FUTURE if future else tense(hit.head, args.clause)
        interval = timex.resolve(chosen, published, told, context)
        if interval is not None:
            return EventDate(
                interval.start,
                interval.end,
                interval.precision,
                Span(offset + chosen.start, offset + chosen.end, chosen.text),
            )
    for ent in doc.ents:
        if ent.label_ == EVENT_LABEL and any(t.i in clause_tokens for t in ent):
            reference = profile.reference_events.get(ent.ent_id_)
            if reference is not None:
                end = reference.end or reference.start
                precision = (
                    1 if end == reference.start else 2 if (end - reference.start).days <= 7 else 3
                )
                where = Span(offset + ent.start_char, offset + ent.end_char, ent.text)
                return EventDate(reference.start, end, precision, where)
    if published is not None and not future:
        # reported without a date: around the publication date, not more precisely
        return EventDate(published, published, 2, None)
    return None


def tense(token: Word, clause: Word) -> timex.Tense:
    """The tense a clause reports in: future, past or present."""
    for candidate in (token, clause):
        auxes = {c.lower_ for c in candidate.children if c.dep_ in ("aux", "auxpass")}
        if auxes & {"will", "shall", "'ll", "wo"}:
            return timex.Tense.FUTURE
        if candidate.tag_ in ("VBD", "VBN") or auxes & {"had", "has", "have", "was", "were", "did"}:
            return timex.Tense.PAST
    return timex.Tense.PRESENT if clause.tag_ in ("VBZ", "VBP", "VBG") else timex.Tense.PAST


def casualties(
    hit: Hit, mentions: Sequence[quantities.CasualtyMention], family: str
) -> tuple[int | None, int | None]:
    """Killed and wounded of a violent event: the nearest non-cumulative mentions."""
    if family != "violence":
        return None, None
    trigger = hit.head.idx
    killed = [m for m in mentions if m.kind == "killed" and not m.cumulative]
    wounded = [m for m in mentions if m.kind == "wounded" and not m.cumulative]

    def nearest(found: list[quantities.CasualtyMention]) -> int | None:
        if not found:
            return None
        return min(found, key=lambda m: abs(m.start - trigger)).count

    return nearest(killed), nearest(wounded)


def era(profile: Profile, docs: Sequence[Parsed]) -> date | None:
    """The latest reference event (the Geneva ceasefire, the Berlin conference) an undated
    article names: who stood for whom is read as of then (never an event's date)."""
    starts = [
        reference.start
        for doc in docs
        for ent in doc.ents
        if ent.label_ == EVENT_LABEL
        and (reference := profile.reference_events.get(ent.ent_id_)) is not None
    ]
    return max(starts, default=None)
