"""Commands of extraction: ``extract`` (stateless JSONL), ``process`` and ``eval``."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from ceasefire.cli_common import _ctx, _store
from ceasefire.errors import RunnerError


class Engine(StrEnum):
    LOCAL = "local"
    DASK = "dask"


_PROGRESS = (
    SpinnerColumn(),
    TextColumn("[progress.description]{task.description}"),
    BarColumn(),
    MofNCompleteColumn(),
)


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        ctx: typer.Context,
        source: Annotated[
            Path, typer.Argument(help="JSONL input: {id, text, published?}; - for stdin.")
        ],
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="JSONL output (default: stdout).")
        ] = None,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
    ) -> None:
        """Extract events from JSON Lines, without a database (SPEC §7 contract)."""
        from ceasefire.services.extraction import build_extractor, extract_jsonl

        context = _ctx(ctx)
        extractor = build_extractor(profile, resident=True)
        from_stdin = str(source) == "-"
        total = None
        if not from_stdin:
            with source.open(encoding="utf-8") as counted:
                total = sum(1 for line in counted if line.strip())
        with ExitStack() as files:
            lines = sys.stdin if from_stdin else files.enter_context(source.open(encoding="utf-8"))
            sink = files.enter_context(out.open("w", encoding="utf-8")) if out else sys.stdout
            with Progress(*_PROGRESS, console=context.errors, transient=True) as progress:
                task = progress.add_task("Extracting", total=total)
                summary = extract_jsonl(
                    extractor,
                    lines,
                    sink,
                    on_article=lambda: progress.advance(task),
                    on_error=lambda message: context.errors.print(f"[red]skipped[/red] {message}"),
                )
        context.errors.print(
            f"{summary.articles} articles, {summary.events} events, {summary.errors} bad lines"
        )
        if summary.errors:
            raise typer.Exit(code=1)

    @app.command()
    def process(
        ctx: typer.Context,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
        full: Annotated[
            bool, typer.Option(help="Recompute every incident, not only what new events touch.")
        ] = False,
        engine: Annotated[
            Engine, typer.Option(help="local: this process; dask: a Dask cluster.")
        ] = Engine.LOCAL,
        scheduler: Annotated[
            str | None,
            typer.Option(help="Dask scheduler address (default: a local cluster on 127.0.0.1)."),
        ] = None,
        workers: Annotated[
            int | None, typer.Option(min=1, help="Worker processes of the local Dask cluster.")
        ] = None,
        shards: Annotated[
            int, typer.Option(min=1, max=65536, help="Shards the articles are split into (dask).")
        ] = 64,
    ) -> None:
        """Extract events from every stored article not yet coded by this extractor, fuse them
        into incidents and assess the incidents against the profile's agreements."""
        context = _ctx(ctx)
        store = _store(context)
        if engine is Engine.DASK:
            try:
                from ceasefire.runners.dask import run_dask
            except ImportError as exc:
                raise RunnerError(
                    f"the Dask runner needs dask.distributed ({exc}): pip install 'ceasefire[dask]'"
                ) from exc

            with Progress(*_PROGRESS, console=context.errors, transient=True) as progress:
                task = progress.add_task("Extracting events on Dask", total=None)
                ran = run_dask(
                    context.settings.database_url,
                    profile,
                    full=full,
                    scheduler=scheduler,
                    workers=workers,
                    shards=shards,
                    progress=lambda n: progress.advance(task, n),
                )
            context.console.print(
                f"[green]Processed[/green] {ran.articles} articles in {ran.shards} shards "
                f"({ran.skipped} had nothing pending): {ran.events} events; "
                f"{ran.incidents} incidents and {ran.assessments} possible violations recomputed"
            )
            return
        if scheduler or workers:
            raise typer.BadParameter("--scheduler and --workers need --engine dask")
        from ceasefire.adapters.profiles import load_taxonomy
        from ceasefire.services.extraction import build_extractor
        from ceasefire.services.process import process as run_process
        from ceasefire.storage.events import EventRepository

        extractor = build_extractor(profile, resident=True)
        pending = EventRepository(store).count_pending(extractor.coder)
        with Progress(*_PROGRESS, console=context.errors, transient=True) as progress:
            task = progress.add_task("Extracting events", total=pending)
            summary = run_process(
                store, extractor, load_taxonomy(), lambda _n: progress.advance(task), full=full
            )
        context.console.print(
            f"[green]Processed[/green] {summary.articles} articles: {summary.events} events "
            f"(coder {extractor.coder}); {summary.incidents} incidents and "
            f"{summary.assessments} possible violations recomputed"
        )

    @app.command(name="eval")
    def evaluate_command(
        ctx: typer.Context,
        gold: Annotated[
            list[Path] | None, typer.Argument(help="Gold JSONL files (default: tests/eval/gold/*).")
        ] = None,
        seeds: Annotated[
            Path, typer.Option(help="Folder of the seed pages for seed gold items.")
        ] = Path("../shared/seeds"),
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
        as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
        misses: Annotated[int, typer.Option(help="Show up to N misses.")] = 0,
    ) -> None:
        """Score extraction on gold files; exit code 1 when a floor of SPEC §9 is not met."""
        from ceasefire.services.evaluate import FLOORS, evaluate, load_gold
        from ceasefire.services.extraction import build_extractor

        context = _ctx(ctx)
        files = gold or sorted(Path("tests/eval/gold").glob("*.jsonl"))
        if not files:
            raise typer.BadParameter("no gold files given and none in tests/eval/gold")
        items = []
        for path in files:
            items.extend(load_gold(path, seeds if seeds.is_dir() else None))
        score = evaluate(build_extractor(profile, resident=True), items)
        metrics = score.metrics()
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "metrics": metrics,
                        "gold": score.gold,
                        "predicted": score.predicted,
                        "matched": score.matched,
                    }
                )
            )
        else:
            table = Table(title=f"Evaluation on {len(items)} items, {score.gold} gold events")
            table.add_column("measure")
            table.add_column("value", justify="right")
            table.add_column("floor", justify="right")
            for name, value in metrics.items():
                floor = FLOORS.get(name)
                colour = "red" if floor is not None and value < floor else "green"
                table.add_row(name, f"[{colour}]{value:.3f}[/{colour}]", f"{floor or ''}")
            table.add_row("predicted / matched", f"{score.predicted} / {score.matched}", "")
            context.console.print(table)
            for miss in score.misses[:misses]:
                context.console.print(miss)
        if score.failures():
            raise typer.Exit(code=1)
