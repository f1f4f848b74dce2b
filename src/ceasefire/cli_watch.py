"""``ceasefire watch``: poll feeds, pages, folders and files, and process what is new."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ceasefire.cli_common import Context, _ctx, _store
from ceasefire.domain import SourceKind

if TYPE_CHECKING:
    from ceasefire.services.watch import CycleReport

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _stop_on_signals(stop: threading.Event, errors: Console) -> Iterator[None]:
    """The first SIGINT or SIGTERM sets ``stop``; a second one aborts at once."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.is_set():
            errors.print(f"{name} again: aborting")
            raise KeyboardInterrupt  # exit code 130
        stop.set()
        errors.print(f"{name}: stopping after the current item (again to abort at once)")

    previous = {sig: signal.signal(sig, handle) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _seconds(value: float) -> str:
    if value < 90:
        return f"{value:.0f}s"
    if value < 5400:
        return f"{value / 60:.0f}min"
    return f"{value / 3600:.1f}h"


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def cycle_line(report: CycleReport) -> str:
    """One line of Rich markup for a cycle."""
    at = report.started.astimezone().strftime("%H:%M:%S")
    polled = f"polled {report.polled}/{report.targets}"
    notes = []
    if report.not_modified:
        notes.append(f"{report.not_modified} not modified")
    if report.backing_off:
        notes.append(f"{report.backing_off} backing off")
    if report.settling:
        notes.append(f"{_n(report.settling, 'file')} still being written")
    if notes:
        polled += f" ({', '.join(notes)})"
    parts = [polled]
    seen = f"{report.skipped} seen before"
    if report.read or report.documents_new or report.dropped:
        parts.append(f"read {report.read} ({seen})")
        parts.append(
            f"[green]+{_n(report.documents_new, 'document')}, "
            f"+{_n(report.articles_new, 'article')}[/green]"
        )
    else:
        parts.append(f"nothing new ({seen})")
    if report.documents_duplicate:
        parts.append(f"{report.documents_duplicate} already stored")
    if report.dropped:
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(report.dropped_by_reason().items()))
        parts.append(f"[red]{len(report.dropped)} dropped[/red] ({reasons})")
    if report.processed is not None:
        done = report.processed
        if done.stopped:
            parts.append(
                f"extracted {_n(done.articles, 'article')} ({_n(done.events, 'event')}) "
                "before the stop: the rest and the incidents on the next run"
            )
        else:
            parts.append(
                f"processed {_n(done.articles, 'article')}: {_n(done.events, 'event')}, "
                f"{_n(done.incidents, 'incident')} updated"
            )
    for failure in report.failures:
        wait = (failure.retry_at - report.started).total_seconds()
        parts.append(
            f"[red]failing[/red] {escape(failure.target)} ×{failure.failures}: "
            f"{escape(_short(failure.detail))}; retry in {_seconds(wait)}"
        )
    if report.stopped:
        parts.append("[yellow]stopping[/yellow]")
    return f"[dim]{at}[/dim] cycle {report.number}: " + " · ".join(parts)


def register(app: typer.Typer) -> None:
    @app.command()
    def watch(
        ctx: typer.Context,
        targets: Annotated[
            list[str], typer.Argument(help="Feed URLs, page URLs, folders or files to watch.")
        ],
        interval: Annotated[
            float | None,
            typer.Option(min=0.1, help="Seconds between polls (default: setting watch_interval)."),
        ] = None,
        max_backoff: Annotated[
            float | None,
            typer.Option(
                min=0.1,
                help="Longest wait before retrying a failing target, in seconds "
                "(default: setting watch_max_backoff).",
            ),
        ] = None,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
        source: Annotated[
            str | None, typer.Option(help="Outlet or body that published these reports.")
        ] = None,
        kind: Annotated[SourceKind, typer.Option(help="Kind of source.")] = SourceKind.NEWS,
        once: Annotated[bool, typer.Option("--once", help="Run one cycle, then exit.")] = False,
        max_cycles: Annotated[
            int | None, typer.Option(min=1, help="Exit after this many cycles.")
        ] = None,
        no_process: Annotated[
            bool,
            typer.Option("--no-process", help="Only ingest; leave extraction to `process`."),
        ] = False,
    ) -> None:
        """Poll feeds, pages and folders on an interval; ingest what is new and process it.

        Progress is kept in the database: a restarted watch fetches no feed entry twice, reads
        no unchanged file again and honours the backoff of failing targets. SIGINT or SIGTERM
        stops after the current item (exit code 0); a second signal aborts at once.

        One watch runs against a database at a time: a second one exits at once with an error
        naming the database and the running watcher (a watcher that died does not count)."""
        from ceasefire.adapters.http import HttpFetcher
        from ceasefire.services.ingest import IngestOptions
        from ceasefire.services.watch import Processor, StoreProcessor, Watcher, WatchOptions
        from ceasefire.storage.locks import watch_lock

        context = _ctx(ctx)
        if "-" in targets:
            raise typer.BadParameter("standard input cannot be watched: use `ceasefire ingest -`")
        settings = context.settings
        store = _store(context)
        options = WatchOptions(
            interval=interval or settings.watch_interval,
            max_backoff=max_backoff or settings.watch_max_backoff,
            settle=settings.watch_settle,
            once=once,
            max_cycles=max_cycles,
            ingest=IngestOptions(
                source=source,
                kind=kind,
                near_duplicate_threshold=settings.near_duplicate_threshold,
            ),
        )
        stop = threading.Event()
        # taken first, so that a second watcher fails before loading the model
        with watch_lock(store.engine) as lock, _stop_on_signals(stop, context.errors):
            processor: Processor | None = None
            if not no_process:
                from ceasefire.adapters.profiles import load_taxonomy
                from ceasefire.services.extraction import build_extractor

                context.errors.print("Loading the extractor…")
                extractor = build_extractor(profile, resident=True)  # for the watch's life
                processor = StoreProcessor(store, extractor, load_taxonomy())
            _announce(context, len(targets), options.interval)
            with HttpFetcher(settings) as fetcher:
                watcher = Watcher(
                    store,
                    fetcher,
                    settings,
                    options,
                    processor=processor,
                    stop=stop,
                    on_cycle=lambda report: _print(context, cycle_line(report)),
                    lock=lock,
                )
                summary = watcher.run(targets)
        how = "stopped" if summary.stopped else "finished"
        _print(
            context,
            f"Watch {how} after {_n(summary.cycles, 'cycle')}: "
            f"{_n(summary.documents_new, 'new document')}, "
            f"{_n(summary.articles_new, 'new article')}, "
            f"{_n(summary.articles_processed, 'article')} processed into "
            f"{_n(summary.events, 'event')}, {_n(summary.dropped, 'item')} dropped",
        )


def _announce(context: Context, targets: int, interval: float) -> None:
    started = datetime.now().strftime("%H:%M:%S")
    what = _n(targets, "target")
    _print(context, f"[dim]{started}[/dim] watching {what} every {interval:g}s (Ctrl+C to stop)")


def _print(context: Context, line: str) -> None:
    context.console.print(line, soft_wrap=True)
    context.console.file.flush()  # a line per cycle, as it happens, even into a pipe or a log
