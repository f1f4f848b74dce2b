"""Users as an operator meets them: ``ceasefire users`` in real processes, then ``ceasefire serve``
on a free port of 127.0.0.1 with the default (full-strength) argon2id parameters."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from benchmarks.api_bench import serve

from tests.e2e.test_cli import cli

NEW_PASSWORD = "a long and new passphrase"


def _secret(output: str, label: str) -> str:
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(label))
    return lines[index + 1].strip()


def _stored_bytes(cwd: Path) -> bytes:
    return b"".join(p.read_bytes() for p in cwd.glob("ceasefire.db*"))


def test_first_admin_one_time_password_tokens_and_reset(tmp_path: Path) -> None:
    assert cli(tmp_path, "init").returncode == 0
    added = cli(tmp_path, "users", "add", "admin", "--role", "admin")
    assert added.returncode == 0, added.stderr
    secret = _secret(added.stdout, "One-time password")
    assert len(secret) >= 20 and added.stdout.count(secret) == 1
    listing = cli(tmp_path, "users", "list", "--json").stdout
    listed = [json.loads(line) for line in listing.splitlines()]
    assert listed[0]["username"] == "admin" and listed[0]["must_change_password"] is True
    again = cli(tmp_path, "users", "add", "ADMIN", "--role", "viewer")
    assert again.returncode == 2 and "already exists" in again.stderr
    given = cli(
        tmp_path,
        "users",
        "add",
        "amal",
        "--role",
        "analyst",
        "--password-stdin",
        stdin=b"analyst passphrase 1\n",
    )
    assert given.returncode == 0 and "One-time password" not in given.stdout

    with (
        serve("sqlite:///ceasefire.db", tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=10) as client,
    ):
        login = client.post("/api/session", json={"username": "admin", "password": secret})
        assert login.status_code == 200, login.text
        assert login.json()["user"]["must_change_password"] is True
        csrf = login.json()["csrf_token"]
        change = {"old_password": secret, "new_password": NEW_PASSWORD}
        changed = client.post("/api/me/password", json=change, headers={"X-CSRF-Token": csrf})
        assert changed.status_code == 204
        assert client.get("/api/me").json()["user"]["must_change_password"] is False
        reuse = httpx.post(f"{base}/api/session", json={"username": "admin", "password": secret})
        assert reuse.status_code == 401
        amal = httpx.post(
            f"{base}/api/session", json={"username": "amal", "password": "analyst passphrase 1"}
        )
        assert amal.status_code == 200 and amal.json()["user"]["role"] == "analyst"

        made = cli(tmp_path, "users", "token", "admin", "--name", "nightly")
        assert made.returncode == 0, made.stderr
        token = _secret(made.stdout, "API token")
        assert token.startswith("cf_")
        bearer = {"Authorization": f"Bearer {token}"}
        me = httpx.get(f"{base}/api/me", headers=bearer)
        assert me.status_code == 200 and me.json()["via"] == "token"
        tokens = cli(tmp_path, "users", "tokens", "admin", "--json")
        assert json.loads(tokens.stdout)["name"] == "nightly"
        revoked = cli(tmp_path, "users", "revoke-token", "admin", "--name", "nightly")
        assert revoked.returncode == 0, revoked.stderr
        assert httpx.get(f"{base}/api/me", headers=bearer).status_code == 401

        reset = cli(tmp_path, "users", "reset", "admin")
        assert reset.returncode == 0, reset.stderr
        fresh = _secret(reset.stdout, "One-time password")
        assert client.get("/api/me").status_code == 401  # the session ended with the reset
        relogin = httpx.post(f"{base}/api/session", json={"username": "admin", "password": fresh})
        assert relogin.status_code == 200
        assert relogin.json()["user"]["must_change_password"] is True

        assert cli(tmp_path, "users", "disable", "amal").returncode == 0
        denied = httpx.post(
            f"{base}/api/session", json={"username": "amal", "password": "analyst passphrase 1"}
        )
        assert denied.status_code == 401

    stored = _stored_bytes(tmp_path)
    for clear in (secret, fresh, token, NEW_PASSWORD, "analyst passphrase 1"):
        assert clear.encode() not in stored


def test_users_help_and_bad_input(tmp_path: Path) -> None:
    for args in (["users"], ["users", "add"], ["users", "token"], ["users", "revoke-token"]):
        result = cli(tmp_path, *args, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout
    assert cli(tmp_path, "init").returncode == 0
    weak = cli(
        tmp_path, "users", "add", "x", "--role", "viewer", "--password-stdin", stdin=b"short\n"
    )
    assert weak.returncode == 2 and "12" in weak.stderr
    assert cli(tmp_path, "users", "add", "x", "--role", "boss").returncode == 2
    missing = cli(tmp_path, "users", "reset", "nobody")
    assert missing.returncode == 2 and "no user named" in missing.stderr
    assert cli(tmp_path, "users", "revoke-token", "x").returncode == 2
