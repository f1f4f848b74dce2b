"""API latency and a bounded load test with 100,000 incidents, on SQLite or PostgreSQL.

Usage:
    PYTHONPATH=src .venv/bin/python benchmarks/api_bench.py --db sqlite:///PATH [--reuse]
    PYTHONPATH=src .venv/bin/python benchmarks/api_bench.py \\
        --db postgresql+psycopg://USER@HOST:PORT/DATABASE [--reuse]

1. The database: migrated, then filled with ``--incidents`` synthetic incidents with their
   events, articles, claims and assessments (``benchmarks/synthetic.py``); without ``--reuse``
   it must hold no incidents, with ``--reuse`` one already filled is used as it is (after
   applying any new migration). Its size and how long the build took are printed.
2. A viewer with an API token (``ceasefire users`` would make the same), then ``python -m
   ceasefire serve`` (one uvicorn process, as an operator runs it, access log on) on a free port
   of 127.0.0.1, its log in a temporary file.
3. Sequential latency, one keep-alive client, after ``--warmup`` rounds: ``--requests`` requests
   of each of the dashboard's real requests (the map's points and the timeline's counts
   unfiltered, for a date range, for a bounding box and a type; the incident list's first page,
   a filtered page, a deep page; the dashboard page; an incident page, a different incident
   each time). Latency is the time to the last byte of the body. Prints p50, p95 and max per
   request, the status codes, the body size and the verdict against 100 ms at p95. Twice: first
   with the incidents' version token replaced before every request (as a write of incidents
   does, outside the timing), so the map and timeline answers are computed afresh each time;
   then as they come, when the server answers a repeated map or timeline request from the
   answer it kept.
4. A bounded load test: ``--clients`` threads, each with its own keep-alive client, going round
   the same mix (each from a different start) until ``--duration`` seconds have passed or
   ``--max-requests`` requests were sent; prints throughput, p50/p95/p99 and the errors (any
   status other than 200, and any transport error), which must be 0.
5. The server is stopped; the database is kept (run again with ``--reuse``).

The exit status is 1 when a request failed or the load test had errors (latency above the
target is reported, not an error: the machine may be shared).
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import synthetic

from ceasefire.config import load_settings
from ceasefire.domain.users import Role
from ceasefire.errors import ConflictError
from ceasefire.services.auth import Auth
from ceasefire.storage import Store, create_engine_for, migrate

TARGET_MS = 100.0
WAR = "from=2019-04-01&to=2020-06-30"  # the war over Tripoli: the densest period
TRIPOLI = "bbox=12.8,32.6,13.6,33.0&type=Explosions/Remote%20violence"  # a box and a type


def mix(filtered_offset: int, deep_offset: int) -> list[tuple[str, str]]:
    """The dashboard's requests: name, path (``{incident}`` is replaced by a different incident
    id at each request); the filtered list page starts at ``filtered_offset``, the deep page at
    ``deep_offset``."""
    return [
        ("map, no filter", "/api/map"),
        ("map, date range", f"/api/map?{WAR}"),
        ("map, bbox + type", f"/api/map?{TRIPOLI}"),
        ("timeline, no filter", "/api/timeline"),
        ("timeline, date range", f"/api/timeline?{WAR}"),
        ("timeline, bbox + type", f"/api/timeline?{TRIPOLI}"),
        ("list, first page", "/api/incidents"),
        (
            "list, filtered page",
            f"/api/incidents?{WAR}&side=east&status=corroborated&offset={filtered_offset}",
        ),
        ("list, deep page", f"/api/incidents?offset={deep_offset}"),
        ("dashboard page", "/"),
        ("incident page", "/incidents/{incident}"),
    ]


QUERIES = mix(filtered_offset=50, deep_offset=95_000)
#: with --text: the list filtered by free text (claims' sentences, places and actors' names)
TEXT_QUERY = ("list, free text", "/api/incidents?q=misrata")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty sample."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --------------------------------------------------------------------------------- database
def prepare(url: str, count: int, reuse: bool, articles: bool = True) -> tuple[Store, list[str]]:
    """The migrated database with ``count`` incidents, and the ids of the incidents."""
    store = Store(create_engine_for(url))
    migrate(store.engine)
    incidents = store.articles.metadata.tables["incidents"]
    with store.engine.connect() as conn:
        held = int(conn.execute(select(func.count()).select_from(incidents)).scalar_one())
    if held and not reuse:
        raise SystemExit(f"{url} already holds {held} incidents: pass --reuse, or a fresh database")
    if not held:
        began = time.perf_counter()
        synthetic(store, count, articles=articles)
        print(f"built {count:,} incidents in {time.perf_counter() - began:.1f} s")
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if store.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("VACUUM ANALYZE")  # statistics and the visibility map
            else:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the file
    with store.engine.connect() as conn:
        ids = list(conn.execute(select(incidents.c.id).order_by(incidents.c.id)).scalars())
    print(f"database: {len(ids):,} incidents, {describe(store)}")
    return store, ids


def describe(store: Store) -> str:
    engine = store.engine
    tables = store.articles.metadata.tables
    with engine.connect() as conn:
        held = ", ".join(
            f"{int(conn.execute(select(func.count()).select_from(tables[name])).scalar_one()):,}"
            f" {name}"
            for name in ("events", "articles", "claims", "assessments")
        )
        if engine.dialect.name == "sqlite":
            version = conn.exec_driver_sql("select sqlite_version()").scalar_one()
            path = make_url(str(engine.url)).database or ""
            size = sum(p.stat().st_size for p in Path(path).parent.glob(Path(path).name + "*"))
            return f"{held}; SQLite {version}, {size / 1e6:.0f} MB on disk"
        version = conn.exec_driver_sql("show server_version").scalar_one()
        size = conn.exec_driver_sql("select pg_database_size(current_database())").scalar_one()
        return f"{held}; PostgreSQL {version}, {int(size) / 1e6:.0f} MB on disk"


def bearer_token(store: Store, url: str) -> str:
    """A fresh API token of a viewer named ``bench`` (created on first use)."""
    auth = Auth(store, load_settings(database_url=url))
    with suppress(ConflictError):
        auth.add_user("bench", Role.VIEWER, password=secrets.token_urlsafe(24))
    return auth.create_token("bench", f"bench-{secrets.token_hex(4)}").token


# ----------------------------------------------------------------------------------- server
@contextmanager
def serve(url: str, log: Path) -> Iterator[str]:
    """``python -m ceasefire serve`` over ``url`` on a free port of 127.0.0.1 (its output in
    ``log``); yields the base URL and stops the server on exit."""
    port = free_port()
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {
        **os.environ,
        "CEASEFIRE_DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p),
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ceasefire",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=log.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{base}/api/health", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"the server did not start; see {log}") from None
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# -------------------------------------------------------------------------------- measuring
@dataclass
class Sample:
    """Latencies (ms) and outcomes of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    size: int = 0

    def add(self, began: float, status: str, size: int = 0) -> None:
        self.latencies.append((time.perf_counter() - began) * 1000)
        self.statuses[status] += 1
        self.size = max(self.size, size)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != "200")


#: looks at a response (request name, response) and returns what is wrong with it, if anything
Check = Callable[[str, httpx.Response], str | None]


def fetch(
    client: httpx.Client, name: str, path: str, sample: Sample, check: Check | None = None
) -> None:
    """One GET, timed to the last byte of the body; a transport error, a status other than
    200 or a complaint of ``check`` is recorded as the outcome instead of the status."""
    began = time.perf_counter()
    try:
        response = client.get(path)
        body = response.content
    except httpx.HTTPError as exc:
        sample.add(began, type(exc).__name__)
        return
    wrong = check(name, response) if check is not None and response.status_code == 200 else None
    sample.add(began, wrong or str(response.status_code), len(body))


def paths(
    ids: Sequence[str], seed: int, queries: Sequence[tuple[str, str]] = QUERIES
) -> Iterator[tuple[str, str]]:
    """The mix of requests, round and round; incident pages take ids in a random order."""
    rng = random.Random(seed)
    while True:
        for name, path in queries:
            yield name, path.replace("{incident}", rng.choice(ids))


def client(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def sequential(
    base: str,
    token: str,
    ids: Sequence[str],
    requests: int,
    warmup: int,
    queries: Sequence[tuple[str, str]] = QUERIES,
    before: Callable[[], None] | None = None,
) -> bool:
    """Each query ``requests`` times after ``warmup`` rounds, ``before()`` called (untimed)
    before each; True when none failed."""
    samples = {name: Sample() for name, _ in queries}
    with client(base, token) as http:
        mix = paths(ids, 1, queries)
        for name, path in itertools.islice(mix, warmup * len(queries)):
            fetch(http, name, path, Sample())
        for name, path in itertools.islice(mix, requests * len(queries)):
            if before is not None:
                before()
            fetch(http, name, path, samples[name])
    kept = "map and timeline computed afresh" if before else "as they come"
    print(f"\nsequential latency, {requests} requests each, one client, {kept} (ms)")
    print(f"{'request':22} {'p50':>7} {'p95':>7} {'max':>7}  {'bytes':>9}  statuses  p95 vs 100 ms")
    for name, sample in samples.items():
        p50, p95 = percentile(sample.latencies, 0.5), percentile(sample.latencies, 0.95)
        verdict = "ok" if p95 <= TARGET_MS else "OVER"
        codes = ",".join(f"{k}x{v}" for k, v in sorted(sample.statuses.items()))
        print(
            f"{name:22} {p50:7.1f} {p95:7.1f} {max(sample.latencies):7.1f}  {sample.size:9,}"
            f"  {codes}  {verdict}"
        )
    return all(not s.errors for s in samples.values())


def load(
    base: str,
    token: str,
    ids: Sequence[str],
    clients: int,
    duration: float,
    cap: int,
    queries: Sequence[tuple[str, str]] = QUERIES,
    check: Check | None = None,
) -> Sample:
    """``clients`` threads on the mix until ``duration`` seconds or ``cap`` requests."""
    total = Sample()
    lock = threading.Lock()
    sent = itertools.count()
    deadline = time.monotonic() + duration

    def worker(number: int) -> None:
        mine = Sample()
        mix = paths(ids, 100 + number, queries)
        for _ in range(number):  # each client starts at a different request of the mix
            next(mix)
        with client(base, token) as http:
            while time.monotonic() < deadline and next(sent) < cap:
                fetch(http, *next(mix), mine, check)
        with lock:
            total.latencies += mine.latencies
            total.statuses.update(mine.statuses)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    done = len(total.latencies)
    p50, p95, p99 = (percentile(total.latencies, share) for share in (0.5, 0.95, 0.99))
    print(
        f"\nload test: {clients} clients, {done} requests in {elapsed:.1f} s "
        f"(bounds {duration:g} s, {cap} requests): {done / elapsed:.1f} requests/s; latency "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms; errors {total.errors}"
        f" (outcomes {dict(total.statuses)})"
    )
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:///PATH or a PostgreSQL URL")
    parser.add_argument("--reuse", action="store_true", help="use the incidents already there")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per query, sequential")
    parser.add_argument("--warmup", type=int, default=10, help="rounds of the mix, not timed")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load at most")
    parser.add_argument("--max-requests", type=int, default=20_000, help="load requests at most")
    parser.add_argument(
        "--text", action="store_true", help="also time the free-text search (not in the load)"
    )
    args = parser.parse_args(argv)
    # a SIGTERM unwinds like Ctrl+C, so that the server is stopped too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows when redirected to a file
    store, ids = prepare(args.db, args.incidents, args.reuse)
    token = bearer_token(store, args.db)
    versions = store.articles.metadata.tables["data_versions"]

    def changed() -> None:  # what a write of incidents does to the token
        with store.engine.begin() as conn:
            fresh = versions.update().values(token=secrets.token_hex(16))
            conn.execute(fresh.where(versions.c.name == "incidents"))

    with tempfile.TemporaryDirectory(prefix="api-bench-") as folder:
        log = Path(folder) / "server.log"
        with serve(args.db, log) as base:
            queries = [*QUERIES, TEXT_QUERY] if args.text else QUERIES
            ok = sequential(base, token, ids, args.requests, args.warmup, queries, changed)
            ok &= sequential(base, token, ids, args.requests, args.warmup, queries)
            loaded = load(base, token, ids, args.clients, args.duration, args.max_requests)
        if not ok or loaded.errors:
            print(log.read_text(errors="replace")[-4000:])
    store.engine.dispose()
    return 0 if ok and not loaded.errors else 1


if __name__ == "__main__":
    sys.exit(main())
