"""The model's attribute ruler, lemmatizer and entity ruler, applied with the same results as
spaCy's components but cheaper matching (see ``RuleLayer``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import IDS  # type: ignore[import-not-found]  # a Cython module, no stub
from spacy.language import Language
from spacy.pipeline import AttributeRuler, EntityRuler, Lemmatizer
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from ceasefire.errors import ModelError

# the token attributes the model's attribute rules test, as columns of Doc.to_array, then what a
# token's rule attributes and lemma also depend on (form, and what the tagger left), then what
# the three components write
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY: list[int | str] = ["TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS", "MORPH", "LEMMA"]
_WRITTEN: list[int | str] = ["POS", "MORPH", "LEMMA", "TAG", "DEP"]
_POS, _MORPH, _LEMMA, _TAG, _DEP = (IDS[name] for name in ("POS", "MORPH", "LEMMA", "TAG", "DEP"))
_SELECTIVE = (1, 2, 0, 3)  # the columns by how few tokens share a value: form, dep, tag, space
Condition = tuple[int, str, Any]  # column, operator ("==", "in", "not in", "regex"), value
TokenTest = tuple[Condition, ...]
Match = tuple[int, int, int, int]  # rule number, match id, start, end: the ruler's order
Written = tuple[int, int, int, int, int]  # a token's POS, MORPH, LEMMA, TAG, DEP
Known = tuple[Written, tuple["AttributeRule", ...]]  # and the rules of several tokens from it


@dataclass(frozen=True, slots=True)
class AttributeRule:
    number: int  # its key in the ruler, whose order decides which rule wins
    key: int  # the ruler's match id for it
    tokens: tuple[TokenTest, ...]  # one test per token of the pattern
    index: int  # the token of the match that gets the attributes


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """Attribute rules by the value their first token asks for, in each column (tag, lower-case
    form, dependency, is-space); rules that ask none of them are tried everywhere."""

    indexed: tuple[dict[int, tuple[AttributeRule, ...]], ...]
    everywhere: tuple[AttributeRule, ...]

    def starting(self, row: list[int], strings: StringStore) -> tuple[AttributeRule, ...]:
        """The rules whose first token holds for a token with these attributes."""
        found = [
            rule
            for table, value in zip(self.indexed, row, strict=False)
            for rule in table.get(value, ())
            if _holds(rule.tokens[0], row, strings)
        ]
        found += [rule for rule in self.everywhere if _holds(rule.tokens[0], row, strings)]
        return tuple(found)


@dataclass(frozen=True, slots=True)
class RuleLayer:
    """The attribute ruler, lemmatizer and entity ruler of the model, with the same results.

    spaCy's attribute ruler runs a token ``Matcher`` over its ~180 rules at every token; here the
    rules are looked up by the tag or lower-case form their first token tests (a few are tried
    everywhere) and checked in Python. The rules of one token depend on that token alone (its
    tag, form, dependency), except for the few rules of several tokens ("ai n't"): so what the
    one-token rules give a token is compiled once per (tag, form, dependency) met, by applying the
    matching rules in the ruler's order; lemmas come from the lemmatizer's own rules, remembered
    per (form, part of speech, morphology) as the lemmatizer itself does for most words; a call
    looks each distinct token up once (``memo``) and writes all tokens at once. The entity
    ruler's own matchers and ``set_annotations`` are used, without its count of its patterns.
    """

    attribute_ruler: AttributeRuler
    lemmatizer: Lemmatizer
    entity_ruler: EntityRuler
    single: RuleIndex  # rules of one token
    spanning: RuleIndex  # rules of several tokens
    known_lemmas: dict[tuple[int, int, int], int]  # (form, POS, morph) → lemma; a cache
    # the one-token rules compiled as they are met: a token's attributes but its form → what
    # they set (lemma 0: the lemmatizer's), and the rules of several tokens that may start there
    compiled: dict[tuple[int, ...], tuple[Written, tuple[AttributeRule, ...]]]

    def annotate(self, doc: Doc, memo: dict[tuple[int, ...], Known] | None = None) -> Doc:
        """What the three components would set on a tagged and parsed doc. ``memo`` (token
        attributes → what is written) may be shared by the docs of one batch."""
        self.tokens(doc, {} if memo is None else memo)
        return self.names(doc)

    def tokens(self, doc: Doc, memo: dict[tuple[int, ...], Known]) -> None:
        """The attribute ruler's and the lemmatizer's attributes of every token."""
        rows: list[list[int]] = doc.to_array(_ARRAY).tolist()
        strings = doc.vocab.strings
        known: list[Known] = []
        for i, row in enumerate(rows):
            key = tuple(row)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._known(doc, i, row, strings)
            known.append(found)
        written = [found[0] for found in known]
        # the rules of several tokens, where their first token matches
        spanning: dict[int, list[Match]] = {}  # token → the matches that set it
        for i, (_written, starting) in enumerate(known):
            for rule in starting:
                if _matches(rule, rows, i, strings):
                    end = i + len(rule.tokens)
                    target = i + rule.index if rule.index >= 0 else end + rule.index
                    spanning.setdefault(target, []).append((rule.number, rule.key, i, end))
        for i, matches in spanning.items():
            single = [
                (rule.number, rule.key, i, i + 1) for rule in self.single.starting(rows[i], strings)
            ]
            written[i] = self._written(doc, i, rows[i], single + matches)
        if written:
            doc.from_array(_WRITTEN, numpy.array(written, dtype=numpy.uint64))  # type: ignore[arg-type]

    def _known(self, doc: Doc, i: int, row: list[int], strings: StringStore) -> Known:
        """What the one-token rules and the lemmatizer set on a token with these attributes, and
        the rules of several tokens that may start at it."""
        key = (row[0], row[1], row[2], row[3], row[5], row[6], row[7])  # all but the form
        ruled = self.compiled.get(key)
        if ruled is None:
            single = [
                (rule.number, rule.key, i, i + 1) for rule in self.single.starting(row, strings)
            ]
            ruled = self._ruled(row, single), self.spanning.starting(row, strings)
            self.compiled[key] = ruled
        return self._lemma(doc, i, row[4], ruled[0]), ruled[1]

    def _written(self, doc: Doc, i: int, row: list[int], matches: list[Match]) -> Written:
        return self._lemma(doc, i, row[4], self._ruled(row, matches))

    def _ruled(self, row: list[int], matches: list[Match]) -> Written:
        """What the ruler's matches on a token, applied in its order, set on it."""
        attrs: dict[int, int] = {_POS: row[5], _MORPH: row[6], _LEMMA: row[7], _TAG: row[0]}
        attrs[_DEP] = row[2]
        for number, _key, _start, _end in sorted(matches):
            attrs.update(self.attribute_ruler.attrs[number])
        return attrs[_POS], attrs[_MORPH], attrs[_LEMMA], attrs[_TAG], attrs[_DEP]

    def _lemma(self, doc: Doc, i: int, form: int, ruled: Written) -> Written:
        """With the lemmatizer's lemma when no rule gave one (it does not overwrite a lemma)."""
        pos, morph, lemma, tag, dep = ruled
        if lemma != 0:
            return ruled
        found = self.known_lemmas.get((form, pos, morph))
        if found is None:
            token = doc[i]
            # the lemmatizer reads the part of speech and morphology
            set_token_attrs(token, {_POS: pos, _MORPH: morph, _TAG: tag, _DEP: dep})
            found = doc.vocab.strings.add(self.lemmatizer.lemmatize(token)[0])
            self.known_lemmas[(form, pos, morph)] = found
        return pos, morph, found, tag, dep

    def names(self, doc: Doc) -> Doc:
        """The profile's actors, places and named events as entities."""
        ruler = self.entity_ruler
        # the token matcher first, as in EntityRuler.match (it sees ties in this order)
        found = list(ruler.matcher(doc)) if len(ruler.matcher) else []
        found += ruler.phrase_matcher(doc)
        matches = {(key, start, end) for key, start, end in found if start != end}
        ordered = sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
        ruler.set_annotations(doc, ordered)  # type: ignore[no-untyped-call]
        return doc


def _matches(rule: AttributeRule, rows: list[list[int]], start: int, strings: StringStore) -> bool:
    if start + len(rule.tokens) > len(rows):
        return False
    for offset, test in enumerate(rule.tokens):
        if not _holds(test, rows[start + offset], strings):
            return False
    return True


def _holds(test: TokenTest, row: list[int], strings: StringStore) -> bool:
    for column, operator, value in test:
        have = row[column]
        if operator == "==":
            if have != value:
                return False
        elif operator == "in":
            if have not in value:
                return False
        elif operator == "not in":
            if have in value:
                return False
        elif not value.search(strings[have]):
            return False
    return True


def _token_test(token: dict[str, Any], strings: StringStore) -> TokenTest | None:
    """The conditions of one token of an attribute rule; None when they are not all simple."""
    conditions: list[Condition] = []
    for name, value in token.items():
        column = _COLUMNS.get(name)
        if column is None:
            return None
        if isinstance(value, bool):
            conditions.append((column, "==", int(value)))
        elif isinstance(value, str):
            conditions.append((column, "==", strings.add(value)))
        elif isinstance(value, dict) and len(value) == 1:
            operator, argument = next(iter(value.items()))
            if operator in ("IN", "NOT_IN") and isinstance(argument, list):
                words = frozenset(strings.add(str(word)) for word in argument)
                conditions.append((column, operator.lower().replace("_", " "), words))
            elif operator == "REGEX" and isinstance(argument, str):
                conditions.append((column, "regex", re.compile(argument)))
            else:
                return None
        else:
            return None
    return tuple(conditions)


def build_rules(nlp: Language) -> RuleLayer:
    """The rule layer over the model's own attribute ruler, lemmatizer and entity ruler; fails
    when one of them is not the component (or mode) it reproduces."""
    attribute_ruler = nlp.get_pipe("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer")
    entity_ruler = nlp.get_pipe("entity_ruler")
    if (
        not isinstance(attribute_ruler, AttributeRuler)
        or not isinstance(lemmatizer, Lemmatizer)
        or lemmatizer.mode != "rule"
        or lemmatizer.overwrite
        or not isinstance(entity_ruler, EntityRuler)
    ):
        raise ModelError("the model's attribute ruler, lemmatizer or entity ruler is not spaCy's")
    strings = nlp.vocab.strings
    written = {_POS, _MORPH, _LEMMA, _TAG, _DEP}
    rules: list[AttributeRule] = []
    for number, spec in enumerate(attribute_ruler.patterns):
        key = strings.add(str(number))
        if not set(attribute_ruler.attrs[number]) <= written:
            raise ModelError(f"attribute rule {number} sets attributes the rule layer does not")
        patterns: list[list[dict[str, Any]]] = spec["patterns"]  # type: ignore[assignment]
        for pattern in patterns:
            tests = [_token_test(token, strings) for token in pattern]
            index = spec["index"]
            if (
                not isinstance(index, int)
                or not all(tests)
                or not -len(pattern) <= index < len(pattern)
            ):
                raise ModelError(f"attribute rule {number} is not one the rule layer reads")
            rules.append(AttributeRule(number, key, tuple(t for t in tests if t), index))
    return RuleLayer(
        attribute_ruler,
        lemmatizer,
        entity_ruler,
        _rule_index([rule for rule in rules if len(rule.tokens) == 1]),
        _rule_index([rule for rule in rules if len(rule.tokens) > 1]),
        {},
        {},
    )


def _rule_index(rules: list[AttributeRule]) -> RuleIndex:
    indexed: list[dict[int, list[AttributeRule]]] = [{} for _ in _COLUMNS]
    everywhere: list[AttributeRule] = []
    for rule in rules:
        # index the rule by the first condition of its first token that names its values
        named = [
            (c, v)
            for c, op, v in sorted(rule.tokens[0], key=lambda c: _SELECTIVE.index(c[0]))
            if op in ("==", "in")
        ]
        if not named:
            everywhere.append(rule)
            continue
        column, values = named[0]
        for value in values if isinstance(values, frozenset) else (values,):
            indexed[column].setdefault(value, []).append(rule)
    return RuleIndex(
        tuple({value: tuple(rules) for value, rules in table.items()} for table in indexed),
        tuple(everywhere),
    )
