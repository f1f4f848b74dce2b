"""RSS and Atom feeds with feedparser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import feedparser

from ceasefire.domain import DatePrecision, DateSource, DropReason, PublishedDate
from ceasefire.errors import IngestError

_FEED_SNIFF = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str | None
    title: str | None
    published: PublishedDate | None
    content_html: str | None
    id: str | None = None  # the entry's guid (RSS) or id (Atom), when it has one


def looks_like_feed(content_type: str | None, body: bytes) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    return bool(_FEED_SNIFF.match(body[:2048]))


def _entry_date(entry: feedparser.FeedParserDict) -> PublishedDate | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                day = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
            return PublishedDate(day, DatePrecision.DAY, DateSource.FEED)
    return None


def parse_feed(body: bytes, limit: int) -> list[FeedEntry]:
    """The first ``limit`` entries of a feed. Raises ``malformed_feed`` when it cannot be read."""
    parsed = feedparser.parse(body)
    usable = [e for e in parsed.entries if e.get("link") or e.get("content") or e.get("summary")]
    if not usable and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if problem else ""
        raise IngestError(DropReason.MALFORMED_FEED, f"not a readable RSS or Atom feed{detail}")
    entries = []
    for entry in parsed.entries[:limit]:
        content = entry.get("content")
        html = content[0].get("value") if content else entry.get("summary")
        entries.append(
            FeedEntry(
                link=entry.get("link") or None,
                title=entry.get("title") or None,
                published=_entry_date(entry),
                content_html=html or None,
                id=entry.get("id") or None,
            )
        )
    return entries
