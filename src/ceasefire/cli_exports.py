"""``ceasefire export``: incidents as ACLED-layout CSV, GeoJSON, JSON Lines or PLOVER-style JSON,
streamed to a file or standard output; a summary and the cursors go to standard error."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, TextIO

import typer

from ceasefire.cli_common import _ctx, _store
from ceasefire.domain.users import Role
from ceasefire.exports.records import ExportFormat

_ISO = "ISO date (YYYY-MM-DD)"


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        ctx: typer.Context,
        export_format: Annotated[
            ExportFormat, typer.Option("--format", "-f", help="Output format.")
        ] = ExportFormat.JSONL,
        date_from: Annotated[
            date | None,
            typer.Option(
                "--from", help=f"Incidents on or after ({_ISO}).", parser=date.fromisoformat
            ),
        ] = None,
        date_to: Annotated[
            date | None,
            typer.Option(
                "--to", help=f"Incidents on or before ({_ISO}).", parser=date.fromisoformat
            ),
        ] = None,
        event_type: Annotated[
            str | None, typer.Option("--type", help="Event type (ACLED name or process type id).")
        ] = None,
        status: Annotated[str | None, typer.Option(help="reported, corroborated, ...")] = None,
        actor: Annotated[str | None, typer.Option(help="Actor id (either side).")] = None,
        since: Annotated[
            str | None,
            typer.Option(help="Only incidents updated at or after this time (unix or ISO 8601)."),
        ] = None,
        cursor: Annotated[
            str | None, typer.Option(help="Resume after the cursor a previous export printed.")
        ] = None,
        limit: Annotated[
            int | None, typer.Option(min=1, help="Read at most this many incidents.")
        ] = None,
        role: Annotated[
            Role,
            typer.Option(
                help="The audience of the file: only what this role may see is written "
                "(a viewer: no rejected incident, only corroborated or confirmed violations)."
            ),
        ] = Role.VIEWER,
        include_all: Annotated[
            bool,
            typer.Option(
                "--all", help="acled-csv: also the ceasefire-process incidents (not ACLED events)."
            ),
        ] = False,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")
        ] = None,
    ) -> None:
        """Export incidents, streamed in constant memory; resumable with --cursor, incremental
        with --since."""
        from ceasefire.adapters.profiles import load_profile, load_taxonomy
        from ceasefire.exports.records import FormatContext
        from ceasefire.exports.stream import Export, ExportRequest, parse_since
        from ceasefire.storage.incidents import IncidentFilter
        from ceasefire.storage.search import ExportQueries

        context = _ctx(ctx)
        taxonomy = load_taxonomy()
        request = ExportRequest(
            format=export_format,
            where=IncidentFilter(date_from, date_to, event_type, actor, status),
            role=role,
            since=parse_since(since) if since else None,
            cursor=cursor,
            limit=limit,
            include_process=include_all,
        )
        job = Export(
            ExportQueries(_store(context)),
            FormatContext(load_profile(profile, taxonomy), taxonomy),
            request,
        )
        errors = context.errors
        stream: TextIO = (
            out.open("w", encoding="utf-8", newline="") if out is not None else sys.stdout
        )
        try:
            for chunk in job.chunks():
                stream.write(chunk)
        except BaseException:
            resume = job.progress.resume_cursor
            if resume:
                typer.echo(f"export interrupted; resume with --cursor {resume}", err=True)
            raise
        finally:
            if out is not None:
                stream.close()
            else:
                stream.flush()
        progress = job.progress
        errors.print(
            f"exported {progress.written} incidents ({progress.hidden} hidden from role "
            f"{role.value}, {progress.skipped} not ACLED events) as {export_format.value}"
            + (f" to {out}" if out is not None else "")
        )
        if progress.next_cursor:
            typer.echo(f"more remain: next --cursor {progress.next_cursor}", err=True)
        typer.echo(
            f"for the next incremental export: --since {progress.started.isoformat()}", err=True
        )
