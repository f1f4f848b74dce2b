"""Invariants of the review stage on generated reports and decisions (hypothesis): every event
stays in exactly one incident, the result does not depend on the order of reports, incidents or
decisions, replaying over the machine's incidents is deterministic, the last link decision about
an event holds, and every human status lands on an incident that holds one of its events."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.domain.incidents import IncidentStatus, Report
from ceasefire.domain.reviews import Anchor, Decision, MergeLink, SplitLink, StatusDecision
from ceasefire.pipeline.fusion import fuse
from ceasefire.pipeline.review import apply_decisions
from tests.property.test_fusion_properties import reports

PROPERTIES = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
AT = datetime(2020, 3, 1, tzinfo=UTC)


@st.composite
def world(draw: st.DrawFn) -> tuple[list[Report], list[Decision]]:
    drawn = draw(reports())
    fused = sorted(e for i in fuse(drawn) for e in i.event_ids)
    decisions: list[Decision] = []
    if fused:
        for seq in draw(st.lists(st.integers(1, 1000), max_size=6, unique=True)):
            ids = draw(st.lists(st.sampled_from(fused), min_size=1, max_size=4, unique=True))
            anchors = tuple(Anchor(i) for i in ids)
            kind = draw(st.sampled_from(["merge", "split", "status"]))
            if kind == "merge":
                decisions.append(MergeLink(seq, anchors, "ana", AT, None))
            elif kind == "split":
                decisions.append(SplitLink(seq, anchors, "ana", AT, None))
            else:
                value = draw(st.sampled_from([IncidentStatus.VERIFIED, IncidentStatus.REJECTED]))
                decisions.append(StatusDecision(seq, anchors, "ana", AT, None, value))
    return drawn, decisions


@PROPERTIES
@given(world(), st.randoms(use_true_random=False))
def test_review_invariants(case: tuple[list[Report], list[Decision]], rnd: object) -> None:
    drawn, decisions = case
    machine = fuse(drawn)
    result = apply_decisions(machine, drawn, decisions)
    members = [e for i in result for e in i.event_ids]
    assert sorted(members) == sorted(e for i in machine for e in i.event_ids)
    assert len({i.id for i in result}) == len(result)
    shuffle = rnd.sample  # type: ignore[attr-defined]
    again = apply_decisions(
        shuffle(fuse(shuffle(drawn, len(drawn))), len(machine)),
        shuffle(drawn, len(drawn)),
        shuffle(decisions, len(decisions)),
    )
    assert again == result
    # decisions replay over the machine's incidents (every fusion run starts from them); the
    # same machine incidents and decisions always give the same result
    assert apply_decisions(fuse(drawn), drawn, decisions) == result
    where = {e: i for i in result for e in i.event_ids}
    links = sorted(
        (d for d in decisions if isinstance(d, MergeLink | SplitLink)), key=lambda d: d.seq
    )
    if links and isinstance(links[-1], SplitLink):  # the last split's events are alone together
        out = {a.event_id for a in links[-1].anchors}
        assert {where[e].event_ids for e in out} == {tuple(sorted(out))}
    if links and isinstance(links[-1], MergeLink):  # the last merge's events are together
        assert len({where[a.event_id].id for a in links[-1].anchors}) == 1
    for decision in decisions:
        if isinstance(decision, StatusDecision):
            assert any(where[a.event_id].status in _HUMAN for a in decision.anchors)


_HUMAN = (IncidentStatus.VERIFIED, IncidentStatus.REJECTED)
