"""Ingestion for analysts over HTTP: ``POST /api/uploads`` (a multipart file) and
``POST /api/ingest-url`` (``{"url": ...}``). Both run the same :class:`Ingestor` as the CLI and
answer with its summary; every route depends on ``analyst``, which authenticates and checks the
role. Processing (extraction, fusion) stays a separate step (``ceasefire process``)."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, Field

from ceasefire.adapters.files import MEDIA_TYPES
from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.items import Item
from ceasefire.config import Settings
from ceasefire.domain import SourceKind
from ceasefire.services.ingest import IngestOptions, Ingestor, IngestSummary
from ceasefire.services.sources import ItemSource, is_url
from ceasefire.storage import Store

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UrlRequest(BaseModel):
    """A web page, feed or JSON document to fetch and ingest."""

    url: str = Field(min_length=8, max_length=2000)
    source: str | None = Field(default=None, max_length=200)
    published: date | None = None
    kind: SourceKind = SourceKind.NEWS


class _UploadSource(ItemSource):
    """Items of an uploaded file saved under a temporary path, located as ``upload:NAME``."""

    def __init__(self, inner: ItemSource, saved: Path, name: str) -> None:
        super().__init__(inner.fetcher, inner.max_file_bytes, inner.feed_max_entries)
        self.saved = saved
        self.name = name

    def items(self, target: str, stdin: bytes | None = None) -> Iterator[Item]:
        for item in super().items(str(self.saved), stdin=stdin):
            locator = item.locator.replace(str(self.saved), f"upload:{self.name}", 1)
            yield dataclasses.replace(item, locator=locator)


def safe_name(filename: str | None) -> str:
    """A harmless file name (the client's, reduced to letters, digits, dot, dash, underscore)."""
    base = Path((filename or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip("._")[:100]
    return cleaned or "upload.txt"


def summary_json(summary: IngestSummary) -> dict[str, Any]:
    return {
        "run_id": summary.run_id,
        **summary.counts(),
        "ok": summary.ok,
        "dropped_items": [
            {"item": d.item, "reason": d.reason.value, "detail": d.detail} for d in summary.dropped
        ],
    }


def build_ingest_api(store: Store, settings: Settings, analyst: Callable[..., Any]) -> APIRouter:
    """Upload and URL ingestion under ``/api``, each guarded by ``analyst`` (a dependency that
    returns an analyst or higher, or raises an authentication or permission error)."""
    router = APIRouter(prefix="/api", dependencies=[Depends(analyst)], tags=["ingest"])

    def options(source: str | None, kind: SourceKind, published: date | None) -> IngestOptions:
        return IngestOptions(
            source=(source or "").strip() or None,
            kind=kind,
            published=published,
            near_duplicate_threshold=settings.near_duplicate_threshold,
        )

    @router.post("/uploads")
    def upload(
        file: Annotated[UploadFile, File(description="a .txt, .html, .md, .json(l) or feed file")],
        source: Annotated[str | None, Form(max_length=200)] = None,
        published: Annotated[date | None, Form()] = None,
        kind: Annotated[SourceKind, Form()] = SourceKind.NEWS,
    ) -> dict[str, Any]:
        """Ingest one uploaded file; the answer is the ingest summary."""
        name = safe_name(file.filename)
        if Path(name).suffix.lower() not in MEDIA_TYPES:
            allowed = ", ".join(sorted(MEDIA_TYPES))
            raise HTTPException(415, f"unsupported file type: use one of {allowed}")
        raw = file.file.read(settings.max_file_bytes + 1)
        if len(raw) > settings.max_file_bytes:
            raise HTTPException(413, f"file larger than {settings.max_file_bytes} bytes")
        with tempfile.TemporaryDirectory(prefix="ceasefire-upload-") as folder:
            saved = Path(folder) / name
            saved.write_bytes(raw)
            with HttpFetcher(settings) as fetcher:
                inner = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
                items = _UploadSource(inner, saved, name)
                summary = Ingestor(store, items, options(source, kind, published)).run([name])
        return summary_json(summary)

    @router.post("/ingest-url")
    def ingest_url(request: UrlRequest) -> dict[str, Any]:
        """Fetch a URL (private and loopback addresses refused unless the settings allow them)
        and ingest what it holds; the answer is the ingest summary."""
        url = request.url.strip()
        if not is_url(url):
            raise HTTPException(422, "url must start with http:// or https://")
        with HttpFetcher(settings) as fetcher:
            items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
            ingestor = Ingestor(
                store, items, options(request.source, request.kind, request.published)
            )
            summary = ingestor.run([url])
        return summary_json(summary)

    return router
