"""``ceasefire watch`` as a user runs it: a real process polling a real folder and a feed on a
local HTTP server, extracting into a real SQLite file, stopped by SIGTERM and started again; and
one watcher per database, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.engine import make_url

from tests.integration.siteserver import Resource, serve

pytestmark = pytest.mark.network

TABLES = ("documents", "articles", "extractions", "events", "incidents")


def _env() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env["CEASEFIRE_ALLOW_PRIVATE_ADDRESSES"] = "true"
    env.pop("CEASEFIRE_CONFIG", None)
    return env


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["unfused"] = conn.execute(
            "SELECT count(*) FROM extractions WHERE NOT fused"
        ).fetchone()[0]
    return counts


def _settled(documents: int) -> Callable[[dict[str, int]], bool]:
    """Every document in, every article extracted and fused, and incidents made."""

    def check(c: dict[str, int]) -> bool:
        return (
            c["documents"] == documents
            and c["extractions"] == c["articles"]
            and c["unfused"] == 0
            and c["incidents"] > 0
        )

    return check


T = TypeVar("T")


def _until(
    read: Callable[[], T],
    done: Callable[[T], bool],
    process: subprocess.Popen[bytes],
    timeout: float,
    every: float,
) -> T:
    """What ``read`` gives once ``done`` says so, polled every ``every`` s while ``process``
    runs."""
    deadline = time.monotonic() + timeout
    value: T | None = None
    while time.monotonic() < deadline:
        assert process.poll() is None, "the watcher exited early"
        value = read()
        if done(value):
            return value
        time.sleep(every)
    raise AssertionError(f"not reached in {timeout}s: {value}")


def _wait(db: Path, done: Callable[[dict[str, int]], bool], process: subprocess.Popen[bytes],
          timeout: float) -> dict[str, int]:  # fmt: skip
    return _until(lambda: _counts(db), done, process, timeout, 0.25)


def _initialised(
    url: str, tmp_path: Path, examples_dir: Path
) -> tuple[list[str], Path, list[Path]]:
    """The CLI command for ``url`` (initialised), an empty inbox folder and the example pages."""
    command = [sys.executable, "-m", "ceasefire", "--db", url]
    init = subprocess.run([*command, "init"], capture_output=True, timeout=60, check=False)
    assert init.returncode == 0, init.stderr
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return command, inbox, sorted((examples_dir / "pages").glob("*.txt"))


def test_watch_processes_new_items_stops_on_sigterm_and_resumes_without_repeating(
    tmp_path: Path, examples_dir: Path
) -> None:
    db = tmp_path / "watch.db"
    url = f"sqlite:///{db}"
    command, inbox, pages = _initialised(url, tmp_path, examples_dir)
    for page in pages[:2]:
        shutil.copy(page, inbox / page.name)
    html = sorted((examples_dir / "html").glob("*.html"))
    resources = {f"/story/{n}": Resource(p.read_bytes()) for n, p in enumerate(html[:2])}
    with serve(resources) as site:
        items = "".join(
            f"<item><title>Story {n}</title><link>{site.url(f'/story/{n}')}</link>"
            f"<guid>story-{n}</guid></item>"
            for n in range(2)
        )
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}'
        resources["/feed"] = Resource(
            (feed + "</channel></rss>").encode(), content_type="application/rss+xml"
        )
        watch = [*command, "watch", str(inbox), site.url("/feed"), "--interval", "1"]
        out, err = tmp_path / "out.txt", tmp_path / "err.txt"
        started = time.monotonic()
        with out.open("wb") as stdout, err.open("wb") as stderr:
            watcher = subprocess.Popen(watch, env=_env(), stdout=stdout, stderr=stderr)
            try:
                _wait(db, _settled(4), watcher, timeout=45)
                # a new file dropped in the folder is ingested and processed by a later cycle
                shutil.copy(pages[2], inbox / "dropped-in.txt")
                _wait(db, _settled(5), watcher, timeout=20)
                signalled = time.monotonic()
                watcher.send_signal(signal.SIGTERM)
                code = watcher.wait(timeout=20)
                stopped_in = time.monotonic() - signalled
            finally:
                if watcher.poll() is None:
                    watcher.kill()
                    watcher.wait()
        first_run = time.monotonic() - started
        output = out.read_text()
        assert code == 0, err.read_text()
        assert stopped_in < 10
        assert "Watch stopped after" in output and "5 new documents" in output
        assert "cycle 1:" in output and "processed" in output
        assert "SIGTERM: stopping" in err.read_text()
        assert [site.count(f"/story/{n}") for n in range(2)] == [1, 1]
        before, hits = _counts(db), len(site.hits)

        # started again: nothing is fetched again but the feed (answered 304), nothing re-read
        again = subprocess.run(
            [*watch, "--once"], env=_env(), capture_output=True, text=True, timeout=60, check=False
        )
        assert again.returncode == 0, again.stderr
        assert "Watch finished after 1 cycle: 0 new documents" in again.stdout
        assert [(h.path, h.status) for h in site.hits[hits:]] == [("/feed", 304)]
        assert _counts(db) == before
        assert before["documents"] == 5 and before["events"] > 0
    assert first_run < 60


def test_a_first_signal_asks_to_stop_and_a_second_aborts_at_once() -> None:
    from rich.console import Console

    from ceasefire.cli_watch import _stop_on_signals

    stop = threading.Event()
    before = signal.getsignal(signal.SIGTERM)
    said = io.StringIO()
    with _stop_on_signals(stop, Console(file=said)):
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
    assert signal.getsignal(signal.SIGTERM) is before
    assert "SIGTERM: stopping after the current item" in said.getvalue()
    assert "SIGINT again: aborting" in said.getvalue()


def test_watch_help_and_standard_input_refused(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ceasefire", "--db", f"sqlite:///{tmp_path / 'w.db'}"]
    shown = subprocess.run(
        [*command, "watch", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert shown.returncode == 0 and "Usage" in shown.stdout and "--interval" in shown.stdout
    assert subprocess.run([*command, "init"], capture_output=True, timeout=60).returncode == 0
    refused = subprocess.run(
        [*command, "watch", "-", "--no-process"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2 and "standard input cannot be watched" in refused.stderr


def _wait_for(
    path: Path, done: Callable[[str], bool], process: subprocess.Popen[bytes], timeout: float
) -> str:
    """The output of ``process`` in ``path`` once ``done`` says so."""
    return _until(path.read_text, done, process, timeout, 0.1)


def test_a_second_watch_on_a_database_fails_fast_and_a_stopped_or_killed_one_blocks_nothing(
    tmp_path: Path, database_url: str, examples_dir: Path
) -> None:
    command, inbox, pages = _initialised(database_url, tmp_path, examples_dir)
    shutil.copy(pages[0], inbox / pages[0].name)
    watch = [*command, "watch", str(inbox), "--interval", "0.5"]
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        first = subprocess.Popen([*watch, "--no-process"], env=_env(), stdout=stdout, stderr=stderr)
        try:
            _wait_for(out, lambda text: "+1 document" in text, first, timeout=30)
            asked = time.monotonic()
            second = subprocess.run(
                [*watch, "--once"], env=_env(), capture_output=True, text=True, timeout=60
            )
            took = time.monotonic() - asked
            # the first keeps working: a file dropped in now is ingested by it
            shutil.copy(pages[1], inbox / "dropped-in.txt")
            _wait_for(out, lambda text: text.count("+1 document") == 2, first, timeout=20)
            first.send_signal(signal.SIGTERM)
            code = first.wait(timeout=20)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    assert second.returncode == 2, second.stdout + second.stderr
    said = " ".join(second.stderr.split())  # as one line, however the console wrapped it
    assert "another `ceasefire watch` is already running against" in said
    assert Path(make_url(database_url).database or "").name in said
    assert f"pid {first.pid} on {socket.gethostname()}" in said
    assert "Loading the extractor" not in second.stderr and not second.stdout  # refused first
    assert took < 15
    assert code == 0, err.read_text()
    assert "Watch stopped after" in out.read_text() and "2 new documents" in out.read_text()
    # the first is gone: the next one starts
    again = subprocess.run(
        [*watch, "--once", "--no-process"], env=_env(), capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert "Watch finished after 1 cycle: 0 new documents" in again.stdout
    # nor does one killed outright (SIGKILL: no cleanup of any kind)
    with out.open("wb") as stdout:
        killed = subprocess.Popen([*watch, "--no-process"], env=_env(), stdout=stdout)
        try:
            _wait_for(out, lambda text: "cycle 1:" in text, killed, timeout=30)
        finally:
            killed.kill()
            killed.wait()
    after = subprocess.run(
        [*watch, "--once", "--no-process"], env=_env(), capture_output=True, text=True, timeout=60
    )
    assert after.returncode == 0, after.stderr
