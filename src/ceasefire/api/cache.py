"""Encoded answers of the largest read requests (map points, timeline), kept while the incidents
they were read from are unchanged, and HTTP validators for them.

An answer is stored under the incidents' version token (``data_versions``, replaced by every
write of incidents) read *before* the answer was computed: if incidents were written in
between, the answer is newer than its token, and that token is never current again, so a stored
answer is never older than its token says. Browsers revalidate with ``If-None-Match`` and get
``304 Not Modified`` while nothing changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from pydantic_core import to_json

ENTRIES = 64  # answers kept, the least recently used dropped first
LARGEST = 4_000_000  # bytes: a larger answer is sent but not kept


class AnswerCache:
    """A bounded, thread-safe map from (request, version) to an encoded JSON answer."""

    def __init__(self, entries: int = ENTRIES, largest: int = LARGEST) -> None:
        self._entries = entries
        self._largest = largest
        self._answers: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> bytes | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None or found[0] != version:
                return None
            self._answers.move_to_end(key)
            return found[1]

    def put(self, key: str, version: str, body: bytes) -> None:
        if len(body) > self._largest:
            return
        with self._lock:
            self._answers[key] = (version, body)
            self._answers.move_to_end(key)
            while len(self._answers) > self._entries:
                self._answers.popitem(last=False)

    def answer(
        self, request: Request, version: str, build: Callable[[], dict[str, Any]]
    ) -> Response:
        """The JSON answer to ``request``: ``304`` when the client holds it already, else the
        stored one while ``version`` is current, else ``build()`` encoded (and stored)."""
        query = sorted(request.query_params.multi_items())
        key = request.url.path + "?" + "&".join(f"{k}={v}" for k, v in query)
        tag = '"' + hashlib.sha256(f"{version} {key}".encode()).hexdigest()[:32] + '"'
        headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
        if tag in _tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        body = self.get(key, version)
        if body is None:
            body = to_json(build())
            self.put(key, version, body)
        return Response(body, media_type="application/json", headers=headers)


def _tags(header: str) -> set[str]:
    """The entity tags of an ``If-None-Match`` header (weak ones compared as strong)."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
