"""Reviews: human decisions on incidents and possible violations, and their audit trail.

A :class:`Review` is one entry of the append-only audit log: who did what to which incident or
assessment, when, what it was before and after, and why. Entries are never changed or deleted.

A *decision* is what a review leaves behind for the pipeline to respect: a human status
(:class:`StatusDecision`), a corrected field (:class:`FieldEdit`), events forced together
(:class:`MergeLink`) or forced apart (:class:`SplitLink`), and a supervisor's determination of a
possible violation (:class:`ViolationDecision`). Decisions are append-only too: a later decision
on the same thing supersedes an earlier one (``seq`` orders them), and "reopening" is a decision
whose value is ``None`` ("back to what the machine computes").

**Anchoring.** Incident ids are derived from their members (the smallest event id), so they
change when fusion regroups events. Decisions are therefore anchored on *events*, never on
incident ids: ``anchors`` are the member events of the incident at decision time (for a split, the
events split out). Each anchor also records its *statement key* (article id and the character
span of its evidence sentence), so a decision survives a re-extraction that gives the same
statements new event ids. The rules that turn anchors back into incidents are in
:mod:`ceasefire.pipeline.review`; in short, a decision applies to the incident that now holds
most of its anchor events (ties to the one holding the smallest anchored event id), ignoring
events that a *later* split moved out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from ceasefire.domain.agreements import Determination
from ceasefire.domain.events import ActorRef, EventDate, Location
from ceasefire.domain.incidents import IncidentStatus
from ceasefire.domain.users import Role
from ceasefire.errors import CeasefireError


class ReviewInputError(CeasefireError):
    """A review action was given an invalid value (a missing reason, an unknown field, ...)."""

    code = "invalid_review"


class ReviewAction(StrEnum):
    ASSIGN = "assign"
    UNASSIGN = "unassign"
    CONFIRM = "confirm"  # status -> verified
    REJECT = "reject"  # status -> rejected
    REOPEN = "reopen"  # the human status is withdrawn; the computed one applies again
    EDIT = "edit"
    MERGE = "merge"
    SPLIT = "split"
    CONFIRM_VIOLATION = "confirm_violation"
    DISMISS_VIOLATION = "dismiss_violation"
    REOPEN_VIOLATION = "reopen_violation"  # the determination goes back to the engine's


class TargetType(StrEnum):
    INCIDENT = "incident"
    ASSESSMENT = "assessment"  # target id "<incident id>:<agreement id>:<term id>"


def assessment_target(incident_id: str, agreement_id: str, term_id: str) -> str:
    return f"{incident_id}:{agreement_id}:{term_id}"


@dataclass(frozen=True, slots=True)
class Review:
    """One audit entry. ``before`` and ``after`` are JSON-able dicts of what changed."""

    id: int
    at: datetime
    user_id: int
    username: str
    role: Role
    target_type: TargetType
    target_id: str
    action: ReviewAction
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    reason: str | None
    event_ids: tuple[str, ...] = ()  # the events the entry is about (its history index)


@dataclass(frozen=True, slots=True)
class Anchor:
    """An event a decision is anchored on, with its statement key for re-extractions."""

    event_id: str
    article_id: str | None = None
    start: int | None = None  # the evidence sentence's span in the article
    end: int | None = None

    @property
    def statement(self) -> tuple[str, int, int] | None:
        if self.article_id is None or self.start is None or self.end is None:
            return None
        return (self.article_id, self.start, self.end)

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event_id,
            "article": self.article_id,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Anchor:
        return cls(str(data["event"]), data.get("article"), data.get("start"), data.get("end"))


class EditableField(StrEnum):
    EVENT_TYPE = "event_type"
    SUB_EVENT_TYPE = "sub_event_type"
    ACTOR1 = "actor1"
    ACTOR2 = "actor2"
    LOCATION = "location"
    DATE = "date"
    FATALITIES = "fatalities"


FieldValue = str | int | ActorRef | Location | EventDate | None


@dataclass(frozen=True, slots=True)
class _Decision:
    seq: int  # the order of decisions: later ones supersede earlier ones
    anchors: tuple[Anchor, ...]
    by: str  # username
    at: datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class StatusDecision(_Decision):
    status: IncidentStatus | None  # verified or rejected; None: back to the computed status


@dataclass(frozen=True, slots=True)
class FieldEdit(_Decision):
    field: EditableField
    value: FieldValue
    family: str | None = None  # with an event_type edit: the family of the new type


@dataclass(frozen=True, slots=True)
class MergeLink(_Decision):
    """The anchored events (the members of two incidents) are one happening."""


@dataclass(frozen=True, slots=True)
class SplitLink(_Decision):
    """The anchored events are a happening of their own, apart from their incident."""


@dataclass(frozen=True, slots=True)
class ViolationDecision(_Decision):
    agreement_id: str
    term_id: str
    determination: Determination | None  # confirmed or not_a_violation; None: the engine's
    party: str  # the assessment as it was when decided, to keep it if the engine drops it
    actor: str | None = None
    side: str | None = None


Decision = StatusDecision | FieldEdit | MergeLink | SplitLink | ViolationDecision


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who holds an incident in the review queue, and since when."""

    id: int
    incident_id: str  # the incident's id when it was assigned
    anchors: tuple[Anchor, ...]
    user_id: int
    username: str
    since: datetime


# ----------------------------------------------------------------------------- field values
def _need(data: Any, kind: type, what: str) -> Any:
    if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
        raise ReviewInputError(f"{what} must be a {kind.__name__}, not {data!r}")
    return data


def field_to_json(field: EditableField, value: FieldValue) -> Any:
    """A field value as JSON (for the audit log and the decisions table)."""
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, ActorRef):
        return {"id": value.id, "name": value.name, "side": value.side}
    if isinstance(value, Location):
        return {
            "name": value.name,
            "lat": value.lat,
            "lon": value.lon,
            "geo_precision": value.geo_precision,
            "admin1": value.admin1,
            "country": value.country,
            "place_id": value.place_id,
        }
    return {
        "start": value.start.isoformat(),
        "end": value.end.isoformat(),
        "time_precision": value.time_precision,
    }


def field_from_json(field: EditableField, data: Any) -> FieldValue:
    """A field value from JSON (or an already typed value), checked; raises ReviewInputError."""
    what = field.value
    if field in (EditableField.EVENT_TYPE, EditableField.SUB_EVENT_TYPE):
        text = _need(data, str, what).strip()
        if not text:
            raise ReviewInputError(f"{what} cannot be empty")
        return str(text)
    if field is EditableField.FATALITIES:
        if data is None:
            return None
        number = int(_need(data, int, what))
        if number < 0:
            raise ReviewInputError("fatalities cannot be negative")
        return number
    if data is None:
        if field is EditableField.DATE:
            raise ReviewInputError("an incident's date cannot be removed by an edit")
        return None
    if isinstance(data, ActorRef | Location | EventDate):
        data = field_to_json(field, data)
    _need(data, dict, what)
    try:
        if field in (EditableField.ACTOR1, EditableField.ACTOR2):
            name = str(data["name"]).strip()
            if not name:
                raise ReviewInputError(f"{what} needs a name")
            return ActorRef(data.get("id"), name, None, data.get("side"))
        if field is EditableField.LOCATION:
            lat, lon = float(data["lat"]), float(data["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ReviewInputError(f"coordinates out of range: {lat}, {lon}")
            precision = int(data.get("geo_precision", 1))
            if precision not in (1, 2, 3):
                raise ReviewInputError("geo_precision must be 1, 2 or 3")
            return Location(
                str(data["name"]),
                lat,
                lon,
                precision,
                data.get("admin1"),
                str(data["country"]),
                data.get("place_id"),
            )
        start = date.fromisoformat(str(data["start"]))
        end = date.fromisoformat(str(data.get("end") or data["start"]))
        precision = int(data.get("time_precision", 1))
        if end < start or precision not in (1, 2, 3):
            raise ReviewInputError("a date needs start <= end and time_precision 1, 2 or 3")
        return EventDate(start, end, precision)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReviewInputError(f"invalid {what}: {data!r} ({exc})") from exc
