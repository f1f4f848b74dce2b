"""Ingestion throughput and memory on synthetic pages built from the example corpus.

Usage: .venv/bin/python benchmarks/ingest.py [--pages N]

Each synthetic page is an example report with a unique sentence added, so every page is a new
document. Reports pages per second for cleaning alone and for full ingestion into a fresh SQLite
file, the ratio between them, and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import load_settings
from ceasefire.pipeline.clean import split_page
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store, create_engine_for, migrate

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def make_pages(folder: Path, count: int) -> list[Path]:
    bases = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))]
    bases += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))]
    paths = []
    for number in range(count):
        text = bases[number % len(bases)]
        extra = f"Monitors logged incident number {number} in sector {number % 97} on the day.\n"
        path = folder / f"page-{number:06d}.txt"
        path.write_text(text + "\n" + extra, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pages").mkdir()
        pages = make_pages(root / "pages", args.pages)
        texts = [p.read_text(encoding="utf-8") for p in pages]

        start = time.perf_counter()
        stories = sum(len(split_page(text)) for text in texts)
        clean_rate = len(texts) / (time.perf_counter() - start)

        settings = load_settings(database_url=f"sqlite:///{root / 'bench.db'}")
        engine = create_engine_for(settings.database_url)
        migrate(engine)
        store = Store(engine)
        with HttpFetcher(settings) as fetcher:
            items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
            start = time.perf_counter()
            summary = Ingestor(store, items, IngestOptions()).run([str(root / "pages")])
            ingest_rate = len(texts) / (time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {len(texts)}, stories: {stories}, articles stored: {summary.articles_new}")
    print(f"syndicated copies: {summary.articles_syndicated}, dropped: {len(summary.dropped)}")
    print(f"cleaning only:    {clean_rate:8.1f} pages/s")
    print(f"full ingestion:   {ingest_rate:8.1f} pages/s (SQLite, MinHash, one process)")
    print(f"ratio clean/ingest: {clean_rate / ingest_rate:.1f}")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
