"""Evidence highlighting never lets ingested text become markup; the body limit also holds for
streamed (chunked) bodies that declare no length."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ceasefire.api.highlight import Mark, highlight
from tests.e2e.browser import live_app


def test_highlight_escapes_text_and_wraps_only_the_spans() -> None:
    text = 'Before <script>alert(1)</script>. Shelling hit "the port" <img src=x onerror=alert(1)>.'
    start = text.index("Shelling")
    html = str(highlight(text, [Mark(start, len(text), 'shelling <b>"x"</b>')]))
    assert "<script>" not in html and "<img" not in html
    assert html.startswith("Before &lt;script&gt;alert(1)&lt;/script&gt;. <mark")
    assert 'title="shelling &lt;b&gt;&#34;x&#34;&lt;/b&gt;"' in html
    assert html.endswith("&lt;img src=x onerror=alert(1)&gt;.</mark>")


def test_highlight_merges_overlaps_and_ignores_spans_outside_the_text() -> None:
    text = "one two three four"
    html = str(
        highlight(text, [Mark(4, 13, "a"), Mark(8, 18, "b"), Mark(40, 50, "c"), Mark(5, 5, "d")])
    )
    assert html == 'one <mark class="evidence" title="a; b">two three four</mark>'
    assert str(highlight(text, [])) == text


def test_streamed_bodies_over_the_limit_get_413(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    from ceasefire.storage import create_engine_for, migrate

    migrate(create_engine_for(url))

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 65536  # 2.5 MiB in all, no Content-Length

    with live_app(url) as live:
        response = httpx.post(
            live.base + "/api/ingest-url",
            content=chunks(),
            headers={"content-type": "application/json"},
            timeout=30,
        )
        assert response.status_code == 413
        assert response.json()["error"] == "too_large"
        assert "content-security-policy" in response.headers
        small = live.post("/api/ingest-url", json={"url": "not a url at all"})
        assert small.status_code == 422


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "a b\\c.html", "", "..."])
def test_upload_names_are_made_harmless(name: str) -> None:
    from ceasefire.api.uploads import safe_name

    cleaned = safe_name(name)
    assert "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")
    assert cleaned
