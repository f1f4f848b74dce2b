"""What a source adapter hands to ingestion: raw bytes with what is known about them."""

from __future__ import annotations

from dataclasses import dataclass

from ceasefire.domain import DropReason, PublishedDate


@dataclass(frozen=True, slots=True)
class RawItem:
    locator: str
    raw: bytes
    media_type: str  # text/plain, text/html, text/markdown, application/json
    url: str | None = None
    title: str | None = None
    published: PublishedDate | None = None
    source_name: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    locator: str
    reason: DropReason
    detail: str


Item = RawItem | Failure
