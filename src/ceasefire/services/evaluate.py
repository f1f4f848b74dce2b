"""``ceasefire eval``: score extraction against gold files (format: tests/eval/README.md).

Matching rule: within one gold item, a predicted event and a gold event can match when their
evidence spans overlap. Pairs are made one to one, greedily, preferring the same event type, then
the larger overlap. Detection precision = matched / predicted, recall = matched / gold. Field
accuracies are computed over matched pairs: event type, sub type, actor 1, actor 2 (profile ids;
both empty counts as right), location within 25 km (both empty counts as right), date exact (only
gold events with day precision), fatalities exact, modality.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ceasefire.domain import SourceDocument
from ceasefire.domain.events import Event
from ceasefire.errors import CeasefireError
from ceasefire.pipeline.articles import document_articles
from ceasefire.pipeline.extract.extractor import ArticleText, Extractor
from ceasefire.pipeline.fusion.match import distance_km

FLOORS = {
    "recall": 0.85,
    "precision": 0.80,
    "event_type": 0.85,
    "actor1": 0.80,
    "actor2": 0.80,
    "location_25km": 0.85,
    "date_exact": 0.90,
    "fatalities_exact": 0.90,
    "modality": 0.80,
}
FIELDS = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location_25km",
    "date_exact",
    "fatalities_exact",
    "modality",
)


class GoldError(CeasefireError):
    code = "gold"


@dataclass(frozen=True, slots=True)
class GoldItem:
    id: str
    article: ArticleText
    events: tuple[dict[str, Any], ...]
    spans: tuple[tuple[int, int], ...]  # evidence offsets of each gold event


def _evidence_span(text: str, evidence: Any, where: str) -> tuple[int, int]:
    if isinstance(evidence, dict):
        start, end = int(evidence["start"]), int(evidence["end"])
        if not 0 <= start < end <= len(text):
            raise GoldError(f"{where}: evidence offsets {start}-{end} are outside the text")
        return start, end
    if isinstance(evidence, str):
        found = text.find(evidence)
        if found < 0:
            raise GoldError(f"{where}: evidence {evidence[:40]!r} is not in the text")
        return found, found + len(evidence)
    raise GoldError(f"{where}: evidence must be a substring or {{start, end}}")


def _seed_text(seeds: Path, name: str, index: int, where: str) -> str:
    path = seeds / name
    if not path.is_file():
        raise GoldError(f"{where}: seed page {path} not found (set --seeds)")
    raw = path.read_bytes()
    doc = SourceDocument(SourceDocument.digest(raw), name, "text/plain", datetime.now(UTC), raw)
    return document_articles(doc)[index].text


def load_gold(path: Path, seeds: Path | None = None) -> list[GoldItem]:
    items: list[GoldItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        record = json.loads(line)
        if "seed" in record:
            if seeds is None:
                raise GoldError(f"{where}: a seed item needs the seed pages folder")
            text = _seed_text(seeds, record["seed"], int(record["article"]), where)
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if record.get("text_sha256") and digest != record["text_sha256"]:
                raise GoldError(
                    f"{where}: the cleaned text of {record['seed']} changed since it was "
                    "annotated; re-check the gold offsets"
                )
        else:
            text = record["text"]
        published = date.fromisoformat(record["published"]) if record.get("published") else None
        events = tuple(record.get("events", ()))
        spans = tuple(_evidence_span(text, e.get("evidence"), where) for e in events)
        article = ArticleText(str(record["id"]), text, published, record.get("title"))
        items.append(GoldItem(str(record["id"]), article, events, spans))
    return items


def _field_scores(gold: dict[str, Any], event: Event) -> dict[str, bool | None]:
    def actor(key: str) -> bool:
        predicted = getattr(event, key)
        return gold.get(key) == (predicted.id if predicted else None)

    location = gold.get("location")
    if location is None:
        place_ok = event.location is None
    else:
        place_ok = (
            event.location is not None
            and distance_km(
                location["lat"], location["lon"], event.location.lat, event.location.lon
            )
            <= 25
        )
    date_ok: bool | None = None
    if gold.get("time_precision") == 1 and gold.get("date"):
        date_ok = event.date is not None and event.date.start.isoformat() == gold["date"]
    return {
        "event_type": event.event_type == gold["event_type"],
        "sub_event_type": event.sub_event_type == gold["sub_event_type"],
        "actor1": actor("actor1"),
        "actor2": actor("actor2"),
        "location_25km": place_ok,
        "date_exact": date_ok,
        "fatalities_exact": event.fatalities == gold.get("fatalities"),
        "modality": event.modality.value == gold["modality"],
    }


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    counted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[dict[str, Any]] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {"precision": precision, "recall": recall, "f1": f1}
        for name in FIELDS:
            result[name] = self.right[name] / self.counted[name] if self.counted[name] else 1.0
        return {k: round(v, 4) for k, v in result.items()}

    def failures(self) -> list[str]:
        metrics = self.metrics()
        return [f"{k} {metrics[k]:.3f} < {v}" for k, v in FLOORS.items() if metrics[k] < v]


def _match(item: GoldItem, events: Sequence[Event]) -> list[tuple[int, int]]:
    pairs: list[tuple[bool, int, int, int]] = []
    for g, (start, end) in enumerate(item.spans):
        for p, event in enumerate(events):
            overlap = min(end, event.evidence.end) - max(start, event.evidence.start)
            if overlap > 0:
                same = event.event_type == item.events[g]["event_type"]
                pairs.append((same, overlap, g, p))
    pairs.sort(key=lambda pair: (not pair[0], -pair[1], pair[2], pair[3]))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _same, _overlap, g, p in pairs:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            matched.append((g, p))
    return matched


def evaluate(extractor: Extractor, items: Iterable[GoldItem]) -> Score:
    score = Score()
    listed = list(items)
    for item, events in zip(
        listed, (e for _a, e in extractor.extract_many(i.article for i in listed)), strict=True
    ):
        score.gold += len(item.events)
        score.predicted += len(events)
        pairs = _match(item, events)
        score.matched += len(pairs)
        for g, p in pairs:
            for name, ok in _field_scores(item.events[g], events[p]).items():
                if ok is None:
                    continue
                score.counted[name] += 1
                score.right[name] += int(ok)
                if not ok:
                    score.misses.append({"item": item.id, "field": name, "gold": item.events[g]})
        matched_gold = {g for g, _p in pairs}
        matched_pred = {p for _g, p in pairs}
        for g, gold in enumerate(item.events):
            if g not in matched_gold:
                score.misses.append({"item": item.id, "field": "missed", "gold": gold})
        for p, event in enumerate(events):
            if p not in matched_pred:
                score.misses.append(
                    {
                        "item": item.id,
                        "field": "spurious",
                        "predicted": f"{event.event_type}/{event.sub_event_type}: "
                        f"{event.trigger.text!r} in {event.evidence.text[:80]!r}",
                    }
                )
    return score
