"""Stage one: tokenise and split every sentence cheaply, and keep those that can carry an event."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from ceasefire.pipeline.extract.lexicon import Lexicon


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # offsets into the article text
    end: int
    text: str
    candidate: bool  # holds a trigger form, so it is worth parsing


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
