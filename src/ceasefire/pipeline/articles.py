"""Clean and split: a source document in, its articles out."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ceasefire.domain import Article, DateSource, DropReason, PublishedDate, Source, SourceDocument
from ceasefire.errors import IngestError
from ceasefire.pipeline import clean
from ceasefire.pipeline.clean import Story, clean_text, split_page
from ceasefire.pipeline.dates import parse_metadata_date
from ceasefire.pipeline.decode import decode_text
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


def _source_for(doc: SourceDocument, site_name: str | None) -> Source | None:
    if doc.source is not None:
        return doc.source
    domain = urlsplit(doc.url).hostname if doc.url else None
    if domain and domain.startswith("www."):
        domain = domain[4:]
    name = site_name or domain
    return Source(name=name, kind=doc.source_kind, domain=domain) if name else None


def _stories_from_record(
    record: Mapping[str, Any], doc: SourceDocument
) -> tuple[list[Story], str | None]:
    title = record.get("title") if isinstance(record.get("title"), str) else None
    site_name: str | None = None
    html = record.get("html")
    text = record.get("text")
    if isinstance(html, str) and html.strip():
        page = extract_html(html, url=doc.url)
        if page is None:
            raise IngestError(DropReason.NO_TEXT, "the record's html holds no readable text")
        story, site_name = page.story, page.site_name
        if title:
            story = Story(title, story.published, story.paragraphs, story.captions, story.removed)
    elif isinstance(text, str) and text.strip():
        story = clean_text(text, title=title)
    else:
        raise IngestError(DropReason.NO_TEXT, "the record has no 'text' or 'html' field")
    published = parse_metadata_date(
        str(record["published"]) if record.get("published") else None, DateSource.METADATA
    )
    if record.get("published") and published is None:
        raise IngestError(
            DropReason.MALFORMED,
            f"the record's 'published' value {record['published']!r} is not a date",
        )
    if published is not None:
        story = Story(story.title, published, story.paragraphs, story.captions, story.removed)
    return [story], site_name


def _stories(doc: SourceDocument) -> tuple[list[Story], str | None, str | None]:
    """Stories of a document, the site name found in it, and its language if declared."""
    if doc.media_type == "application/json":
        try:
            record = json.loads(doc.raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise IngestError(DropReason.MALFORMED, f"not a valid JSON record: {exc}") from exc
        if not isinstance(record, dict):
            raise IngestError(DropReason.MALFORMED, "a JSON record must be an object")
        stories, site = _stories_from_record(record, doc)
        return stories, site, None
    text = decode_text(doc.raw)
    if doc.media_type == "text/html":
        page = extract_html(text, url=doc.url)
        if page is None:
            raise IngestError(DropReason.NO_TEXT, "the HTML page holds no readable article text")
        return [page.story], page.site_name, page.language
    if doc.media_type == "text/markdown":
        text = markdown_to_text(text)
    return split_page(text), None, None


def _published(story: Story, index: int, doc: SourceDocument) -> PublishedDate | None:
    if story.published is not None:
        return story.published
    # a hint describes the page, so it dates only the page's first story
    return doc.published_hint if index == 0 else None


def document_articles(doc: SourceDocument) -> list[Article]:
    """Every article of ``doc``. Raises :class:`IngestError` when none can be read."""
    stories, site_name, language = _stories(doc)
    stories = [story for story in stories if story.paragraphs]
    if not stories:
        raise IngestError(DropReason.NO_TEXT, "no article text was found after cleaning")
    source = _source_for(doc, site_name)
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
                url=doc.url,
                captions=story.captions,
                language=(language or guess_language(story.text))[:8],
                extractor=EXTRACTOR,
            )
        )
    return articles
