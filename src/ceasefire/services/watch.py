"""Watch use case: poll feeds, pages, folders and files on an interval, ingest what is new,
process it, and keep a checkpoint in the database so that a restarted watcher resumes.

Each cycle polls the targets that are due (:mod:`ceasefire.services.watch_targets` reads each one
incrementally), ingests what they hold that is new in one ingest run, then runs ``process`` when
new articles were stored or an earlier run left work pending. A target that fails backs off
exponentially (:func:`backoff_delay`) while the others keep being polled.

Stopping is cooperative: the ``stop`` event is checked between items, the wait between cycles
wakes at once when it is set, and extraction stops after the article in hand (every document and
every article's events are their own transaction, and fusion catches up on the next run). The
clock is injected, so tests drive time.

One watcher runs against a database at a time: :meth:`Watcher.run` holds the watch lock
(:mod:`ceasefire.storage.locks`) from before its first poll to its end, unless it is given a lock
its caller took earlier, and checks at each cycle that the lock is still held.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import Settings
from ceasefire.domain import Dropped, DropReason
from ceasefire.domain.taxonomy import Taxonomy
from ceasefire.errors import IngestError
from ceasefire.pipeline.extract.extractor import Extractor
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.process import ProcessSummary, process
from ceasefire.services.sources import is_url
from ceasefire.services.watch_targets import PollOutcome, TargetPoller
from ceasefire.storage import Store
from ceasefire.storage.events import EventRepository
from ceasefire.storage.locks import WatchLock, watch_lock
from ceasefire.storage.watch import TargetState, WatchRepository

#: the shortest wait between cycles, so that no mistake can spin the loop
_MIN_PAUSE = 0.05


def backoff_delay(interval: float, failures: int, max_backoff: float) -> float:
    """Seconds until the next attempt at a target after ``failures`` consecutive failures:
    ``interval`` while it works, then ``min(interval × 2^(failures−1), max_backoff)``."""
    if failures <= 0:
        return interval
    return min(interval * 2.0 ** min(failures - 1, 64), max_backoff)


def after_poll(
    state: TargetState,
    outcome: PollOutcome,
    now: datetime,
    interval: float,
    max_backoff: float,
) -> TargetState:
    """A target's state once a poll of it ran to its end."""
    kind = outcome.kind or state.kind
    if outcome.failure is not None:
        failures = state.failures + 1
        delay = backoff_delay(interval, failures, max_backoff)
        return replace(
            state,
            kind=kind,
            last_poll=now,
            failures=failures,
            next_attempt=now + timedelta(seconds=delay),
            last_reason=outcome.failure.reason.value,
            last_error=outcome.failure.detail,
        )  # validators kept: they describe the last full read
    validators = outcome.validators
    return replace(
        state,
        kind=kind,
        last_poll=now,
        last_success=now,
        failures=0,
        next_attempt=now + timedelta(seconds=interval),
        etag=validators.etag if validators else None,
        last_modified=validators.last_modified if validators else None,
        last_reason=None,
        last_error=None,
    )


def is_due(state: TargetState, now: datetime, starting: bool = False) -> bool:
    """Whether a target is polled now. When a watch starts, every target that is not backing
    off is (the interval may have changed, and a watch run from cron with ``--once`` must
    poll); a failing target waits for its next attempt, across restarts too."""
    if starting and state.failures == 0:
        return True
    return state.next_attempt is None or state.next_attempt <= now


def normalise(targets: Sequence[str]) -> list[str]:
    """URLs as given, paths made absolute (so the checkpoint does not depend on the working
    folder), each once, in order."""
    seen: list[str] = []
    for target in targets:
        if target == "-":
            raise IngestError(
                DropReason.UNSUPPORTED, "standard input cannot be watched: use `ceasefire ingest -`"
            )
        name = target if is_url(target) else str(Path(target).expanduser().absolute())
        if name not in seen:
            seen.append(name)
    return seen


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        """Wait ``seconds``, or less when ``stop`` is set."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)


class Processor(Protocol):
    """Extraction, fusion and assessment of what ingestion stored."""

    def pending(self) -> bool:
        """Whether stored work is waiting: articles not extracted, or events not fused."""

    def run(self, stop: threading.Event) -> ProcessSummary:
        """Process what is pending, stopping after the article in hand once ``stop`` is set
        (the summary says ``stopped`` then)."""


class StoreProcessor:
    """:func:`ceasefire.services.process.process` with an extractor built once."""

    def __init__(self, store: Store, extractor: Extractor, taxonomy: Taxonomy) -> None:
        self.store = store
        self.extractor = extractor
        self.taxonomy = taxonomy

    def pending(self) -> bool:
        repo = EventRepository(self.store)
        return repo.count_pending(self.extractor.coder) > 0 or repo.has_unfused()

    def run(self, stop: threading.Event) -> ProcessSummary:
        return process(self.store, self.extractor, self.taxonomy, stop=stop)


@dataclass(frozen=True, slots=True)
class WatchOptions:
    interval: float = 300.0
    max_backoff: float = 3600.0
    settle: float = 2.0
    once: bool = False
    max_cycles: int | None = None
    ingest: IngestOptions = field(default_factory=IngestOptions)


@dataclass(frozen=True, slots=True)
class TargetFailure:
    target: str
    reason: str
    detail: str
    failures: int
    retry_at: datetime


@dataclass
class CycleReport:
    """What one cycle did."""

    number: int
    started: datetime
    targets: int
    polled: int = 0
    not_modified: int = 0
    backing_off: int = 0  # failing targets waiting for their next attempt
    read: int = 0  # entry pages fetched, pages and files read
    skipped: int = 0  # entries and files seen before: not fetched, not read
    settling: int = 0
    documents_new: int = 0
    documents_duplicate: int = 0
    articles_new: int = 0
    dropped: list[Dropped] = field(default_factory=list)
    failures: list[TargetFailure] = field(default_factory=list)
    processed: ProcessSummary | None = None
    stopped: bool = False

    def dropped_by_reason(self) -> Counter[str]:
        return Counter(d.reason.value for d in self.dropped)


@dataclass
class WatchSummary:
    """What a whole watch did, from start to stop."""

    cycles: int = 0
    documents_new: int = 0
    articles_new: int = 0
    dropped: int = 0
    articles_processed: int = 0
    events: int = 0
    stopped: bool = False  # by the stop event, not by --once or --max-cycles

    def add(self, report: CycleReport) -> None:
        self.cycles += 1
        self.documents_new += report.documents_new
        self.articles_new += report.articles_new
        self.dropped += len(report.dropped)
        if report.processed is not None:
            self.articles_processed += report.processed.articles
            self.events += report.processed.events


class Watcher:
    """Polls targets until ``stop`` is set (or ``once`` / ``max_cycles`` is reached)."""

    def __init__(
        self,
        store: Store,
        fetcher: HttpFetcher,
        settings: Settings,
        options: WatchOptions,
        *,
        processor: Processor | None = None,
        stop: threading.Event | None = None,
        clock: Clock | None = None,
        on_cycle: Callable[[CycleReport], None] | None = None,
        lock: WatchLock | None = None,
    ) -> None:
        """``lock``: the watch lock, when the caller took it already (to fail before loading a
        model, say); else :meth:`run` takes it."""
        self.store = store
        self.lock = lock
        self.options = options
        self.processor = processor
        self.stop = stop or threading.Event()
        self.clock = clock or SystemClock()
        self.on_cycle = on_cycle
        self.repo = WatchRepository(store)
        self.poller = TargetPoller(fetcher, settings, self.repo, self.stop, options.settle)
        self.cycles = 0

    def run(self, targets: Sequence[str]) -> WatchSummary:
        """Watch ``targets`` holding the watch lock; raises
        :class:`ceasefire.errors.WatchRunningError` when another watcher holds it."""
        names = normalise(targets)
        with ExitStack() as stack:
            lock = self.lock
            if lock is None:
                lock = stack.enter_context(watch_lock(self.store.engine))
            return self._run(names, lock)

    def _run(self, names: list[str], lock: WatchLock) -> WatchSummary:
        summary = WatchSummary()
        pending = self.processor is not None and self.processor.pending()
        while not self.stop.is_set():
            lock.keep()
            report = self.cycle(names, process_anyway=pending, starting=summary.cycles == 0)
            pending = False
            summary.add(report)
            if self.on_cycle is not None:
                self.on_cycle(report)
            limit = self.options.max_cycles
            if self.options.once or (limit is not None and summary.cycles >= limit):
                break
            self.clock.sleep(self._pause(names), self.stop)
        summary.stopped = self.stop.is_set()
        return summary

    def _pause(self, names: Sequence[str]) -> float:
        """Seconds until the first target is due."""
        now = self.clock.now()
        states = self.repo.states(names).values()
        waits = [(s.next_attempt - now).total_seconds() if s.next_attempt else 0.0 for s in states]
        return max(min(waits, default=self.options.interval), _MIN_PAUSE)

    def cycle(
        self, targets: Sequence[str], process_anyway: bool = False, starting: bool = False
    ) -> CycleReport:
        """Poll the due targets, ingest what is new, process it (also when ``process_anyway``).
        ``targets`` are normalised; ``starting``: the first cycle of a watch (see :func:`is_due`).
        """
        self.repo.ensure(targets)
        now = self.clock.now()
        self.cycles += 1
        states = self.repo.states(targets)
        due = [states[t] for t in targets if is_due(states[t], now, starting)]
        polled = {state.target for state in due}
        failing = sum(1 for t in targets if states[t].failures and t not in polled)
        report = CycleReport(self.cycles, now, len(targets), backing_off=failing)
        polls = [(state, PollOutcome()) for state in due]
        if polls and self.poller.queue(polls, now):
            ingested = Ingestor(self.store, self.poller, self.options.ingest).run(
                [state.target for state in due]
            )
            report.documents_new = ingested.documents_new
            report.documents_duplicate = ingested.documents_duplicate
            report.articles_new = ingested.articles_new
            report.dropped = ingested.dropped
        for state, outcome in polls:
            if not outcome.done:
                continue  # stopped before its end: polled again, from where it stands, next time
            report.polled += 1
            report.not_modified += outcome.not_modified
            report.read += outcome.read
            report.skipped += outcome.skipped
            report.settling += outcome.settling
            new = after_poll(state, outcome, now, self.options.interval, self.options.max_backoff)
            self.repo.save(new)
            if outcome.failure is not None and new.next_attempt is not None:
                failure = outcome.failure
                report.failures.append(
                    TargetFailure(
                        state.target,
                        failure.reason.value,
                        failure.detail,
                        new.failures,
                        new.next_attempt,
                    )
                )
        wanted = report.articles_new > 0 or process_anyway
        if self.processor is not None and wanted and not self.stop.is_set():
            # when stopped midway, the articles extracted so far are saved and said so; the
            # rest, and their fusion, wait for the next run
            report.processed = self.processor.run(self.stop)
        report.stopped = self.stop.is_set()
        return report
