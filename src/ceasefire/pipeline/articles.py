"""Clean and split: a source document in, its articles out."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ceasefire.domain import Article, DateSource, DropReason, PublishedDate, Source, SourceDocument
from ceasefire.errors import IngestError
from ceasefire.pipeline import clean
from ceasefire.pipeline.clean import Story, clean_text, split_page
from ceasefire.pipeline.dates import parse_metadata_date
from ceasefire.pipeline.decode import decode_text
from ceasefire.pipeline.frontmatter import split_front_matter
from ceasefire.pipeline.html import extract_html
from ceasefire.pipeline.markdown import markdown_to_text

EXTRACTOR = f"{clean.STAGE}/{clean.VERSION}"

_ENGLISH = frozenset(
    """the of and to in a is that for on with as was by at from said has have it are were be an
    its after which this not but their they will who his had been""".split()
)
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.I)


def guess_language(text: str) -> str:
    """``en`` when the text reads as English, else ``und`` (undetermined)."""
    words = re.findall(r"[a-z]+", text.lower())[:400]
    if len(words) < 5:
        return "und"
    share = sum(1 for w in words if w in _ENGLISH) / len(words)
    return "en" if share >= 0.15 else "und"


def looks_like_html(raw: bytes) -> bool:
    return bool(_HTML_SNIFF.match(raw[:512]))


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a document holds before it becomes articles."""

    stories: list[Story]
    site_name: str | None = None
    author: str | None = None
    language: str | None = None
    url: str | None = None


def _field(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _source_for(doc: SourceDocument, parsed: _Parsed) -> Source | None:
    """Who published it: named by the user or record, else the site name, else the web domain."""
    if doc.source is not None:
        return doc.source
    url = doc.url or parsed.url
    domain = urlsplit(url).hostname if url else None
    if domain and domain.startswith("www."):
        domain = domain[4:]
    name = parsed.site_name or domain
    return Source(name=name, kind=doc.source_kind, domain=domain) if name else None


def _from_html(html: str, doc: SourceDocument, what: str) -> _Parsed:
    page = extract_html(html, url=doc.url)
    if page is None:
        raise IngestError(DropReason.NO_TEXT, f"{what} holds no readable article text")
    return _Parsed([page.story], page.site_name, page.author, page.language)


def _from_record(record: Mapping[str, Any], doc: SourceDocument) -> _Parsed:
    title = _field(record, "title")
    html, text = _field(record, "html"), _field(record, "text")
    if html:
        parsed = _from_html(html, doc, "the record's html")
        story = parsed.stories[0]
        if title:
            story = replace(story, title=title)
    elif text:
        parsed = _Parsed([])
        story = clean_text(text, title=title)
    else:
        raise IngestError(DropReason.NO_TEXT, "the record has no 'text' or 'html' field")
    raw_date = record.get("published")
    published = parse_metadata_date(str(raw_date) if raw_date else None, DateSource.METADATA)
    if raw_date and published is None:
        raise IngestError(
            DropReason.MALFORMED, f"the record's 'published' value {raw_date!r} is not a date"
        )
    if published is not None:
        story = replace(story, published=published)
    return replace(parsed, stories=[story], author=_field(record, "author") or parsed.author)


def _parse(doc: SourceDocument) -> _Parsed:
    if doc.media_type == "application/json":
        try:
            record = json.loads(doc.raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise IngestError(DropReason.MALFORMED, f"not a valid JSON record: {exc}") from exc
        if not isinstance(record, dict):
            raise IngestError(DropReason.MALFORMED, "a JSON record must be an object")
        return _from_record(record, doc)
    text = decode_text(doc.raw)
    if doc.media_type == "text/html":
        return _from_html(text, doc, "the HTML page")
    fields, text = split_front_matter(text)
    if doc.media_type == "text/markdown":
        text = markdown_to_text(text)
    stories = split_page(text)
    published = parse_metadata_date(fields.get("published"), DateSource.METADATA)
    if stories and (published or fields.get("title")):
        # the header describes the file, so it speaks for the first story only
        first = stories[0]
        stories[0] = replace(
            first,
            title=first.title or fields.get("title"),
            published=published or first.published,
        )
    return _Parsed(stories, fields.get("source"), fields.get("author"), url=fields.get("url"))


def _published(story: Story, index: int, doc: SourceDocument) -> PublishedDate | None:
    if story.published is not None:
        return story.published
    # a hint describes the page, so it dates only the page's first story
    return doc.published_hint if index == 0 else None


def document_articles(doc: SourceDocument) -> list[Article]:
    """Every article of ``doc``. Raises :class:`IngestError` when none can be read."""
    parsed = _parse(doc)
    stories = [story for story in parsed.stories if story.paragraphs]
    if not stories:
        raise IngestError(DropReason.NO_TEXT, "no article text was found after cleaning")
    source = _source_for(doc, parsed)
    articles = []
    for index, story in enumerate(stories):
        title = story.title or (doc.title_hint if index == 0 else None)
        articles.append(
            Article(
                document_id=doc.id,
                index=index,
                title=title,
                text=story.text,
                published=_published(story, index, doc),
                source=source,
                url=doc.url or parsed.url,
                author=parsed.author,
                captions=story.captions,
                language=(parsed.language or guess_language(story.text))[:8],
                extractor=EXTRACTOR,
            )
        )
    return articles
