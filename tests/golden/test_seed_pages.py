"""The five real seed pages, cleaned and split, pinned by a golden file.

The golden file holds titles, dates and the character spans of every kept paragraph and caption in
the decoded page, plus a hash of each article's text; it never copies the pages' text.
Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/golden``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceasefire.domain import SourceDocument
from ceasefire.pipeline.articles import document_articles
from ceasefire.pipeline.clean import split_page

GOLDEN = Path(__file__).parent / "seeds.golden.json"

BOILERPLATE = [
    "Short Url",
    "Continue Reading",
    "Leave a Reply",
    "Click to comment",
    "Your email address will not be published",
    "See What Everyone is Watching",
    "More From: VOA",
    "Don't Miss",
    "AllAfrica publishes",
    "Articles and commentaries that identify",
    "Post with no comments",
    "google plus",
    "Audio Only",
    "Connect with us",
    "Trending",
    "Baghdadpost",
    "News > Libya",
    "RELATED:",
    "More:",
    "Opinion",
    "| Photo:",
]


def _document(path: Path) -> SourceDocument:
    raw = path.read_bytes()
    return SourceDocument(
        id=SourceDocument.digest(raw),
        locator=path.name,
        media_type="text/plain",
        fetched_at=datetime(2020, 1, 1, tzinfo=UTC),
        raw=raw,
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _observed(seeds_dir: Path) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        stories = split_page(path.read_bytes().decode("utf-8"))
        articles = document_articles(_document(path))
        assert len(stories) == len(articles)
        result[path.name] = [
            {
                "id": article.id,
                "index": article.index,
                "title": article.title,
                "published": article.published.value.isoformat() if article.published else None,
                "published_source": article.published.source.value if article.published else None,
                "paragraph_spans": [[p.start, p.end] for p in story.paragraphs],
                "captions_sha256": [_sha(c) for c in article.captions],
                "text_sha256": _sha(article.text),
            }
            for story, article in zip(stories, articles, strict=True)
        ]
    return result


def test_seed_pages_match_golden(seeds_dir: Path) -> None:
    observed = _observed(seeds_dir)
    if os.environ.get("UPDATE_GOLDEN"):
        dumped = json.dumps(observed, indent=1, ensure_ascii=False)
        GOLDEN.write_text(re.sub(r"\[\s+(\d+),\s+(\d+)\s+\]", r"[\1, \2]", dumped) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert observed == expected


def test_seven_articles_with_the_right_titles_and_dates(seeds_dir: Path) -> None:
    observed = _observed(seeds_dir)
    summary = {
        name[:3]: [(a["published"], a["title"]) for a in articles]
        for name, articles in observed.items()
    }
    assert sum(len(v) for v in summary.values()) == 7
    assert [d for d, _ in summary["000"]] == ["2020-02-22", "2020-06-05"]
    assert summary["000"][0][1].startswith("Libya cease-fire talks in")
    assert summary["000"][1][1].startswith("Syria Kurdish-led force launches")
    assert [d for d, _ in summary["001"]] == ["2020-02-19"]
    assert summary["001"][0][1].startswith("Libyan Gov’t, Haftar's Forces Dim Hopes")
    assert [d for d, _ in summary["002"]] == [None, None]
    assert summary["002"][0][1].endswith("leaves Moscow without signing ceasefire agreement")
    assert summary["002"][1][1].startswith("Libya: Haftar forces announce capture")
    assert [d for d, _ in summary["003"]] == [None]
    assert summary["003"][0][1].endswith("warring sides discuss implementing ceasefire")
    assert [d for d, _ in summary["004"]] == [None]
    assert summary["004"][0][1].startswith("Libya: Military Talks to End")


def test_no_boilerplate_headline_or_caption_in_any_body(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        for article in document_articles(_document(path)):
            for paragraph in article.paragraphs:
                for junk in BOILERPLATE:
                    assert junk not in paragraph, (path.name, junk, paragraph[:60])
                assert paragraph != article.title
                for caption in article.captions:
                    assert caption not in paragraph
            # the body keeps real content: every story has several paragraphs
            assert len(article.paragraphs) >= 8, path.name


def test_paragraph_spans_point_at_the_kept_text(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        for story in split_page(text):
            for paragraph in story.paragraphs:
                source = " ".join(text[paragraph.start : paragraph.end].split())
                assert paragraph.text in source
