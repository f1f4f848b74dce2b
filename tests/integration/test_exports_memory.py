"""Exports hold one page at a time: 100,000 synthetic incidents are exported by a subprocess
whose resident memory grows by less than 300 MB over what it held before the export began
(after imports, the profile and the database connection).

What is measured: the process's peak RSS (``VmHWM``, over its whole life — not ``ru_maxrss``,
which Linux carries over from the parent through ``exec``, so a child of a large pytest process
would report the parent's peak) minus its current RSS (``VmRSS``) when the export begins: an
upper bound of what the export added, since loading the profile may peak before the export
starts; the current RSS is also sampled during the export.
RSS includes the Python heap, SQLite's page cache and the formatter's buffers. The output is
written to ``os.devnull`` (as a file would be), counting lines. The synthetic incidents are
``benchmarks/synthetic.py``'s (ten years, Libya's cities and desert, several types, actors and
statuses), with 1 to 4 member events and up to 3 claims each (no stored event rows, so JSON
Lines carries empty evidence lists) and assessments for those of the 2020 truce; ACLED CSV leaves
out the ceasefire-process ones (about 5%).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.synthetic import synthetic

from ceasefire.storage import Store, create_engine_for, migrate

SRC = Path(__file__).resolve().parents[2] / "src"
COUNT = 100_000
LIMIT_MB = 300

MEASURE = r"""
import json, os, sys
from ceasefire.adapters.profiles import load_profile, load_taxonomy
from ceasefire.domain.users import Role
from ceasefire.exports.records import ExportFormat, FormatContext
from ceasefire.exports.stream import Export, ExportRequest
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.search import ExportQueries

url, name = sys.argv[1], sys.argv[2]
taxonomy = load_taxonomy()
context = FormatContext(load_profile("libya", taxonomy), taxonomy)
store = Store(create_engine_for(url))
job = Export(ExportQueries(store), context, ExportRequest(ExportFormat(name), role=Role.ANALYST))
def status_kb(field):
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith(field + ":"))
def rss_kb():
    return status_kb("VmRSS")
start = status_kb("VmHWM")
start_rss = sampled = rss_kb()
lines = 0
size = 0
with open(os.devnull, "w", encoding="utf-8") as out:
    for chunk in job.chunks():
        out.write(chunk)
        lines += chunk.count("\n")
        size += len(chunk)
        if lines % 5000 == 0:
            sampled = max(sampled, rss_kb())
peak = status_kb("VmHWM")
print(json.dumps({
    "start_kb": start, "peak_kb": peak, "lines": lines, "chars": size,
    "start_rss_kb": start_rss, "sampled_max_rss_kb": sampled, "end_rss_kb": rss_kb(),
    "written": job.progress.written, "skipped": job.progress.skipped,
}))
"""


@pytest.fixture(scope="module")
def big_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('memory') / 'big.db'}"
    engine = create_engine_for(url)
    migrate(engine)
    synthetic(Store(engine), COUNT)
    engine.dispose()
    return url


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", ["acled-csv", "jsonl"])
def test_exporting_100000_incidents_stays_within_300_mb(big_database: str, name: str) -> None:
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, big_database, name],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # the process's peak RSS (over its whole life, so also before the export) minus the RSS
    # it had when the export began: an upper bound of what the export added
    grown_mb = (result["peak_kb"] - result["start_rss_kb"]) / 1024
    print(
        f"{name}: {result['written']} incidents ({result['skipped']} left out), "
        f"{result['chars'] / 1e6:.0f} M chars in "
        f"{time.monotonic() - began:.1f} s; peak RSS {result['peak_kb'] / 1024:.0f} MB, "
        f"at most {grown_mb:.0f} MB over the start; current RSS "
        f"{result['start_rss_kb'] / 1024:.0f} MB at the start, "
        f"{result['sampled_max_rss_kb'] / 1024:.0f} MB sampled maximum, "
        f"{result['end_rss_kb'] / 1024:.0f} MB at the end"
    )
    # ACLED CSV leaves the ceasefire-process incidents (talks, agreements) out
    assert result["written"] + result["skipped"] == COUNT
    assert result["skipped"] == 0 if name == "jsonl" else 0 < result["skipped"] < COUNT / 10
    assert result["lines"] == result["written"] + (1 if name == "acled-csv" else 0)
    assert grown_mb < LIMIT_MB
