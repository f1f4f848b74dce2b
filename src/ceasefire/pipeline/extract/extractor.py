"""Event extraction over articles: cheap tokenising everywhere, parsing only candidate sentences.

``Extractor`` is built once (model, profile, taxonomy, cues) and is then a pure function from an
article (id, text, publication date) to its events. Every event carries the sentence that states it
as evidence, and the spans of its trigger, actors, place and date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ceasefire.adapters.nlp import NlpEngine
from ceasefire.domain.events import ActorRef, Event, Modality, Span
from ceasefire.domain.profile import PlaceSpec, Profile
from ceasefire.domain.taxonomy import EnglishCues, Taxonomy
from ceasefire.pipeline import quantities, timex
from ceasefire.pipeline.extract import actors, clauses, fields, locate, merge, parsed, roles
from ceasefire.pipeline.extract.candidates import Sentence, split_sentences, worth_parsing
from ceasefire.pipeline.extract.lexicon import Lexicon, Trigger, build_lexicon
from ceasefire.pipeline.extract.modality import read_modality
from ceasefire.pipeline.extract.parsed import Parsed
from ceasefire.pipeline.extract.roles import Arguments, arguments
from ceasefire.pipeline.extract.triggers import Hit, find_hits

CODER = "cf-extract/1"
# statements are placed only where the text says they were made, never by fallback
_STATEMENT_TYPES = frozenset(
    {"threat", "accusation", "demand", "condemnation", "rejection", "enforcement"}
)
_TERRITORY_GOVERNMENT = frozenset({"state_force", "government", "foreign_military"})
# peace-track events that, unattributed, are between the two sides an article is about
_BETWEEN_THE_SIDES = (
    ("talks", "negotiation_round"),
    ("agreement", "ceasefire_declared"),
    ("agreement", "agreement_signed"),
    ("confidence_building", "prisoner_exchange"),
    ("confidence_building", "remains_exchange"),
)


@dataclass(frozen=True, slots=True)
class ArticleText:
    id: str
    text: str
    published: date | None
    title: str | None = None


class Extractor:
    """Built once per process; ``extract`` is then pure."""

    def __init__(
        self, engine: NlpEngine, profile: Profile, taxonomy: Taxonomy, cues: EnglishCues
    ) -> None:
        self.engine = engine
        self.profile = profile
        self.cues = cues
        self.lexicon: Lexicon = build_lexicon(taxonomy, cues)
        self.country = locate.country_place(profile)
        self.coder = f"{CODER}+{engine.version}+{profile.id}-{profile.spec.version}"
        self.between_sides = frozenset(self.lexicon.output_names(*k) for k in _BETWEEN_THE_SIDES)

    # ---------------------------------------------------------------------------------------
    def extract(self, article: ArticleText) -> list[Event]:
        return next(iter(self.extract_many([article])))[1]

    def extract_many(
        self, articles: Iterable[ArticleText], chunk: int = 16
    ) -> Iterator[tuple[ArticleText, list[Event]]]:
        """Events of each article, in order. Articles are taken in chunks so that the parser
        sees the candidate sentences of many articles in one batch."""
        pending: list[ArticleText] = []
        for article in articles:
            pending.append(article)
            if len(pending) >= chunk:
                yield from self._chunk(pending)
                pending = []
        if pending:
            yield from self._chunk(pending)

    def _chunk(self, articles: Sequence[ArticleText]) -> Iterator[tuple[ArticleText, list[Event]]]:
        candidates = [
            [s for s in split_sentences(self.engine.tokenizer, a.text, self.lexicon) if s.candidate]
            for a in articles
        ]
        texts = [s.text for found in candidates for s in found]
        # candidates the tagger rules out come back unparsed, with the profile's names only: they
        # yield no trigger, and still name the reference events an undated article is read by
        lexicon = self.lexicon
        names: dict[int, str] = {}  # the strings of this chunk's hashes
        docs = iter(
            parsed.read(doc, text, names)
            for doc, text in zip(
                self.engine.parse(
                    texts, batch_size=128, worth_parsing=lambda d: worth_parsing(d, lexicon)
                ),
                texts,
                strict=True,
            )
        )
        for article, found in zip(articles, candidates, strict=True):
            read = [next(docs) for _ in found]
            yield article, self._article_events(article, found, read)

    # ---------------------------------------------------------------------------------------
    def _article_events(
        self, article: ArticleText, sentences: Sequence[Sentence], docs: Sequence[Parsed]
    ) -> list[Event]:
        dateline = locate.dateline_place(article.text, self.profile)
        home = self.country  # what "the country" means in this article
        if dateline is not None and dateline.country != self.profile.spec.country:
            dateline = home = None  # a foreign dateline: the reporter's seat, another country
        events: list[Event] = []
        context: date | None = None
        # the period an undated article speaks of, for who stood for whom (never a date)
        era = article.published or fields.era(self.profile, docs)
        previous: ActorRef | None = None  # the last named initiator, for "his forces", "it"
        venue = None  # where the article's talks take place: "Talks then resumed Thursday"
        # an article about "the warring sides": its unattributed talks and truces are theirs
        lowered = article.text.lower()
        sides_article = any(phrase in lowered for phrase in self.cues.collective_parties)
        for sentence, doc in zip(sentences, docs, strict=True):
            found = self._sentence_events(
                article, sentence, doc, context, (dateline, home), previous, era
            )
            for index, event in enumerate(found):
                if self._abroad(event, home):
                    found[index] = event = replace(
                        event,
                        actor1=actors.abroad(self.profile, event.actor1),
                        actor2=actors.abroad(self.profile, event.actor2),
                        claimed_by=actors.abroad(self.profile, event.claimed_by),
                    )
                if sides_article and self._unattributed_between_sides(event):
                    day = event.date.start if event.date else era
                    pair = actors.principals(self.profile, day)
                    if pair is not None:
                        found[index] = event = replace(event, actor1=pair[0], actor2=pair[1])
                if event.event_type == "talks":
                    if event.location is None and venue is not None:
                        found[index] = event = replace(event, location=venue)
                    venue = event.location or venue
                if event.date is not None and event.modality is not Modality.BACKGROUND:
                    context = event.date.start
                if event.actor1 is not None and event.actor1.id is not None:
                    previous = event.actor1
            events.extend(found)
        events = merge.repeated_mentions(merge.resolve_denials(events))
        if article.published is None:
            events = merge.background_in_undated(events)
        return events

    def _abroad(self, event: Event, home: PlaceSpec | None) -> bool:
        """Placed outside the profile's country, or unplaced in a story datelined abroad."""
        if event.location is not None:
            return event.location.country != self.profile.spec.country
        return home is None

    def _unattributed_between_sides(self, event: Event) -> bool:
        return (
            event.actor1 is None
            and event.actor2 is None
            and event.modality is not Modality.CONDITIONAL
            and (event.event_type, event.sub_event_type) in self.between_sides
        )

    def _sentence_events(
        self,
        article: ArticleText,
        sentence: Sentence,
        doc: Parsed,
        context: date | None,
        datelined: tuple[PlaceSpec | None, PlaceSpec | None],
        previous: ActorRef | None = None,
        era: date | None = None,
    ) -> list[Event]:
        """``datelined``: the article's home dateline and the country "the country" means."""
        dateline, home = datelined
        hits = find_hits(doc, self.lexicon)
        if not hits:
            return []
        expressions = timex.find_time_expressions(sentence.text)
        casualties = quantities.find_casualties(sentence.text)
        places = locate.place_mentions(doc, self.profile, home)
        # only the country named in the sentence itself places an event there (precision 3)
        sentence_names_country = any(
            m.place.kind.value == "country" and m.place.country == self.profile.spec.country
            for m in places
        )
        specific = bool(expressions) or any(not m.cumulative for m in casualties)
        tallies = bool(casualties) and all(m.cumulative for m in casualties)
        built: list[tuple[Hit, Arguments, Event]] = []
        demands = [h.head for h in hits if h.trigger is not None and h.trigger.type_id == "demand"]
        for hit in hits:
            if clauses.in_antecedent(hit.head) or clauses.demanded(hit.head, demands):
                continue
            vague = hit.nominal and not specific  # "a recent uptick in attacks"
            tally = tallies and hit.head.lemma_ in merge.CASUALTY_VERBS  # "356 killed since"
            if hit.trigger is None and (vague or tally):
                continue
            args = arguments(hit)
            event = self._event(
                article, sentence, doc, hit, args, expressions, casualties, places, context, era
            )
            if event.actor1 is None and args.agent is not None and actors.refers_back(args.agent):
                event = replace(event, actor1=previous)
            if event.location is None and event.event_type not in _STATEMENT_TYPES:
                if dateline is not None:
                    event = replace(event, location=locate.fallback(dateline, 2))
                elif sentence_names_country and self.country is not None:
                    event = replace(event, location=locate.area_location(self.country))
            built.append((hit, args, event))
            threat = self._implied_threat(
                article, sentence, doc, hit, event, (hits, expressions, places), era
            )
            if threat is not None:
                built.append(threat)
        events = merge.merge(merge.without_covering_accusations(built))
        claimant = clauses.claimant_of_responsibility(doc)
        if claimant is not None:
            events = merge.responsible(
                events, actors.resolve(doc, claimant, self.profile, era, sentence.start)
            )
        return merge.inherit_initiators(events)

    def _implied_threat(
        self,
        article: ArticleText,
        sentence: Sentence,
        doc: Parsed,
        hit: Hit,
        event: Event,
        found: tuple[Sequence[Hit], Sequence[timex.TimeExpression], Sequence[locate.PlaceMention]],
        era: date | None,
    ) -> tuple[Hit, Arguments, Event] | None:
        """ "'If the talks fail, we will attack Tripoli,' the LNA spokesman told reporters": a
        party announcing violence threatens; the statement is a threat event of its own."""
        hits, expressions, places = found  # what the sentence already found
        if event.family != "violence" or event.modality not in (
            Modality.CONDITIONAL,
            Modality.PLANNED,
        ):
            return None
        if any(h.trigger is not None and h.trigger.type_id == "threat" for h in hits):
            return None
        speech = clauses.reporting_verb(hit.head, frozenset(self.cues.reporting_verbs))
        if speech is None:
            return None
        said = Hit(speech, speech.i, speech.i + 1, Trigger("threat", "threat", "process"), False)
        args = arguments(said)
        threat = self._event(article, sentence, doc, said, args, expressions, (), places, None, era)
        if threat.actor1 is None or actors.is_neutral(threat.actor1, self.profile):
            return None
        return said, args, replace(threat, actor2=event.actor2, modality=Modality.ASSERTED)

    def _event(
        self,
        article: ArticleText,
        sentence: Sentence,
        doc: Parsed,
        hit: Hit,
        args: Arguments,
        expressions: Sequence[timex.TimeExpression],
        casualties: Sequence[quantities.CasualtyMention],
        places: Sequence[locate.PlaceMention],
        context: date | None,
        era: date | None = None,
    ) -> Event:
        offset = sentence.start
        reading = read_modality(hit, args.clause, self.cues)
        when = fields.event_date(
            self.profile,
            article.published,
            doc,
            hit,
            args,
            expressions,
            reading.future,
            context,
            offset,
        )
        day = when.start if when else era
        agent = args.agent
        if (
            agent is not None
            and reading.source is not None
            and (actors.is_pronoun(agent) or actors.refers_back(agent))
        ):
            agent = reading.source  # "the LNA said its forces had captured Sirte"
        if agent is None and not hit.nominal:
            agent = actors.nearest_actor(doc, hit)  # when the parse found no subject
        actor1 = actors.resolve(doc, agent, self.profile, day, offset)
        actor2 = actors.resolve(doc, args.patient, self.profile, day, offset)
        if actor2 is None and not args.partners:
            # "warned that Ankara would punish Haftar's forces", "travelled to X to brief Y"
            party = clauses.complement_party(hit, hit.trigger.type_id if hit.trigger else "")
            actor2 = actors.resolve(doc, party, self.profile, day, offset)
        if actor2 is None and args.partners:
            partner = actors.resolve(doc, args.partners[-1], self.profile, day, offset)
            actor2 = partner if partner != actor1 else None
        source = actors.resolve(doc, reading.source, self.profile, day, offset)
        modality, claimed_by = reading.modality, source
        if modality is Modality.CLAIMED and actors.is_neutral(source, self.profile):
            modality, claimed_by = Modality.ASSERTED, None
        if modality is Modality.ASSERTED:
            claimed_by = None
        if (
            when is not None
            and article.published is not None
            and modality in (Modality.ASSERTED, Modality.CLAIMED)
            and when.end < article.published - timedelta(days=merge.BACKGROUND_DAYS)
        ):
            modality = Modality.BACKGROUND
        type_id, sub_id, family = self._type(hit, doc, args, actor1, actor2)
        if actor1 is None or actor2 is None:
            actor1, actor2 = actors.collective(
                self.profile, self.cues, doc, args, hit, day, actor1, actor2
            )
        if type_id == "rejection" and clauses.denies_report(hit) and actor1 is not None:
            modality, claimed_by = Modality.DENIED, actor1  # resolved against the article later
        if type_id == "accusation" and source is not None and source != actor1:
            # "the GNA said Haftar's forces violated the ceasefire": the GNA accuses them
            actor1, actor2 = source, actor1
        generic_target = actor2 is not None and (
            actor2.id is None or self.profile.actors[actor2.id].kind in actors.NEUTRAL_KINDS
        )
        if actor2 is None or (generic_target and type_id != "violence_against_civilians"):
            actor2 = actors.partner(self.profile, doc, args, actor1, day, offset) or actor2
        if family == "violence" and actor2 is None:
            actor2 = actors.target(
                self.profile,
                self.cues,
                doc,
                args,
                casualties,
                actor1,
                day,
                offset,
                battle=type_id == "battles",
            )
        if type_id == "violence_against_civilians" and actor2 is not None and actor2.id is None:
            actor2 = actors.generic(self.profile, "civilians") or actor2  # a named victim
        if type_id in ("protests", "riots"):
            actor1, actor2 = actors.crowd_roles(self.profile, doc, type_id, actor1, actor2)
        event_type, sub_event_type = self.lexicon.output_names(type_id, sub_id)
        killed, wounded = fields.casualties(hit, casualties, family)
        statement = type_id in _STATEMENT_TYPES
        location = locate.locate(
            doc,
            offset,
            places,
            args.places,
            hit.head,
            self.cues,
            attached_only=statement,
            own_only=family == "process",
            departure=type_id == "withdrawal",
        )
        trigger_span = doc[hit.start : hit.end]
        confidence = 0.5 + 0.15 * (actor1 is not None) + 0.1 * (location is not None)
        confidence += 0.1 * (when is not None) + 0.1 * (hit.trigger is not None)
        return Event(
            article_id=article.id,
            event_type=event_type,
            sub_event_type=sub_event_type,
            family=family,
            actor1=actor1,
            actor2=actor2 if actor2 != actor1 else None,
            location=location,
            date=when,
            fatalities=killed,
            wounded=wounded,
            modality=modality,
            claimed_by=claimed_by,
            evidence=Span(sentence.start, sentence.end, sentence.text),
            trigger=Span(
                offset + trigger_span.start_char, offset + trigger_span.end_char, trigger_span.text
            ),
            confidence=round(min(confidence, 0.95), 2),
            coder=self.coder,
        )

    def _type(
        self,
        hit: Hit,
        doc: Parsed,
        args: Arguments,
        actor1: ActorRef | None,
        actor2: ActorRef | None,
    ) -> tuple[str, str, str]:
        trigger: Trigger | None = hit.trigger
        if trigger is not None and trigger.type_id != "battles":
            return trigger.type_id, trigger.sub_id, trigger.family
        if trigger is not None:
            if trigger.sub_id in ("government_regains_territory", "non_state_overtakes_territory"):
                spec = self.profile.actors.get(actor1.id) if actor1 and actor1.id else None
                government = spec is not None and spec.kind.value in _TERRITORY_GOVERNMENT
                sub = "government_regains_territory" if government else trigger.sub_id
                return "battles", sub, "violence"
            if trigger.sub_id != "armed_clash":
                return trigger.type_id, trigger.sub_id, trigger.family
        weapon = fields.weapon(self.lexicon, hit, doc, args)
        if weapon is not None:
            return "explosions", weapon, "violence"
        if trigger is not None:
            return trigger.type_id, trigger.sub_id, trigger.family
        target_words = {t.lemma_.lower() for t in (args.patient.subtree if args.patient else [])}
        civilian = bool(target_words & set(self.cues.civilian_targets)) or (
            actor2 is not None
            and actor2.id is not None
            and self.profile.actors[actor2.id].kind.value == "civilians"
        )
        if civilian:
            return "violence_against_civilians", "attack", "violence"
        if (
            hit.head.lemma_.lower() in _REMOTE_VERBS
            and args.patient is not None
            and roles.is_place_like(args.patient)
            and actor2 is None
        ):
            # "the LNA hit Tripoli's port": a place hit with no weapon named is shelling
            return "explosions", "shelling", "violence"
        return "battles", "armed_clash", "violence"


_REMOTE_VERBS = frozenset({"hit", "strike", "slam", "bomb", "target", "pound"})
