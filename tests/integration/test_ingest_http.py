"""Ingesting URLs and feeds from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import html
import socket
from pathlib import Path

import pytest

from ceasefire.adapters.http import HttpFetcher
from ceasefire.config import Settings, load_settings
from ceasefire.domain import DateSource, DropReason
from ceasefire.services.ingest import IngestOptions, Ingestor, IngestSummary
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store
from tests.integration.httpserver import Route, serve

pytestmark = pytest.mark.network


def _settings(base: Settings, **changes: object) -> Settings:
    values = {"database_url": base.database_url, "allow_private_addresses": True}
    values.update(changes)
    return load_settings(**values)


def run(settings: Settings, store: Store, *targets: str) -> IngestSummary:
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
        return Ingestor(store, items, IngestOptions()).run(list(targets))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed_as_html(seed: Path) -> tuple[str, bytes]:
    """An HTML page holding the seed's first story, built at test time from the real page."""
    from ceasefire.pipeline.clean import split_page

    story = split_page(seed.read_text(encoding="utf-8"))[0]
    assert story.title is not None
    paragraphs = "".join(f"<p>{html.escape(p.text)}</p>" for p in story.paragraphs)
    page = (
        "<!doctype html><html><head>"
        f"<title>{html.escape(story.title)} | Test Outlet</title>"
        '<meta property="og:site_name" content="Test Outlet">'
        '<meta name="author" content="Jane Roe">'
        '<meta property="article:published_time" content="2020-02-19T09:30:00Z">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{html.escape(story.title)}</h1>{paragraphs}</article>"
        "<footer>© Test Outlet. All rights reserved.</footer></body></html>"
    )
    return story.title, page.encode("utf-8")


def test_html_copy_of_a_seed_page(settings: Settings, store: Store, seeds_dir: Path) -> None:
    title, page = _seed_as_html(seeds_dir / "001_36d8dddac6926498.txt")
    with serve({"/story": Route(page)}) as server:
        summary = run(_settings(settings), store, server.url("/story"))
    assert summary.dropped == [] and summary.articles_new == 1
    [stored] = list(store.iter_articles())
    article = stored.article
    assert article.title == title
    assert article.published is not None
    assert article.published.value.isoformat() == "2020-02-19"
    assert article.published.source is DateSource.METADATA
    assert article.source is not None and article.source.name == "Test Outlet"
    assert article.author == "Jane Roe"
    assert article.url is not None and article.url.endswith("/story")
    seed_text = " ".join((seeds_dir / "001_36d8dddac6926498.txt").read_text().split())
    assert len(article.paragraphs) >= 8
    for paragraph in article.paragraphs:
        assert paragraph in seed_text
    assert "All rights reserved" not in article.text and "Home" not in article.text


def test_plain_text_page_over_http_matches_the_file(
    settings: Settings, store: Store, seeds_dir: Path
) -> None:
    body = (seeds_dir / "000_d31605bc7ea32a97.txt").read_bytes()
    with serve({"/page.txt": Route(body, content_type="text/plain; charset=utf-8")}) as server:
        summary = run(_settings(settings), store, server.url("/page.txt"))
    assert summary.articles_new == 2


def test_failures_have_specific_reasons_and_do_not_stop_the_batch(
    settings: Settings, store: Store, seeds_dir: Path
) -> None:
    good = (seeds_dir / "003_1d03824f4f11dffd.txt").read_bytes()
    routes = {
        "/good": Route(good, content_type="text/plain"),
        "/error": Route(b"oops", status=500),
        "/slow": Route(b"late", delay=3.0),
        "/big": Route(b"x" * 5000, content_type="text/plain"),
        "/png": Route(b"\x89PNG\r\n", content_type="image/png"),
        "/r1": Route(status=302, headers={"Location": "/r2"}),
        "/r2": Route(status=302, headers={"Location": "/r3"}),
        "/r3": Route(status=302, headers={"Location": "/good"}),
    }
    with serve(routes) as server:
        tight = _settings(settings, http_timeout=0.5, http_max_bytes=4000, http_max_redirects=2)
        summary = run(
            tight,
            store,
            server.url("/missing"),
            server.url("/error"),
            server.url("/slow"),
            server.url("/big"),
            server.url("/png"),
            server.url("/r1"),
            server.url("/good"),
            "http://256.1.1.1/bad-address",
            f"http://127.0.0.1:{_closed_port()}/closed",
        )
    reasons = {d.item.rsplit("/", 1)[-1]: (d.reason, d.detail) for d in summary.dropped}
    assert reasons["missing"][0] is DropReason.HTTP_STATUS and "404" in reasons["missing"][1]
    assert reasons["error"][0] is DropReason.HTTP_STATUS and "500" in reasons["error"][1]
    assert reasons["slow"][0] is DropReason.TIMEOUT
    assert reasons["big"][0] is DropReason.TOO_LARGE
    assert reasons["png"][0] is DropReason.UNSUPPORTED
    assert reasons["r1"][0] is DropReason.HTTP_STATUS and "redirects" in reasons["r1"][1]
    assert reasons["bad-address"][0] is DropReason.MALFORMED
    assert reasons["closed"][0] is DropReason.NETWORK
    assert summary.articles_new == 1  # /good still went in


def test_redirects_are_followed_within_the_limit(settings: Settings, store: Store) -> None:
    body = b"Port reopens\n\nThe port of Misrata reopened on Monday, officials said.\n"
    routes = {
        "/old": Route(status=301, headers={"Location": "/new"}),
        "/new": Route(body, content_type="text/plain"),
    }
    with serve(routes) as server:
        summary = run(_settings(settings), store, server.url("/old"))
    assert summary.articles_new == 1
    [stored] = list(store.iter_articles())
    assert stored.article.url is not None and stored.article.url.endswith("/new")


def test_private_and_loopback_addresses_are_refused_by_default(
    settings: Settings, store: Store
) -> None:
    with serve({"/": Route(b"hello")}) as server:
        port = server.base.rsplit(":", 1)[1]
        summary = run(
            settings,
            store,
            server.url("/"),
            f"http://localhost:{port}/",
            "http://169.254.169.254/latest/meta-data/",
        )
        assert server.hits == []  # nothing was even requested
    assert [d.reason for d in summary.dropped] == [DropReason.REFUSED_ADDRESS] * 3
    assert "non-public address" in summary.dropped[0].detail


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Test feed</title>
<item><title>Port hit</title><link>{base}/a</link>
  <pubDate>Tue, 18 Feb 2020 16:00:00 GMT</pubDate></item>
<item><title>Talks resume</title><link>{base}/b</link>
  <pubDate>Thu, 20 Feb 2020 09:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/gone</link></item>
</channel></rss>"""


def test_feed_entries_are_fetched_and_dated_by_the_feed(settings: Settings, store: Store) -> None:
    page_a = b"Rockets hit Tripoli port on Tuesday, killing three people, officials said.\n"
    page_b = b"Military talks resumed in Geneva on Thursday, the UN mission said.\n"
    routes = {
        "/a": Route(page_a, content_type="text/plain"),
        "/b": Route(page_b, content_type="text/plain"),
    }
    with serve(routes) as server:
        routes["/feed"] = Route(
            RSS.format(base=server.base).encode(), content_type="application/rss+xml"
        )
        summary = run(_settings(settings), store, server.url("/feed"))
    assert summary.articles_new == 2
    assert [d.reason for d in summary.dropped] == [DropReason.HTTP_STATUS]
    by_title = {a.article.title: a.article for a in store.iter_articles()}
    assert set(by_title) == {"Port hit", "Talks resume"}  # titles from the feed entries
    published = by_title["Port hit"].published
    assert published is not None and published.value.isoformat() == "2020-02-18"
    assert published.source is DateSource.FEED


def test_malformed_feed(settings: Settings, store: Store) -> None:
    routes = {
        "/feed": Route(b"<rss><channel><item><title>x</ti", content_type="application/rss+xml")
    }
    with serve(routes) as server:
        summary = run(_settings(settings), store, server.url("/feed"))
    assert [d.reason for d in summary.dropped] == [DropReason.MALFORMED_FEED]
