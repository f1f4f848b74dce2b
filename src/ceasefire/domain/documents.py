"""Reports as they arrive: sources, fetched documents, cleaned articles, and what was dropped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class SourceKind(StrEnum):
    NEWS = "news"
    WIRE = "wire"
    PARTY = "party"
    UN = "un"
    NGO = "ngo"
    FIELD = "field"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DateSource(StrEnum):
    """How a publication date was found, most trusted first."""

    METADATA = "metadata"  # HTML meta tags, a JSON record's field
    FEED = "feed"  # the date of the feed entry that pointed to the page
    PAGE = "page"  # a "Published ..." / "Updated ..." line in the text
    USER = "user"  # given on the command line


class DropReason(StrEnum):
    UNREADABLE = "unreadable"
    BINARY = "binary"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNDECODABLE = "undecodable"
    UNSUPPORTED = "unsupported"
    MALFORMED = "malformed"
    HTTP_STATUS = "http_status"
    TIMEOUT = "timeout"
    NETWORK = "network"
    REFUSED_ADDRESS = "refused_address"
    MALFORMED_FEED = "malformed_feed"
    NO_TEXT = "no_text"
    ERROR = "error"  # an unexpected failure of this item; the batch goes on


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet or reporting body."""

    name: str
    kind: SourceKind = SourceKind.NEWS
    domain: str | None = None
    reliability: str = "F"  # Admiralty code A-F; F = cannot be judged

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a source needs a name")
        if self.reliability not in ("A", "B", "C", "D", "E", "F"):
            raise ValueError(f"reliability must be A-F, not {self.reliability!r}")


@dataclass(frozen=True, slots=True)
class PublishedDate:
    value: date
    precision: DatePrecision
    source: DateSource


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """What was read or fetched, immutable. ``id`` is the sha256 of ``raw``."""

    id: str
    locator: str  # URL, file path, "path#line" for a JSON record, or "-" for stdin
    media_type: str  # text/plain, text/html, text/markdown, application/json
    fetched_at: datetime
    raw: bytes
    source: Source | None = None  # named by the user or the record itself
    source_kind: SourceKind = SourceKind.NEWS
    url: str | None = None
    title_hint: str | None = None
    published_hint: PublishedDate | None = None  # from a feed entry or the user

    @staticmethod
    def digest(raw: bytes) -> str:
        return hashlib.sha256(raw).hexdigest()

    def __post_init__(self) -> None:
        if self.id != self.digest(self.raw):
            raise ValueError("a document id must be the sha256 of its raw bytes")


@dataclass(frozen=True, slots=True)
class Article:
    """One story, cleaned. Several articles may come from one document (``index``)."""

    document_id: str
    index: int
    title: str | None
    text: str
    published: PublishedDate | None
    source: Source | None = None
    url: str | None = None
    author: str | None = None
    captions: tuple[str, ...] = ()
    language: str = "und"
    extractor: str = "clean/1"

    @property
    def id(self) -> str:
        return hashlib.sha256(f"{self.document_id}:{self.index}".encode()).hexdigest()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.text.split("\n\n") if p)


@dataclass(frozen=True, slots=True)
class SyndicationLink:
    """An article's membership of a group of near-duplicate copies of one story."""

    article_id: str
    group_id: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Dropped:
    """Why an item left the pipeline."""

    item: str
    stage: str
    reason: DropReason
    detail: str
    at: datetime | None = field(default=None, compare=False)
