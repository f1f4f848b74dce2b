"""HTML pages to text and metadata with trafilatura, then through the story cleaner."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from ceasefire.domain import DateSource, PublishedDate
from ceasefire.pipeline.clean import Story, clean_text
from ceasefire.pipeline.dates import parse_metadata_date

# metadata only: never guess a date from the text or the clock
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class HtmlPage:
    story: Story
    site_name: str | None
    author: str | None
    language: str | None


def extract_html(html: str, url: str | None = None) -> HtmlPage | None:
    """The main story of an HTML page, or ``None`` when the page has no readable text."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        return None
    title = getattr(doc, "title", None) or None
    story = clean_text(text, title=title)
    published: PublishedDate | None = parse_metadata_date(
        getattr(doc, "date", None), DateSource.METADATA
    )
    if published is not None:
        story = Story(story.title, published, story.paragraphs, story.captions, story.removed)
    return HtmlPage(
        story=story,
        site_name=getattr(doc, "sitename", None) or None,
        author=getattr(doc, "author", None) or None,
        language=getattr(doc, "language", None) or None,
    )
