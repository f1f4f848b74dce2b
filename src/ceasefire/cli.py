"""Command line interface: ``ceasefire --help``."""

from __future__ import annotations

import gc
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from ceasefire import __version__
from ceasefire.adapters.http import HttpFetcher
from ceasefire.cli_common import Context, _ctx, _store
from ceasefire.cli_exports import register as register_exports
from ceasefire.cli_extraction import register as register_extraction
from ceasefire.cli_incidents import register as register_incidents
from ceasefire.cli_reports import register as register_reports
from ceasefire.cli_users import register as register_users
from ceasefire.cli_watch import register as register_watch
from ceasefire.config import load_settings
from ceasefire.domain import SourceKind
from ceasefire.errors import CeasefireError, NotInitialisedError
from ceasefire.services.ingest import IngestOptions, Ingestor, IngestSummary
from ceasefire.services.sources import ItemSource, is_url
from ceasefire.storage import create_engine_for, migrate

app = typer.Typer(
    name="ceasefire",
    help="Ceasefire monitoring: ingest reports, extract events, check them against agreements.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ceasefire {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML settings file.", dir_okay=False)
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database URL (default: sqlite:///ceasefire.db).", show_default=False
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    overrides = {"database_url": database_url} if database_url else {}
    ctx.obj = Context(
        settings=load_settings(config, **overrides),
        console=Console(),
        errors=Console(stderr=True),
    )


@app.command()
def init(ctx: typer.Context) -> None:
    """Create or upgrade the database schema (safe to run again)."""
    context = _ctx(ctx)
    engine = create_engine_for(context.settings.database_url)
    migrate(engine)
    context.console.print(
        f"[green]Database ready[/green]: {engine.url.render_as_string(hide_password=True)}"
    )


@app.command()
def backup(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The backup file to write.")],
) -> None:
    """Write a consistent snapshot of the database (SQLite backup API, or pg_dump)."""
    from ceasefire.services.backup import backup as run_backup

    context = _ctx(ctx)
    summary = run_backup(context.settings.database_url, out)
    context.console.print(
        f"[green]Backed up[/green] {summary.documents} documents and {summary.articles} "
        f"articles ({summary.backend}) to {summary.path}"
    )


@app.command()
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A file written by `ceasefire backup`.")],
    force: Annotated[bool, typer.Option(help="Replace a database that holds data.")] = False,
) -> None:
    """Replace the database with a backup (refuses to overwrite data without --force)."""
    from ceasefire.services.backup import restore as run_restore

    context = _ctx(ctx)
    summary = run_restore(context.settings.database_url, source, force)
    context.console.print(
        f"[green]Restored[/green] {summary.documents} documents and {summary.articles} "
        f"articles ({summary.backend}) from {summary.path}"
    )


def _print_summary(context: Context, summary: IngestSummary) -> None:
    table = Table(title="Ingest summary", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("new documents", str(summary.documents_new))
    table.add_row("new articles", str(summary.articles_new))
    table.add_row("duplicate documents (already stored)", str(summary.documents_duplicate))
    table.add_row("syndicated copies (near-duplicates)", str(summary.articles_syndicated))
    for reason, count in sorted(summary.dropped_by_reason().items()):
        table.add_row(f"dropped: {reason}", f"[red]{count}[/red]")
    context.console.print(table)
    if summary.dropped:
        dropped = Table(title="Dropped items", show_header=True)
        dropped.add_column("item", overflow="fold")
        dropped.add_column("reason")
        dropped.add_column("detail", overflow="fold")
        for item in summary.dropped:
            dropped.add_row(item.item, item.reason.value, item.detail)
        context.console.print(dropped)


@app.command()
def ingest(
    ctx: typer.Context,
    targets: Annotated[
        list[str], typer.Argument(help="Files, folders, URLs, feed URLs, or - for standard input.")
    ],
    source: Annotated[
        str | None, typer.Option(help="Outlet or body that published these reports.")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD, used when a report carries none."),
    ] = None,
    kind: Annotated[SourceKind, typer.Option(help="Kind of source.")] = SourceKind.NEWS,
) -> None:
    """Read reports, clean them into articles and store them. Exit code 1 if any item failed."""
    context = _ctx(ctx)
    try:
        published_date = date.fromisoformat(published) if published else None
    except ValueError as exc:
        raise typer.BadParameter(f"--published must be YYYY-MM-DD, not {published!r}") from exc
    settings = context.settings
    store = _store(context)
    options = IngestOptions(
        source=source,
        kind=kind,
        published=published_date,
        near_duplicate_threshold=settings.near_duplicate_threshold,
    )
    stdin = sys.stdin.buffer.read() if "-" in targets else None
    with HttpFetcher(settings) as fetcher:
        items = ItemSource(fetcher, settings.max_file_bytes, settings.feed_max_entries)
        unknown = any(is_url(t) for t in targets)
        total = None if unknown else sum(items.count(t) for t in targets)
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=context.errors,
            transient=True,
        ) as progress:
            task = progress.add_task("Ingesting", total=total)
            last: list[str] = []

            def advance(locator: str) -> None:
                file_part = locator.split("#")[0]
                if not last or last[-1] != file_part:
                    last[:] = [file_part]
                    progress.advance(task)

            summary = Ingestor(store, items, options).run(targets, stdin=stdin, progress=advance)
    _print_summary(context, summary)
    if not summary.ok:
        raise typer.Exit(code=1)


@app.command()
def articles(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 50,
) -> None:
    """List stored articles, newest first."""
    context = _ctx(ctx)
    store = _store(context)
    table = Table(title=f"Articles ({store.count_articles()} stored)")
    for column in ("published", "source", "title", "paragraphs", "syndication group"):
        table.add_column(column, overflow="fold")
    for stored in store.list_articles(limit=limit):
        article = stored.article
        table.add_row(
            article.published.value.isoformat() if article.published else "undated",
            article.source.name if article.source else "",
            article.title or "(no title)",
            str(len(article.paragraphs)),
            stored.syndication.group_id[:12] if stored.syndication else "",
        )
    context.console.print(table)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Serve the web interface and API."""
    import uvicorn

    from ceasefire.api.app import create_app

    context = _ctx(ctx)
    settings = context.settings
    _store(context)  # fail early and clearly when the database is not initialised
    bind_host, bind_port = host or settings.host, port or settings.port
    context.console.print(f"Serving on http://{bind_host}:{bind_port} (Ctrl+C to stop)")
    web = create_app(settings)
    # The ~190,000 objects of the loaded libraries never die: out of the garbage collector's
    # sight, its full passes (which a map request, with tens of thousands of rows, sets off
    # about every other time) walk only what came after (benchmarks/README.md, API latency).
    gc.collect()
    gc.freeze()
    uvicorn.run(web, host=bind_host, port=bind_port, log_level="info")


register_extraction(app)
register_exports(app)
register_incidents(app)
register_reports(app)
register_users(app)
register_watch(app)


def main() -> None:
    """Entry point: runs the app and turns ceasefire errors into clear messages and exit codes."""
    try:
        code = app(standalone_mode=False)
    except CeasefireError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}")
        sys.exit(3 if isinstance(exc, NotInitialisedError) else 2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        Console(stderr=True).print("aborted")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: bad option values, missing arguments
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            Console(stderr=True).print(f"[red]error:[/red] {exc}")
        sys.exit(int(getattr(exc, "exit_code", 2)))
    sys.exit(code if isinstance(code, int) else 0)
