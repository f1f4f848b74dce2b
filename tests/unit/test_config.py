from pathlib import Path

import pytest

from ceasefire.config import load_settings
from ceasefire.errors import ConfigError


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.database_url == "sqlite:///ceasefire.db"
    assert settings.allow_private_addresses is False
    assert settings.host == "127.0.0.1"


def test_file_then_environment_then_arguments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[ceasefire]\nhttp_timeout = 5\nport = 9000\nhost = "127.0.0.2"\n')
    monkeypatch.setenv("CEASEFIRE_PORT", "9100")
    settings = load_settings(config, host="127.0.0.3")
    assert settings.http_timeout == 5  # from the file
    assert settings.port == 9100  # the environment beats the file
    assert settings.host == "127.0.0.3"  # arguments beat both


def test_config_from_environment_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("http_max_redirects = 2\n")
    monkeypatch.setenv("CEASEFIRE_CONFIG", str(config))
    assert load_settings().http_max_redirects == 2


def test_postgres_urls_use_psycopg3() -> None:
    settings = load_settings(database_url="postgresql://monitor@127.0.0.1/ceasefire")
    assert settings.database_url == "postgresql+psycopg://monitor@127.0.0.1/ceasefire"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("port = 0\n", "port"),
        ("colour = 'red'\n", "colour"),
        ("port = [\n", "cannot read"),
        ("database_url = 'mysql://x'\n", "database_url"),
    ],
)
def test_bad_config_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(config)


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(Path("/nonexistent/ceasefire.toml"))
