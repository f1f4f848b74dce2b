"""Ingesting files and folders into a real SQLite database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import Settings
from ceasefire.domain import DateSource, DropReason, SourceKind
from ceasefire.services.ingest import IngestOptions, Ingestor, IngestSummary
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[HttpFetcher]:
    with HttpFetcher(settings) as client:
        yield client


def run(
    store: Store,
    fetcher: HttpFetcher,
    *targets: str | Path,
    options: IngestOptions | None = None,
    max_bytes: int = 1_000_000,
    stdin: bytes | None = None,
) -> IngestSummary:
    items = ItemSource(fetcher, max_bytes, 50)
    return Ingestor(store, items, options or IngestOptions()).run(
        [str(t) for t in targets], stdin=stdin
    )


def test_seeds_give_seven_articles_and_reingest_gives_none(
    store: Store, fetcher: HttpFetcher, seeds_dir: Path
) -> None:
    first = run(store, fetcher, seeds_dir)
    assert (first.documents_new, first.articles_new, first.dropped) == (5, 7, [])
    again = run(store, fetcher, seeds_dir)
    assert (again.documents_new, again.articles_new, again.documents_duplicate) == (0, 0, 5)
    assert store.count_articles() == 7
    dated = sorted(
        a.article.published.value.isoformat() for a in store.iter_articles() if a.article.published
    )
    assert dated == ["2020-02-19", "2020-02-22", "2020-06-05"]


def test_user_date_fills_only_undated_first_stories(
    store: Store, fetcher: HttpFetcher, seeds_dir: Path
) -> None:
    options = IngestOptions(source="Test Wire", kind=SourceKind.WIRE, published=date(2020, 1, 15))
    run(store, fetcher, seeds_dir / "002_af6400747b89f12c.txt", options=options)
    first, second = sorted(store.iter_articles(), key=lambda a: a.article.index)
    assert first.article.published is not None
    assert first.article.published.source is DateSource.USER
    assert second.article.published is None  # the appended story is not dated by the hint
    assert first.article.source is not None and first.article.source.kind is SourceKind.WIRE


def test_example_corpus_ingests_cleanly_with_a_syndication_group(
    store: Store, fetcher: HttpFetcher, examples_dir: Path
) -> None:
    summary = run(store, fetcher, examples_dir)
    assert summary.dropped == []
    assert summary.articles_new >= 15
    assert summary.articles_syndicated >= 1
    groups: dict[str, list[str]] = {}
    for stored in store.iter_articles():
        if stored.syndication:
            groups.setdefault(stored.syndication.group_id, []).append(stored.article.title or "")
    assert any(len(titles) >= 2 for titles in groups.values())
    sources = {s.name for s in store.list_sources()}
    assert {"LNA General Command", "Coastal Herald"} <= sources


def test_syndication_does_not_depend_on_order(
    settings: Settings, tmp_path: Path, examples_dir: Path
) -> None:
    from ceasefire.storage import create_engine_for, migrate

    files = sorted(p for p in examples_dir.rglob("*") if p.is_file())

    def groups(order: list[Path], name: str) -> set[frozenset[str]]:
        engine = create_engine_for(f"sqlite:///{tmp_path / name}")
        migrate(engine)
        db = Store(engine)
        with HttpFetcher(settings) as client:
            for path in order:
                run(db, client, path)
        found: dict[str, set[str]] = {}
        for stored in db.iter_articles():
            if stored.syndication:
                found.setdefault(stored.syndication.group_id, set()).add(stored.article.id)
        return {frozenset(v) for v in found.values()}

    assert groups(files, "a.db") == groups(files[::-1], "b.db")


def test_bad_items_each_get_their_reason_and_the_rest_go_in(
    store: Store, fetcher: HttpFetcher, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(seeds_dir / "001_36d8dddac6926498.txt", folder / "good.txt")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"Fighting went on. " * 70_000)
    (folder / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (folder / "damaged.txt").write_bytes(
        "Clashes in Garabulli\n\nClashes erupted in Garabulli on Thursday, the ministry said "
        "— “three fighters were killed”, a spokesman added.\n".encode()
        + b"\xff"
        + b"Both sides blamed each other for the fighting, officials said.\n"
    )
    legacy = "Rapport de Misrata\n\nLes combats ont repris à Misrata mardi, a déclaré l'ONU.\n"
    (folder / "legacy.txt").write_bytes(legacy.encode("cp1252"))
    (folder / "broken.html").write_bytes(
        b"<html><body><p>Clashes erupted in Gharyan on Sunday, killing three fighters, local "
        b"officials said, as both sides traded artillery fire around the town.<div><p>Unclosed"
    )
    (folder / "nothing.html").write_bytes(b"<html><body><nav>Menu</nav></body></html>")
    (folder / "bad.jsonl").write_text(
        json.dumps({"text": "Drone strike hit Al Watiya on Monday, officials said.", "title": "T"})
        + "\n{not json\n"
        + json.dumps({"title": "no text"})
        + "\n"
    )
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    (folder / "feed.rss").write_bytes(b"<rss><channel><item><title>x</ti")
    summary = run(store, fetcher, folder, tmp_path / "missing.txt", max_bytes=1_000_000)

    reasons = {d.item.split("/")[-1]: d.reason for d in summary.dropped}
    assert reasons == {
        "image.txt": DropReason.BINARY,
        "empty.txt": DropReason.EMPTY,
        "huge.txt": DropReason.TOO_LARGE,
        "noise.txt": DropReason.UNDECODABLE,
        "nothing.html": DropReason.NO_TEXT,
        "bad.jsonl#L2": DropReason.MALFORMED,
        "bad.jsonl#L3": DropReason.EMPTY,
        "report.pdf": DropReason.UNSUPPORTED,
        "feed.rss": DropReason.MALFORMED_FEED,
        "missing.txt": DropReason.UNREADABLE,
    }
    for dropped in summary.dropped:
        assert dropped.detail  # every drop explains itself
    titles = {a.article.title for a in store.iter_articles()}
    assert "Rapport de Misrata" in titles  # legacy encoding decoded
    assert "T" in titles  # the good JSON line
    assert "Clashes in Garabulli" in titles  # a broken byte does not lose the article
    # good.txt, legacy.txt, damaged.txt, broken.html, bad.jsonl#L1
    assert summary.documents_new == 5
    assert len(store.list_dropped(summary.run_id)) == len(summary.dropped)


def test_standard_input_text_and_records(store: Store, fetcher: HttpFetcher) -> None:
    text = b"Port reopens\n\nThe port of Misrata reopened on Monday, officials said.\n"
    summary = run(store, fetcher, "-", stdin=text)
    assert summary.articles_new == 1
    records = b'{"text": "Gunmen attacked a checkpoint in Zawiya on Friday.", "source": "Field"}\n'
    summary = run(store, fetcher, "-", stdin=records)
    assert summary.articles_new == 1
    assert "Field" in {s.name for s in store.list_sources()}
