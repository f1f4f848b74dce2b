from datetime import UTC, datetime

from ceasefire.domain import DateSource, SourceDocument
from ceasefire.pipeline.articles import document_articles
from ceasefire.pipeline.frontmatter import split_front_matter

PAGE = """---
source: Sahel Monitor
url: https://sahel.example.org/2020/01/14/moscow
published: 2020-01-14
---
Menu
Haftar leaves Moscow
Published 15 January 2020

Haftar left Moscow on Tuesday without signing the truce, officials said.
"""


def test_front_matter_is_read_and_offsets_are_kept() -> None:
    fields, text = split_front_matter(PAGE)
    assert fields == {
        "source": "Sahel Monitor",
        "url": "https://sahel.example.org/2020/01/14/moscow",
        "published": "2020-01-14",
    }
    assert len(text) < len(PAGE)
    assert text.index("Menu") == text.count("\n", 0, text.index("Menu"))  # header lines blank
    assert text.splitlines()[5] == PAGE.splitlines()[5]


def test_not_front_matter_is_left_alone() -> None:
    text = "---\nThis is a rule, not a header.\n---\nBody.\n"
    assert split_front_matter(text) == ({}, text)
    assert split_front_matter("Body only.\n") == ({}, "Body only.\n")


def test_front_matter_names_the_source_and_dates_the_first_story() -> None:
    raw = PAGE.encode()
    doc = SourceDocument(SourceDocument.digest(raw), "p.txt", "text/plain", datetime.now(UTC), raw)
    [article] = document_articles(doc)
    assert article.source is not None and article.source.name == "Sahel Monitor"
    assert article.source.domain == "sahel.example.org"
    assert article.url == "https://sahel.example.org/2020/01/14/moscow"
    assert article.published is not None
    assert article.published.value.isoformat() == "2020-01-14"  # metadata beats the page line
    assert article.published.source is DateSource.METADATA
    assert article.title == "Haftar leaves Moscow"
