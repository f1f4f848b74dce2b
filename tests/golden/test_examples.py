"""The example corpus, ingested through every format, pinned by a golden file.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/golden``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import load_settings
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store, create_engine_for, migrate

GOLDEN = Path(__file__).parent / "examples.golden.json"


def test_example_corpus_matches_golden(tmp_path: Path, examples_dir: Path) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'g.db'}")
    engine = create_engine_for(settings.database_url)
    migrate(engine)
    store = Store(engine)
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
        summary = Ingestor(store, items, IngestOptions()).run([str(examples_dir)])
    assert summary.dropped == []
    observed: list[dict[str, Any]] = sorted(
        (
            {
                "title": s.article.title,
                "published": s.article.published.value.isoformat() if s.article.published else None,
                "published_source": s.article.published.source.value
                if s.article.published
                else None,
                "source": s.article.source.name if s.article.source else None,
                "url": s.article.url,
                "author": s.article.author,
                "captions": list(s.article.captions),
                "paragraphs": len(s.article.paragraphs),
                "first_words": " ".join(s.article.text.split()[:8]),
                "text_sha256": hashlib.sha256(s.article.text.encode()).hexdigest(),
                "syndicated": s.syndication is not None,
            }
            for s in store.iter_articles()
        ),
        key=lambda a: (a["published"] or "", a["title"] or ""),
    )
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(observed, indent=1, ensure_ascii=False) + "\n")
    assert observed == json.loads(GOLDEN.read_text())
