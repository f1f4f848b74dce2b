"""The one error tree of ceasefire.

Every error a user can meet derives from :class:`CeasefireError` and carries an actionable
message. Interfaces (CLI, API) map this tree to exit codes and HTTP statuses in one place each.
"""

from __future__ import annotations


class CeasefireError(Exception):
    """Base of every error raised on purpose by ceasefire."""

    #: short machine-readable code, stable across versions
    code = "error"


class ConfigError(CeasefireError):
    """Settings or a configuration file are invalid."""

    code = "config"


class StorageError(CeasefireError):
    """The database cannot be reached, migrated or written."""

    code = "storage"


class NotInitialisedError(StorageError):
    """The database exists but has no schema yet."""

    code = "not_initialised"


class NotFoundError(CeasefireError):
    """A requested record does not exist."""

    code = "not_found"


class IngestError(CeasefireError):
    """An item could not be ingested; ``reason`` is one of :class:`ceasefire.domain.DropReason`."""

    code = "ingest"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ProfileError(CeasefireError):
    """A conflict profile or the taxonomy is missing or invalid."""

    code = "profile"


class ModelError(CeasefireError):
    """The NLP model is missing or is not the expected one."""

    code = "model"


class AuthenticationError(CeasefireError):
    """No valid credentials were given (HTTP 401)."""

    code = "unauthenticated"


class PermissionDeniedError(CeasefireError):
    """The user's role does not allow this action (HTTP 403)."""

    code = "forbidden"


class ConflictError(CeasefireError):
    """The action conflicts with the current state, e.g. an incident held by someone else (409)."""

    code = "conflict"


class WatchRunningError(ConflictError):
    """Another ``ceasefire watch`` holds the watch lock of this database."""

    code = "watch_running"

    def __init__(self, message: str, database: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.database = database
        self.holder = holder  # "pid 123 on host-name", when known


class ThrottledError(CeasefireError):
    """Too many attempts; try again later (HTTP 429)."""

    code = "throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RunnerError(CeasefireError):
    """A batch runner could not start or finish (e.g. Dask missing, workers failing)."""

    code = "runner"
