"""End-to-end throughput and peak memory of a batch: pages ingested, then processed (extracted,
fused, assessed), each step run as the user runs it (``ceasefire ingest``, ``ceasefire process``)
in a fresh SQLite database.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/pipeline_bench.py [--articles N]
       [--engine local|dask] [--workers W] [--seed S] [--keep DIR]

The pages are synthetic news stories: each has a title, a "Published" line with a date between
2014 and 2023, and 4 to 12 paragraphs drawn at random from the written gold passages of
``tests/eval/gold/sentences.jsonl`` and the paragraphs of the example corpus, so the stories are
distinct (not near-copies) and every paragraph is the kind of text the extractor is built for.
For each step the script prints the wall time, pages per second, and the peak resident memory:
the highest sampled sum of the RSS of the step's whole process tree (Dask workers included,
sampled every 0.2 s with psutil) and the largest single process's ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "eval" / "gold" / "sentences.jsonl"
CORPUS = ROOT / "examples" / "corpus"


def paragraphs() -> list[str]:
    pool = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
    for path in sorted((CORPUS / "pages").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n\n")
        # prose paragraphs only: one line, a sentence's end (no menus, captions or footers)
        pool += [
            p.strip()
            for p in lines
            if len(p.split()) > 12 and "\n" not in p.strip() and p.strip().endswith((".", '"'))
        ]
    return pool


def make_pages(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    pool = paragraphs()
    start = date(2014, 1, 1)
    for number in range(count):
        published = start + timedelta(days=rng.randrange(3650))
        body = rng.sample(pool, rng.randint(4, 12))
        title = " ".join(body[0].split()[:9]).rstrip(",.;:")
        text = f"{title}\n\nPublished {published:%d %B %Y}\n\n" + "\n\n".join(body) + "\n"
        (folder / f"story-{number:06d}.txt").write_text(text, encoding="utf-8")


def run(step: str, args: list[str], cwd: Path) -> dict[str, float]:
    """Run one CLI step; its wall time and the peak memory of its process tree."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    peak = [0]
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "ceasefire", *args], cwd=cwd, env=env, stdout=subprocess.PIPE
    )
    done = threading.Event()

    def sample() -> None:
        parent = psutil.Process(child.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                total = 0
                for proc in tree:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        continue
                peak[0] = max(peak[0], total)
            except psutil.Error:
                pass
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{step} failed with exit code {child.returncode}")
    print(f"  {step}: {' '.join(out.decode().split())[:300]}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": elapsed, "tree_peak_mb": peak[0] / 2**20, "largest_mb": largest}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the pages and database in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        pages = root / "pages"
        pages.mkdir(parents=True, exist_ok=True)
        make_pages(pages, args.articles, args.seed)
        db = ["--db", f"sqlite:///{root / 'bench.db'}"]
        print(f"{args.articles} synthetic pages, engine {args.engine}, cpus {os.cpu_count()}")
        run("init", [*db, "init"], root)
        ingest = run("ingest", [*db, "ingest", str(pages)], root)
        process_args = [*db, "process", "--engine", args.engine]
        if args.engine == "dask":
            process_args += ["--workers", str(args.workers)]
        processed = run("process", process_args, root)
    total = ingest["seconds"] + processed["seconds"]
    for name, step in (("ingest", ingest), ("process", processed)):
        print(
            f"{name:8s} {step['seconds']:8.1f} s {args.articles / step['seconds']:8.1f} pages/s"
            f"   peak RSS: tree {step['tree_peak_mb']:.0f} MB"
        )
    print(f"{'total':8s} {total:8.1f} s {args.articles / total:8.1f} pages/s end to end")
    print(f"largest single process (ru_maxrss): {processed['largest_mb']:.0f} MB")


if __name__ == "__main__":
    main()
