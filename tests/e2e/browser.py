"""Helpers for tests that talk to a real server: a seeded database, uvicorn on 127.0.0.1 in a
thread, and Debian's chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from benchmarks.api_bench import free_port

from ceasefire.adapters.http import HttpFetcher
from ceasefire.adapters.profiles import load_taxonomy
from ceasefire.api.app import create_app
from ceasefire.config import Settings, load_settings
from ceasefire.domain.users import Role, User
from ceasefire.services.ingest import IngestOptions, Ingestor
from ceasefire.services.process import process
from ceasefire.services.sources import ItemSource
from ceasefire.storage import Store, create_engine_for, migrate

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"

#: an article whose text and title carry markup that must stay inert on every page
XSS_RECORD = {
    "title": "Shelling in Gharyan <script>alert(1)</script>",
    "text": (
        "Shelling in Gharyan <script>alert(1)</script>\n\n"
        "Forces loyal to Khalifa Haftar shelled residential areas of Gharyan on Monday, "
        "killing three civilians <img src=x onerror=alert(1)>, a local official said.\n\n"
        "Residents said <script>alert(1)</script> the shelling lasted two hours."
    ),
    "published": "2020-03-10",
    "source": "Markup Test Wire <b>bold</b>",
}
XSS_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def viewer_user() -> User:
    """The test viewer dependency: a signed-in read-only user."""
    return User(1, "test", Role.VIEWER)


def analyst_user() -> User:
    """The test analyst dependency."""
    return User(2, "analyst", Role.ANALYST)


def _ingest(settings: Settings, store: Store, *targets: str) -> None:
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, 50)
        Ingestor(store, items, IngestOptions()).run(list(targets))


def seeded_database(folder: Path, seeds: Path, extractor: Any) -> str:
    """A SQLite database in ``folder`` holding the seed pages and the markup article, ingested
    and processed (built once per folder, reused afterwards)."""
    path = folder / "seeded.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    settings = load_settings(database_url=url)
    engine = create_engine_for(url)
    migrate(engine)
    store = Store(engine)
    record = folder / "markup.jsonl"
    record.write_text(json.dumps(XSS_RECORD) + "\n", encoding="utf-8")
    _ingest(settings, store, str(seeds), str(record))
    process(store, extractor, load_taxonomy())
    engine.dispose()
    return url


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a background thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.base + path, timeout=30, **kwargs)


@contextmanager
def live_app(
    database_url: str,
    viewer: Callable[..., Any] | None = viewer_user,
    analyst: Callable[..., Any] | None = analyst_user,
    **settings: Any,
) -> Iterator[LiveServer]:
    """The real app (test-supplied ``viewer`` and ``analyst``) served on 127.0.0.1."""
    app = create_app(load_settings(database_url=database_url, **settings), viewer, analyst)
    with LiveServer(app) as server:
        yield server


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian chromium under Playwright, with a fresh profile folder."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="ceasefire-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 1000},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class PageWatch:
    """Records what a page does that a test must forbid: dialogs (a script ran), console
    errors (CSP violations among them) and requests that leave 127.0.0.1."""

    def __init__(self, page: Any, base: str) -> None:
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.outside: list[str] = []
        self.page_errors: list[str] = []
        self.base = base

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_request(request: Any) -> None:
            url = request.url
            if not url.startswith((self.base, "data:", "about:", "blob:")):
                self.outside.append(url)

        def on_console(message: Any) -> None:
            if message.type in ("error", "warning"):
                self.console.append(message.text)

        page.on("dialog", on_dialog)
        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "CSP" in m]

    def assert_clean(self) -> None:
        assert not self.dialogs, f"a script ran: {self.dialogs}"
        assert not self.outside, f"requests left the machine: {self.outside}"
        assert not self.csp_violations(), self.csp_violations()
        assert not self.page_errors, self.page_errors


def artifacts_dir() -> Path:
    """Where screenshots go: ``$CEASEFIRE_TEST_ARTIFACTS`` or ``test-artifacts/`` (ignored)."""
    folder = Path(os.environ.get("CEASEFIRE_TEST_ARTIFACTS", ARTIFACTS)) / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
