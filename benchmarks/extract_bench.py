"""Extraction speed: ceasefire's two-stage pipeline against the full spaCy pipeline everywhere.

Usage: .venv/bin/python benchmarks/extract_bench.py [--repeat N] [--rounds R]

Both runs use the same articles (the example corpus and, when present, the seed pages, repeated N
times) in one process. The baseline runs ``nlp.pipe`` with every component of the model on every
sentence; ceasefire tokenises everything cheaply, tags the sentences that hold a trigger word, and
parses only those where a trigger can be found, then extracts. The two are timed alternately R
times and the best time of each is kept (the machine is shared: the best time is the least
disturbed). Prints the share of sentences each stage keeps, documents per second for both, their
ratio (wall time; and each round's ratio of CPU times), and peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from ceasefire.adapters.nlp import NlpEngine, build_engine
from ceasefire.adapters.profiles import load_cues, load_profile, load_taxonomy
from ceasefire.pipeline.extract.candidates import split_sentences, worth_parsing
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


def shares(engine: NlpEngine, extractor: Extractor, articles: list[ArticleText]) -> str:
    """How many sentences each stage keeps: candidates (stage one) and parsed (stage two)."""
    sentences = [
        s for a in articles for s in split_sentences(engine.tokenizer, a.text, extractor.lexicon)
    ]
    candidates = [s.text for s in sentences if s.candidate]
    lexicon = extractor.lexicon
    docs = engine.parse(candidates, worth_parsing=lambda d: worth_parsing(d, lexicon))
    parsed = sum(doc.has_annotation("DEP") for doc in docs)
    total = len(sentences)
    return (
        f"sentences: {total}, candidates {len(candidates)} ({len(candidates) / total:.0%}), "
        f"parsed {parsed} ({parsed / total:.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
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

    baselines: list[float] = []
    ours: list[float] = []
    cpu: list[tuple[float, float]] = []  # CPU time of each, less disturbed by other processes
    events = 0
    for _round in range(args.rounds):  # alternate, so that both see the same load
        start, cpu_start = time.perf_counter(), time.process_time()
        for _doc in engine.full.pipe(sentences, batch_size=64):
            pass
        baselines.append(time.perf_counter() - start)
        baseline_cpu = time.process_time() - cpu_start

        start, cpu_start = time.perf_counter(), time.process_time()
        events = sum(len(found) for _a, found in extractor.extract_many(articles))
        ours.append(time.perf_counter() - start)
        cpu.append((baseline_cpu, time.process_time() - cpu_start))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    baseline, our = min(baselines), min(ours)
    print(f"articles: {len(articles)}, sentences (baseline): {len(sentences)}, events: {events}")
    print(shares(engine, extractor, articles))
    print(f"full spaCy pipeline on every sentence: {len(articles) / baseline:8.1f} docs/s")
    print(f"ceasefire extraction (two stages):    {len(articles) / our:8.1f} docs/s")
    rounds = ", ".join(f"{b / o:.2f}" for b, o in zip(baselines, ours, strict=True))
    print(f"ratio (best of {args.rounds} rounds each): {baseline / our:.2f} (rounds: {rounds})")
    cpu_rounds = ", ".join(f"{b / o:.2f}" for b, o in cpu)
    print(f"CPU-time ratios of the rounds: {cpu_rounds}")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
