"""The checkpoint of ``ceasefire watch``: target schedules, feed entries and folder files.

Each method is one short transaction. Writes are upserts (``INSERT … ON CONFLICT DO UPDATE`` on
SQLite and PostgreSQL alike), so a row written twice, by a retry or a second watcher, stays one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, select

from ceasefire.storage.engine import upsert_insert
from ceasefire.storage.repositories import Store, aware_or_none


def key(text: str) -> str:
    """The id of a target, entry or path: the sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _utc(value: datetime | None) -> datetime | None:
    """Times are written in UTC: SQLite keeps no offset."""
    return None if value is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TargetState:
    """Where polling a target stands."""

    target: str
    kind: str | None = None  # feed, page, folder, file
    last_poll: datetime | None = None
    last_success: datetime | None = None
    failures: int = 0  # consecutive
    next_attempt: datetime | None = None  # None: due now
    etag: str | None = None
    last_modified: str | None = None
    last_reason: str | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class EntryMark:
    """A feed entry already handled: ``ingested``, ``failed`` for good, or ``retry``."""

    status: str
    attempts: int


@dataclass(frozen=True, slots=True)
class FileMark:
    """A file already read, as it was then."""

    size: int
    mtime_ns: int


class WatchRepository:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        tables = store.articles.metadata.tables
        self.targets = tables["watch_targets"]
        self.entries_table = tables["watch_entries"]
        self.files_table = tables["watch_files"]

    def _upsert(
        self, conn: Connection, table: Table, keys: dict[str, Any], values: dict[str, Any]
    ) -> None:
        statement = upsert_insert(conn, table).values(**keys, **values)
        conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))

    # targets -------------------------------------------------------------------------------
    def ensure(self, targets: Iterable[str]) -> None:
        """A row for each target not seen before (due at once, no failures); rows of known
        targets are left as they are."""
        rows = [{"id": key(t), "target": t, "failures": 0} for t in targets]
        if not rows:
            return
        with self.engine.begin() as conn:
            new = upsert_insert(conn, self.targets).on_conflict_do_nothing(index_elements=["id"])
            conn.execute(new, rows)  # one statement for all the targets

    def states(self, targets: Iterable[str]) -> dict[str, TargetState]:
        wanted = {key(t): t for t in targets}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(self.targets).where(self.targets.c.id.in_(list(wanted)))
            ).all()
        return {
            wanted[row.id]: TargetState(
                target=wanted[row.id],
                kind=row.kind,
                last_poll=aware_or_none(row.last_poll),
                last_success=aware_or_none(row.last_success),
                failures=row.failures,
                next_attempt=aware_or_none(row.next_attempt),
                etag=row.etag,
                last_modified=row.last_modified,
                last_reason=row.last_reason,
                last_error=row.last_error,
            )
            for row in rows
        }

    def save(self, state: TargetState) -> None:
        values = {
            "target": state.target,
            "kind": state.kind,
            "last_poll": _utc(state.last_poll),
            "last_success": _utc(state.last_success),
            "failures": state.failures,
            "next_attempt": _utc(state.next_attempt),
            "etag": state.etag,
            "last_modified": state.last_modified,
            "last_reason": state.last_reason,
            "last_error": state.last_error,
        }
        with self.engine.begin() as conn:
            self._upsert(conn, self.targets, {"id": key(state.target)}, values)

    # feed entries --------------------------------------------------------------------------
    def entries(self, target: str) -> dict[str, EntryMark]:
        """The entries of a feed already handled, by entry id."""
        table = self.entries_table
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(table.c.entry_id, table.c.status, table.c.attempts).where(
                    table.c.target_id == key(target)
                )
            )
            return {row.entry_id: EntryMark(row.status, row.attempts) for row in rows}

    def mark_entry(
        self,
        target: str,
        entry: str,
        mark: EntryMark,
        reason: str | None,
        at: datetime,
    ) -> None:
        values = {
            "entry": entry,
            "status": mark.status,
            "attempts": mark.attempts,
            "reason": reason,
            "at": _utc(at),
        }
        with self.engine.begin() as conn:
            keys = {"target_id": key(target), "entry_id": key(entry)}
            self._upsert(conn, self.entries_table, keys, values)

    # folder files --------------------------------------------------------------------------
    def files(self, target: str) -> dict[str, FileMark]:
        """The files of a folder (or the file) already read, by path."""
        table = self.files_table
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(table.c.path, table.c.size, table.c.mtime_ns).where(
                    table.c.target_id == key(target)
                )
            )
            return {row.path: FileMark(row.size, row.mtime_ns) for row in rows}

    def mark_file(self, target: str, path: str, mark: FileMark, at: datetime) -> None:
        values = {"path": path, "size": mark.size, "mtime_ns": mark.mtime_ns, "at": _utc(at)}
        with self.engine.begin() as conn:
            keys = {"target_id": key(target), "path_id": key(path)}
            self._upsert(conn, self.files_table, keys, values)

    def forget_files(self, target: str, paths: Collection[str]) -> None:
        """Forget files that are gone: one put back is read again."""
        if not paths:
            return
        table = self.files_table
        with self.engine.begin() as conn:
            conn.execute(
                delete(table).where(
                    table.c.target_id == key(target), table.c.path_id.in_([key(p) for p in paths])
                )
            )
