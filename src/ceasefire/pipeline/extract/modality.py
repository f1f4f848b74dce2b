"""Modality of an event statement: asserted, claimed, denied, planned, conditional, negated."""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.domain.events import Modality
from ceasefire.domain.taxonomy import EnglishCues
from ceasefire.pipeline.extract.parsed import Word
from ceasefire.pipeline.extract.roles import subject_of
from ceasefire.pipeline.extract.triggers import SUBJECTS, Hit

_MAX_CLIMB = 6


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: Modality
    source: Word | None  # who claims or denies (the reporting verb's subject, "according to X")
    future: bool
    hedged: bool


def _is_negated(token: Word) -> bool:
    if any(child.dep_ == "neg" for child in token.children):
        return True
    # "left Moscow without signing", "no shots were fired"
    if token.dep_ == "pcomp" and token.head.lower_ in ("without", "instead"):
        return True
    subject = next((c for c in token.children if c.dep_ in (*SUBJECTS, "nsubjpass")), None)
    if subject is not None and any(
        c.lower_ in ("no", "none") and c.dep_ == "det" for c in subject.children
    ):
        return True
    return token.pos_ == "NOUN" and any(c.lower_ == "no" for c in token.children)


def _according_to(token: Word) -> Word | None:
    for child in token.children:
        if child.lower_ == "according":
            for grandchild in child.subtree:
                if grandchild.dep_ == "pobj" and grandchild.head.lower_ == "to":
                    return grandchild
    return None


def _future(token: Word, cues: EnglishCues) -> bool:
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ in (*cues.future_markers, "would", "'d"):
            return True
    if token.dep_ in ("xcomp", "ccomp") and token.head.lemma_ in cues.plan_verbs:
        return True
    # "the exchange is due to take place", "talks are set to resume", "talks scheduled for"
    if token.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ in ("acomp", "xcomp", "oprd", "advcl") and c.lemma_ in cues.plan_verbs
        for c in token.head.children
    ):
        return True
    if (
        token.head.lemma_ in cues.plan_verbs
        and token.head.i != token.i
        and token.dep_
        in (
            "nsubjpass",
            "dobj",
        )
    ):
        return True
    # "talks scheduled for Sunday", "talks due on Nov. 9"
    return token.pos_ == "NOUN" and any(
        c.dep_ in ("acl", "amod") and c.lemma_ in ("schedule", "plan", "expect", "due", "set")
        for c in token.children
    )


def _conditional(token: Word, cues: EnglishCues) -> bool:
    marks = set(cues.conditional_marks)
    current = token
    for _ in range(_MAX_CLIMB):
        if any(c.dep_ == "mark" and c.lower_ in marks for c in current.children):
            return True
        for child in current.children:
            if child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in marks for m in child.children
            ):
                return True
        if current.head.i == current.i or current.dep_ in ("ccomp", "ROOT"):
            return False
        current = current.head
    return False


def read_modality(hit: Hit, clause: Word, cues: EnglishCues) -> ModalityReading:
    """Walk from the trigger up through the clauses that govern it."""
    token = hit.head
    reporting = set(cues.reporting_verbs)
    denial = set(cues.denial_verbs)
    hedged = any(c.lower_ in cues.hedges for c in token.subtree if c.dep_ in ("advmod", "amod"))
    negated = _is_negated(token) or (clause.i != token.i and _is_negated(clause))
    future = _future(token, cues) or (clause.i != token.i and _future(clause, cues))
    conditional = _conditional(clause, cues)
    source = _according_to(clause) or _according_to(token)
    denied = False
    current = clause
    for _ in range(_MAX_CLIMB):
        if current.head.i == current.i:
            break
        parent = current.head
        if current.dep_ in ("ccomp", "xcomp", "advcl", "dobj", "pcomp", "prep", "conj", "pobj"):
            lemma = parent.lemma_.lower()
            if lemma in denial and current.dep_ != "conj":
                denied = True
                source = subject_of(parent) or source
                break
            if lemma in reporting and current.dep_ in ("ccomp", "xcomp", "dobj"):
                source = subject_of(parent) or source
                if _future(current, cues) or any(
                    c.dep_ == "aux" and c.lower_ == "would" for c in current.children
                ):
                    future = True
                break
        current = parent
    if denied:
        modality = Modality.DENIED
    elif negated:
        modality = Modality.NEGATED
    elif conditional:
        modality = Modality.CONDITIONAL
    elif future:
        modality = Modality.PLANNED
    elif source is not None or hedged:
        modality = Modality.CLAIMED
    else:
        modality = Modality.ASSERTED
    return ModalityReading(modality, source, future, hedged)
