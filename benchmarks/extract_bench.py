"""Extraction speed: ceasefire's two-stage pipeline against the full spaCy pipeline everywhere.

Usage: .venv/bin/python benchmarks/extract_bench.py [--repeat N] [--rounds R]

All runs use the same articles (the example corpus and, when present, the seed pages, repeated N
times) in one process. The baseline is plain ``nlp.pipe``: the stock model (with the profile's
entity ruler, as ceasefire has it) with every component on every sentence. ceasefire tokenises
everything cheaply, tags the sentences that hold a trigger word, and parses only those where a
trigger can be found, then extracts; its model runs its matrix products through NumPy's BLAS on
one thread instead of blis (``numpy_kernels``). A second baseline runs the full pipeline with
those same kernels, to tell what the two stages give from what the kernels give. The runs are
timed in turn R times and the best time of each is kept (the machine is shared: the best time is
the least disturbed). Prints the share of sentences each stage keeps, documents per second, the
ratios (wall time; and each round's ratio of CPU times), and peak resident memory.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

from ceasefire.adapters.nlp import NlpEngine, add_entity_ruler, load_model
from ceasefire.pipeline.extract.candidates import split_sentences, worth_parsing
from ceasefire.pipeline.extract.extractor import ArticleText, Extractor
from ceasefire.services.extraction import build_extractor

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
    extractor = build_extractor("libya", resident=True)  # as the commands build it
    engine = extractor.engine
    sentences = [
        sentence.text
        for article in articles
        for sentence in engine.tokenizer(article.text).sents
        if sentence.text.strip()
    ]
    list(extractor.extract_many(articles))  # warm up, and measure our memory alone
    our_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stock = load_model()  # spaCy as it ships: blis kernels
    add_entity_ruler(stock, extractor.profile)
    gc.collect()  # kept out of the collector's full passes, as build_extractor does with ours
    gc.freeze()

    def plain() -> None:
        for _doc in stock.pipe(sentences, batch_size=64):
            pass

    def same_kernels() -> None:
        with engine.one_thread():
            for _doc in engine.full.pipe(sentences, batch_size=64):
                pass

    events = 0

    def ours() -> None:
        nonlocal events
        events = sum(len(found) for _a, found in extractor.extract_many(articles))

    # warm up every path once
    list(stock.pipe(sentences[:20]))
    list(engine.full.pipe(sentences[:20]))
    runs = {"plain": plain, "same kernels": same_kernels, "ours": ours}
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}  # less disturbed by other processes
    for _round in range(args.rounds):  # in turn, so that all see the same load
        for name, run in runs.items():
            start, cpu_start = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - cpu_start)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = {name: min(times) for name, times in wall.items()}
    print(f"articles: {len(articles)}, sentences (baseline): {len(sentences)}, events: {events}")
    print(shares(engine, extractor, articles))
    for name, label in (
        ("plain", "full spaCy pipeline on every sentence:"),
        ("same kernels", "  the same with ceasefire's kernels:"),
        ("ours", "ceasefire extraction (two stages):"),
    ):
        print(f"{label:40} {len(articles) / best[name]:8.1f} docs/s")
    for baseline, label in (("plain", "ratio"), ("same kernels", "ratio with the same kernels")):
        rounds = ", ".join(
            f"{b / o:.2f}" for b, o in zip(wall[baseline], wall["ours"], strict=True)
        )
        cpu_rounds = ", ".join(
            f"{b / o:.2f}" for b, o in zip(cpu[baseline], cpu["ours"], strict=True)
        )
        print(
            f"{label} (best of {args.rounds} rounds each): {best[baseline] / best['ours']:.2f} "
            f"(rounds: {rounds}; CPU time: {cpu_rounds})"
        )
    print(f"peak RSS: ceasefire's extraction {our_peak:.0f} MB, with the stock model {peak:.0f} MB")


if __name__ == "__main__":
    main()
