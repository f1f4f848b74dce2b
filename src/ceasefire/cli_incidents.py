"""Commands that read what fusion and assessment produced: ``incidents``, ``violations``,
``commitments`` (readable tables, or ``--json``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasefire.api.serialize import assessment_json, commitment_json, incident_json
from ceasefire.cli_common import _ctx, _store

_ISO = "ISO date (YYYY-MM-DD)"


def _name(actor: Any) -> str:
    return "" if actor is None else str(actor.id or actor.name)


def register(app: typer.Typer) -> None:
    @app.command()
    def incidents(
        ctx: typer.Context,
        date_from: Annotated[
            date | None, typer.Option("--from", help=f"From ({_ISO}).", parser=date.fromisoformat)
        ] = None,
        date_to: Annotated[
            date | None, typer.Option("--to", help=f"To ({_ISO}).", parser=date.fromisoformat)
        ] = None,
        event_type: Annotated[str | None, typer.Option("--type", help="Event type.")] = None,
        actor: Annotated[str | None, typer.Option(help="Actor id (either side).")] = None,
        status: Annotated[str | None, typer.Option(help="reported, corroborated, ...")] = None,
        limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
        as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
    ) -> None:
        """Incidents fused from the events of all reports, newest first."""
        from ceasefire.storage.incidents import IncidentFilter, IncidentRepository

        context = _ctx(ctx)
        repo = IncidentRepository(_store(context))
        where = IncidentFilter(date_from, date_to, event_type, actor, status, None, limit)
        found = repo.find(where)
        if as_json:
            for incident in found:
                typer.echo(json.dumps(incident_json(incident), ensure_ascii=False))
            return
        table = Table(title=f"{len(found)} of {repo.count(where)} incidents")
        for column in ("date", "type", "actor 1", "actor 2", "place", "deaths", "src", "status"):
            table.add_column(column)
        for incident in found:
            deaths = "" if incident.fatalities is None else str(incident.fatalities)
            if incident.fatalities_high not in (None, incident.fatalities):
                deaths += f"–{incident.fatalities_high}"
            table.add_row(
                incident.date.start.isoformat() if incident.date else "",
                incident.sub_event_type,
                _name(incident.actor1),
                _name(incident.actor2),
                incident.location.name if incident.location else "",
                deaths,
                str(incident.independent_sources),
                incident.status.value,
            )
        context.console.print(table)

    @app.command()
    def violations(
        ctx: typer.Context,
        agreement: Annotated[str | None, typer.Option(help="Agreement id.")] = None,
        party: Annotated[str | None, typer.Option(help="Party (actor or side id).")] = None,
        determination: Annotated[
            str | None, typer.Option(help="alleged, corroborated, indeterminate, confirmed ...")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
    ) -> None:
        """Possible violations: incidents assessed against the terms of agreements in force."""
        from ceasefire.storage.incidents import IncidentRepository

        context = _ctx(ctx)
        repo = IncidentRepository(_store(context))
        found = repo.list_assessments(agreement, party, determination)
        if as_json:
            for assessment in found:
                typer.echo(json.dumps(assessment_json(assessment), ensure_ascii=False))
            return
        table = Table(title=f"{len(found)} possible violations")
        for column in ("agreement", "term", "party", "determination", "incident", "rationale"):
            table.add_column(column)
        for a in found:
            table.add_row(
                a.agreement_id,
                a.term_id,
                a.party,
                a.determination.value,
                a.incident_id[:12],
                a.rationale,
            )
        context.console.print(table)

    @app.command()
    def commitments(
        ctx: typer.Context,
        as_of: Annotated[
            date | None,
            typer.Option(
                "--as-of",
                help=f"State as of this day ({_ISO}; default today).",
                parser=date.fromisoformat,
            ),
        ] = None,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
        as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
    ) -> None:
        """Every obligation of the profile's agreements with its deadline and state."""
        from ceasefire.adapters.profiles import load_profile, load_taxonomy
        from ceasefire.services.fusion import commitment_states

        context = _ctx(ctx)
        taxonomy = load_taxonomy()
        day = as_of or date.today()
        states = commitment_states(_store(context), load_profile(profile, taxonomy), taxonomy, day)
        if as_json:
            for state in states:
                typer.echo(json.dumps(commitment_json(state), ensure_ascii=False))
            return
        table = Table(title=f"Commitments as of {day.isoformat()}")
        for column in ("agreement", "term", "due", "status", "evidence", "rationale"):
            table.add_column(column)
        for c in states:
            status = c.status.value + (" (override)" if c.override is not None else "")
            table.add_row(
                c.agreement_id,
                c.term_id,
                c.due.isoformat() if c.due else "",
                status,
                str(len(c.meeting) + len(c.breaching)),
                c.rationale,
            )
        context.console.print(table)

    @app.command(name="override-commitment")
    def override_commitment(
        ctx: typer.Context,
        term: Annotated[str, typer.Argument(help="The obligation's term id.")],
        status: Annotated[str, typer.Argument(help="pending, met, partly_met, overdue, unknown.")],
        reason: Annotated[str, typer.Option(help="Why (kept with the override).")],
        by: Annotated[str | None, typer.Option(help="Who decides.")] = None,
        profile: Annotated[str, typer.Option(help="Conflict profile.")] = "libya",
    ) -> None:
        """Set an analyst's state for an obligation; it wins over the computed one and is shown
        as an override with its reason."""
        from ceasefire.adapters.profiles import load_profile, load_taxonomy
        from ceasefire.domain.agreements import CommitmentOverride, CommitmentStatus
        from ceasefire.errors import ConfigError
        from ceasefire.storage.incidents import IncidentRepository

        context = _ctx(ctx)
        loaded = load_profile(profile, load_taxonomy())
        terms = {
            obligation.id
            for agreement in loaded.agreements.values()
            for obligation in agreement.obligations
        }
        if term not in terms:
            raise ConfigError(f"no obligation {term!r} in profile {profile}: see `commitments`")
        try:
            chosen = CommitmentStatus(status)
        except ValueError as exc:
            allowed = ", ".join(s.value for s in CommitmentStatus)
            raise ConfigError(f"status must be one of {allowed}") from exc
        if not reason.strip():
            raise ConfigError("an override needs a reason")
        IncidentRepository(_store(context)).set_override(
            term, CommitmentOverride(chosen, reason.strip(), by, date.today())
        )
        context.console.print(f"[green]Override set[/green]: {term} is {chosen.value}")
