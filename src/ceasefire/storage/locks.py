"""The watch lock: one ``ceasefire watch`` per database at a time.

The lock lives where the operating system or the database server frees it by itself when its
holder dies, so a watcher killed by SIGKILL, a crash or a lost machine never blocks the next one:

- **PostgreSQL**: a session-level advisory lock (``pg_try_advisory_lock``) held by a dedicated
  connection in autocommit (never idle in a transaction) for the watcher's life. Advisory locks
  belong to one database of the server. The server frees the lock when the session ends; TCP
  keepalives set on that session (60 s idle, then 6 probes 10 s apart) make a vanished client
  machine end it within about two minutes instead of the system's default two hours. The
  holder's pid and host are its ``application_name``, which every role can read.
- **SQLite**: an exclusive ``flock`` on ``<database>.watch.lock`` beside the database file,
  which the kernel frees when the process ends; the file holds the holder's host and pid. The
  holder removes the file when it lets go; a newcomer that locked a file removed meanwhile
  starts again. (``flock`` is not reliable on some network file systems: keep SQLite local.)
- An **in-memory SQLite** database is private to its process: nothing to lock.

:meth:`WatchLock.keep` checks, once a cycle, that the lock is still held (a PostgreSQL
connection can drop) and takes it again when it was lost, unless another watcher took it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ceasefire.errors import StorageError, WatchRunningError

#: the advisory lock key: the first 8 bytes of sha256("ceasefire watch"), stable across versions
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"ceasefire watch").digest()[:8], "big", signed=True)

#: TCP keepalive of the PostgreSQL session holding the lock: idle seconds, interval, probes
_KEEPALIVES = {
    "tcp_keepalives_idle": "60",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "6",
}

_APPLICATION = re.compile(r"^ceasefire watch (\d+)@(.*)$")


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the lock, as far as is known."""

    pid: int | None = None
    host: str | None = None
    since: datetime | None = None

    def describe(self) -> str | None:
        if self.pid is None and self.host is None:
            return None
        words = [f"pid {self.pid}" if self.pid is not None else "a process"]
        if self.host:
            words.append(f"on {self.host}")
        if self.since is not None:
            words.append(f"since {self.since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
        return " ".join(words)


def _refused(database: str, holder: Holder) -> WatchRunningError:
    who = holder.describe()
    running = f" ({who})" if who else ""
    return WatchRunningError(
        f"another `ceasefire watch` is already running against {database}{running}: "
        "run one watcher per database (stop that one first, or wait for it to finish)",
        database,
        who,
    )


class WatchLock:
    """The lock, held until :meth:`release` (or the end of a ``with`` block)."""

    database: str  # what the lock is for, as shown to people

    def keep(self) -> None:
        """Make sure the lock is still ours, taking it again if it was lost; raise
        :class:`WatchRunningError` when another watcher took it meanwhile."""

    def release(self) -> None:
        """Let go of the lock (again: nothing)."""

    def __enter__(self) -> WatchLock:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.release()


class _PrivateDatabase(WatchLock):
    def __init__(self, database: str) -> None:
        self.database = database


class _FileLock(WatchLock):
    """``flock`` on a file beside the SQLite database."""

    def __init__(self, database: Path) -> None:
        self.database = str(database)
        self.path = database.with_name(database.name + ".watch.lock")
        self.fd: int | None = self._take()

    def _take(self) -> int:
        for _ in range(100):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise StorageError(
                    f"cannot create the watch lock file {self.path}: {exc.strerror}"
                ) from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = _read_holder(fd)
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise _refused(self.database, holder) from None
                raise StorageError(f"cannot lock {self.path}: {exc.strerror}") from exc
            if self._current(fd):
                _write_holder(fd)
                return fd
            os.close(fd)  # its holder removed it as we opened it: lock the new one
        raise StorageError(f"cannot lock {self.path}: it keeps being replaced")

    def _current(self, fd: int) -> bool:
        """Whether ``fd`` is still the file at the lock's path."""
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (found.st_dev, found.st_ino) == (mine.st_dev, mine.st_ino)

    def keep(self) -> None:
        if self.fd is None or self._current(self.fd):
            return
        old, self.fd = self.fd, None  # the file was removed: lock a new one
        os.close(old)
        self.fd = self._take()

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            if self._current(fd):
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()  # removed while locked, so no one locks it after us
        finally:
            os.close(fd)


def _write_holder(fd: int) -> None:
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now(UTC)}
    data = json.dumps(holder, default=datetime.isoformat).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def _read_holder(fd: int) -> Holder:
    try:
        data: Any = json.loads(os.pread(fd, 4096, 0) or b"{}")
        since = data.get("since")
        return Holder(
            int(data["pid"]) if "pid" in data else None,
            str(data["host"]) if "host" in data else None,
            datetime.fromisoformat(since) if since else None,
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Holder()  # being written, or not ours: who holds it is not known


class _AdvisoryLock(WatchLock):
    """A session-level advisory lock on a dedicated PostgreSQL connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.database = engine.url.render_as_string(hide_password=True)
        self.conn: Connection | None = self._take()

    def _take(self) -> Connection:
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open the database {self.database}: {exc}") from exc
        try:
            name = f"ceasefire watch {os.getpid()}@{socket.gethostname()}"[:63]
            _set(conn, "application_name", name)
            for setting, value in _KEEPALIVES.items():
                with contextlib.suppress(DBAPIError):  # e.g. a server that refuses them
                    _set(conn, setting, value)
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
            if not taken.scalar_one():
                raise _refused(self.database, _advisory_holder(conn))
        except BaseException:
            _discard(conn)
            raise
        return conn

    def keep(self) -> None:
        if self.conn is None:
            return
        try:
            self.conn.execute(text("SELECT 1"))
        except DBAPIError:  # the session ended, and the lock with it
            _discard(self.conn)
            self.conn = None
            self.conn = self._take()

    def release(self) -> None:
        if self.conn is None:
            return
        conn, self.conn = self.conn, None
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
        except DBAPIError:
            pass  # the session is gone: so is the lock
        finally:
            _discard(conn)


def _set(conn: Connection, setting: str, value: str) -> None:
    conn.execute(
        text("SELECT set_config(:setting, :value, false)"), {"setting": setting, "value": value}
    )


def _discard(conn: Connection) -> None:
    """Close the session for good: its lock and settings must not go back to the pool."""
    with contextlib.suppress(SQLAlchemyError):
        conn.invalidate()
    with contextlib.suppress(SQLAlchemyError):
        conn.close()


def _advisory_holder(conn: Connection) -> Holder:
    row = conn.execute(
        text(
            "SELECT a.pid, a.application_name, a.backend_start FROM pg_locks l "
            "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND l.classid = :high AND l.objid = :low AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"high": (ADVISORY_KEY >> 32) & 0xFFFFFFFF, "low": ADVISORY_KEY & 0xFFFFFFFF},
    ).first()
    if row is None:
        return Holder()  # let go just now
    named = _APPLICATION.match(row.application_name or "")
    if named is None:  # not a watcher's session: its server process is all there is to show
        return Holder(row.pid, "the database server", row.backend_start)
    return Holder(int(named.group(1)), named.group(2) or None, row.backend_start)


def _sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for an in-memory database."""
    database = url.database or ""
    if str(url.query.get("uri", "")).lower() in ("true", "1") and database.startswith("file:"):
        if url.query.get("mode") == "memory":
            return None
        database = database.removeprefix("file:")
    if database in ("", ":memory:"):
        return None
    return Path(os.path.realpath(database))


def watch_lock(engine: Engine) -> WatchLock:
    """Take the watch lock of the database of ``engine``, or raise :class:`WatchRunningError`
    naming the database and, when known, the other watcher's pid and host."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        return _AdvisoryLock(engine)
    if backend == "sqlite":
        path = _sqlite_file(engine.url)
        return _PrivateDatabase(":memory:") if path is None else _FileLock(path)
    raise StorageError(f"a watch cannot lock a {backend} database: use SQLite or PostgreSQL")
