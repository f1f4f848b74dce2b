"""Extraction speed: ceasefire's two-stage pipeline against the full spaCy pipeline everywhere.

Usage: .venv/bin/python benchmarks/extract_bench.py [--repeat N]

Both runs use the same articles (the example corpus and, when present, the seed pages, repeated N
times) in one process. The baseline runs ``nlp.pipe`` with every component of the model on every
sentence; ceasefire tokenises everything cheaply and parses only sentences that can carry an event,
then extracts. Prints documents per second for both, their ratio, and peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from ceasefire.adapters.nlp import build_engine
from ceasefire.adapters.profiles import load_cues, load_profile, load_taxonomy
from ceasefire.pipeline.extract.extractor import ArticleText, Extractor

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[ArticleText]:
    sys.path.insert(0, str(ROOT))
    from datetime import UTC, datetime

    from ceasefire.domain import SourceDocument
    from ceasefire.errors import IngestError
    from ceasefire.pipeline.articles import document_articles

    paths = sorted((ROOT / "examples" / "corpus").rglob("*.txt"))
    paths += sorted((ROOT / "examples" / "corpus").rglob("*.md"))
    paths += sorted((ROOT / "examples" / "corpus").rglob("*.html"))
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        paths += sorted(seeds.glob("*.txt"))
    media = {".txt": "text/plain", ".md": "text/markdown", ".html": "text/html"}
    articles: list[ArticleText] = []
    for path in paths:
        raw = path.read_bytes()
        doc = SourceDocument(
            SourceDocument.digest(raw), str(path), media[path.suffix], datetime.now(UTC), raw
        )
        try:
            for article in document_articles(doc):
                published = article.published.value if article.published else None
                articles.append(ArticleText(article.id, article.text, published, article.title))
        except IngestError:
            continue
    return articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = corpus() * args.repeat
    profile = load_profile("libya")
    engine = build_engine(profile)
    extractor = Extractor(engine, profile, load_taxonomy(), load_cues())
    sentences = [
        sentence.text
        for article in articles
        for sentence in engine.tokenizer(article.text).sents
        if sentence.text.strip()
    ]
    # warm up both paths once
    list(engine.full.pipe(sentences[:20]))
    list(extractor.extract_many(articles[:2]))

    start = time.perf_counter()
    for _doc in engine.full.pipe(sentences, batch_size=64):
        pass
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    events = sum(len(found) for _a, found in extractor.extract_many(articles))
    ours = time.perf_counter() - start

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {len(articles)}, sentences: {len(sentences)}, events: {events}")
    print(f"full spaCy pipeline on every sentence: {len(articles) / baseline:8.1f} docs/s")
    print(f"ceasefire extraction (two stages):    {len(articles) / ours:8.1f} docs/s")
    print(f"ratio: {baseline / ours:.2f}")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
