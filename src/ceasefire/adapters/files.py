"""Files and folders: .txt, .html/.htm, .md, .json/.jsonl records, and feed files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ceasefire.adapters.items import Failure, Item, RawItem
from ceasefire.domain import DropReason

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".json": "application/json",
    ".jsonl": "application/json",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
}
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/xml"})


def expand(path: Path) -> Iterator[Path]:
    """``path`` itself, or every visible file below it in a stable order."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path)
            if child.is_file() and not any(p.startswith(".") for p in relative.parts):
                yield child
    else:
        yield path


def read_file(path: Path, max_bytes: int) -> bytes | Failure:
    locator = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return Failure(locator, DropReason.UNREADABLE, "no such file or folder")
    except OSError as exc:
        return Failure(locator, DropReason.UNREADABLE, f"cannot read: {exc.strerror}")
    if size > max_bytes:
        return Failure(
            locator, DropReason.TOO_LARGE, f"{size:,} bytes is over the limit of {max_bytes:,}"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        return Failure(locator, DropReason.UNREADABLE, f"cannot read: {exc.strerror}")


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def record_item(locator: str, record: Any, raw: bytes) -> Item:
    """One JSON record (``text`` or ``html``, ``title``, ``url``, ``published``, ``source``)."""
    if not isinstance(record, dict):
        return Failure(locator, DropReason.MALFORMED, "a record must be a JSON object")
    if not (_text(record.get("text")) or _text(record.get("html"))):
        return Failure(locator, DropReason.EMPTY, "the record has no 'text' or 'html'")
    return RawItem(
        locator=locator,
        raw=raw,
        media_type="application/json",
        url=_text(record.get("url")),
        title=_text(record.get("title")),
        source_name=_text(record.get("source")),
    )


def json_records(locator: str, raw: bytes, lines: bool) -> Iterator[Item]:
    """Records of a .jsonl (one per line) or .json (an object or a list of objects) file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(locator, DropReason.UNDECODABLE, f"JSON must be UTF-8: {exc.reason}")
        return
    if lines:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{locator}#L{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(where, DropReason.MALFORMED, f"invalid JSON: {exc.msg}")
                continue
            yield record_item(where, record, line.strip().encode("utf-8"))
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Failure(
            locator, DropReason.MALFORMED, f"invalid JSON at line {exc.lineno}: {exc.msg}"
        )
        return
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records):
        canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
        where = f"{locator}#{number}" if isinstance(data, list) else locator
        yield record_item(where, record, canonical)
