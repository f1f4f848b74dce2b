"""``ceasefire users``: accounts, one-time passwords and API tokens.

There is no default account and no default password. The first administrator is created with
``ceasefire users add admin --role admin``, which prints a one-time password once; that person
logs in at ``/login`` and must choose a new password before doing anything else. Secrets printed
here (one-time passwords, API tokens) are shown once and never stored in clear.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasefire.cli_common import Context, _ctx, _store
from ceasefire.domain.users import Role
from ceasefire.errors import ConfigError
from ceasefire.services.auth import Auth
from ceasefire.storage.users import Account

users_app = typer.Typer(
    name="users",
    help="Manage users (viewer, analyst, supervisor, admin), passwords and API tokens.",
    no_args_is_help=True,
)


def _auth(ctx: typer.Context) -> tuple[Context, Auth]:
    context = _ctx(ctx)
    return context, Auth(_store(context), context.settings)


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def account_json(account: Account) -> dict[str, Any]:
    user = account.user
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role.value,
        "disabled": user.disabled,
        "must_change_password": account.must_change_password,
        "created_at": _when(account.created_at),
        "password_changed_at": _when(account.password_changed_at),
    }


def _read_password() -> str:
    """The first line of standard input, without its line ending (so ``echo pw |`` works)."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise ConfigError("--password-stdin: standard input holds no password")
    return password


def _show_secret(context: Context, label: str, secret: str, note: str) -> None:
    context.console.print(f"[bold]{label}[/bold] (shown once, {note}):")
    typer.echo(secret)  # alone on its line, no markup: easy to copy or capture


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Username (letters, digits, . _ @ -).")],
    role: Annotated[Role, typer.Option(help="What the user may do.", case_sensitive=False)],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input instead of generating a one-time password.",
        ),
    ] = False,
) -> None:
    """Create a user; without --password-stdin, print a one-time password once."""
    context, auth = _auth(ctx)
    created = auth.add_user(name, role, _read_password() if password_stdin else None)
    user = created.account.user
    context.console.print(f"Created user [bold]{user.username}[/bold] ({user.role.value}).")
    if created.one_time_password is not None:
        _show_secret(
            context, "One-time password", created.one_time_password, "must be changed at login"
        )


@users_app.command("list")
def list_users(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """Users, their roles and state."""
    context, auth = _auth(ctx)
    accounts = auth.list_users()
    if as_json:
        for account in accounts:
            typer.echo(json.dumps(account_json(account), ensure_ascii=False))
        return
    table = Table(title=f"{len(accounts)} users")
    for column in ("username", "role", "state", "created", "password changed"):
        table.add_column(column)
    for account in accounts:
        state = "disabled" if account.user.disabled else "active"
        if account.must_change_password:
            state += ", must change password"
        table.add_row(
            account.user.username,
            account.user.role.value,
            state,
            _when(account.created_at),
            _when(account.password_changed_at),
        )
    context.console.print(table)


@users_app.command("disable")
def disable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Disable a user: no more logins; their sessions end and API tokens are revoked."""
    context, auth = _auth(ctx)
    account = auth.disable(name)
    context.console.print(f"Disabled [bold]{account.user.username}[/bold].")


@users_app.command("enable")
def enable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Let a disabled user log in again (old sessions and tokens stay ended)."""
    context, auth = _auth(ctx)
    account = auth.enable(name)
    context.console.print(f"Enabled [bold]{account.user.username}[/bold].")


@users_app.command("reset")
def reset(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Give a user a new one-time password (printed once) and end all their sessions."""
    context, auth = _auth(ctx)
    secret = auth.reset(name)
    context.console.print(f"Reset the password of [bold]{name}[/bold]; their sessions ended.")
    _show_secret(context, "One-time password", secret, "must be changed at login")


@users_app.command("token")
def token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Username.")],
    label: Annotated[str | None, typer.Option("--name", help="A name for the token.")] = None,
) -> None:
    """Create an API token for scripts (printed once): send it as 'Authorization: Bearer ...'."""
    context, auth = _auth(ctx)
    new = auth.create_token(name, label)
    context.console.print(f"Created token [bold]{new.name}[/bold] for {new.user.username}.")
    _show_secret(context, "API token", new.token, "store it safely")


@users_app.command("tokens")
def tokens(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Username.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """A user's API tokens (names and dates; the tokens themselves are not stored)."""
    context, auth = _auth(ctx)
    found = auth.tokens(name)
    if as_json:
        for t in found:
            row = {
                "id": t.id,
                "name": t.name,
                "created_at": _when(t.created_at),
                "last_used": _when(t.last_used),
                "revoked": t.revoked,
            }
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table(title=f"API tokens of {name}")
    for column in ("name", "created", "last used", "state"):
        table.add_column(column)
    for t in found:
        state = "revoked" if t.revoked else "active"
        table.add_row(t.name, _when(t.created_at), _when(t.last_used) or "never", state)
    context.console.print(table)


@users_app.command("revoke-token")
def revoke_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Username.")],
    label: Annotated[str | None, typer.Option("--name", help="The token's name.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Revoke all the user's tokens.")] = False,
) -> None:
    """Revoke a user's API token (by --name) or all of them (--all)."""
    if (label is None) == (not every):
        raise typer.BadParameter("give either --name LABEL or --all")
    context, auth = _auth(ctx)
    count = auth.revoke_token(name, None if every else label)
    context.console.print(f"Revoked {count} token{'s' if count != 1 else ''} of {name}.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app)
