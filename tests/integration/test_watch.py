"""``ceasefire watch`` as a service: feeds, pages and folders polled incrementally from a real
HTTP server on 127.0.0.1 and real folders, with the checkpoint on SQLite and PostgreSQL and time
driven by a fake clock."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

import ceasefire.services.sources as sources_module
from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.items import Failure
from ceasefire.config import Settings, load_settings
from ceasefire.domain import DropReason
from ceasefire.errors import IngestError, WatchRunningError
from ceasefire.services.process import ProcessSummary
from ceasefire.services.watch import (
    CycleReport,
    Watcher,
    WatchOptions,
    after_poll,
    backoff_delay,
    normalise,
)
from ceasefire.services.watch_targets import PollOutcome
from ceasefire.storage import Store, create_engine_for
from ceasefire.storage.locks import WatchLock, watch_lock
from ceasefire.storage.watch import TargetState, WatchRepository
from tests.integration.siteserver import Resource, Site, rss, serve

pytestmark = pytest.mark.network

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.at = start
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


class FakeProcessor:
    def __init__(self, pending: bool = False, stop: threading.Event | None = None) -> None:
        self.is_pending = pending
        self.calls = 0
        self.stop = stop

    def pending(self) -> bool:
        return self.is_pending

    def run(self, stop: threading.Event) -> ProcessSummary:
        self.calls += 1
        if self.stop is not None:
            self.stop.set()  # a signal arrives while the first article is extracted
        return ProcessSummary(run_id=0, articles=1, events=1, stopped=stop.is_set())


def _settings(base: Settings) -> Settings:
    return load_settings(database_url=base.database_url, allow_private_addresses=True)


@contextmanager
def watching(
    settings: Settings, store: Store, clock: FakeClock | None = None, **options: object
) -> Iterator[Watcher]:
    values: dict[str, object] = {"interval": 60.0, "settle": 0.0}
    values.update(options)
    processor = values.pop("processor", None)
    stop = values.pop("stop", None)
    with HttpFetcher(_settings(settings)) as fetcher:
        yield Watcher(
            store,
            fetcher,
            _settings(settings),
            WatchOptions(**values),  # type: ignore[arg-type]
            processor=processor,  # type: ignore[arg-type]
            stop=stop,  # type: ignore[arg-type]
            clock=clock or FakeClock(),
        )


def _page(number: int) -> bytes:
    return (
        f"Report {number}\n\nFighters shelled the outskirts of Tripoli on Tuesday, killing "
        f"{number + 2} civilians, officials said in statement number {number}.\n"
    ).encode()


def _stories(site: Site, numbers: range) -> dict[str, str]:
    for number in numbers:
        site.resources.setdefault(
            f"/story/{number}", Resource(_page(number), content_type="text/plain")
        )
    return {f"/story/{n}": f"Story {n}" for n in numbers}


def _feed(site: Site, numbers: range, **resource: object) -> str:
    body = rss(site.base, _stories(site, numbers), guid=bool(resource.pop("guid", True)))
    site.resources["/feed"] = Resource(body, content_type="application/rss+xml", **resource)  # type: ignore[arg-type]
    return site.url("/feed")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the schedule, pure ------------------------------------------------------------------------


def test_backoff_grows_exponentially_up_to_the_maximum() -> None:
    delays = [backoff_delay(10, failures, 300) for failures in range(8)]
    assert delays == [10, 10, 20, 40, 80, 160, 300, 300]
    assert backoff_delay(10, 10_000, 3600) == 3600  # no overflow


def test_a_poll_sets_the_next_attempt_and_a_success_resets_the_failures() -> None:
    state = TargetState("http://example.org/feed", etag='"a"')
    failed = PollOutcome(done=True)
    failed.failure = Failure("x", DropReason.NETWORK, "refused")
    now = T0
    for failures, delay in ((1, 10), (2, 20), (3, 40), (4, 45)):
        state = after_poll(state, failed, now, 10, 45)
        assert state.failures == failures
        assert state.next_attempt == now + timedelta(seconds=delay)
        assert state.last_reason == "network" and state.etag == '"a"'
        now = state.next_attempt
    ok = PollOutcome(kind="feed", done=True)
    state = after_poll(state, ok, now, 10, 45)
    assert (state.failures, state.last_error, state.last_success) == (0, None, now)
    assert state.next_attempt == now + timedelta(seconds=10)
    assert state.etag is None  # the feed must be read in full next time


def test_standard_input_cannot_be_watched_and_paths_become_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(IngestError, match="standard input"):
        normalise(["-"])
    monkeypatch.chdir(tmp_path)
    assert normalise(["in", "http://x.org/f", str(tmp_path / "in")]) == [
        str(tmp_path / "in"),
        "http://x.org/f",
    ]


# -- feeds and pages ---------------------------------------------------------------------------


def test_feed_entries_are_fetched_once_and_an_unchanged_feed_answers_304(
    settings: Settings, store: Store
) -> None:
    clock = FakeClock()
    with serve({}) as site, watching(settings, store, clock) as watcher:
        targets = normalise([_feed(site, range(3))])
        first = watcher.cycle(targets)
        assert (first.documents_new, first.articles_new, first.read) == (3, 3, 3)
        assert [site.count(f"/story/{n}") for n in range(3)] == [1, 1, 1]
        requests = len(site.hits)
        clock.advance(60)
        second = watcher.cycle(targets)
        # the second poll is one conditional request, answered 304; no entry is fetched again
        assert site.hits[requests:] == [site.hits[-1]] and site.hits[-1].status == 304
        assert site.hits[-1].conditional
        assert (second.not_modified, second.documents_new, second.read) == (1, 0, 0)
        # a new entry: the feed is read again, only the new entry's page is fetched
        _feed(site, range(4))
        clock.advance(60)
        third = watcher.cycle(targets)
        assert (third.documents_new, third.read, third.skipped) == (1, 1, 3)
        assert [site.count(f"/story/{n}") for n in range(4)] == [1, 1, 1, 1]
    assert store.count_documents() == 4
    [state] = WatchRepository(store).states(targets).values()
    assert state.kind == "feed" and state.etag and state.failures == 0


def test_a_feed_without_validators_or_guids_still_fetches_no_entry_twice(
    settings: Settings, store: Store
) -> None:
    clock = FakeClock()
    with serve({}) as site, watching(settings, store, clock) as watcher:
        targets = normalise([_feed(site, range(2), etag=False, guid=False)])
        watcher.cycle(targets)
        clock.advance(60)
        again = watcher.cycle(targets)
        assert site.count("/feed", 200) == 2 and not site.hits[-1].conditional
        assert (again.read, again.skipped, again.documents_new) == (0, 2, 0)
        assert [site.count(f"/story/{n}") for n in range(2)] == [1, 1]


def test_an_entry_page_that_fails_is_retried_then_given_up(
    settings: Settings, store: Store
) -> None:
    clock = FakeClock()
    with serve({}) as site, watching(settings, store, clock) as watcher:
        targets = normalise([_feed(site, range(3))])
        site.resources["/story/1"].status = 503
        first = watcher.cycle(targets)
        assert first.documents_new == 2 and [d.reason for d in first.dropped] == [
            DropReason.HTTP_STATUS
        ]
        assert first.failures == []  # the feed itself is fine: no backoff
        clock.advance(60)
        watcher.cycle(targets)  # no 304: the feed is read in full while an entry waits
        assert site.count("/feed", 304) == 0 and site.count("/story/1") == 2
        site.resources["/story/1"].status = 200
        clock.advance(60)
        third = watcher.cycle(targets)
        assert third.documents_new == 1 and site.count("/story/1") == 3
        clock.advance(60)
        assert watcher.cycle(targets).not_modified == 1  # now settled: validators kept
        # a page that never comes back is tried three times in all
        _feed(site, range(4))
        site.resources["/story/3"].status = 404
        for _ in range(5):
            clock.advance(60)
            watcher.cycle(targets)
        assert site.count("/story/3") == 3
        assert [site.count(f"/story/{n}") for n in (0, 2)] == [1, 1]


def test_a_page_is_read_again_only_when_it_changed(settings: Settings, store: Store) -> None:
    clock = FakeClock()
    stamp = "Tue, 18 Feb 2020 16:00:00 GMT"
    page = Resource(_page(1), content_type="text/plain", etag=False, last_modified=stamp)
    with serve({"/page": page}) as site, watching(settings, store, clock) as watcher:
        targets = normalise([site.url("/page")])
        assert watcher.cycle(targets).documents_new == 1
        clock.advance(60)
        assert watcher.cycle(targets).not_modified == 1  # If-Modified-Since honoured
        page.body, page.last_modified = _page(2), "Wed, 19 Feb 2020 08:00:00 GMT"
        clock.advance(60)
        assert watcher.cycle(targets).documents_new == 1
    [state] = WatchRepository(store).states(targets).values()
    assert state.kind == "page" and state.last_modified == "Wed, 19 Feb 2020 08:00:00 GMT"


# -- folders -----------------------------------------------------------------------------------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the watcher reads."""
    seen: list[str] = []
    real = sources_module.read_file

    def counting(path: Path, max_bytes: int) -> bytes | Failure:
        seen.append(path.name)
        return real(path, max_bytes)

    monkeypatch.setattr(sources_module, "read_file", counting)
    return seen


def test_a_folder_reads_new_and_changed_files_only(
    settings: Settings, store: Store, examples_dir: Path, tmp_path: Path, reads: list[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    pages = sorted((examples_dir / "pages").glob("*.txt"))
    for page in pages[:2]:
        shutil.copy(page, folder / page.name)
    clock = FakeClock()
    with watching(settings, store, clock) as watcher:
        targets = normalise([str(folder)])
        first = watcher.cycle(targets)
        assert first.documents_new == 2 and sorted(reads) == sorted(p.name for p in pages[:2])
        reads.clear()
        clock.advance(60)
        assert watcher.cycle(targets).skipped == 2 and reads == []  # unchanged: not read
        shutil.copy(pages[2], folder / "new.txt")
        clock.advance(60)
        third = watcher.cycle(targets)
        assert reads == ["new.txt"] and third.documents_new == 1
        with (folder / "new.txt").open("a") as changed:
            changed.write("\nThe ministry confirmed the figures on Wednesday.\n")
        reads.clear()
        clock.advance(60)
        assert watcher.cycle(targets).documents_new == 1 and reads == ["new.txt"]
        # touched but not changed: read again, and content-hash deduplication stores nothing
        stat = (folder / "new.txt").stat()
        os.utime(folder / "new.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        clock.advance(60)
        touched = watcher.cycle(targets)
        assert (touched.documents_new, touched.documents_duplicate) == (0, 1)
        # a file removed is forgotten; put back, it is read again (and is a duplicate)
        (folder / "new.txt").rename(tmp_path / "away.txt")
        clock.advance(60)
        watcher.cycle(targets)
        (tmp_path / "away.txt").rename(folder / "new.txt")
        reads.clear()
        clock.advance(60)
        back = watcher.cycle(targets)
        assert reads == ["new.txt"] and back.documents_duplicate == 1
    assert store.count_documents() == 4


def test_a_file_still_being_written_waits_until_it_settles(
    settings: Settings, store: Store, tmp_path: Path, reads: list[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    clock = FakeClock(datetime.now(UTC))
    with watching(settings, store, clock, settle=30.0) as watcher:
        targets = normalise([str(folder)])
        (folder / "half.txt").write_bytes(_page(1))
        first = watcher.cycle(targets)
        assert (first.settling, first.documents_new, reads) == (1, 0, [])
        clock.advance(60)  # seen unchanged by the previous poll: it has settled
        assert watcher.cycle(targets).documents_new == 1 and reads == ["half.txt"]


# -- failures and backoff ----------------------------------------------------------------------


def test_a_failing_feed_backs_off_while_a_healthy_one_is_polled_and_then_recovers(
    settings: Settings, store: Store
) -> None:
    clock = FakeClock()
    resources = {"/bad": Resource(b"oops", status=500)}
    with (
        serve(resources) as site,
        watching(settings, store, clock, interval=10.0, max_backoff=60.0) as watcher,
    ):
        refused = f"http://127.0.0.1:{_closed_port()}/feed"
        targets = normalise([site.url("/bad"), _feed(site, range(1)), refused])
        attempts: list[float] = []
        for _ in range(12):  # a cycle every 10 s, from 0 to 110 s
            before = site.count("/bad")
            report = watcher.cycle(targets)
            if site.count("/bad") > before:
                attempts.append((report.started - T0).total_seconds())
                assert [f.reason for f in report.failures] == ["http_status", "network"]
                assert "500" in report.failures[0].detail
            clock.advance(10)
        # next attempt = now + min(10 × 2^(failures-1), 60): 10, 20, 40, 60 s
        assert attempts == [0, 10, 30, 70]
        assert site.count("/feed") == 12  # the healthy feed never missed a cycle
        states = WatchRepository(store).states(targets)
        bad = states[site.url("/bad")]
        assert bad.failures == 4 and bad.next_attempt == T0 + timedelta(seconds=130)
        assert bad.last_reason == "http_status" and "500" in (bad.last_error or "")
        assert states[refused].failures == 4 and states[refused].last_reason == "network"
        reasons = {d.reason for d in store.list_dropped()}
        assert reasons == {DropReason.HTTP_STATUS, DropReason.NETWORK}
        # the server is fixed: at the next attempt the target recovers
        resources["/bad"] = Resource(_page(7), content_type="text/plain")
        clock.at = T0 + timedelta(seconds=130)
        recovered = watcher.cycle(targets)
        assert recovered.documents_new == 1
        bad = WatchRepository(store).states(targets)[site.url("/bad")]
        assert (bad.failures, bad.last_error) == (0, None)
        assert bad.next_attempt == clock.at + timedelta(seconds=10)


def test_a_malformed_feed_and_a_missing_folder_are_target_failures(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    resources = {"/feed": Resource(b"<rss><channel><item><ti", content_type="application/rss+xml")}
    with serve(resources) as site, watching(settings, store) as watcher:
        report = watcher.cycle(normalise([site.url("/feed"), str(tmp_path / "nowhere")]))
    assert [f.reason for f in report.failures] == ["malformed_feed", "unreadable"]
    assert "no such file or folder" in report.failures[1].detail


def test_a_feed_that_turns_into_a_page_is_a_failure(settings: Settings, store: Store) -> None:
    clock = FakeClock()
    with serve({}) as site, watching(settings, store, clock) as watcher:
        targets = normalise([_feed(site, range(1))])
        watcher.cycle(targets)
        site.resources["/feed"] = Resource(b"<html><body>Maintenance</body></html>")
        clock.advance(60)
        [failure] = watcher.cycle(targets).failures
    assert failure.reason == "malformed_feed" and "was a feed" in failure.detail
    assert store.count_documents() == 1


# -- checkpoint, stopping, processing ----------------------------------------------------------


def test_a_new_watcher_resumes_from_the_checkpoint(
    settings: Settings, store: Store, examples_dir: Path, tmp_path: Path, reads: list[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for page in sorted((examples_dir / "pages").glob("*.txt"))[:2]:
        shutil.copy(page, folder / page.name)
    clock = FakeClock()
    with serve({"/bad": Resource(status=502)}) as site:
        targets = normalise([_feed(site, range(2), etag=False), str(folder), site.url("/bad")])
        with watching(settings, store, clock, interval=10.0) as first:
            first.cycle(targets)
            clock.advance(10)
            first.cycle(targets)  # /bad failed twice: next attempt 20 s later
        hits, documents = len(site.hits), store.count_documents()
        reads.clear()
        clock.advance(5)  # restarted before the next poll is due: the healthy targets are polled
        reports: list[CycleReport] = []
        with watching(settings, store, clock, interval=10.0, once=True) as second:
            second.on_cycle = reports.append
            second.run(targets)
        # only the feed was requested (no entry page, not the backing-off target), no file read
        assert [h.path for h in site.hits[hits:]] == ["/feed"]
        assert reads == [] and store.count_documents() == documents == 4
        [resumed] = reports
        assert (resumed.polled, resumed.backing_off, resumed.skipped) == (2, 1, 4)
        bad = WatchRepository(store).states(targets)[site.url("/bad")]
        assert bad.failures == 2 and bad.next_attempt == T0 + timedelta(seconds=30)


def test_stop_ends_a_run_after_the_current_entry_and_the_next_run_takes_up_the_rest(
    settings: Settings, store: Store
) -> None:
    stop = threading.Event()
    with serve({}) as site:
        targets = [_feed(site, range(4))]
        site.resources["/story/1"].on_hit = stop.set
        with watching(settings, store, stop=stop) as watcher:
            summary = watcher.run(targets)
        assert summary.stopped and summary.cycles == 1 and summary.documents_new == 2
        assert [site.count(f"/story/{n}") for n in range(4)] == [1, 1, 0, 0]
        with watching(settings, store, once=True) as watcher:
            again = watcher.run(targets)
        assert not again.stopped and again.documents_new == 2
        assert [site.count(f"/story/{n}") for n in range(4)] == [1, 1, 1, 1]


def test_stop_wakes_the_wait_between_cycles_at_once(settings: Settings, store: Store) -> None:
    from ceasefire.services.watch import SystemClock

    stop, cycled = threading.Event(), threading.Event()
    with serve({}) as site, HttpFetcher(_settings(settings)) as fetcher:
        options = WatchOptions(interval=3600.0, settle=0.0)
        watcher = Watcher(
            store,
            fetcher,
            _settings(settings),
            options,
            stop=stop,
            clock=SystemClock(),
            on_cycle=lambda _report: cycled.set(),
        )
        runner = threading.Thread(target=watcher.run, args=([_feed(site, range(1))],))
        runner.start()
        assert cycled.wait(20)
        time.sleep(0.3)  # now waiting for the next cycle, an hour away
        asked = time.monotonic()
        stop.set()
        runner.join(10)
        assert not runner.is_alive() and time.monotonic() - asked < 2


def test_processing_runs_when_articles_arrive_or_work_is_pending(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    processor = FakeProcessor(pending=True)
    with watching(settings, store, processor=processor, max_cycles=2) as watcher:
        summary = watcher.run([str(folder)])
        assert processor.calls == 1  # pending work at start; nothing new in the second cycle
        (folder / "a.txt").write_bytes(_page(1))
        processor.is_pending = False
        assert watcher.cycle(normalise([str(folder)])).processed is None  # not yet due
        watcher.clock.advance(60)  # type: ignore[attr-defined]
        report = watcher.cycle(normalise([str(folder)]))
        assert report.articles_new == 1 and report.processed is not None
    assert processor.calls == 2 and summary.cycles == 2 and not summary.stopped


def test_a_stop_during_processing_stops_after_the_current_article(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    stop = threading.Event()
    processor = FakeProcessor(pending=True, stop=stop)
    (tmp_path / "inbox").mkdir()
    with watching(settings, store, processor=processor, stop=stop) as watcher:
        summary = watcher.run([str(tmp_path / "inbox")])
    assert processor.calls == 1 and summary.stopped and summary.cycles == 1
    # what was extracted before the stop is saved and counted; the rest waits for the next run
    assert (summary.articles_processed, summary.events) == (1, 1)


# one watcher per database --------------------------------------------------------------------


def _database_name(settings: Settings) -> str:
    """The database as an error message names it: the file's name, or PostgreSQL's database."""
    from sqlalchemy.engine import make_url

    return Path(make_url(settings.database_url).database or "").name


@pytest.fixture
def other_engine(settings: Settings) -> Iterator[Engine]:
    """A second engine on the same database, as a second watcher process would have."""
    engine = create_engine_for(settings.database_url)
    yield engine
    engine.dispose()


def _eventually(take: Callable[[], WatchLock], timeout: float) -> WatchLock:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return take()
        except WatchRunningError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_a_second_watch_lock_is_refused_until_the_first_is_released(
    settings: Settings, store: Store, other_engine: Engine, tmp_path: Path
) -> None:
    engine = other_engine
    first = watch_lock(store.engine)
    with pytest.raises(WatchRunningError) as refused:
        watch_lock(engine)
    message = str(refused.value)
    assert "another `ceasefire watch` is already running against" in message
    assert _database_name(settings) in message and refused.value.database in message
    assert f"(pid {os.getpid()} on {socket.gethostname()} since " in message
    assert refused.value.code == "watch_running"
    first.release()
    first.release()  # twice: nothing
    with watch_lock(engine), pytest.raises(WatchRunningError):
        watch_lock(store.engine)
    with watch_lock(store.engine):
        pass
    assert not list(tmp_path.glob("*.watch.lock"))  # SQLite: the lock file goes with its holder


_HOLD = """
import sys, time
from ceasefire.storage import create_engine_for
from ceasefire.storage.locks import watch_lock
lock = watch_lock(create_engine_for(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


def test_a_watch_lock_held_by_a_killed_process_is_free_again(
    settings: Settings, store: Store
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, settings.database_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n", holder.stderr
        with pytest.raises(WatchRunningError, match=f"pid {holder.pid} on "):
            watch_lock(store.engine)
        holder.send_signal(signal.SIGKILL)  # no cleanup of any kind
        assert holder.wait(10) == -signal.SIGKILL
        killed = time.monotonic()
        lock = _eventually(lambda: watch_lock(store.engine), timeout=10)
        assert time.monotonic() - killed < 5
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_a_watch_holds_the_lock_from_its_first_poll_to_its_end(
    settings: Settings, store: Store, other_engine: Engine
) -> None:
    engine = other_engine
    held: list[int] = []

    def check(report: CycleReport) -> None:
        with pytest.raises(WatchRunningError):
            watch_lock(engine)
        held.append(report.number)

    with serve({}) as site:
        targets = [_feed(site, range(1))]
        with watching(settings, store, once=True) as watcher:  # --once takes it too
            watcher.on_cycle = check
            watcher.run(targets)
        assert held == [1]
        with watching(settings, store, max_cycles=2) as watcher:
            watcher.on_cycle = check
            watcher.run(targets)
        assert held == [1, 1, 2]
        hits = len(site.hits)
        with (
            watch_lock(engine),
            watching(settings, store, once=True) as refused,
            pytest.raises(WatchRunningError),
        ):
            refused.run(targets)
        assert len(site.hits) == hits  # refused before its first poll

        def fail(_report: CycleReport) -> None:
            raise RuntimeError("the watcher crashed")

        with watching(settings, store, once=True) as crashing, pytest.raises(RuntimeError):
            crashing.on_cycle = fail
            crashing.run(targets)
    with watch_lock(engine):
        pass  # released on the way out of the crash


def _lose(lock: WatchLock, store: Store) -> None:
    """Lose the lock behind its holder's back: its session ends, or its file is removed."""
    from sqlalchemy import text

    if store.engine.dialect.name == "sqlite":
        lock.path.unlink()  # type: ignore[attr-defined]
        return
    with store.engine.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                "datname = current_database() AND application_name LIKE 'ceasefire watch %'"
            )
        ).all()
    assert ended == [(True,)]


def test_a_lost_watch_lock_is_taken_again_unless_another_watcher_took_it(
    store: Store, other_engine: Engine
) -> None:
    engine = other_engine
    with watch_lock(store.engine) as lock:
        lock.keep()  # held: nothing to do
        _lose(lock, store)
        _eventually(lambda: watch_lock(engine), timeout=10).release()
        lock.keep()  # taken again
        with pytest.raises(WatchRunningError):
            watch_lock(engine)
        _lose(lock, store)
        with _eventually(lambda: watch_lock(engine), timeout=10), pytest.raises(WatchRunningError):
            lock.keep()
    with watch_lock(engine):
        pass


def test_the_postgresql_lock_session_is_idle_named_and_kept_alive(
    settings: Settings, store: Store
) -> None:
    from sqlalchemy import text

    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL sessions only")
    with watch_lock(store.engine) as lock, store.engine.connect() as conn:
        sessions = conn.execute(
            text(
                "SELECT state, application_name FROM pg_stat_activity WHERE "
                "datname = current_database() AND application_name LIKE 'ceasefire watch %'"
            )
        ).all()
        # not "idle in transaction": the lock holds no snapshot back from vacuum
        assert sessions == [("idle", f"ceasefire watch {os.getpid()}@{socket.gethostname()}"[:63])]
        held = lock.conn  # type: ignore[attr-defined]
        assert held.execute(text("SHOW tcp_keepalives_idle")).scalar() == "60"
    with store.engine.connect() as conn:
        assert not conn.execute(text("SELECT 1 FROM pg_locks WHERE locktype = 'advisory'")).all()


def test_an_in_memory_database_is_private_and_needs_no_lock() -> None:
    for url in ("sqlite://", "sqlite:///:memory:"):
        first, second = create_engine_for(url), create_engine_for(url)
        with watch_lock(first), watch_lock(second):
            pass
