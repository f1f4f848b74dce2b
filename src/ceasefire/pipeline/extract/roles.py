"""Stage three, on a parsed sentence: the arguments of a trigger in the dependency parse.

Actor 1 is the initiator, actor 2 the target. Active and passive voice ("attacked by"),
nominalisations ("the LNA's shelling of Mitiga", "an attack by X on Y"), light verbs ("launched an
attack"), control ("vowed to fight"), coordination ("X and Y attacked"), relative clauses, "clashes
between X and Y", "X repelled Y's attack" and mediators ("talks brokered by Russia") are read from
the parse; prepositions give places and partners.
"""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.adapters.nlp import PLACE_LABEL
from ceasefire.pipeline.dates import MONTHS
from ceasefire.pipeline.extract.parsed import Word
from ceasefire.pipeline.extract.triggers import OBJECTS, PASSIVE_SUBJECTS, SUBJECTS, Hit


@dataclass(frozen=True, slots=True)
class Arguments:
    agent: Word | None
    patient: Word | None
    partners: tuple[Word, ...]  # "clashes between X and Y", "met with X"
    places: tuple[Word, ...]  # tokens governed by in/at/near/outside/on/into/around
    clause: Word  # the verb of the clause the event is stated in


_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night "
    "dawn dusk day week month year weekend overnight eve".split()
)


def is_time_word(token: Word) -> bool:
    """ "On Sunday", "on Feb. 26", "in April": times, never targets or actors."""
    return (
        token.lower_ in _TIME_WORDS
        or token.lower_.rstrip(".") in MONTHS
        or token.ent_type_ in ("DATE", "TIME")
    )


def first_child(token: Word, deps: tuple[str, ...]) -> Word | None:
    return next((child for child in token.children if child.dep_ in deps), None)


def _prep_objects(token: Word, preps: frozenset[str]) -> list[tuple[str, Word]]:
    found: list[tuple[str, Word]] = []
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


# what a place-taking or place-hitting verb's object may be without naming a place
_PLACE_NOUNS = frozenset(
    "town city village base airport airbase port harbour harbor field terminal control district "
    "neighbourhood neighborhood area position positions depot college academy camp".split()
)


def is_place_like(token: Word) -> bool:
    return (
        token.ent_type_ == PLACE_LABEL
        or any(t.ent_type_ == PLACE_LABEL for t in token.subtree)
        or token.lemma_.lower() in _PLACE_NOUNS
    )


_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def subject_of(verb: Word) -> Word | None:
    """The subject of a verb, looking through control ("vowed to fight") and coordination."""
    seen = 0
    current = verb
    while seen < 4:
        subject = first_child(current, SUBJECTS)
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
            accused = owner if owner.pos_ in ("NOUN", "PROPN") else first_child(owner, OBJECTS)
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


def _own_words(token: Word) -> list[Word]:
    """A noun's subtree without its clauses ("a ceasefire brokered by Russia")."""
    words = [token]
    for child in token.children:
        if child.dep_ not in ("acl", "relcl", "advcl", "appos"):
            words.extend(_own_words(child))
    return words


_DEFENCES = frozenset("repel repulse foil thwart fend".split())
# who brokers, mediates or sponsors a process event is not one of its parties
_MEDIATING = frozenset("broker mediate sponsor facilitate".split())


def mediator(token: Word | None) -> bool:
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
    agent: Word | None = None
    patient: Word | None = None
    partners: list[Word] = []
    if not hit.nominal:
        passive = first_child(token, PASSIVE_SUBJECTS)
        by = _prep_objects(token, frozenset({"by"}))
        if passive is not None:
            patient = passive
            agent = by[0][1] if by else None
            if agent is None and hit.trigger is not None and hit.trigger.type_id in _MOVERS:
                # "Wagner mercenaries were flown out", "jets were flown into al-Jufra"
                agent, patient = passive, None
        else:
            agent = subject_of(token)
            patient = first_child(token, OBJECTS)
        clause = token
    else:
        poss = first_child(token, ("poss",))
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
            agent = subject_of(token.head)
        if (
            agent is None
            and token.dep_ == "pobj"
            and token.head.lower_ in ("during", "in")
            and token.head.head.pos_ == "VERB"
        ):
            # "fighters raped two women during a raid": the raiders are the verb's subject
            agent = first_child(token.head.head, SUBJECTS)
    if patient is not None and token.lemma_.lower() in _DEFENCES:
        # "X repelled Y's attack", "X repelled an attempt by Y": Y attacked X
        attacker = first_child(patient, ("poss",)) or next(
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
