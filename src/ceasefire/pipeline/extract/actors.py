"""From a token of the parse to a profile actor, on the event's date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ceasefire.adapters.nlp import ACTOR_LABEL, EVENT_LABEL
from ceasefire.domain.events import ActorRef, Span
from ceasefire.domain.profile import ActorKind, Profile, alias_key
from ceasefire.domain.taxonomy import EnglishCues
from ceasefire.pipeline import quantities
from ceasefire.pipeline.extract.parsed import Parsed, Word
from ceasefire.pipeline.extract.roles import Arguments, is_time_word
from ceasefire.pipeline.extract.triggers import Hit

_PRONOUNS = frozenset("it they he she we i you them him her us this that who which".split())
# a neutral source makes a statement a report, not a party's claim
NEUTRAL_KINDS = frozenset(
    {ActorKind.INTERGOVERNMENTAL_BODY, ActorKind.MEDIATOR, ActorKind.GENERIC, ActorKind.CIVILIANS}
)
_SKIP_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "punct", "cc"})
# "fighters allied with the Tripoli government": a clause that says whose side a group is on
_ALLEGIANCE = frozenset("ally align affiliate loyal belong attach link".split())


def noun_phrase(token: Word) -> list[Word]:
    """The tokens of a noun phrase without its relative clauses and appositions."""
    tokens = [token]
    for child in token.children:
        if child.dep_ in _SKIP_DEPS and not (
            child.dep_ == "acl" and child.lemma_.lower() in _ALLEGIANCE
        ):
            continue
        if child.dep_ == "conj":
            continue
        tokens.extend(noun_phrase(child))
    return tokens


def is_pronoun(token: Word | None) -> bool:
    return token is not None and (token.pos_ == "PRON" or token.lower_ in _PRONOUNS)


def _phrase_with_conjuncts(token: Word) -> list[Word]:
    tokens = noun_phrase(token)
    for conjunct in token.conjuncts:
        tokens.extend(noun_phrase(conjunct))
    return tokens


def actor_id_at(
    doc: Parsed, token: Word, profile: Profile, conjuncts: bool = True
) -> tuple[str, Span | None] | None:
    """The profile actor a noun phrase names, if any, with the span of its name: the first one
    named in the phrase ("the LNA and Wagner fighters" → the LNA)."""
    phrase = {t.i for t in (_phrase_with_conjuncts(token) if conjuncts else noun_phrase(token))}
    if token.ent_type_ == ACTOR_LABEL:
        # "the EU's Operation Irini", "Egypt's President Sisi": the head's name, not its owner's
        phrase -= {t.i for child in token.children if child.dep_ == "poss" for t in child.subtree}
    best: tuple[int, str, tuple[int, int, str]] | None = None
    for ent in doc.ents:
        if ent.label_ != ACTOR_LABEL or not any(i in phrase for i in range(ent.start, ent.end)):
            continue
        if best is None or ent.start < best[0]:
            best = (ent.start, ent.ent_id_, (ent.start_char, ent.end_char, ent.text))
    if best is None:
        # "the 2011 uprising that toppled Gaddafi": an event that stands for who made it
        for ent in doc.ents:
            reference = profile.reference_events.get(ent.ent_id_)
            if (
                reference is not None
                and reference.actor is not None
                and ent.label_ == EVENT_LABEL
                and any(i in phrase for i in range(ent.start, ent.end))
            ):
                best = (ent.start, reference.actor, (ent.start_char, ent.end_char, ent.text))
                break
    if best is not None:
        return best[1], Span(*best[2])
    for key in (alias_key(token.text), alias_key(token.lemma_)):
        actor_id = profile.actor_names.get(key)
        if actor_id is not None:
            return actor_id, Span(token.idx, token.idx + len(token.text), token.text)
    return None


_CODED_AS_PARENT = frozenset(
    {ActorKind.FOREIGN_MILITARY, ActorKind.GOVERNMENT, ActorKind.STATE_FORCE}
)


def coded_as(profile: Profile, actor_id: str) -> str:
    """Events are coded to the main actor: a state's forces and bodies (Turkish Armed Forces, the
    Presidential Council, the LNA's air force) to the state or force they belong to."""
    actor = profile.actors[actor_id]
    seen = {actor.id}
    while (
        actor.parent
        and actor.parent in profile.actors
        and actor.parent not in seen
        and (actor.kind in _CODED_AS_PARENT or actor.id.startswith(actor.parent + "_"))
    ):
        actor = profile.actors[actor.parent]
        seen.add(actor.id)
    return actor.id


def resolve(
    doc: Parsed,
    token: Word | None,
    profile: Profile,
    day: date | None,
    offset: int,
    conjuncts: bool = True,
) -> ActorRef | None:
    """A token of the parse as an actor: a profile actor (persons as what they represent on
    ``day``), or an unknown proper-noun actor; ``None`` for anything else. With ``conjuncts``
    a coordinated phrase gives its first-named actor."""
    if token is None or is_pronoun(token):
        return None
    found = actor_id_at(doc, token, profile, conjuncts)
    if found is not None:
        actor_id, span = found
        actor = profile.actors[coded_as(profile, profile.represented(actor_id, day).id)]
        shifted = Span(span.start + offset, span.end + offset, span.text) if span else None
        return ActorRef(
            id=actor.id,
            name=actor.name,
            acled_name=actor.acled_name,
            side=profile.side_of(actor.id, day),
            span=shifted,
        )
    if token.pos_ == "PROPN" and not is_time_word(token):
        words = sorted(
            (t for t in noun_phrase(token) if t.pos_ in ("PROPN", "ADJ") or t == token),
            key=lambda t: t.i,
        )
        name = " ".join(t.text for t in words)
        start = words[0].idx
        end = words[-1].idx + len(words[-1].text)
        return ActorRef(
            id=None, name=name, span=Span(start + offset, end + offset, doc.text[start:end])
        )
    return None


def is_neutral(actor: ActorRef | None, profile: Profile) -> bool:
    if actor is None or actor.id is None:
        return True
    spec = profile.actors.get(actor.id)
    return spec is None or spec.kind in NEUTRAL_KINDS or actor.side in (None, "international")


def principals(profile: Profile, day: date | None) -> tuple[ActorRef, ActorRef] | None:
    """The profile's two principal parties on ``day`` (the recognised government first)."""
    parties = profile.principal_parties(day)
    if parties is None:
        return None
    first, second = (
        ActorRef(spec.id, spec.name, spec.acled_name, profile.side_of(spec.id, day), None)
        for spec in (profile.actors[parties[0]], profile.actors[parties[1]])
    )
    return first, second


def collective(
    profile: Profile,
    cues: EnglishCues,
    doc: Parsed,
    args: Arguments,
    hit: Hit,
    day: date | None,
    actor1: ActorRef | None,
    actor2: ActorRef | None,
) -> tuple[ActorRef | None, ActorRef | None]:
    """ "The two sides swapped prisoners": the profile's principal parties on that date."""
    tokens = [hit.head, *(t for t in (args.agent, args.patient) if t is not None)]
    tokens.extend(args.partners)
    text = " ".join(t.text for token in tokens for t in token.subtree).lower()
    if not any(phrase in text for phrase in cues.collective_parties):
        return actor1, actor2
    pair = principals(profile, day)
    if pair is None:
        return actor1, actor2
    first, second = pair
    if actor1 is None and actor2 is None:
        return first, second
    if actor1 is None:
        return (second if actor2 is not None and actor2.id == first.id else first), actor2
    if actor2 is None and actor1.id in (first.id, second.id):
        return actor1, (second if actor1.id == first.id else first)
    return actor1, actor2


def generic(profile: Profile, actor_id: str) -> ActorRef | None:
    spec = profile.actors.get(actor_id)
    return ActorRef(spec.id, spec.name, spec.acled_name, None, None) if spec else None


def partner(
    profile: Profile,
    doc: Parsed,
    args: Arguments,
    actor1: ActorRef | None,
    day: date | None,
    offset: int,
) -> ActorRef | None:
    """ "Misratan brigades and the LNA fought", "X and Y swapped prisoners": the other party of a
    coordinated subject."""
    if args.agent is None:
        return None
    for conjunct in reversed(args.agent.conjuncts):
        ref = resolve(doc, conjunct, profile, day, offset, conjuncts=False)
        if ref is not None and ref.id is not None and ref != actor1:
            return ref
    return None


def target(
    profile: Profile,
    cues: EnglishCues,
    doc: Parsed,
    args: Arguments,
    casualties: Sequence[quantities.CasualtyMention],
    actor1: ActorRef | None,
    day: date | None,
    offset: int,
    battle: bool = False,
) -> ActorRef | None:
    """Who was hit when the parse names no actor: civilian places and victims are civilians
    (not in battles); else the one belligerent of another side that the sentence names."""
    civilian_words = set(cues.civilian_targets)
    target_words = {t.lemma_.lower() for t in args.patient.subtree} if args.patient else set()
    victims = {(m.victims or "").lower() for m in casualties}
    words = target_words | {v.rstrip("s") for v in victims} | victims
    police = {"police", "policeman", "policemen", "officer", "officers", "recruit", "recruits"}
    if not battle:
        if words & police:
            return generic(profile, "police")
        if words & {"migrant", "migrants"}:
            return generic(profile, "migrants")
        if words & civilian_words:
            return generic(profile, "civilians")
    others: dict[str, ActorRef] = {}
    for ent in doc.ents:
        if ent.label_ != ACTOR_LABEL:
            continue
        ref = resolve(doc, ent.root, profile, day, offset)
        if ref is None or ref.id is None or ref.side in (None, "international"):
            continue
        if actor1 is not None and (ref.id == actor1.id or ref.side == actor1.side):
            continue
        others[ref.id] = ref
    return next(iter(others.values())) if len(others) == 1 else None


_CROWDS = frozenset({"civilians", "protesters", "rioters"})
_POLICE_WORDS = frozenset({"police", "policeman", "policemen", "riot police", "security forces"})


def crowd_roles(
    profile: Profile,
    doc: Parsed,
    type_id: str,
    actor1: ActorRef | None,
    actor2: ActorRef | None,
) -> tuple[ActorRef | None, ActorRef | None]:
    """Protesters (rioters in a riot) are the first actor of every protest; the force that
    intervenes, or the police the sentence names, is the second ("police used tear gas to
    disperse a sit-in"); a riot's victims stay its target."""
    crowd = profile.actors.get("protesters" if type_id == "protests" else "rioters")
    if crowd is None:
        return actor1, actor2
    force = actor1 if actor1 is not None and actor1.id not in _CROWDS else None
    if force is None and actor2 is not None and actor2.id not in _CROWDS:
        force = actor2
    if force is None and any(t.lower_ in _POLICE_WORDS for t in doc):
        force = generic(profile, "police")
    if force is None and type_id == "riots":
        force = actor2  # "a mob beat a man to death": the victims
    span = actor1.span if actor1 is not None and actor1.id in _CROWDS else None
    return ActorRef(crowd.id, crowd.name, crowd.acled_name, None, span), force


def abroad(profile: Profile, actor: ActorRef | None) -> ActorRef | None:
    """The actor as coded for an event outside the profile's country, when the profile says."""
    if actor is None or actor.id is None:
        return actor
    other = profile.actors.get(profile.actors[actor.id].abroad or "")
    if other is None:
        return actor
    return ActorRef(other.id, other.name, other.acled_name, actor.side, actor.span)


_BACK_REFERENCES = frozenset({"his", "its", "their", "he", "it", "they", "she", "her"})


def refers_back(token: Word) -> bool:
    """ "His forces shelled ...", "it said": the initiator was named before."""
    return token.lower_ in _BACK_REFERENCES or any(
        child.dep_ == "poss" and child.lower_ in _BACK_REFERENCES for child in token.children
    )


def nearest_actor(doc: Parsed, hit: Hit) -> Word | None:
    """The closest actor named before a verb trigger, when the parse gives it no subject."""
    for token in reversed(doc[: hit.start]):
        if token.text in (";", ":") or token.lower_ in ("said", "says", "told"):
            return None
        if token.ent_type_ == ACTOR_LABEL:
            return token
    return None
