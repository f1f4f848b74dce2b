"""The authentication service on real SQLite and PostgreSQL: users, throttling, sessions, tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ceasefire.config import Settings, load_settings
from ceasefire.domain.users import Role
from ceasefire.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    ThrottledError,
)
from ceasefire.services.auth import AccountPolicyError, Auth, digest
from ceasefire.storage import Store

PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def fast_settings(database_url: str, **overrides: object) -> Settings:
    """Cheaper argon2id parameters (still the floor the settings allow) to keep the suite quick."""
    values: dict[str, object] = {
        "database_url": database_url,
        "password_time_cost": 1,
        "password_memory_kib": 19 * 1024,
        "password_parallelism": 1,
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(store: Store, clock: Clock) -> Iterator[Auth]:
    yield Auth(store, fast_settings(str(store.engine.url.render_as_string(False))), clock)


def _all_values(auth: Auth) -> str:
    """Every value in the authentication tables, as one string."""
    repo = auth.repo
    parts: list[str] = []
    with repo.engine.connect() as conn:
        for table in (repo.users, repo.sessions, repo.tokens, repo.attempts):
            for row in conn.execute(select(table)):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_generated_one_time_password_is_returned_once_and_never_stored(auth: Auth) -> None:
    created = auth.add_user("admin", Role.ADMIN)
    secret = created.one_time_password
    assert secret is not None and len(secret) >= 20
    assert created.account.must_change_password
    assert created.account.password_hash.startswith("$argon2id$")
    assert secret not in _all_values(auth)
    assert auth.authenticate("admin", secret, "10.0.0.1").user.role is Role.ADMIN
    other = auth.add_user("second", Role.VIEWER).one_time_password
    assert other is not None and other != secret


def test_given_password_works_and_wrong_ones_fail(auth: Auth) -> None:
    created = auth.add_user("Amal", Role.ANALYST, PASSWORD)
    assert created.one_time_password is None
    assert not created.account.must_change_password
    assert auth.authenticate("amal", PASSWORD, "c").user.username == "Amal"
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        auth.authenticate("Amal", PASSWORD + "!", "c")
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        auth.authenticate("nobody", PASSWORD, "c")


def test_usernames_are_unique_in_any_case_and_policies_hold(auth: Auth) -> None:
    auth.add_user("admin", Role.ADMIN)
    with pytest.raises(ConflictError):
        auth.add_user("ADMIN", Role.VIEWER)
    with pytest.raises(AccountPolicyError, match="12"):
        auth.add_user("short", Role.VIEWER, "tooshort")
    with pytest.raises(AccountPolicyError, match="username"):
        auth.add_user("bad name!", Role.VIEWER)
    with pytest.raises(AccountPolicyError, match="username"):
        auth.add_user("longusername1", Role.VIEWER, "LongUserName1")
    assert [a.user.username for a in auth.list_users()] == ["admin"]


def test_throttling_per_username_with_retry_after(auth: Auth, clock: Clock) -> None:
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    for attempt in range(5):
        with pytest.raises(AuthenticationError):
            auth.authenticate("amal", "wrong password", f"10.0.0.{attempt}")
        clock.advance(1)
    clock.advance(5)  # 10 s after the first failure
    with pytest.raises(ThrottledError) as caught:
        auth.authenticate("amal", PASSWORD, "10.9.9.9")  # right password, new client: refused
    assert caught.value.retry_after == 15 * 60 - 10
    clock.advance(caught.value.retry_after)
    assert auth.authenticate("amal", PASSWORD, "10.9.9.9").user.username == "amal"


def test_throttling_per_client_counts_unknown_names_and_survives_a_success(
    auth: Auth, clock: Clock
) -> None:
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    for name in ("a1", "a2", "a3", "a4"):
        with pytest.raises(AuthenticationError):
            auth.authenticate(name, "guess guess guess", "203.0.113.7")
    auth.authenticate("amal", PASSWORD, "203.0.113.7")  # a success does not clear the client
    with pytest.raises(AuthenticationError):
        auth.authenticate("a5", "guess guess guess", "203.0.113.7")
    with pytest.raises(ThrottledError):
        auth.authenticate("amal", PASSWORD, "203.0.113.7")
    assert auth.authenticate("amal", PASSWORD, "198.51.100.1").user.username == "amal"


def test_a_success_resets_the_username_count(auth: Auth) -> None:
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    for round_ in range(3):
        for _ in range(4):
            with pytest.raises(AuthenticationError):
                auth.authenticate("amal", "wrong password", f"192.0.2.{round_}")
        auth.authenticate("amal", PASSWORD, f"198.51.100.{round_}")


def test_sessions_expire_idle_out_and_end_on_logout(store: Store, clock: Clock) -> None:
    url = store.engine.url.render_as_string(False)
    auth = Auth(store, fast_settings(url, session_max_age=3600, session_idle_timeout=600), clock)
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    session = auth.login("amal", PASSWORD, "c")
    assert session.token not in _all_values(auth)
    assert digest(session.token) in _all_values(auth)
    who = auth.session(session.token)
    assert who.user.username == "amal" and who.csrf_token == session.csrf_token
    for _ in range(6):  # active use keeps it alive until the absolute expiry
        clock.advance(590)
        auth.session(session.token)
    clock.advance(300)  # 3840 s after login
    with pytest.raises(AuthenticationError, match="ended"):
        auth.session(session.token)

    idle = auth.login("amal", PASSWORD, "c")
    clock.advance(601)
    with pytest.raises(AuthenticationError):
        auth.session(idle.token)

    ended = auth.login("amal", PASSWORD, "c")
    auth.logout(ended.token)
    with pytest.raises(AuthenticationError):
        auth.session(ended.token)
    with pytest.raises(AuthenticationError):
        auth.session("made-up")


def test_disable_and_reset_end_sessions_and_disable_revokes_tokens(auth: Auth) -> None:
    auth.add_user("amal", Role.ANALYST, PASSWORD)
    auth.add_user("sara", Role.SUPERVISOR, PASSWORD)
    amal = auth.login("amal", PASSWORD, "c")
    token = auth.create_token("amal", "script").token
    sara = auth.login("sara", PASSWORD, "c")

    auth.disable("amal")
    with pytest.raises(AuthenticationError):
        auth.session(amal.token)
    with pytest.raises(AuthenticationError):
        auth.token(token)
    with pytest.raises(AuthenticationError):
        auth.authenticate("amal", PASSWORD, "c")  # the right password, but disabled
    with pytest.raises(AccountPolicyError, match="disabled"):
        auth.create_token("amal")
    auth.enable("amal")
    with pytest.raises(AuthenticationError):
        auth.token(token)  # re-enabling does not bring old credentials back

    secret = auth.reset("sara")
    with pytest.raises(AuthenticationError):
        auth.session(sara.token)
    with pytest.raises(AuthenticationError):
        auth.authenticate("sara", PASSWORD, "c")
    assert auth.get("sara").must_change_password
    assert auth.session(auth.login("sara", secret, "c").token).must_change_password


def test_change_password_clears_the_flag_and_ends_other_sessions(auth: Auth) -> None:
    secret = auth.add_user("admin", Role.ADMIN).one_time_password
    assert secret is not None
    first = auth.login("admin", secret, "c")
    second = auth.login("admin", secret, "c")
    keep = auth.session(first.token).session_hash
    with pytest.raises(AccountPolicyError):
        auth.change_password("admin", secret, "short", "c", keep_session=keep)
    with pytest.raises(AuthenticationError):
        auth.change_password("admin", "not the password", PASSWORD, "c", keep_session=keep)
    auth.change_password("admin", secret, PASSWORD, "c", keep_session=keep)
    assert not auth.session(first.token).must_change_password
    with pytest.raises(AuthenticationError):
        auth.session(second.token)
    with pytest.raises(AuthenticationError):
        auth.authenticate("admin", secret, "c")
    assert auth.authenticate("admin", PASSWORD, "c").user.username == "admin"


def test_api_tokens_are_shown_once_verified_by_hash_and_revocable(auth: Auth) -> None:
    auth.add_user("bot", Role.ANALYST, PASSWORD)
    first = auth.create_token("bot", "ingest")
    second = auth.create_token("bot")
    assert first.token.startswith("cf_") and len(first.token) >= 40
    assert second.name == "token-2" and second.token != first.token
    assert first.token not in _all_values(auth)
    with pytest.raises(ConflictError):
        auth.create_token("bot", "ingest")
    who = auth.token(first.token)
    assert who.user.username == "bot" and who.token_id == first.id and who.csrf_token is None
    assert auth.tokens("bot")[0].last_used is not None
    assert auth.revoke_token("bot", "ingest") == 1
    with pytest.raises(AuthenticationError, match="revoked"):
        auth.token(first.token)
    assert auth.token(second.token).user.username == "bot"
    with pytest.raises(NotFoundError):
        auth.revoke_token("bot", "ingest")
    with pytest.raises(AuthenticationError):
        auth.token("cf_" + "x" * 43)
    with pytest.raises(AuthenticationError):
        auth.token(first.token[3:])


def test_hashes_are_redone_when_the_parameters_change(store: Store, clock: Clock) -> None:
    url = store.engine.url.render_as_string(False)
    old = Auth(store, fast_settings(url), clock)
    old.add_user("amal", Role.ANALYST, PASSWORD)
    assert "m=19456,t=1,p=1" in old.get("amal").password_hash
    new = Auth(store, fast_settings(url, password_memory_kib=20 * 1024, password_time_cost=2))
    before = new.get("amal")
    new.authenticate("amal", PASSWORD, "c")
    after = new.get("amal")
    assert "m=20480,t=2,p=1" in after.password_hash
    assert after.password_changed_at == before.password_changed_at
    assert new.authenticate("amal", PASSWORD, "c").user.username == "amal"
