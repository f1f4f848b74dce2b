"""Extraction quality on the gold of tests/eval/gold (format and rules: tests/eval/README.md).

SPEC §9 sets the floors ceasefire must reach. Until every floor is met, this test holds the line
at the quality measured so far (REGRESSION), so no change can make extraction worse unnoticed;
raise these numbers whenever extraction improves, and replace them by FLOORS when they pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.services.evaluate import FLOORS, evaluate, load_gold
from tests.conftest import seeds_path

GOLD = Path(__file__).parent / "gold"
REGRESSION = {
    "precision": 0.76,
    "recall": 0.90,
    "event_type": 0.85,
    "actor1": 0.64,
    "actor2": 0.62,
    "location_25km": 0.79,
    "date_exact": 0.92,
    "fatalities_exact": 0.95,
    "modality": 0.82,
}


def test_regression_floors_are_below_spec_floors() -> None:
    assert set(REGRESSION) == set(FLOORS)


def test_extraction_quality_does_not_drop(extractor) -> None:  # type: ignore[no-untyped-def]
    seeds = seeds_path()
    items = load_gold(GOLD / "sentences.jsonl")
    if seeds.is_dir():
        items += load_gold(GOLD / "seeds.jsonl", seeds)
    score = evaluate(extractor, items)
    metrics = score.metrics()
    low = {k: (metrics[k], v) for k, v in REGRESSION.items() if metrics[k] < v}
    assert not low, f"extraction got worse: {low}"


def test_gold_files_are_consistent() -> None:
    items = load_gold(GOLD / "sentences.jsonl")
    assert len(items) >= 80
    types = {e["event_type"] for item in items for e in item.events}
    assert len(types) >= 18


@pytest.mark.skipif(not seeds_path().is_dir(), reason="the seed pages are not available")
def test_seed_gold_matches_the_cleaned_seed_articles() -> None:
    items = load_gold(GOLD / "seeds.jsonl", seeds_path())
    assert len(items) == 7
