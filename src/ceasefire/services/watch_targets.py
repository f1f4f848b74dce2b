"""Polling one watched target incrementally, for :mod:`ceasefire.services.watch`.

A feed is fetched with its validators (If-None-Match, If-Modified-Since); of its entries only those
not handled before have their page fetched. A page is ingested when the server says it changed.
A folder (or a file) is listed and only files that are new, or whose size or modification time
changed, are read; a file is read once it has settled (unmodified for ``settle`` seconds, or seen
unchanged by the previous poll), so a file still being copied in waits for the next poll.

The items of a poll are produced lazily and consumed by :class:`~ceasefire.services.ingest.
Ingestor`; what a poll records (an entry or a file as done) is written when the consumer asks for
the next item, that is once the item before has been stored. A poll stopped midway records
nothing about what it did not finish, and keeps no validators, so the next poll takes it up.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path

from ceasefire.adapters.feeds import FeedEntry, looks_like_feed, parse_feed
from ceasefire.adapters.files import expand
from ceasefire.adapters.http import Fetched, HttpFetcher, NotModified, Validators
from ceasefire.adapters.items import Failure, Item, RawItem
from ceasefire.config import Settings
from ceasefire.domain import DropReason
from ceasefire.errors import IngestError
from ceasefire.services.sources import (
    ItemSource,
    is_url,
    media_type,
    page_items,
)
from ceasefire.storage.watch import EntryMark, FileMark, TargetState, WatchRepository, key

#: failures of an entry's page that may pass; other failures (and success) are final
RETRYABLE = frozenset({DropReason.NETWORK, DropReason.TIMEOUT, DropReason.HTTP_STATUS})
#: how many times an entry's page is tried in all
ENTRY_ATTEMPTS = 3

Poll = Generator[Item, None, None]


@dataclass
class PollOutcome:
    """What polling one target came to, filled in while its items are consumed."""

    kind: str | None = None  # feed, page, folder, file
    done: bool = False  # the poll ran to its end (it was not stopped midway)
    failure: Failure | None = None  # the target itself failed: unreachable, malformed feed…
    not_modified: bool = False  # the server answered 304
    validators: Validators | None = None  # to keep; None: read the target in full next time
    read: int = 0  # entry pages fetched, pages or files read
    skipped: int = 0  # entries or files handled before: neither fetched nor read
    settling: int = 0  # files left for the next poll because they are still changing


def entry_ident(entry: FeedEntry) -> str:
    """What identifies a feed entry: its guid or id, else its link, else its content."""
    if entry.id:
        return entry.id
    if entry.link:
        return entry.link
    content = (entry.content_html or "") + "\x00" + (entry.title or "")
    return "content:" + hashlib.sha256(content.encode("utf-8")).hexdigest()


class TargetPoller(ItemSource):
    """An :class:`ItemSource` whose items are those a poll of each queued target finds new."""

    def __init__(
        self,
        fetcher: HttpFetcher,
        settings: Settings,
        repo: WatchRepository,
        stop: threading.Event,
        settle: float,
    ) -> None:
        super().__init__(fetcher, settings.max_file_bytes, settings.feed_max_entries)
        self.repo = repo
        self.stop = stop
        self.settle = settle
        self._queued: dict[str, Iterator[Item]] = {}
        self._changing: dict[str, FileMark] = {}  # files seen changing by the previous poll

    def queue(self, polls: Sequence[tuple[TargetState, PollOutcome]], now: datetime) -> bool:
        """Prepare the polls of these targets; whether any of them has an item to ingest.

        Targets are polled in order up to the first that has an item, so that a cycle with
        nothing new runs no ingestion at all; the rest are polled as they are consumed."""
        self._queued = {}
        found = False
        for state, outcome in polls:
            stream: Iterator[Item] = self._poll(state, outcome, now)
            if not found:
                first = next(stream, None)
                if first is None:
                    continue  # polled in full, nothing new
                stream = chain([first], stream)
                found = True
            self._queued[state.target] = stream
        return found

    def items(self, target: str, stdin: bytes | None = None) -> Iterator[Item]:
        return self._queued.pop(target, iter(()))

    # -------------------------------------------------------------------------------------
    def _poll(self, state: TargetState, outcome: PollOutcome, now: datetime) -> Poll:
        if is_url(state.target):
            yield from self._poll_url(state, outcome, now)
        else:
            yield from self._poll_path(state, outcome, now)

    @staticmethod
    def _failed(outcome: PollOutcome, locator: str, reason: DropReason, detail: str) -> Failure:
        outcome.failure = Failure(locator, reason, detail)
        return outcome.failure

    def _all(self, items: Iterable[Item]) -> Generator[Item, None, bool]:
        """The items, up to a stop request; whether they were all yielded."""
        for item in items:
            if self.stop.is_set():
                return False
            yield item
        return True

    def _poll_url(self, state: TargetState, outcome: PollOutcome, now: datetime) -> Poll:
        url = state.target
        known = Validators(state.etag, state.last_modified)
        try:
            fetched = self.fetcher.fetch_if_changed(url, known if known.headers() else None)
        except IngestError as exc:
            yield self._failed(outcome, url, DropReason(exc.reason), str(exc))
            outcome.done = True
            return
        if isinstance(fetched, NotModified):
            outcome.kind, outcome.not_modified, outcome.validators = state.kind, True, known
            outcome.done = True
            return
        if looks_like_feed(fetched.content_type, fetched.body):
            yield from self._poll_feed(state, fetched, outcome, now)
            return
        if state.kind == "feed":
            kind = media_type(fetched.content_type) or "an untyped body"
            detail = f"{url} was a feed and now serves {kind}, not RSS or Atom"
            yield self._failed(outcome, url, DropReason.MALFORMED_FEED, detail)
            outcome.done = True
            return
        outcome.kind = "page"
        if (yield from self._all(page_items(url, fetched))):
            outcome.read = 1
            outcome.validators = Validators(fetched.etag, fetched.last_modified)
            outcome.done = True

    def _poll_feed(
        self, state: TargetState, fetched: Fetched, outcome: PollOutcome, now: datetime
    ) -> Poll:
        url = state.target
        try:
            entries = parse_feed(fetched.body, self.feed_max_entries)
        except IngestError as exc:
            yield self._failed(outcome, url, DropReason(exc.reason), str(exc))
            outcome.done = True
            return
        outcome.kind = "feed"
        marks = self.repo.entries(url)
        retry_left = False
        for entry in entries:
            ident = entry_ident(entry)
            mark = marks.get(key(ident))
            if mark is not None and mark.status != "retry":
                outcome.skipped += 1
                continue
            if self.stop.is_set():
                return
            item = self._entry_item(entry, f"{url}#entry-{key(ident)[:12]}")
            yield item
            # the item is stored (or recorded as dropped): the entry is done with
            attempts = (mark.attempts if mark else 0) + 1
            if isinstance(item, RawItem):
                new, reason = EntryMark("ingested", attempts), None
            else:
                retry = item.reason in RETRYABLE and attempts < ENTRY_ATTEMPTS
                retry_left = retry_left or retry
                new, reason = EntryMark("retry" if retry else "failed", attempts), item.reason
            self.repo.mark_entry(url, ident, new, reason, now)
            marks[key(ident)] = new
            outcome.read += 1
        # an entry left to retry is only seen again if the feed is read in full next time
        if not retry_left:
            outcome.validators = Validators(fetched.etag, fetched.last_modified)
        outcome.done = True

    def _poll_path(self, state: TargetState, outcome: PollOutcome, now: datetime) -> Poll:
        target = state.target
        path = Path(target)
        try:
            if not path.exists():
                raise FileNotFoundError(target)
            outcome.kind = "folder" if path.is_dir() else "file"
            files = list(expand(path))
        except OSError as exc:
            detail = f"cannot read {target}: {exc.strerror or 'no such file or folder'}"
            yield self._failed(outcome, target, DropReason.UNREADABLE, detail)
            outcome.done = True
            return
        marks = self.repo.files(target)
        present: set[str] = set()
        for file in files:
            name = str(file)
            try:
                info = file.stat()
            except OSError:
                continue  # gone since it was listed
            present.add(name)
            mark = FileMark(info.st_size, info.st_mtime_ns)
            if marks.get(name) == mark:
                outcome.skipped += 1
                continue
            if not self._settled(name, mark, now):
                outcome.settling += 1
                continue
            if not (yield from self._all(self._file(file))):
                return
            self.repo.mark_file(target, name, mark, now)
            outcome.read += 1
        self.repo.forget_files(target, marks.keys() - present)
        outcome.done = True

    def _settled(self, name: str, mark: FileMark, now: datetime) -> bool:
        """Whether a new or changed file can be read: unmodified for ``settle`` seconds, or
        unchanged since the previous poll (which also covers a clock that disagrees)."""
        age = now.timestamp() - mark.mtime_ns / 1e9
        if self.settle <= 0 or age >= self.settle or self._changing.get(name) == mark:
            self._changing.pop(name, None)
            return True
        self._changing[name] = mark
        return False
