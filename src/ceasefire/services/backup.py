"""Backup and restore of the whole database, SQLite or PostgreSQL.

SQLite: SQLite's online backup API copies a consistent snapshot (WAL content included) while the
database stays in use; a restore copies the snapshot back the same way. PostgreSQL: ``pg_dump``
in its custom format (compressed, restorable table by table) and ``pg_restore --clean``, from
Debian's PostgreSQL client tools. A restore refuses to overwrite a database that holds documents
unless ``force`` is given.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ceasefire.errors import CeasefireError
from ceasefire.storage import Store, create_engine_for, require_schema


class BackupError(CeasefireError):
    """A backup or restore could not be made."""

    code = "backup"


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    backend: str
    documents: int
    articles: int


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"{url} is not a SQLite database file")
    return Path(database).expanduser()


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as libpq reads it (``postgresql://…``, password included)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        if not candidates:
            raise BackupError(f"{name} is not installed: apt-get install postgresql-client")
        found = str(candidates[-1])
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[:500]}")


def _counts(url: str) -> tuple[int, int]:
    engine = create_engine_for(url)
    try:
        store = Store(engine)
        return store.count_documents(), store.count_articles()
    finally:
        engine.dispose()


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def backup(url: str, out: Path) -> BackupSummary:
    """Write a consistent snapshot of the database at ``url`` to ``out``."""
    engine = create_engine_for(url)
    try:
        require_schema(engine)
    finally:
        engine.dispose()
    backend = make_url(url).get_backend_name()
    out.parent.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        if out.exists():
            out.unlink()
        _sqlite_copy(_sqlite_path(url), out)
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", _libpq_url(url)])
    documents, articles = _counts(url)
    return BackupSummary(out, backend, documents, articles)


def restore(url: str, source: Path, force: bool = False) -> BackupSummary:
    """Replace the database at ``url`` with the snapshot in ``source``."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    backend = make_url(url).get_backend_name()
    engine = create_engine_for(url)
    try:
        try:
            require_schema(engine)
            holds_data = Store(engine).count_documents() > 0
        except CeasefireError:
            holds_data = False  # no schema yet: nothing to lose
    finally:
        engine.dispose()
    if holds_data and not force:
        raise BackupError("the database holds documents: restore with --force to replace them")
    if backend == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
    else:
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={_libpq_url(url)}",
                str(source),
            ]
        )
    documents, articles = _counts(url)
    return BackupSummary(source, backend, documents, articles)
