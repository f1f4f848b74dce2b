"""How clauses relate events in a sentence: conditions, demanded actions, addressees of
statements, the verb of saying, claims of responsibility."""

from __future__ import annotations

from ceasefire.pipeline.extract.parsed import Parsed, Word
from ceasefire.pipeline.extract.roles import first_child
from ceasefire.pipeline.extract.triggers import OBJECTS, SUBJECTS, Hit

_ANTECEDENT_MARKS = frozenset({"if", "unless"})
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "pobj", "prep", "pcomp", "acl", "relcl"})


def in_antecedent(token: Word) -> bool:
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


def demanded(token: Word, demands: list[Word]) -> bool:
    """ "Demanded that all mercenaries leave", "called for a ceasefire to begin on Monday": the
    action a demand asks for is its content, not an event."""
    current = token
    while current.head.i != current.i and current.dep_ in _CONTENT_DEPS:
        current = current.head
        if any(current == d for d in demands):
            return True
    return False


def complement_party(hit: Hit, type_id: str) -> Word | None:
    """The party a statement or visit is about when it is no direct object: "warned that Ankara
    would punish Haftar's forces", "demanded that all mercenaries leave", "travelled to X to
    brief Y", "visited Tripoli and met Sarraj"."""
    token = hit.head
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp") and type_id in ("threat", "demand"):
            wanted = ("nsubj", "nsubjpass") if type_id == "demand" else OBJECTS
            found = first_child(child, wanted)
            if found is not None:
                return found
        if child.dep_ in ("advcl", "xcomp", "conj") and type_id == "talks" and child.pos_ == "VERB":
            found = first_child(child, OBJECTS)
            if found is not None:
                return found
    return None


def reporting_verb(token: Word, reporting: frozenset[str]) -> Word | None:
    """The verb of saying that governs a clause ("..., the spokesman told reporters")."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ == "VERB" and current.lemma_.lower() in reporting:
            return current
    return None


def claimant_of_responsibility(doc: Parsed) -> Word | None:
    """Who "claimed responsibility" (or "claimed the attack") in a sentence."""
    for token in doc:
        if token.lemma_.lower() == "claim" and any(
            c.dep_ in OBJECTS and c.lemma_.lower() in ("responsibility", "attack", "bombing")
            for c in token.children
        ):
            return first_child(token, SUBJECTS)
    return None


_DENIALS = frozenset({"deny", "reject", "dismiss", "refute", "disavow"})
_REPORT_NOUNS = frozenset(
    "information report claim rumour rumor allegation news account statement assertion".split()
)


def denies_report(hit: Hit) -> bool:
    """ "The GNA rejected the information", "dismissed the reports as rumours": a denial of what
    an earlier statement of the article said happened."""
    return hit.head.lemma_.lower() in _DENIALS and any(
        child.dep_ in OBJECTS and child.lemma_.lower() in _REPORT_NOUNS
        for child in hit.head.children
    )
