"""What a processed database holds, as comparable values: events, incidents with their members
and claims, and assessments — without the timestamps of when each row was written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ceasefire.storage import Store

_WRITTEN_AT = {"updated_at", "created_at", "at"}
TABLES = ("events", "incidents", "incident_events", "claims", "assessments")


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the event and incident tables, sorted, with write times left out."""
    tables = store.articles.metadata.tables
    result: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for name in TABLES:
            table = tables[name]
            columns = [c for c in table.c if c.name not in _WRITTEN_AT]
            rows = conn.execute(select(*columns)).all()
            result[name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    return result


def _plain(value: Any) -> Any:
    """JSON columns come back as dicts or lists: make them hashable and comparable."""
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, float):
        return round(value, 9)
    return value
