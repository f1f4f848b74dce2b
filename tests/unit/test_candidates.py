"""The gates in front of the parser: which sentences are tagged, and which tagged ones are parsed.

A sentence is parsed only when a trigger can be found in it, so the gates must never keep a real
trigger from the parser, and should keep trigger words that are names or casualty words from it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from spacy.tokens import Doc

from ceasefire.adapters.nlp import TAG_COMPONENTS
from ceasefire.pipeline.extract.candidates import (
    NOUN_TAGS,
    VERB_TAGS,
    VERBS_BY_DEPENDENCY,
    split_sentences,
    worth_parsing,
)
from ceasefire.pipeline.extract.extractor import ArticleText

NAME_ONLY = "The Government of National Accord said on Monday that it would study the proposal."
REAL_TRIGGER = "Forces of the Government of National Accord shelled Tarhuna on Monday."
CASUALTIES_ONLY = "Three people died in the town, a hospital official said."
PHRASE_ONLY = "Rebels took control of Sirte on Monday."  # no trigger word, a trigger phrase


def tagged(extractor: Any, text: str) -> Doc:
    nlp = extractor.engine.full
    disabled = [name for name in nlp.pipe_names if name not in TAG_COMPONENTS]
    doc: Doc = next(iter(nlp.pipe([text], disable=disabled)))
    return doc


def stage_one(extractor: Any, text: str) -> bool:
    (sentence,) = split_sentences(extractor.engine.tokenizer, text, extractor.lexicon)
    return sentence.candidate


def events(extractor: Any, text: str) -> list[Any]:
    result: list[Any] = extractor.extract(ArticleText("t", text, date(2020, 6, 9)))
    return result


def test_a_trigger_word_inside_an_actor_name_is_tagged_but_not_parsed(extractor: Any) -> None:
    assert "accord" in extractor.lexicon.noun_surface  # the name holds a trigger word
    assert stage_one(extractor, NAME_ONLY)
    assert not worth_parsing(tagged(extractor, NAME_ONLY), extractor.lexicon)
    assert events(extractor, NAME_ONLY) == []


def test_a_real_trigger_next_to_the_name_is_parsed(extractor: Any) -> None:
    assert worth_parsing(tagged(extractor, REAL_TRIGGER), extractor.lexicon)
    found = events(extractor, REAL_TRIGGER)
    assert [e.event_type for e in found] == ["Explosions/Remote violence"]
    assert found[0].actor1 is not None and found[0].actor1.id == "gna"


def test_casualty_words_alone_are_no_trigger(extractor: Any) -> None:
    assert stage_one(extractor, CASUALTIES_ONLY)
    assert not worth_parsing(tagged(extractor, CASUALTIES_ONLY), extractor.lexicon)


def test_a_phrase_is_parsed_whatever_its_tags(extractor: Any) -> None:
    assert not {t.lower_ for t in tagged(extractor, PHRASE_ONLY)} & extractor.lexicon.surface
    assert stage_one(extractor, PHRASE_ONLY)
    assert worth_parsing(tagged(extractor, PHRASE_ONLY), extractor.lexicon)
    assert [e.sub_event_type for e in events(extractor, PHRASE_ONLY)] == [
        "Non-state actor overtakes territory"
    ]


def test_a_sentence_without_trigger_words_is_not_even_tagged(extractor: Any) -> None:
    assert not stage_one(extractor, "The weather in Tripoli was mild on Monday.")


def test_sentences_not_worth_parsing_keep_their_names(extractor: Any) -> None:
    lexicon = extractor.lexicon
    docs = list(
        extractor.engine.parse(
            [NAME_ONLY, REAL_TRIGGER], worth_parsing=lambda d: worth_parsing(d, lexicon)
        )
    )
    assert [doc.has_annotation("DEP") for doc in docs] == [False, True]
    assert [ent.ent_id_ for ent in docs[0].ents] == ["gna"]
    assert {token.pos_ for token in docs[0]} == {""}  # so no trigger can be read from it


def test_the_gate_knows_every_way_the_model_makes_a_verb_or_a_noun(extractor: Any) -> None:
    """Triggers are looked up on VERB and NOUN tokens: every rule of the model's attribute ruler
    that sets one must be one the gate reads (a tag, or a word made a verb by its dependency)."""
    ruler = extractor.engine.full.get_pipe("attribute_ruler")
    for rule in ruler.patterns:
        pos = rule["attrs"].get("POS")
        if pos not in ("VERB", "NOUN"):
            continue
        for pattern in rule["patterns"]:
            token = pattern[rule["index"]]
            tags, lowers = _values(token.get("TAG")), _values(token.get("LOWER"))
            if tags:
                assert tags <= (VERB_TAGS if pos == "VERB" else NOUN_TAGS), rule
            else:
                assert pos == "VERB" and lowers and lowers <= VERBS_BY_DEPENDENCY, rule


def _values(condition: Any) -> set[str]:
    if isinstance(condition, str):
        return {condition}
    return set(condition.get("IN", ())) if isinstance(condition, dict) else set()


@pytest.mark.parametrize(
    "text",
    [
        "Haftar's forces attacked Mitiga airport on Sunday.",
        "Clashes erupted between the two sides near Ain Zara.",
        "The LNA's shelling of residential areas killed three civilians.",
        "Talks between the two delegations resumed in Geneva on Thursday.",
    ],
)
def test_sentences_with_events_are_parsed(extractor: Any, text: str) -> None:
    assert stage_one(extractor, text)
    assert worth_parsing(tagged(extractor, text), extractor.lexicon)
    assert events(extractor, text)
