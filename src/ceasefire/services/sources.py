"""Where ingestion items come from: paths, URLs, feeds and standard input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ceasefire.adapters.feeds import FeedEntry, looks_like_feed, parse_feed
from ceasefire.adapters.files import FEED_TYPES, MEDIA_TYPES, expand, json_records, read_file
from ceasefire.adapters.http import Fetched, HttpFetcher
from ceasefire.adapters.items import Failure, Item, RawItem
from ceasefire.domain import DropReason
from ceasefire.errors import IngestError
from ceasefire.pipeline.articles import looks_like_html

_TEXT_TYPES = {
    "text/html": "text/html",
    "application/xhtml+xml": "text/html",
    "text/plain": "text/plain",
    "text/markdown": "text/markdown",
    "text/x-markdown": "text/markdown",
}


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def sniff_media_type(raw: bytes) -> str:
    return "text/html" if looks_like_html(raw) else "text/plain"


def _records_or_text(locator: str, raw: bytes) -> Iterator[Item]:
    """Standard input or an untyped body: JSON records, HTML or plain text, by their look."""
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            json.loads(raw)
            yield from json_records(locator, raw, lines=False)
            return
        except (json.JSONDecodeError, UnicodeDecodeError):
            if head == b"{":
                yield from json_records(locator, raw, lines=True)
                return
    yield RawItem(locator, raw, sniff_media_type(raw))


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, without its parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def entry_page_type(fetched: Fetched) -> str:
    """The media type of a feed entry's page: a text type it declares, else by its look."""
    return _TEXT_TYPES.get(media_type(fetched.content_type)) or sniff_media_type(fetched.body)


def page_items(url: str, fetched: Fetched) -> Iterator[Item]:
    """The items of a fetched page that is not a feed, by its content type."""
    kind = media_type(fetched.content_type)
    if kind in _TEXT_TYPES:
        yield RawItem(url, fetched.body, _TEXT_TYPES[kind], url=fetched.url)
    elif kind in ("application/json", "application/x-ndjson", "application/jsonl"):
        yield from json_records(url, fetched.body, lines=kind != "application/json")
    elif kind and not kind.startswith("text/") and kind != "application/octet-stream":
        yield Failure(url, DropReason.UNSUPPORTED, f"unsupported content type {kind!r}")
    else:
        yield RawItem(url, fetched.body, sniff_media_type(fetched.body), url=fetched.url)


class ItemSource:
    """Turns ingestion targets into items, fetching what needs fetching."""

    def __init__(self, fetcher: HttpFetcher, max_file_bytes: int, feed_max_entries: int) -> None:
        self.fetcher = fetcher
        self.max_file_bytes = max_file_bytes
        self.feed_max_entries = feed_max_entries

    def count(self, target: str) -> int:
        """How many files a target holds (a URL or standard input counts as one)."""
        if target == "-" or is_url(target):
            return 1
        return sum(1 for _ in expand(Path(target)))

    def items(self, target: str, stdin: bytes | None = None) -> Iterator[Item]:
        if target == "-":
            yield from _records_or_text("<stdin>", stdin or b"")
        elif is_url(target):
            yield from self._url(target)
        else:
            for path in expand(Path(target)):
                yield from self._file(path)

    def _file(self, path: Path) -> Iterator[Item]:
        locator = str(path)
        media_type = MEDIA_TYPES.get(path.suffix.lower())
        if media_type is None:
            yield Failure(
                locator,
                DropReason.UNSUPPORTED,
                f"unsupported file type {path.suffix or '(none)'!r}: "
                "use .txt, .html, .htm, .md, .json, .jsonl, .rss, .atom or .xml",
            )
            return
        raw = read_file(path, self.max_file_bytes)
        if isinstance(raw, Failure):
            yield raw
        elif media_type == "application/json":
            yield from json_records(locator, raw, lines=path.suffix.lower() == ".jsonl")
        elif media_type in FEED_TYPES:
            yield from self._feed(locator, raw)
        elif media_type == "text/plain" and looks_like_html(raw):
            yield RawItem(locator, raw, "text/html")
        else:
            yield RawItem(locator, raw, media_type)

    def _fetch(self, url: str) -> Fetched | Failure:
        try:
            return self.fetcher.fetch(url)
        except IngestError as exc:
            return Failure(url, DropReason(exc.reason), str(exc))

    def _url(self, url: str) -> Iterator[Item]:
        fetched = self._fetch(url)
        if isinstance(fetched, Failure):
            yield fetched
            return
        if looks_like_feed(media_type(fetched.content_type), fetched.body):
            yield from self._feed(url, fetched.body)
        else:
            yield from page_items(url, fetched)

    def _feed(self, locator: str, body: bytes) -> Iterator[Item]:
        try:
            entries = parse_feed(body, self.feed_max_entries)
        except IngestError as exc:
            yield Failure(locator, DropReason(exc.reason), str(exc))
            return
        for number, entry in enumerate(entries):
            yield self._entry_item(entry, f"{locator}#entry{number}")

    def _entry_item(self, entry: FeedEntry, locator: str) -> Item:
        """A feed entry's item: its linked page, else its own content (``locator`` names it)."""
        if entry.link and is_url(entry.link):
            fetched = self._fetch(entry.link)
            if isinstance(fetched, Failure):
                return fetched
            return RawItem(
                entry.link,
                fetched.body,
                entry_page_type(fetched),
                url=fetched.url,
                title=entry.title,
                published=entry.published,
            )
        if entry.content_html:
            return RawItem(
                locator,
                entry.content_html.encode("utf-8"),
                "text/html",
                title=entry.title,
                published=entry.published,
            )
        return Failure(locator, DropReason.EMPTY, "feed entry has no link or content")
