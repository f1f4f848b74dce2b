"""Rules that apply to the events of a sentence or an article together: one event per
happening, initiators named once for several events, accusations that report an attack, and
history recalled in undated articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ceasefire.domain.events import ActorRef, Event, Modality
from ceasefire.pipeline.extract.roles import Arguments
from ceasefire.pipeline.extract.triggers import Hit

# an event two weeks or more before the report is history the report recalls, not its news
# (news reports carry events of the last days; weekly situation reports cover seven days)
BACKGROUND_DAYS = 14
CASUALTY_VERBS = frozenset({"kill", "wound", "injure", "die", "hurt", "maim"})


def background_in_undated(events: list[Event]) -> list[Event]:
    """In an undated article the latest date it gives bounds its publication from below; events
    long before that are history recalled."""
    dates = [e.date.end for e in events if e.date is not None]
    if not dates:
        return events
    latest = max(dates)
    return [
        replace(e, modality=Modality.BACKGROUND)
        if e.date is not None
        and e.modality in (Modality.ASSERTED, Modality.CLAIMED)
        and e.date.end < latest - timedelta(days=BACKGROUND_DAYS)
        else e
        for e in events
    ]


def without_covering_accusations(
    built: list[tuple[Hit, Arguments, Event]],
) -> list[tuple[Hit, Arguments, Event]]:
    """ "X accused Y of shelling Z" reports the shelling, claimed by X; no separate accusation."""
    violent = [hit.head for hit, _args, event in built if event.family == "violence"]
    return [
        (hit, args, event)
        for hit, args, event in built
        if not (
            event.event_type == "accusation"
            and hit.head.lemma_ == "accuse"
            and any(hit.head.is_ancestor(head) for head in violent)
        )
    ]


def responsible(events: list[Event], claimant: ActorRef | None) -> list[Event]:
    """ "..., and the Islamic State group claimed responsibility": the claimant is the initiator
    of the sentence's attacks that name none (the attack itself stays asserted)."""
    if claimant is None or claimant.id is None:
        return events
    return [
        replace(e, actor1=claimant) if e.family == "violence" and e.actor1 is None else e
        for e in events
    ]


def inherit_initiators(events: list[Event]) -> list[Event]:
    """ "Violations by X ... and a fighter was killed by a sniper": a violent event with no named
    initiator takes the one a violation or attack in the same sentence names."""
    named = [
        e.actor1
        for e in events
        if e.actor1 is not None
        and e.actor1.id is not None
        and (e.family == "violence" or e.event_type == "accusation")
    ]
    if len(named) != 1:
        return events
    return [
        replace(e, actor1=named[0]) if e.family == "violence" and e.actor1 is None else e
        for e in events
    ]


def merge(built: list[tuple[Hit, Arguments, Event]]) -> list[Event]:
    """One event per happening: a nominal trigger that is an argument of a verbal one (or two
    triggers of the same kind in one clause) is the same event; the more specific type wins."""
    kept: list[tuple[Hit, Arguments, Event]] = []
    for hit, args, event in built:
        merged = False
        for index, (other_hit, other_args, other) in enumerate(kept):
            same_clause = other_args.clause == args.clause
            linked = hit.head in (other_args.agent, other_args.patient) or other_hit.head in (
                args.agent,
                args.patient,
            )
            same_kind = other.family == event.family and (
                other.event_type == event.event_type or event.family == "violence"
            )
            # "killing three", "wounding four": the toll of the event the sentence reports
            casualty = event.family == "violence" and (
                hit.head.lemma_ in CASUALTY_VERBS or other_hit.head.lemma_ in CASUALTY_VERBS
            )
            same_statement = event.family == "process" and other.event_type == event.event_type
            if other.modality is not event.modality and not casualty:
                continue  # "dropped canisters ... the LNA denied using chemical weapons"
            if same_kind and (linked or same_clause or casualty or same_statement):
                kept[index] = (other_hit, other_args, combine(other, other_hit, event, hit))
                merged = True
                break
        if not merged:
            kept.append((hit, args, event))
    return [event for _hit, _args, event in kept]


def combine(first: Event, first_hit: Hit, second: Event, second_hit: Hit) -> Event:
    specific = first if first_hit.trigger is not None or second_hit.trigger is None else second
    other = second if specific is first else first
    return replace(
        specific,
        actor1=specific.actor1 or other.actor1,
        actor2=specific.actor2 or other.actor2,
        location=specific.location or other.location,
        date=specific.date or other.date,
        fatalities=specific.fatalities if specific.fatalities is not None else other.fatalities,
        wounded=specific.wounded if specific.wounded is not None else other.wounded,
    )


def repeated_mentions(events: list[Event]) -> list[Event]:
    """One event per happening: a later mention of talks already reported in the article ("the
    negotiations", "to attend the talks"), with no time of its own, is the same talks, not a
    new round. A mention with its own time ("talks resumed on Thursday") is a new session."""
    kept: list[Event] = []
    seen: set[tuple[str, str]] = set()
    for event in events:
        key = (event.event_type, event.sub_event_type)
        own_time = event.date is not None and event.date.span is not None
        if event.event_type == "talks" and key in seen and not own_time:
            continue
        if event.event_type == "talks" and event.modality is not Modality.BACKGROUND:
            seen.add(key)
        kept.append(event)
    return kept


def resolve_denials(events: list[Event]) -> list[Event]:
    """A denial of "the information" or "the reports" denies the latest happening the article
    reported as a claim before it: coded as that happening, denied by the denier, with no toll.
    With nothing to point at, it stays the denier's rejection."""
    resolved: list[Event] = []
    for event in events:
        if event.event_type == "rejection" and event.modality is Modality.DENIED:
            claim = next(
                (
                    e
                    for e in reversed(resolved)
                    if e.family == "violence" and e.modality is Modality.CLAIMED
                ),
                None,
            )
            if claim is None:
                event = replace(event, modality=Modality.ASSERTED, claimed_by=None)
            else:
                event = replace(
                    claim,
                    modality=Modality.DENIED,
                    claimed_by=event.actor1,
                    fatalities=None,
                    wounded=None,
                    evidence=event.evidence,
                    trigger=event.trigger,
                    confidence=event.confidence,
                )
        resolved.append(event)
    return resolved
