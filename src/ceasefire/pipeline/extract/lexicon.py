"""Triggers and cues, compiled from the taxonomy and the English cue lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from ceasefire.domain.taxonomy import EnglishCues, Taxonomy

_IRREGULAR = {
    "hit": ("hits", "hitting"),
    "strike": ("struck", "striking"),
    "fight": ("fought",),
    "shoot": ("shot",),
    "take": ("took", "taken", "taking"),
    "retake": ("retook", "retaken", "retaking"),
    "withdraw": ("withdrew", "withdrawn"),
    "meet": ("met",),
    "hold": ("held",),
    "leave": ("left",),
    "send": ("sent",),
    "bring": ("brought",),
    "blow": ("blew", "blown"),
    "fall": ("fell", "fallen"),
    "set": ("set",),
    "seize": ("seized",),
    "overrun": ("overran",),
    "slay": ("slew", "slain"),
    "rise": ("rose", "risen"),
    "lead": ("led",),
    "begin": ("began", "begun"),
    "break": ("broke", "broken"),
    "drive": ("drove", "driven"),
    "give": ("gave", "given"),
    "fly": ("flew", "flown", "flies"),
    "ink": ("inked",),
    "mortar": ("mortared",),
    "pull": ("pulled",),
    "swap": ("swapped",),
    "ship": ("shipped",),
    "sit-in": ("sit-ins",),
    "airstrike": ("airstrikes",),
}
_VOWELS = "aeiou"
_STOPWORDS = frozenset(
    "the a an of to on for in at by with out over up down off from their its be into"
    " new heavy fierce armed military political peace foreign take set".split()
)


def inflections(lemma: str) -> set[str]:
    """Generous surface forms of an English lemma for a cheap prefilter (over-generating)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in _VOWELS + "wxy" and lemma[-2] in _VOWELS:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= set(_IRREGULAR.get(lemma, ()))
    return forms


@dataclass(frozen=True, slots=True)
class Trigger:
    type_id: str
    sub_id: str
    family: str


@dataclass
class Lexicon:
    verbs: dict[str, list[Trigger]] = field(default_factory=dict)
    nouns: dict[str, list[Trigger]] = field(default_factory=dict)
    # phrases by their first word, longest first, so a sentence is scanned once
    phrase_starts: dict[str, list[tuple[tuple[str, ...], Trigger]]] = field(default_factory=dict)
    generic_verbs: frozenset[str] = frozenset()
    generic_nouns: frozenset[str] = frozenset()
    weapons: dict[str, str] = field(default_factory=dict)  # cue word (lower) → sub type id
    surface: frozenset[str] = frozenset()  # lower-case forms that make a sentence a candidate
    # forms of verb and noun triggers: a tagged sentence is parsed only when one of them is
    # tagged as a verb (or noun), or it may hold a phrase
    verb_surface: frozenset[str] = frozenset()
    noun_surface: frozenset[str] = frozenset()
    # first content word form → the forms of every content word of a phrase starting with it
    phrase_forms: dict[str, list[tuple[frozenset[str], ...]]] = field(default_factory=dict)
    names: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # inflected form → verb lemma, for words the tagger lemmatises wrongly ("raped" → "rap")
    verb_forms: dict[str, str] = field(default_factory=dict)

    def verb_lemma(self, lemma: str, form: str) -> str:
        """The lemma to look a verb up by: the tagger's, unless only the form is a trigger's."""
        if lemma in self.verbs or lemma in self.generic_verbs:
            return lemma
        return self.verb_forms.get(form, lemma)

    def could_carry_event(self, words: set[str]) -> bool:
        """Whether a sentence with these lower-case words may hold a trigger (a cheap test)."""
        return not words.isdisjoint(self.surface) or self.could_hold_phrase(words)

    def could_hold_phrase(self, words: set[str]) -> bool:
        """Whether every content word of some trigger phrase occurs in these lower-case words."""
        for word in words & self.phrase_forms.keys():
            for forms in self.phrase_forms[word]:
                if all(not words.isdisjoint(options) for options in forms):
                    return True
        return False

    def output_names(self, type_id: str, sub_id: str) -> tuple[str, str]:
        """(event_type, sub_event_type) as written in outputs: ACLED names, or ours."""
        return self.names[(type_id, sub_id)]


def build_lexicon(taxonomy: Taxonomy, cues: EnglishCues) -> Lexicon:
    lexicon = Lexicon()
    verb_surface: set[str] = set()
    noun_surface: set[str] = set()
    phrases: dict[tuple[str, ...], Trigger] = {}
    for family, event_type, sub in taxonomy.all_sub_types():
        trigger = Trigger(event_type.id, sub.id, family.id)
        lexicon.names[(event_type.id, sub.id)] = (
            event_type.acled or event_type.name,
            sub.acled or sub.name,
        )
        for verb in sub.verbs:
            lexicon.verbs.setdefault(verb, []).append(trigger)
            verb_surface |= inflections(verb)
            for form in inflections(verb):
                lexicon.verb_forms.setdefault(form, verb)
        for noun in sub.nouns:
            lexicon.nouns.setdefault(noun, []).append(trigger)
            noun_surface |= inflections(noun)
        for phrase in sub.phrases:
            words = tuple(phrase.lower().split())
            phrases.setdefault(words, trigger)  # a phrase listed twice keeps its first meaning
            # a phrase can match only if each of its content words occurs in some form
            content = [w for w in words if w not in _STOPWORDS] or list(words)
            forms = tuple(frozenset(inflections(w)) for w in content)
            for form in forms[0]:
                lexicon.phrase_forms.setdefault(form, []).append(forms)
    for words, trigger in phrases.items():
        lexicon.phrase_starts.setdefault(words[0], []).append((words, trigger))
    for starts in lexicon.phrase_starts.values():
        starts.sort(key=lambda item: -len(item[0]))
    lexicon.generic_verbs = frozenset(cues.generic_violence.verbs)
    lexicon.generic_nouns = frozenset(cues.generic_violence.nouns)
    for verb in cues.generic_violence.verbs:
        verb_surface |= inflections(verb)
        for form in inflections(verb):
            lexicon.verb_forms.setdefault(form, verb)
    for noun in cues.generic_violence.nouns:
        noun_surface |= inflections(noun)
    for sub_id, words in cues.weapons.items():
        for word in words:
            lexicon.weapons[word.lower()] = sub_id
    lexicon.verb_surface = frozenset(verb_surface)
    lexicon.noun_surface = frozenset(noun_surface)
    # casualty words are no triggers; a sentence they alone make a candidate is tagged, not parsed
    casualties = {"killed", "dead", "died", "wounded", "injured", "casualties"}
    lexicon.surface = frozenset(verb_surface | noun_surface | casualties)
    return lexicon
