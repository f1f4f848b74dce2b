"""Stage two, on a parsed sentence: find triggers and their arguments in the dependency parse.

Actor 1 is the initiator, actor 2 the target. Active and passive voice ("attacked by"),
nominalisations ("the LNA's shelling of Mitiga", "an attack by X on Y"), light verbs ("launched an
attack"), control ("vowed to fight"), coordination ("X and Y attacked") and "clashes between X and
Y" are read from the parse; prepositions give places and partners.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ceasefire.adapters.nlp import PLACE_LABEL
from ceasefire.pipeline.dates import MONTHS
from ceasefire.pipeline.extract.lexicon import Lexicon, Trigger

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

    head: Token
    start: int  # token indices in the sentence doc
    end: int
    trigger: Trigger | None  # None: a generic violence word, typed later by weapon and target
    nominal: bool


@dataclass(frozen=True, slots=True)
class Arguments:
    agent: Token | None
    patient: Token | None
    partners: tuple[Token, ...]  # "clashes between X and Y", "met with X"
    places: tuple[Token, ...]  # tokens governed by in/at/near/outside/on/into/around
    clause: Token  # the verb of the clause the event is stated in


def _phrase_hits(doc: Doc, lexicon: Lexicon, used: set[int]) -> list[Hit]:
    """Multiword triggers, matched on lemmas or words, longest first, without overlaps."""
    hits: list[Hit] = []
    lemmas = [t.lemma_.lower() for t in doc]
    lowers = [t.lower_ for t in doc]
    for i in range(len(doc)):
        if i in used:
            continue
        candidates = lexicon.phrase_starts.get(lemmas[i], []) + lexicon.phrase_starts.get(
            lowers[i], []
        )
        for words, trigger in sorted(candidates, key=lambda item: -len(item[0])):
            positions = _phrase_positions(doc, lemmas, lowers, i, words)
            if positions is not None and not any(j in used for j in positions):
                tokens = [doc[j] for j in positions]
                verb = next((t for t in tokens if t.pos_ == "VERB"), None)
                head = verb or next((t for t in tokens if t.head not in tokens), tokens[-1])
                if verb is None and trigger.family == "process" and _left(head):
                    continue
                hits.append(Hit(head, i, positions[-1] + 1, trigger, verb is None))
                used.update(positions)
                if trigger.type_id == "threat":
                    hits.extend(_threatened_action(tokens, head, lexicon))
                break
    return hits


def _threatened_action(tokens: list[Token], head: Token, lexicon: Lexicon) -> list[Hit]:
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
    doc: Doc, lemmas: list[str], lowers: list[str], start: int, words: tuple[str, ...]
) -> list[int] | None:
    """Token positions of a phrase at ``start``: contiguous, or with a few words in between
    when the phrase starts with a verb."""
    gap = _GAP if doc[start].pos_ == "VERB" else 0
    positions = [start]
    for word in words[1:]:
        found = None
        for j in range(positions[-1] + 1, min(positions[-1] + 2 + gap, len(doc))):
            if lemmas[j] == word or lowers[j] == word:
                found = j
                break
            if doc[j].is_punct and not doc[j].is_quote:
                break
        if found is None:
            return None
        positions.append(found)
    return positions


def _left(token: Token) -> bool:
    """ "Walked out of the talks", "withdrew from the negotiations": talks being left."""
    if token.dep_ != "pobj" or token.head.lower_ not in ("of", "from"):
        return False
    verb = token.head.head
    if verb.dep_ in ("prep", "prt") or verb.pos_ == "ADP":
        verb = verb.head
    return verb.lemma_.lower() in _EXIT_VERBS


def _noun_is_event(token: Token, family: str) -> bool:
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


def _ongoing(token: Token) -> bool:
    """ "As fighting continues", "fighting has since died down", "due to continued fighting":
    a state of war described, not a happening."""
    if any(c.dep_ == "amod" and c.lower_ in _ONGOING_WORDS for c in token.children):
        return True
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in _ONGOING_VERBS


def _summary_or_habit(token: Token) -> bool:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "an escalation of fighting, shelling and air raids"
    if token.pos_ == "NOUN" and _ongoing(token):
        return True
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_ in _AGGREGATES:
        return True
    return any(child.dep_ == "advmod" and child.lower_ in _HABITUAL for child in token.children)


def _agreement_noun(token: Token, lexicon: Lexicon) -> bool:
    return any(t.type_id == "agreement" for t in lexicon.nouns.get(token.lemma_.lower(), ()))


def _bare_agreement(token: Token, lexicon: Lexicon) -> bool:
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


def find_hits(doc: Doc, lexicon: Lexicon) -> list[Hit]:
    used: set[int] = set()
    hits = _phrase_hits(doc, lexicon, used)
    for token in doc:
        if token.i in used:
            continue
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB":
            lemma = lexicon.verb_lemma(lemma, token.lower_)
            if _summary_or_habit(token) or _bare_agreement(token, lexicon):
                continue
            if lemma in lexicon.verbs:
                hits.append(Hit(token, token.i, token.i + 1, lexicon.verbs[lemma][0], False))
            elif lemma in lexicon.generic_verbs:
                hits.append(Hit(token, token.i, token.i + 1, None, False))
        elif token.pos_ == "NOUN":
            if _summary_or_habit(token):
                continue
            if lemma in lexicon.nouns:
                trigger = lexicon.nouns[lemma][0]
                if _noun_is_event(token, trigger.family):
                    hits.append(Hit(token, token.i, token.i + 1, trigger, True))
            elif lemma in lexicon.generic_nouns and _noun_is_event(token, "violence"):
                hits.append(Hit(token, token.i, token.i + 1, None, True))
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


_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night "
    "dawn dusk day week month year weekend overnight eve".split()
)


def is_time_word(token: Token) -> bool:
    """ "On Sunday", "on Feb. 26", "in April": times, never targets or actors."""
    return (
        token.lower_ in _TIME_WORDS
        or token.lower_.rstrip(".") in MONTHS
        or token.ent_type_ in ("DATE", "TIME")
    )


def _first(token: Token, deps: tuple[str, ...]) -> Token | None:
    return next((child for child in token.children if child.dep_ in deps), None)


def _prep_objects(token: Token, preps: frozenset[str]) -> list[tuple[str, Token]]:
    found: list[tuple[str, Token]] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    found.append((child.lower_, grandchild))
                    found.extend((child.lower_, c) for c in grandchild.conjuncts)
    return found


# "from" is left out: "militiamen from Misrata" says where fighters come from, not the event
# events whose passive subject is the one who acts: forces moved, weapons delivered
_MOVERS = frozenset({"withdrawal", "deployment", "arms_transfer"})
_PLACE_PREPS = frozenset(
    "in at near outside on into around inside across off over to towards toward".split()
)
_TARGET_PREPS = frozenset("on against of at".split())


_BY = frozenset({"by"})
_TERRITORIAL = frozenset(
    {"government_regains_territory", "non_state_overtakes_territory", "nonviolent_transfer"}
)


def is_place_like(token: Token) -> bool:
    return (
        token.ent_type_ == PLACE_LABEL
        or any(t.ent_type_ == PLACE_LABEL for t in token.subtree)
        or token.lemma_.lower() in ("town", "city", "base", "airport", "port", "field", "control")
    )


_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, looking through control ("vowed to fight") and coordination."""
    seen = 0
    current = verb
    while seen < 4:
        subject = _first(current, SUBJECTS)
        if (
            subject is not None
            and subject.lower_ in _RELATIVE_PRONOUNS
            and current.dep_ == "relcl"
            and current.head.pos_ in ("NOUN", "PROPN")
        ):
            return current.head  # "Haftar, who began an assault on Tripoli"
        if subject is not None:
            return subject
        if current.dep_ == "pcomp" and current.head.lower_ == "of":
            # "accused Haftar's forces of shelling": the accused is the agent
            owner = current.head.head
            accused = owner if owner.pos_ in ("NOUN", "PROPN") else _first(owner, OBJECTS)
            if accused is not None:
                return accused
        if current.dep_ in ("xcomp", "conj", "advcl", "pcomp") and current.head.i != current.i:
            current = current.head
            seen += 1
            continue
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in ("NOUN", "PROPN"):
            return current.head
        return None
    return None


def _own_words(token: Token) -> list[Token]:
    """A noun's subtree without its clauses ("a ceasefire brokered by Russia")."""
    words = [token]
    for child in token.children:
        if child.dep_ not in ("acl", "relcl", "advcl", "appos"):
            words.extend(_own_words(child))
    return words


_DEFENCES = frozenset("repel repulse foil thwart fend".split())
# who brokers, mediates or sponsors a process event is not one of its parties
_MEDIATING = frozenset("broker mediate sponsor facilitate".split())


def mediator(token: Token | None) -> bool:
    """ "Tribal elders brokered an agreement", "talks brokered by Russia", "UN-brokered talks"."""
    if token is None:
        return False
    head = token.head
    if head.lower_ == "by" and head.dep_ == "agent":
        head = head.head
    return head.lemma_.lower() in _MEDIATING and token.dep_ in (
        "nsubj",
        "pobj",
        "npadvmod",
        "compound",
    )


def arguments(hit: Hit) -> Arguments:
    token = hit.head
    agent: Token | None = None
    patient: Token | None = None
    partners: list[Token] = []
    if not hit.nominal:
        passive = _first(token, PASSIVE_SUBJECTS)
        by = _prep_objects(token, frozenset({"by"}))
        if passive is not None:
            patient = passive
            agent = by[0][1] if by else None
            if agent is None and hit.trigger is not None and hit.trigger.type_id in _MOVERS:
                # "Wagner mercenaries were flown out", "jets were flown into al-Jufra"
                agent, patient = passive, None
        else:
            agent = _subject(token)
            patient = _first(token, OBJECTS)
        clause = token
    else:
        poss = _first(token, ("poss",))
        by = _prep_objects(token, frozenset({"by", "from"}))
        # "systems supplied by the UAE", "strikes carried out by X"
        by += [b for c in token.children if c.dep_ == "acl" for b in _prep_objects(c, _BY)]
        agent = poss or (by[0][1] if by else None)
        clause = token.head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "acl" and clause.head.dep_ in SUBJECTS + PASSIVE_SUBJECTS:
            clause = clause.head.head  # "a ship loaded with armoured vehicles docked in Benghazi"
        if agent is None and token.dep_ in OBJECTS:
            # "launched an attack", "hurled a grenade", "dropped chlorine-filled canisters"
            agent = _subject(token.head)
        if (
            agent is None
            and token.dep_ == "pobj"
            and token.head.lower_ in ("during", "in")
            and token.head.head.pos_ == "VERB"
        ):
            # "fighters raped two women during a raid": the raiders are the verb's subject
            agent = _first(token.head.head, SUBJECTS)
    if patient is not None and token.lemma_.lower() in _DEFENCES:
        # "X repelled Y's attack", "X repelled an attempt by Y": Y attacked X
        attacker = _first(patient, ("poss",)) or next(
            (t for _p, t in _prep_objects(patient, frozenset({"by", "from"}))), None
        )
        if attacker is not None:
            agent, patient = attacker, agent
    if patient is None or is_place_like(patient):
        # "took Sirte from Islamic State militants", "seized the base from Misrata's brigade"
        taken_from = [t for _p, t in _prep_objects(token, frozenset({"from"}))]
        if hit.trigger is not None and hit.trigger.sub_id in _TERRITORIAL and taken_from:
            patient = taken_from[0]
    process = hit.trigger is not None and hit.trigger.family == "process"
    if process and mediator(agent):
        agent = None
    targets = [
        t
        for p, t in _prep_objects(token, _TARGET_PREPS)
        if p in ("on", "against", "of") and not is_time_word(t)
    ]
    if patient is not None and hit.start <= patient.i < hit.end:
        patient = None  # "opened fire on X": the phrase's own object is no target
    if patient is None and targets:
        patient = targets[0]
    partner_preps = frozenset({"between", "with", "among"})
    found = _prep_objects(token, partner_preps)
    if hit.nominal and not found and clause.i != token.i:
        found = _prep_objects(clause, frozenset({"between"}))  # "clashes erupted between X and Y"
    for prep, obj in found:
        partners.append(obj)
        if prep == "between" and agent is None:
            agent = obj
    if agent is None and hit.nominal:
        # "the 5+5 Joint Military Commission talks", "the round of JMC talks"
        agent = next(
            (
                t
                for t in _own_words(token)
                if t.dep_ in ("compound", "pobj", "nmod")
                and t.i != token.i
                and t.pos_ == "PROPN"
                and t.ent_type_ != PLACE_LABEL
                and not (process and mediator(t))
            ),
            None,
        )
    place_preps = _PLACE_PREPS
    if hit.trigger is not None and hit.trigger.type_id == "withdrawal":
        place_preps = _PLACE_PREPS | {"from"}  # "left from Mitiga", "withdrew from Sirte"
    places = [t for _p, t in _prep_objects(token, place_preps)]
    governing = token.head.head if token.dep_ == "pcomp" else token.head
    if not hit.nominal and token.dep_ in ("pcomp", "xcomp", "advcl") and governing.pos_ == "VERB":
        # "left the meeting in Sirte without signing": the governing clause's places
        places.extend(t for _p, t in _prep_objects(governing, _PLACE_PREPS))
        for obj in (c for c in governing.children if c.dep_ in OBJECTS):
            places.extend(t for _p, t in _prep_objects(obj, _PLACE_PREPS))
    if patient is not None:
        places.extend(t for _p, t in _prep_objects(patient, _PLACE_PREPS))
    # "walked out of the talks in Geneva", "withdrew from positions near Abu Grein"
    for _p, obj in _prep_objects(token, frozenset({"of", "from"})):
        places.extend(t for _q, t in _prep_objects(obj, _PLACE_PREPS))
    if clause.i != token.i:
        places.extend(t for _p, t in _prep_objects(clause, _PLACE_PREPS))
    complements = [c for c in clause.children if c.dep_ == "xcomp"]
    complements += [g for c in clause.children if c.dep_ == "acomp" for g in c.children]
    for complement in (c for c in complements if c.dep_ == "xcomp"):
        # "an exchange is due to take place in Zawiya"
        places.extend(t for _p, t in _prep_objects(complement, _PLACE_PREPS))
    return Arguments(agent, patient, tuple(partners), tuple(places), clause)


_ANTECEDENT_MARKS = frozenset({"if", "unless"})
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "pobj", "prep", "pcomp", "acl", "relcl"})


def in_antecedent(token: Token) -> bool:
    """ "If the talks fail, we will attack": the condition is not an event of its own."""
    current = token
    while True:
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _ANTECEDENT_MARKS for c in current.children
        ):
            return True
        if current.head.i == current.i or current.dep_ in ("ROOT", "ccomp"):
            return False
        current = current.head


def demanded(token: Token, demands: list[Token]) -> bool:
    """ "Demanded that all mercenaries leave", "called for a ceasefire to begin on Monday": the
    action a demand asks for is its content, not an event."""
    current = token
    while current.head.i != current.i and current.dep_ in _CONTENT_DEPS:
        current = current.head
        if any(current == d for d in demands):
            return True
    return False


def complement_party(hit: Hit, type_id: str) -> Token | None:
    """The party a statement or visit is about when it is no direct object: "warned that Ankara
    would punish Haftar's forces", "demanded that all mercenaries leave", "travelled to X to
    brief Y", "visited Tripoli and met Sarraj"."""
    token = hit.head
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp") and type_id in ("threat", "demand"):
            wanted = ("nsubj", "nsubjpass") if type_id == "demand" else OBJECTS
            found = _first(child, wanted)
            if found is not None:
                return found
        if child.dep_ in ("advcl", "xcomp", "conj") and type_id == "talks" and child.pos_ == "VERB":
            found = _first(child, OBJECTS)
            if found is not None:
                return found
    return None


def reporting_verb(token: Token, reporting: frozenset[str]) -> Token | None:
    """The verb of saying that governs a clause ("..., the spokesman told reporters")."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ == "VERB" and current.lemma_.lower() in reporting:
            return current
    return None


def claimant_of_responsibility(doc: Doc) -> Token | None:
    """Who "claimed responsibility" (or "claimed the attack") in a sentence."""
    for token in doc:
        if token.lemma_.lower() == "claim" and any(
            c.dep_ in OBJECTS and c.lemma_.lower() in ("responsibility", "attack", "bombing")
            for c in token.children
        ):
            return _first(token, SUBJECTS)
    return None
