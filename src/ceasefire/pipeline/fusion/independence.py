"""Independence, claims and status: how well an incident is corroborated, and who disputes it.

**Origins.** Every report carries an ``origin`` chosen by the caller (see
:func:`ceasefire.pipeline.wires.report_origin`: the wire agency, else the syndication group, else
the outlet), so ten outlets reprinting one Reuters story share the origin "Reuters". A statement in
a party's voice has the party as its origin, ``actor:<id>``, whatever outlet carried it: a claim
("the LNA said it took Sirte", ``claimed_by`` the LNA) and anything the party's own outlet publishes
(``Report.party``) are that party's claim. So ten outlets quoting one spokesman count once, and a
party's own channel never adds corroboration beyond the party's claim itself.

``independent_sources`` is the number of distinct origins among the incident's asserted and claimed
statements. Denials are no source of the happening; an incident known only from a denial has none.

**Disputes.** An incident is ``disputed`` when

- a party denies it (any denial among its statements), or
- its asserted or claimed statements conflict on the perpetrator: two actor1s that are known actors
  on two known, different sides (not checked for symmetric types such as battles, which name no
  perpetrator), or
- they conflict on the outcome: one says nobody was killed (0) and another reports deaths, or
- they conflict on the fatalities beyond a tolerance: highest > 2 × lowest + 5 (ACLED figures vary
  between sources; "3" against "5", or "10" against "20", is ordinary disagreement, not a dispute).

Otherwise it is ``corroborated`` with two or more independent sources, else ``reported``. The
pipeline never sets ``verified`` or ``rejected``: those are human decisions.

**Claims.** Every statement becomes a :class:`~ceasefire.domain.incidents.Claim` so a reader can see
the versions side by side: ``asserts`` for a reporter's or neutral account, ``claims`` (with ``by``)
for a party's claim or a party outlet's statement, ``denies`` (with ``by``) for a denial; sorted by
stance (asserts, claims, denies), then by who, outlet and event id.
"""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.domain.events import ActorRef, Modality
from ceasefire.domain.incidents import Claim, IncidentStatus, Report, Stance
from ceasefire.pipeline.fusion.blocking import actor_key, voice_of
from ceasefire.pipeline.fusion.match import SYMMETRIC_TYPES, opposed

_STANCE_ORDER = {Stance.ASSERTS: 0, Stance.CLAIMS: 1, Stance.DENIES: 2}


def statement_origin(report: Report) -> str | None:
    """The independent origin a statement counts under, or None for a denial."""
    if report.event.modality is Modality.DENIED:
        return None
    voice = voice_of(report)
    return f"actor:{voice}" if voice is not None else report.origin


def independent_origins(reports: Sequence[Report]) -> tuple[str, ...]:
    """The distinct origins of the asserted and claimed statements, sorted."""
    origins = {statement_origin(report) for report in reports}
    return tuple(sorted(origin for origin in origins if origin is not None))


def fatalities_conflict(low: int | None, high: int | None) -> bool:
    """Figures that disagree beyond ordinary variation (see the module docstring)."""
    if low is None or high is None:
        return False
    return (low == 0 and high > 0) or high > 2 * low + 5


def status_of(reports: Sequence[Report], sources: int) -> IncidentStatus:
    """``disputed``, ``corroborated`` or ``reported`` by the rules of the module docstring."""
    if any(report.event.modality is Modality.DENIED for report in reports):
        return IncidentStatus.DISPUTED
    statements = [report.event for report in reports]
    figures = [event.fatalities for event in statements if event.fatalities is not None]
    if figures and fatalities_conflict(min(figures), max(figures)):
        return IncidentStatus.DISPUTED
    if statements and statements[0].event_type not in SYMMETRIC_TYPES:
        perpetrators = {
            actor_key(event.actor1): event.actor1
            for event in statements
            if event.actor1 is not None
        }
        known = [perpetrators[key] for key in sorted(perpetrators)]
        if any(opposed(a, b) for i, a in enumerate(known) for b in known[i + 1 :]):
            return IncidentStatus.DISPUTED
    return IncidentStatus.CORROBORATED if sources >= 2 else IncidentStatus.REPORTED


def claim_of(report: Report) -> Claim:
    """One statement as a claim: its stance, who makes it, and what it says."""
    event = report.event
    by: ActorRef | None = None
    if event.modality is Modality.DENIED:
        stance = Stance.DENIES
        by = event.claimed_by
    elif event.modality is Modality.CLAIMED or report.party is not None:
        stance = Stance.CLAIMS
        by = event.claimed_by if event.modality is Modality.CLAIMED else None
    else:
        stance = Stance.ASSERTS
    if by is None and report.party is not None:
        by = ActorRef(id=report.party, name=report.party)
    return Claim(
        event_id=report.event_id,
        stance=stance,
        by=by,
        outlet=report.outlet,
        actor1=event.actor1,
        fatalities=event.fatalities,
        text=event.evidence.text,
    )


def claims_of(reports: Sequence[Report]) -> tuple[Claim, ...]:
    """Every statement as a claim, sorted by stance, who, outlet and event id."""
    claims = [claim_of(report) for report in reports]
    claims.sort(key=lambda c: (_STANCE_ORDER[c.stance], actor_key(c.by), c.outlet, c.event_id))
    return tuple(claims)
