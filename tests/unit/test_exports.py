"""The export formats as pure functions over hand-built incidents, and the cursor codec."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.events import ActorRef, EventDate, Location
from ceasefire.domain.incidents import Claim, Incident, IncidentStatus, Stance
from ceasefire.exports.acled import COLUMNS, acled_csv, acled_date, interaction_code
from ceasefire.exports.geojson import geojson
from ceasefire.exports.jsonl import jsonl
from ceasefire.exports.plover import plover
from ceasefire.exports.records import ExportRecord, FormatContext
from ceasefire.exports.stream import ExportError, decode_cursor, encode_cursor, parse_since

TAXONOMY = load_taxonomy()
PROFILE = load_profile("libya", TAXONOMY)
CONTEXT = FormatContext(PROFILE, TAXONOMY)
UPDATED = datetime(2020, 2, 19, 12, tzinfo=UTC)


def incident(**changes: object) -> Incident:
    base: dict[str, object] = {
        "id": "ab" * 32,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "family": "violence",
        "actor1": ActorRef("lna", "LNA", side="east"),
        "actor2": ActorRef(None, "civilians"),
        "location": Location("Tripoli", 32.8872, 13.1913, 1, "Tripoli", "LY", "tripoli"),
        "date": EventDate(date(2020, 2, 18), date(2020, 2, 18), 1),
        "fatalities": 2,
        "fatalities_high": 5,
        "event_ids": ("e1", "e2"),
        "independent_sources": 2,
        "origins": ("AFP", "Reuters"),
        "status": IncidentStatus.CORROBORATED,
        "claims": (
            Claim("e1", Stance.ASSERTS, None, "Reuters", None, 2, "Shells hit the port, 2 dead."),
            Claim("e2", Stance.DENIES, ActorRef("lna", "LNA"), "Libya Review", None, None, "No."),
        ),
        "first_reported": date(2020, 2, 18),
    }
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


VIOLATION = Assessment(
    "ab" * 32, "truce", "t1", "lna", "lna", "east", Determination.CORROBORATED, "why", "assess-1"
)


def test_acled_row_codes_actors_dates_and_our_columns() -> None:
    text = "".join(acled_csv([ExportRecord(incident(), UPDATED, (VIOLATION,))], CONTEXT))
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert list(row) == list(COLUMNS)
    assert row["event_id_cnty"] == "LBY" + ("AB" * 8)
    assert row["event_date"] == "18 February 2020" and row["year"] == "2020"
    assert row["actor1"] == (PROFILE.actors["lna"].acled_name or PROFILE.actors["lna"].name)
    assert row["inter2"] == "7" and row["civilian_targeting"] == "Civilian targeting"
    assert row["interaction"] == str(interaction_code(int(row["inter1"]), 7))
    assert row["latitude"] == "32.8872" and row["longitude"] == "13.1913"
    assert row["source"] == "Reuters; Libya Review"
    assert row["fatalities"] == "2" and row["fatalities_high"] == "5"
    assert row["modality"] == "asserted; denied"
    assert row["violations"] == "truce/t1 (lna: corroborated)"
    assert row["timestamp"] == str(int(UPDATED.timestamp()))
    assert "Shells hit the port" in row["notes"] and "2-5" in row["notes"]


def test_process_incidents_are_not_acled_events_unless_asked() -> None:
    talks = incident(family="process", event_type="talks", sub_event_type="negotiation round")
    records = [ExportRecord(talks, UPDATED)]
    assert len("".join(acled_csv(records, CONTEXT)).splitlines()) == 1  # the header only
    everything = FormatContext(PROFILE, TAXONOMY, include_process=True)
    assert len("".join(acled_csv(records, everything)).splitlines()) == 2


def test_interaction_codes_and_dates() -> None:
    assert interaction_code(3, 1) == 13
    assert interaction_code(2, None) == 20
    assert interaction_code(None, 4) is None
    assert acled_date(date(2020, 6, 5)) == "05 June 2020"


def test_geojson_points_are_lon_lat_and_unplaced_incidents_have_no_geometry() -> None:
    records = [
        ExportRecord(incident(), UPDATED, (VIOLATION,)),
        ExportRecord(incident(id="cd" * 32, location=None, date=None), UPDATED),
    ]
    data = json.loads("".join(geojson(records, CONTEXT)))
    first, second = data["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [13.1913, 32.8872]}
    assert first["properties"]["violations"][0]["determination"] == "corroborated"
    assert second["geometry"] is None and second["properties"]["date"] is None
    assert json.loads("".join(geojson([], CONTEXT))) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_jsonl_and_plover_lines() -> None:
    records = [ExportRecord(incident(), UPDATED, (VIOLATION,))]
    [line] = "".join(jsonl(records, CONTEXT)).splitlines()
    data = json.loads(line)
    assert data["claims"][1]["stance"] == "denies" and data["assessments"][0]["term"] == "t1"
    [event] = [json.loads(x) for x in "".join(plover(records, CONTEXT)).splitlines()]
    assert event["event"] == "ASSAULT" and event["mode"] == "artillery"
    assert event["actor"]["id"] == "lna" and event["recipient"]["name"] == "civilians"
    assert event["date"] == "2020-02-18" and event["location"]["lat"] == 32.8872


def test_cursors_round_trip_and_reject_junk() -> None:
    assert decode_cursor(encode_cursor("ab" * 32)) == "ab" * 32
    for junk in ("", "abc", encode_cursor("x")[:-3] + "!!", "eyJ2IjoyfQ"):
        with pytest.raises(ExportError):
            decode_cursor(junk)


def test_since_takes_unix_seconds_and_iso_times() -> None:
    moment = datetime(2020, 2, 18, 10, tzinfo=UTC)
    assert parse_since(str(int(moment.timestamp()))) == moment
    assert parse_since("2020-02-18T10:00:00Z") == moment
    assert parse_since("2020-02-18T12:00:00+02:00") == moment
    assert parse_since("2020-02-18") == datetime(2020, 2, 18, tzinfo=UTC)
    with pytest.raises(ExportError):
        parse_since("last tuesday")
