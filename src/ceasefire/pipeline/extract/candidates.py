"""Stage one: tokenise and split every sentence cheaply, and keep those that can carry an event.
Stage two, on the tagged candidates: keep for the parser those where a trigger can be found."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from ceasefire.pipeline.extract.lexicon import Lexicon

# per token, for stage one: its first character, its length, whether punctuation, its lower case
_STAGE_ONE: list[int | str] = ["IDX", "LENGTH", "IS_PUNCT", "LOWER"]
# the tagger's tags the model's attribute ruler makes verbs and nouns of
VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "BES", "HVS"})
NOUN_TAGS = frozenset({"NN", "NNS"})
# words the attribute ruler makes verbs by their dependency, whatever their tag ("did", "there is")
VERBS_BY_DEPENDENCY = frozenset("do does did 'd have has had is are was were 's 're".split())


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # offsets into the article text
    end: int
    text: str
    candidate: bool  # holds a trigger form, so it is worth tagging


def split_sentences(tokenizer: Language, text: str, lexicon: Lexicon) -> list[Sentence]:
    """Every sentence of ``text`` (paragraph breaks always end a sentence), marked as candidate
    when one of its tokens is a surface form of a trigger.

    ``tokenizer`` is a blank pipeline with spaCy's rule-based sentencizer: its tokenizer is run,
    and its sentencizer's rule is applied here to plain lists (``sentence_starts``), which gives
    its sentences without building a spaCy token object per token."""
    punctuation = tokenizer.get_pipe("sentencizer").punct_chars  # type: ignore[attr-defined]
    strings = tokenizer.vocab.strings
    lowered: dict[int, str] = {}  # the lower-case forms of this text, by their hash
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        rows: list[list[int]] = tokenizer.make_doc(paragraph).to_array(_STAGE_ONE).tolist()
        forms = [paragraph[idx : idx + length] for idx, length, _p, _l in rows]
        starts = sentence_starts(forms, [bool(row[2]) for row in rows], punctuation)
        for first, end in pairwise([*starts, len(rows)]):
            start_char, end_char = rows[first][0], rows[end - 1][0] + rows[end - 1][1]
            raw = paragraph[start_char:end_char]
            sent_text = raw.strip()
            if not sent_text:
                continue
            words: set[str] = set()
            for row in rows[first:end]:
                if (form := lowered.get(row[3])) is None:
                    form = lowered[row[3]] = strings[row[3]]
                words.add(form)
            start = offset + start_char + (len(raw) - len(raw.lstrip()))
            sentences.append(
                Sentence(
                    len(sentences),
                    start,
                    start + len(sent_text),
                    sent_text,
                    lexicon.could_carry_event(words),
                )
            )
        offset += len(paragraph) + 2
    return sentences


def sentence_starts(forms: list[str], punct: list[bool], enders: Container[str]) -> list[int]:
    """The first token of each sentence, by the rule of spaCy's ``Sentencizer``: a sentence ends
    after a sentence-final character, at the first token that is not punctuation."""
    if not forms:
        return []
    starts = [0]
    seen_end = False
    for i, (form, is_punct) in enumerate(zip(forms, punct, strict=True)):
        ender = form in enders
        if seen_end and not is_punct and not ender:
            starts.append(i)
            seen_end = False
        elif ender:
            seen_end = True
    return starts


def worth_parsing(doc: Doc, lexicon: Lexicon) -> bool:
    """Whether a tagged (not yet parsed) sentence can hold a trigger: the form of a verb trigger
    tagged as a verb, of a noun trigger tagged as a noun, or every content word of a phrase (phrases
    are matched on words, whatever their tags). Triggers are looked up by part of speech, so a
    trigger word in a name ("the Government of National Accord", a proper noun) or used as another
    part of speech ("according to") cannot be one."""
    for token in doc:
        form, tag = token.lower_, token.tag_
        if form in lexicon.verb_surface and (tag in VERB_TAGS or form in VERBS_BY_DEPENDENCY):
            return True
        if form in lexicon.noun_surface and tag in NOUN_TAGS:
            return True
    return lexicon.could_hold_phrase({token.lower_ for token in doc})
