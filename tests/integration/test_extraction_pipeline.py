"""Extraction wired to the database and to the stateless JSONL contract."""

from __future__ import annotations

import gc
import io
import json
from pathlib import Path

from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.config import Settings
from ceasefire.services.extraction import build_extractor, extract_jsonl
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.process import process
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store
from ceasefire.storage.events import EventRepository

CONTRACT_KEYS = {
    "event_type",
    "sub_event_type",
    "date",
    "date_end",
    "time_precision",
    "actor1",
    "actor2",
    "location",
    "fatalities",
    "modality",
    "claimed_by",
    "confidence",
    "evidence",
}


def test_process_stores_events_with_evidence_and_is_incremental(
    settings: Settings,
    store: Store,
    seeds_dir: Path,
    extractor,  # type: ignore[no-untyped-def]
) -> None:
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, 50)
        Ingestor(store, items, IngestOptions()).run([str(seeds_dir)])
    first = process(store, extractor, load_taxonomy())
    assert first.articles == 7 and first.events > 20
    repo = EventRepository(store)
    assert repo.count() == first.events
    for stored in store.iter_articles():
        for event in repo.for_article(stored.article.id):
            text = stored.article.text
            assert text[event.evidence.start : event.evidence.end] == event.evidence.text
            assert event.coder == extractor.coder
    again = process(store, extractor, load_taxonomy())
    assert (again.articles, again.events) == (0, 0)  # nothing pending: nothing recomputed
    assert repo.count() == first.events


def test_jsonl_contract(extractor) -> None:  # type: ignore[no-untyped-def]
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": "Rockets hit Tripoli port on Tuesday, killing three "
                "civilians, officials said.",
                "published": "2020-02-19",
            }
        ),
        "",
        "{not json",
        json.dumps({"id": "b", "text": "No event here at all, only a description of the weather."}),
    ]
    out = io.StringIO()
    errors: list[str] = []
    summary = extract_jsonl(extractor, lines, out, on_error=errors.append)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert summary.errors == 1 and "line 3" in errors[0]
    [event] = records[0]["events"]
    assert set(event) == CONTRACT_KEYS
    assert event["event_type"] == "Explosions/Remote violence"
    assert event["date"] == "2020-02-18" and event["time_precision"] == 1
    assert (
        event["location"]["name"].startswith("Tripoli") and event["location"]["geo_precision"] == 1
    )
    assert event["fatalities"] == 3
    assert event["evidence"]["text"].startswith("Rockets hit")
    assert records[1]["events"] == []


def test_only_a_resident_extractor_freezes_the_garbage_collector() -> None:
    """A frozen extractor is never freed: only the commands' one extractor is frozen."""
    frozen = gc.get_freeze_count()
    build_extractor("libya")
    assert gc.get_freeze_count() == frozen
