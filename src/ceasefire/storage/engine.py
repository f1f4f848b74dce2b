"""Engines and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ceasefire.errors import NotInitialisedError, StorageError

MIGRATIONS = Path(__file__).parent / "migrations"


def upsert_insert(conn: Connection, table: Table) -> Any:
    """An INSERT into ``table`` in the dialect of ``conn``, with ``on_conflict_do_update`` /
    ``on_conflict_do_nothing`` and ``excluded`` (SQLite and PostgreSQL spell them alike)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_engine_for(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and its folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise StorageError(
            f"the driver for {parsed.drivername} is not installed: "
            "pip install 'ceasefire[postgres]'"
        ) from exc


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``."""
    try:
        command.upgrade(_alembic_config(engine), revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot migrate {engine.url.render_as_string()}: {exc}") from exc


def require_schema(engine: Engine) -> None:
    """Raise unless the database is at the newest migration."""
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot open the database {engine.url}: {exc}") from exc
    if current is None:
        raise NotInitialisedError(
            f"the database {engine.url} has no schema yet: run `ceasefire init` first"
        )
    if current != head:
        raise NotInitialisedError(
            f"the database is at migration {current}, the code needs {head}: run `ceasefire init`"
        )
