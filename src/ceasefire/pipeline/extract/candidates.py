"""Stage one: tokenise and split every sentence cheaply, and keep those that can carry an event.
Stage two, on the tagged candidates: keep for the parser those where a trigger can be found."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ceasefire.pipeline.extract.lexicon import Lexicon

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
    when one of its tokens is a surface form of a trigger."""
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        doc = tokenizer(paragraph)
        for sent in doc.sents:
            sent_text = sent.text.strip()
            if not sent_text:
                continue
            start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            candidate = lexicon.could_carry_event({token.lower_ for token in sent})
            sentences.append(
                Sentence(len(sentences), start, start + len(sent_text), sent_text, candidate)
            )
        offset += len(paragraph) + 2
    return sentences


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
