"""A parsed sentence read once out of spaCy into plain objects, for the extraction to walk.

Extraction walks the dependency tree many times over (heads, children, subtrees, conjuncts),
and every step through spaCy's ``Token`` builds a new object and looks its strings up again:
that was most of the time spent after the parse. ``read`` copies what extraction uses into one
``Word`` per token, with the same attribute names and the same meaning as spaCy's (``children``
left to right, ``subtree`` in spaCy's order, ``conjuncts``, ``Phrase.root``), so that extraction
code reads like spaCy code; a unit test checks every attribute against spaCy's on the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import cast, overload

import numpy
from spacy.tokens import Doc

_ATTRS: list[int | str] = [
    "HEAD",
    "IDX",
    "LENGTH",
    "LOWER",
    "LEMMA",
    "DEP",
    "TAG",
    "POS",
    "ENT_TYPE",
    "ENT_ID",
    "IS_PUNCT",
    "IS_QUOTE",
    "IS_SPACE",
]
_STRINGS = 10  # columns 3 to 9 hold strings (by their hash or symbol), the last three flags


@dataclass(eq=False, slots=True)
class Word:
    """One token; equal only to itself, like spaCy's tokens of one doc."""

    doc: Parsed = field(repr=False)
    i: int
    idx: int  # its first character in the sentence
    text: str
    lower_: str
    lemma_: str
    dep_: str
    tag_: str
    pos_: str
    ent_type_: str
    ent_id_: str
    is_punct: bool
    is_quote: bool
    is_space: bool
    head: Word = field(init=False)  # itself at a root, as in spaCy
    children: tuple[Word, ...] = field(init=False, default=())  # left to right
    _subtree: tuple[Word, ...] | None = field(init=False, default=None)

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    @property
    def lefts(self) -> tuple[Word, ...]:
        return tuple(child for child in self.children if child.i < self.i)

    @property
    def rights(self) -> tuple[Word, ...]:
        return tuple(child for child in self.children if child.i > self.i)

    @property
    def subtree(self) -> tuple[Word, ...]:
        """The word and its descendants, in spaCy's order (left subtrees, the word, right ones)."""
        if self._subtree is None:
            words: list[Word] = []
            for child in self.lefts:
                words.extend(child.subtree)
            words.append(self)
            for child in self.rights:
                words.extend(child.subtree)
            self._subtree = tuple(words)
        return self._subtree

    @property
    def ancestors(self) -> Iterator[Word]:
        word, steps = self, 0
        while word.head is not word and steps < len(self.doc):
            word, steps = word.head, steps + 1
            yield word

    def is_ancestor(self, descendant: Word) -> bool:
        return self.doc is descendant.doc and any(a is self for a in descendant.ancestors)

    @property
    def conjuncts(self) -> tuple[Word, ...]:
        """The words coordinated with this one, without itself (spaCy's ``Token.conjuncts``)."""
        start = self
        while start.head is not start and start.dep_ == "conj":
            start = start.head
        queue, found = [start], [start]
        for word in queue:
            for child in word.rights:
                if child.dep_ == "conj":
                    found.append(child)
                    queue.append(child)
        return tuple(word for word in found if word is not self)


@dataclass(eq=False, slots=True)
class Phrase:
    """Words ``start`` to ``end`` (exclusive) of a sentence: a slice or a named entity."""

    doc: Parsed = field(repr=False)
    start: int
    end: int
    label_: str = ""
    ent_id_: str = ""

    @property
    def start_char(self) -> int:
        return self.doc.words[self.start].idx if self.end > self.start else 0

    @property
    def end_char(self) -> int:
        if self.end <= self.start:
            return 0
        last = self.doc.words[self.end - 1]
        return last.idx + len(last.text)

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char : self.end_char]

    def __iter__(self) -> Iterator[Word]:
        return iter(self.doc.words[self.start : self.end])

    def __reversed__(self) -> Iterator[Word]:
        return reversed(self.doc.words[self.start : self.end])

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def root(self) -> Word:
        """The word nearest the root of the sentence (spaCy's ``Span.root``, same ties)."""
        words = self.doc.words[self.start : self.end]
        for word in words:
            if word.head is word:
                return word
        best, root = len(self.doc), None
        for word in words:
            if self.start <= word.head.i < self.end:
                continue
            distance = _words_to_root(word, len(self.doc))
            if distance < best:
                best, root = distance, word
        return root if root is not None else self.doc.words[self.start]


def _words_to_root(word: Word, length: int) -> int:
    if (word.is_space or word.is_punct) and not word.children:
        return length - 1  # spaces and punctuation are roots only when nothing else is
    return sum(1 for _ancestor in word.ancestors)


@dataclass(eq=False, slots=True)
class Parsed:
    """A sentence with its words and its named entities (the profile's names)."""

    text: str
    source: Doc  # the spaCy doc it was read from, for ``char_span``
    words: list[Word] = field(default_factory=list)
    ents: tuple[Phrase, ...] = ()

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[Word]:
        return iter(self.words)

    @overload
    def __getitem__(self, key: int) -> Word: ...
    @overload
    def __getitem__(self, key: slice) -> Phrase: ...
    def __getitem__(self, key: int | slice) -> Word | Phrase:
        if isinstance(key, slice):
            start, end, _step = key.indices(len(self.words))
            return Phrase(self, start, max(start, end))
        return self.words[key]

    def char_span(self, start: int, end: int, alignment_mode: str = "strict") -> Phrase | None:
        span = self.source.char_span(start, end, alignment_mode=alignment_mode)
        return None if span is None else Phrase(self, span.start, span.end)


def read(doc: Doc, text: str, names: dict[int, str]) -> Parsed:
    """``doc``, made of ``text``, as plain objects (``doc.text`` would build every token once
    more). ``names`` caches the strings of hashes, for the caller's batch."""
    parsed = Parsed(text, doc)
    size = len(doc)
    if not size:
        return parsed
    table = doc.to_array(_ATTRS)
    heads = table[:, 0].view(numpy.int64).tolist()
    idxs, lengths, *named = table[:, 1:_STRINGS].T.tolist()
    strings = doc.vocab.strings
    keys = cast("list[int]", table[:, 3:_STRINGS].ravel().tolist())  # uint64 hashes
    missing = set(keys).difference(names)
    for key in missing:
        names[key] = strings[key]
    lowers, lemmas, deps, tags, poses, ent_types, ent_ids = (
        list(map(names.__getitem__, c)) for c in named
    )
    flags = table[:, _STRINGS:].astype(bool).T.tolist()
    words = parsed.words = list(
        map(
            Word,
            repeat(parsed, size),
            range(size),
            idxs,
            [text[start : start + length] for start, length in zip(idxs, lengths, strict=True)],
            lowers,
            lemmas,
            deps,
            tags,
            poses,
            ent_types,
            ent_ids,
            *flags,
        )
    )
    kids: dict[int, list[Word]] = {}  # children in order, as their heads are read in order
    for word, offset in zip(words, heads, strict=True):
        if offset:
            word.head = words[word.i + offset]
            kids.setdefault(word.i + offset, []).append(word)
        else:
            word.head = word  # a root, or any word of an unparsed sentence
    for i, found in kids.items():
        words[i].children = tuple(found)
    parsed.ents = tuple(
        Phrase(parsed, ent.start, ent.end, ent.label_, ent.ent_id_) for ent in doc.ents
    )
    return parsed
