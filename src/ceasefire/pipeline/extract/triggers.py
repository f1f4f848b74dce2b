"""Stage two, on a parsed sentence: which words are event triggers.

Verbs, nouns and multiword phrases of the taxonomy are matched on lemmas (and on surface forms
when the tagger mislemmatises); a noun names an event only in some positions (the object of a
light verb, a subject of "began" ...), and summaries, habits, ongoing states, agreements to do
something and talks being walked out of are no events. Purpose clauses belong to the event they
serve ("met on Sunday to discuss").
"""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.pipeline.extract.lexicon import Lexicon, Trigger
from ceasefire.pipeline.extract.parsed import Parsed, Word

SUBJECTS = ("nsubj", "csubj")
PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
OBJECTS = ("dobj", "obj", "attr", "oprd")
# verbs that turn a noun into an event: "launched an attack", "held talks"
LIGHT_VERBS = frozenset(
    "launch carry conduct stage mount hold begin resume start continue open end attend convene "
    "reach sign join host chair lead organise organize take make have see witness wage renew "
    "intensify step escalate trigger spark prompt break collapse stall fail go come get be "
    "suspend halt announce document record register report cite note monitor observe broker "
    "mediate sponsor".split()
)
# a noun trigger that is the object of these is a mention of an event reported elsewhere
REFERRING_VERBS = frozenset(
    "condemn denounce deplore decry blame investigate document report describe call "
    "welcome praise mourn discuss".split()
)
_EXIT_VERBS = frozenset("walk withdraw pull quit leave storm boycott suspend exit".split())
_STOPPING_VERBS = frozenset("end stop halt cease prevent avoid avert curb".split())
PROCESS_LIGHT_SUBJECT_VERBS = frozenset(
    "begin resume start continue open end collapse break fail stall convene go take come get "
    "proceed conclude close".split()
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger found in a sentence: its head token, the tokens it spans, what it means."""

    head: Word
    start: int  # token indices in the sentence doc
    end: int
    trigger: Trigger | None  # None: a generic violence word, typed later by weapon and target
    nominal: bool


def _phrase_hits(
    tokens: list[Word], lemmas: list[str], lowers: list[str], lexicon: Lexicon, used: set[int]
) -> list[Hit]:
    """Multiword triggers, matched on lemmas or words, longest first, without overlaps."""
    hits: list[Hit] = []
    starts = lexicon.phrase_starts
    for i in range(len(tokens)):
        if i in used or (lemmas[i] not in starts and lowers[i] not in starts):
            continue
        candidates = starts.get(lemmas[i], []) + (
            starts.get(lowers[i], []) if lowers[i] != lemmas[i] else []
        )
        for words, trigger in sorted(candidates, key=lambda item: -len(item[0])):
            positions = _phrase_positions(tokens, lemmas, lowers, i, words)
            if positions is not None and not any(j in used for j in positions):
                found = [tokens[j] for j in positions]
                verb = next((t for t in found if t.pos_ == "VERB"), None)
                head = verb or next((t for t in found if t.head not in found), found[-1])
                if verb is None and trigger.family == "process" and _left(head):
                    continue
                hits.append(Hit(head, i, positions[-1] + 1, trigger, verb is None))
                used.update(positions)
                if trigger.type_id == "threat":
                    hits.extend(_threatened_action(found, head, lexicon))
                break
    return hits


def _threatened_action(tokens: list[Word], head: Word, lexicon: Lexicon) -> list[Hit]:
    """ "Vowed to fight Turkish forces": the action a threat names is coded too."""
    for token in tokens:
        lemma = lexicon.verb_lemma(token.lemma_.lower(), token.lower_)
        if token != head and token.pos_ == "VERB" and lemma in lexicon.verbs:
            return [Hit(token, token.i, token.i + 1, lexicon.verbs[lemma][0], False)]
        if token != head and token.pos_ == "VERB" and lemma in lexicon.generic_verbs:
            return [Hit(token, token.i, token.i + 1, None, False)]
    return []


_GAP = 2  # tokens a verb phrase may skip: "swapped 35 prisoners", "sent Syrian fighters"


def _phrase_positions(
    tokens: list[Word], lemmas: list[str], lowers: list[str], start: int, words: tuple[str, ...]
) -> list[int] | None:
    """Token positions of a phrase at ``start``: contiguous, or with a few words in between
    when the phrase starts with a verb."""
    gap = _GAP if tokens[start].pos_ == "VERB" else 0
    positions = [start]
    for word in words[1:]:
        found = None
        for j in range(positions[-1] + 1, min(positions[-1] + 2 + gap, len(tokens))):
            if lemmas[j] == word or lowers[j] == word:
                found = j
                break
            if tokens[j].is_punct and not tokens[j].is_quote:
                break
        if found is None:
            return None
        positions.append(found)
    return positions


def _left(token: Word) -> bool:
    """ "Walked out of the talks", "withdrew from the negotiations": talks being left."""
    if token.dep_ != "pobj" or token.head.lower_ not in ("of", "from"):
        return False
    verb = token.head.head
    if verb.dep_ in ("prep", "prt") or verb.pos_ == "ADP":
        verb = verb.head
    return verb.lemma_.lower() in _EXIT_VERBS


def _noun_is_event(token: Word, family: str) -> bool:
    """Nouns name events only in some positions (not "during a break in talks")."""
    head = token.head
    if token.dep_ == "compound":
        return False  # "ceasefire talks": the head noun decides
    if (
        head.lower_ == "in"
        and token.dep_ == "pobj"
        and token.tag_ != "NNS"
        and not any(c.dep_ in ("det", "poss") for c in token.children)
    ):
        return False  # "in protest at", "in retaliation for": a motive ("killed in clashes" is one)
    if token.dep_ in OBJECTS and head.lemma_ in REFERRING_VERBS and family == "violence":
        # "condemned the attack", "condemned the LNA's bombardment": a reference to an event
        return not any(
            child.lower_ in ("the", "this", "that", "its", "their") or child.dep_ == "poss"
            for child in token.children
        )
    if _left(token):
        return False  # "walked out of the talks": the walk-out is the event
    if family == "violence":
        # "agreed to end the fighting", "to prevent clashes": what is stopped did not happen
        return not (token.dep_ in OBJECTS and head.lemma_ in _STOPPING_VERBS)
    if token.dep_ in OBJECTS + PASSIVE_SUBJECTS and head.lemma_ in LIGHT_VERBS:
        return True
    if token.dep_ in SUBJECTS + PASSIVE_SUBJECTS and head.lemma_ in PROCESS_LIGHT_SUBJECT_VERBS:
        return True
    if token.dep_ in ("ROOT", "appos") or (token.dep_ == "conj" and _noun_is_event(head, family)):
        return True
    # "talks scheduled Nov. 9", "talks aimed at ...", "talks in Geneva" as a subject of anything
    return token.dep_ in SUBJECTS + PASSIVE_SUBJECTS and any(
        child.dep_ in ("acl", "relcl") for child in token.children
    )


# "a spate of attacks", "an escalation of fighting": many unspecified happenings, no event
_AGGREGATES = frozenset(
    "spate series wave string number uptick surge escalation spike increase rise lot".split()
)
_ONGOING_WORDS = frozenset("continued continuing ongoing persistent sporadic year-long".split())
_ONGOING_VERBS = frozenset("continue die subside ease persist rage drag".split())
# "it regularly targets SDF forces": habitual activity, no event
_HABITUAL = frozenset("regularly frequently often repeatedly routinely habitually usually".split())


def _ongoing(token: Word) -> bool:
    """ "As fighting continues", "fighting has since died down", "due to continued fighting":
    a state of war described, not a happening."""
    if any(c.dep_ == "amod" and c.lower_ in _ONGOING_WORDS for c in token.children):
        return True
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in _ONGOING_VERBS


def _summary_or_habit(token: Word) -> bool:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "an escalation of fighting, shelling and air raids"
    if token.pos_ == "NOUN" and _ongoing(token):
        return True
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_ in _AGGREGATES:
        return True
    return any(child.dep_ == "advmod" and child.lower_ in _HABITUAL for child in token.children)


def _agreement_noun(token: Word, lexicon: Lexicon) -> bool:
    return any(t.type_id == "agreement" for t in lexicon.nouns.get(token.lemma_.lower(), ()))


def _bare_agreement(token: Word, lexicon: Lexicon) -> bool:
    """ "Agreed to end fighting", "agreed on exchanging prisoners", "terms agreed at": agreeing to
    do something is not a signed agreement; "agreed a truce", "the truce agreed to" are."""
    if token.lemma_.lower() != "agree":
        return False
    if token.dep_ in ("acl", "relcl"):
        return not _agreement_noun(token.head, lexicon)  # "terms agreed at Berlin"
    objects = [c for c in token.children if c.dep_ in OBJECTS]
    objects += [
        g
        for c in token.children
        if c.dep_ == "prep"
        for g in c.children
        if g.dep_ in ("pobj", "pcomp")
    ]
    if any(_agreement_noun(o, lexicon) for o in objects):
        return False
    return bool(objects) or any(c.dep_ in ("xcomp", "ccomp") for c in token.children)


def find_hits(doc: Parsed, lexicon: Lexicon) -> list[Hit]:
    """Every trigger of a parsed sentence, in order."""
    tokens = list(doc)
    lemmas = [t.lemma_.lower() for t in tokens]
    lowers = [t.lower_ for t in tokens]
    used: set[int] = set()
    hits = _phrase_hits(tokens, lemmas, lowers, lexicon, used)
    for token, lemma, lower in zip(tokens, lemmas, lowers, strict=True):
        if token.i in used:
            continue
        pos = token.pos_
        if pos == "VERB":
            lemma = lexicon.verb_lemma(lemma, lower)
            trigger = lexicon.verbs.get(lemma)
            if trigger is None and lemma not in lexicon.generic_verbs:
                continue
            if _summary_or_habit(token) or _bare_agreement(token, lexicon):
                continue
            hits.append(Hit(token, token.i, token.i + 1, trigger[0] if trigger else None, False))
        elif pos == "NOUN":
            noun = lexicon.nouns.get(lemma)
            generic = noun is None and lemma in lexicon.generic_nouns
            if (noun is None and not generic) or _summary_or_habit(token):
                continue
            family = noun[0].family if noun else "violence"
            if _noun_is_event(token, family):
                hits.append(Hit(token, token.i, token.i + 1, noun[0] if noun else None, True))
    return _without_purpose_clauses(sorted(hits, key=lambda h: h.start))


# verbs whose infinitive complement is an event of its own ("vowed to fight", "threatened to")
_COMPLEMENT_EVENTS = frozenset({"threat", "agreement"})


def _without_purpose_clauses(hits: list[Hit]) -> list[Hit]:
    """ "Met on Sunday to discuss", "rallied to demand", "arrived to fight": an infinitive of
    purpose under another trigger is part of that event, not a new one."""
    heads = {hit.head.i: hit for hit in hits}
    kept = []
    for hit in hits:
        token = hit.head
        governing = heads.get(token.head.i) if token.head.i != token.i else None
        if governing is None and token.head.i != token.i:
            # "launched an offensive to capture Tripoli": the offensive is the event
            governing = next(
                (heads[c.i] for c in token.head.children if c.dep_ in OBJECTS and c.i in heads),
                None,
            )
        purpose = token.dep_ in ("advcl", "xcomp") and any(
            child.dep_ == "aux" and child.lower_ == "to" for child in token.children
        )
        if (
            purpose
            and governing is not None
            and (governing.trigger is None or governing.trigger.type_id not in _COMPLEMENT_EVENTS)
        ):
            continue
        kept.append(hit)
    return kept
