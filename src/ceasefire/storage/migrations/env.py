"""Alembic environment: runs with the engine handed over by ``ceasefire.storage.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from ceasefire.storage.tables import build_metadata

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=build_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
