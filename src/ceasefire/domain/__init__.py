"""Pure, typed value objects of ceasefire. No I/O here."""

from ceasefire.domain.documents import (
    Article,
    DatePrecision,
    DateSource,
    Dropped,
    DropReason,
    PublishedDate,
    Source,
    SourceDocument,
    SourceKind,
    SyndicationLink,
)

__all__ = [
    "Article",
    "DatePrecision",
    "DateSource",
    "DropReason",
    "Dropped",
    "PublishedDate",
    "Source",
    "SourceDocument",
    "SourceKind",
    "SyndicationLink",
]
