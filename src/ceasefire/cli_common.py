"""What every command shares: settings, consoles and the database."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console

from ceasefire.config import Settings
from ceasefire.errors import ConfigError
from ceasefire.storage import Store, create_engine_for, require_schema


@dataclass(frozen=True, slots=True)
class Context:
    settings: Settings
    console: Console
    errors: Console


def _ctx(ctx: typer.Context) -> Context:
    obj = ctx.obj
    if not isinstance(obj, Context):
        raise ConfigError("the command line context was not set up")
    return obj


def _store(context: Context) -> Store:
    engine = create_engine_for(context.settings.database_url)
    require_schema(engine)
    return Store(engine)
