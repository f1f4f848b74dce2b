"""``ceasefire report``: a situation report for a period, in HTML, PDF or Markdown."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli_common import _ctx, _store
from ceasefire.domain.users import Role

_ISO = "ISO date (YYYY-MM-DD)"


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        ctx: typer.Context,
        date_from: Annotated[
            date, typer.Option("--from", help=f"First day ({_ISO}).", parser=date.fromisoformat)
        ],
        date_to: Annotated[
            date, typer.Option("--to", help=f"Last day ({_ISO}).", parser=date.fromisoformat)
        ],
        fmt: Annotated[str, typer.Option("--format", help="html, pdf or md.")] = "html",
        out: Annotated[
            Path | None,
            typer.Option(
                help="Write here (default: standard output for html and md, "
                "situation-report-FROM_TO.pdf for pdf). Markdown's images go next to it.",
                dir_okay=False,
            ),
        ] = None,
        area: Annotated[
            str | None, typer.Option(help="Only this admin1 region or place (name or id).")
        ] = None,
        party: Annotated[
            str | None, typer.Option(help="Only this party (actor or side id).")
        ] = None,
        role: Annotated[
            Role, typer.Option(help="Audience: what this role may see (default: the public).")
        ] = Role.VIEWER,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
    ) -> None:
        """A situation report: headline numbers, map, charts, key incidents with citations,
        disputed incidents, commitments and the method, as ROLE may see them."""
        from ceasefire.adapters.profiles import load_profile, load_taxonomy
        from ceasefire.reports import FORMATS, ReportError, ReportQuery, gather, render

        context = _ctx(ctx)
        if fmt not in FORMATS:
            raise ReportError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
        query = ReportQuery(date_from, date_to, area, party, role)
        query.check()
        store = _store(context)
        taxonomy = load_taxonomy()
        with context.errors.status("Gathering the period's incidents"):
            facts = gather(store, load_profile(profile, taxonomy), taxonomy, query)
        if out is None and fmt == "pdf":
            out = Path(f"situation-report-{date_from.isoformat()}_{date_to.isoformat()}.pdf")
        with context.errors.status(f"Drawing and rendering the {fmt} report"):
            rendered = render(facts, fmt, out.stem if out is not None and fmt == "md" else None)
        if out is None:
            sys.stdout.buffer.write(rendered.content)
            sys.stdout.buffer.flush()
        else:
            out.write_bytes(rendered.content)
            for name, content in rendered.attachments.items():
                (out.parent / name).write_bytes(content)
        h = facts.headline
        where = "standard output" if out is None else str(out)
        extra = f" (+{len(rendered.attachments)} images)" if rendered.attachments else ""
        context.errors.print(
            f"[green]Report[/green] {date_from}–{date_to} for {role.value}s: {h.incidents} "
            f"incidents, {h.possible_violations} with possible violations, "
            f"{len(facts.key)} key, {len(facts.disputed)} disputed → {where}{extra}"
        )
