"""A local HTTP server on 127.0.0.1 whose resources can change while it runs, with conditional
GET (ETag / If-None-Match, Last-Modified / If-Modified-Since), for the watch tests."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.integration.httpserver import listening


@dataclass
class Resource:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True  # send the body's digest as ETag and answer If-None-Match with 304
    last_modified: str | None = None  # send it and answer an equal If-Modified-Since with 304
    on_hit: Callable[[], None] | None = None  # called before answering


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    conditional: bool  # the request carried If-None-Match or If-Modified-Since


@dataclass
class Site:
    base: str
    resources: dict[str, Resource]
    hits: list[Hit] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for h in self.hits if h.path == path and status in (None, h.status))


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


@contextmanager
def serve(resources: dict[str, Resource]) -> Iterator[Site]:
    lock = threading.Lock()
    hits: list[Hit] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            resource = resources.get(self.path)
            match = self.headers.get("If-None-Match")
            since = self.headers.get("If-Modified-Since")
            status = 404 if resource is None else resource.status
            if resource is not None and resource.on_hit is not None:
                resource.on_hit()
            if resource is not None and status == 200:
                fresh_tag = resource.etag and match is not None and match == _etag(resource.body)
                fresh_date = resource.last_modified is not None and since == resource.last_modified
                if fresh_tag or fresh_date:
                    status = 304
            with lock:
                hits.append(Hit(self.path, status, match is not None or since is not None))
            body = b"" if resource is None or status == 304 else resource.body
            try:
                self.send_response(status)
                if resource is not None:
                    self.send_header("Content-Type", resource.content_type)
                    if resource.etag:
                        self.send_header("ETag", _etag(resource.body))
                    if resource.last_modified:
                        self.send_header("Last-Modified", resource.last_modified)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *_args: object) -> None:
            pass

    with listening(Handler) as base:
        yield Site(base, resources, hits)


def rss(base: str, entries: dict[str, str], guid: bool = True) -> bytes:
    """An RSS feed whose entries link to ``base + path``, titled by ``entries``' values."""
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        + (f"<guid>tag:test,2020:{path}</guid>" if guid else "")
        + "<pubDate>Tue, 18 Feb 2020 16:00:00 GMT</pubDate></item>"
        for path, title in entries.items()
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>'
        f"{items}</channel></rss>"
    ).encode()
