"""Storage: SQLAlchemy tables, Alembic migrations and repositories (SQLite or PostgreSQL)."""

from ceasefire.storage.engine import create_engine_for, migrate, require_schema
from ceasefire.storage.repositories import Store

__all__ = ["Store", "create_engine_for", "migrate", "require_schema"]
