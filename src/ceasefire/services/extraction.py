"""Extraction use cases: the stateless JSONL contract of ``ceasefire extract`` (SPEC §7) and the
serialisation of events shared by the CLI, the API and the evaluation."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from ceasefire.adapters.nlp import build_engine
from ceasefire.adapters.profiles import load_cues, load_profile, load_taxonomy
from ceasefire.domain.events import ActorRef, Event
from ceasefire.errors import CeasefireError
from ceasefire.pipeline.extract.extractor import ArticleText, Extractor

CONTRACT_VERSION = 1


class InputError(CeasefireError):
    """A line of extraction input is not a valid article record."""

    code = "input"


def build_extractor(profile: str = "libya", *, resident: bool = False) -> Extractor:
    """Load the profile, the taxonomy, the cues and the language model once.

    ``resident``: the extractor is kept until the process ends (a command's one extractor), so
    all that is loaded so far is frozen out of the cyclic garbage collector (``gc.freeze``): its
    full passes would otherwise walk those objects again and again (about 170,000 of them,
    0.1 s a pass, about one pass per 50 articles extracted). Never for an extractor that is
    dropped before the process ends: what is frozen and cyclic is never freed (90 MB a model)."""
    taxonomy = load_taxonomy()
    loaded = load_profile(profile, taxonomy)
    extractor = Extractor(build_engine(loaded), loaded, taxonomy, load_cues())
    if resident:
        gc.collect()  # what is garbage already is not kept
        gc.freeze()
    return extractor


def actor_json(actor: ActorRef | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"name": actor.name, "id": actor.id, "acled_name": actor.acled_name}


def event_json(event: Event) -> dict[str, Any]:
    """An event in the stable extract contract (SPEC §7)."""
    location = event.location
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date": event.date.start.isoformat() if event.date else None,
        "date_end": event.date.end.isoformat() if event.date else None,
        "time_precision": event.date.time_precision if event.date else None,
        "actor1": actor_json(event.actor1),
        "actor2": actor_json(event.actor2),
        "location": None
        if location is None
        else {
            "name": location.name,
            "lat": location.lat,
            "lon": location.lon,
            "geo_precision": location.geo_precision,
            "admin1": location.admin1,
            "country": location.country,
        },
        "fatalities": event.fatalities,
        "modality": event.modality.value,
        "claimed_by": actor_json(event.claimed_by),
        "confidence": event.confidence,
        "evidence": {
            "start": event.evidence.start,
            "end": event.evidence.end,
            "text": event.evidence.text,
        },
    }


def parse_input_line(line: str, number: int) -> ArticleText:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number}: invalid JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise InputError(f"line {number}: expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"line {number}: 'text' must be a string")
    identifier = record.get("id", number)
    published_raw = record.get("published")
    published: date | None = None
    if published_raw:
        try:
            published = date.fromisoformat(str(published_raw)[:10])
        except ValueError as exc:
            raise InputError(
                f"line {number}: 'published' must be YYYY-MM-DD, not {published_raw!r}"
            ) from exc
    title = record.get("title") if isinstance(record.get("title"), str) else None
    return ArticleText(str(identifier), text, published, title)


@dataclass
class ExtractSummary:
    articles: int = 0
    events: int = 0
    errors: int = 0


def extract_jsonl(
    extractor: Extractor,
    lines: Iterable[str],
    out: IO[str],
    on_article: Callable[[], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> ExtractSummary:
    """Stream ``{"id", "text", "published"?}`` lines to ``{"id", "events"}`` lines."""
    summary = ExtractSummary()

    def articles() -> Iterator[ArticleText]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield parse_input_line(line, number)
            except InputError as exc:
                summary.errors += 1
                if on_error is not None:
                    on_error(str(exc))

    for article, events in extractor.extract_many(articles()):
        record = {"id": article.id, "events": [event_json(e) for e in events]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary.articles += 1
        summary.events += len(events)
        if on_article is not None:
            on_article()
    return summary
