"""Settings, read from ``CEASEFIRE_*`` environment variables and an optional TOML file.

Precedence, highest first: explicit keyword arguments, environment variables, the config file
(``--config PATH``, else ``$CEASEFIRE_CONFIG``, else ``./ceasefire.toml`` when present), defaults.
Nothing here is instantiated at import time: call :func:`load_settings`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from ceasefire.errors import ConfigError

DEFAULT_CONFIG_NAME = "ceasefire.toml"


class Settings(BaseSettings):
    """Every tunable of ceasefire, with safe defaults."""

    model_config = SettingsConfigDict(env_prefix="CEASEFIRE_", extra="forbid", frozen=True)

    database_url: str = Field(
        default="sqlite:///ceasefire.db",
        description="SQLAlchemy URL: sqlite:///PATH (default) or postgresql+psycopg://...",
    )
    http_timeout: float = Field(default=20.0, gt=0, description="seconds per HTTP request")
    http_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0, description="largest HTTP body")
    http_max_redirects: int = Field(default=5, ge=0)
    allow_private_addresses: bool = Field(
        default=False,
        description="fetch loopback, private, link-local and multicast addresses (tests only)",
    )
    user_agent: str = "ceasefire/0.1 (+https://github.com/ceasefire-monitor/ceasefire)"
    max_file_bytes: int = Field(default=20 * 1024 * 1024, gt=0, description="largest input file")
    feed_max_entries: int = Field(default=200, gt=0)
    near_duplicate_threshold: float = Field(default=0.6, gt=0, le=1)
    watch_interval: float = Field(
        default=300.0, gt=0, description="seconds between two polls of a watched target"
    )
    watch_max_backoff: float = Field(
        default=3600.0,
        gt=0,
        description="longest wait, in seconds, before retrying a failing target",
    )
    watch_settle: float = Field(
        default=2.0,
        ge=0,
        description="seconds a watched file must stay unmodified before it is read (half-copied "
        "files wait for the next poll)",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)
    # authentication (see ceasefire.services.auth for why each default is what it is)
    https: bool = Field(
        default=False,
        description="the site is served over HTTPS: session cookies get the Secure flag",
    )
    session_max_age: int = Field(
        default=12 * 3600, gt=0, description="seconds a session lasts at most after login"
    )
    session_idle_timeout: int = Field(
        default=3600, gt=0, description="seconds without a request after which a session ends"
    )
    login_max_failures: int = Field(
        default=5, gt=0, description="failed logins per username or client before throttling"
    )
    login_window: int = Field(
        default=15 * 60, gt=0, description="seconds over which failed logins are counted"
    )
    password_min_length: int = Field(default=12, ge=8, le=128)
    password_time_cost: int = Field(default=3, ge=1, description="argon2id iterations")
    password_memory_kib: int = Field(
        default=64 * 1024, ge=19 * 1024, description="argon2id memory per hash, in KiB"
    )
    password_parallelism: int = Field(default=4, ge=1, le=64, description="argon2id lanes")

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "sqlite+pysqlite:", "postgresql")):
            raise ValueError("use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")
        if value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)


def _config_path(explicit: Path | None) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist")
        return explicit
    from_env = os.environ.get("CEASEFIRE_CONFIG")
    if from_env:
        path = Path(from_env)
        if not path.is_file():
            raise ConfigError(f"CEASEFIRE_CONFIG points to {path}, which does not exist")
        return path
    local = Path(DEFAULT_CONFIG_NAME)
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    section = data.get("ceasefire", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [ceasefire] must be a table")
    return section


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, the config file, the environment and ``overrides``."""
    path = _config_path(config_file)
    file_values = _read_toml(path) if path else {}
    env_names = {
        name for name in Settings.model_fields if f"CEASEFIRE_{name.upper()}" in os.environ
    }
    # the file fills only what neither the environment nor the caller set
    values = {k: v for k, v in file_values.items() if k not in env_names}
    values.update(overrides)
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        origin = f" (config file {path})" if path else ""
        raise ConfigError(f"invalid settings{origin}: {problems}") from exc
