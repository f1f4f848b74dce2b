"""HTML pages to text and metadata with trafilatura, then through the story cleaner.

The publication date comes only from the page's metadata (meta tags, JSON-LD, a ``<time>`` with
``datetime`` and ``pubdate``), read here; trafilatura's own date finder is not used because it also
takes dates from footers and body text ("Last updated ..."). A date written in the article text is
read by the cleaner as a page date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import trafilatura
from lxml import html as lxml_html

from ceasefire.domain import DateSource, PublishedDate
from ceasefire.pipeline.clean import Story, clean_text
from ceasefire.pipeline.dates import parse_metadata_date

# meta names and properties that state when an article was first published, most specific first
_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publish-date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
)


@dataclass(frozen=True, slots=True)
class HtmlPage:
    story: Story
    site_name: str | None
    author: str | None
    language: str | None


def _json_ld_dates(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            yield value
        for child in node.values():
            yield from _json_ld_dates(child)
    elif isinstance(node, list):
        for child in node:
            yield from _json_ld_dates(child)


def metadata_date(html: str) -> PublishedDate | None:
    """The publication date stated in the page's metadata, or ``None``."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key in _META_KEYS and content and key not in found:
            found[key] = content
    for key in _META_KEYS:
        if key in found:
            parsed = parse_metadata_date(found[key], DateSource.METADATA)
            if parsed is not None:
                return parsed
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            try:
                data = json.loads(script.text)
            except json.JSONDecodeError:
                continue
            for value in _json_ld_dates(data):
                parsed = parse_metadata_date(value, DateSource.METADATA)
                if parsed is not None:
                    return parsed
    for time_tag in tree.iter("time"):
        if time_tag.get("pubdate") is not None and time_tag.get("datetime"):
            parsed = parse_metadata_date(time_tag.get("datetime"), DateSource.METADATA)
            if parsed is not None:
                return parsed
    return None


def extract_html(html: str, url: str | None = None) -> HtmlPage | None:
    """The main story of an HTML page, or ``None`` when the page has no readable text."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        return None
    story = clean_text(text, title=getattr(doc, "title", None) or None)
    if not story.paragraphs:
        return None
    published = metadata_date(html)
    if published is not None:
        story = replace(story, published=published)
    return HtmlPage(
        story=story,
        site_name=getattr(doc, "sitename", None) or None,
        author=getattr(doc, "author", None) or None,
        language=getattr(doc, "language", None) or None,
    )
