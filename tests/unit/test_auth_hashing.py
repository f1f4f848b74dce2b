"""Password hashing and token helpers, without a database."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from fastapi import Response

from ceasefire.api.security import cookie_name, same_secret, set_session_cookie
from ceasefire.config import load_settings
from ceasefire.domain.users import Role, User
from ceasefire.errors import ConfigError
from ceasefire.services.auth import (
    Auth,
    NewSession,
    digest,
    one_time_password,
    username_key,
)
from ceasefire.storage import Store, create_engine_for


def _auth(**overrides: object) -> Auth:
    settings = load_settings(database_url="sqlite://", **overrides)
    return Auth(Store(create_engine_for(settings.database_url)), settings)


def test_default_hash_is_argon2id_with_the_rfc_9106_parameters() -> None:
    auth = _auth()
    hashed = auth.hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PasswordHasher().verify(hashed, "correct horse battery staple")
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(hashed, "correct horse battery stapler")
    assert hashed != auth.hash_password("correct horse battery staple")  # salted


def test_weak_hash_parameters_are_refused() -> None:
    with pytest.raises(ConfigError, match="password_memory_kib"):
        load_settings(database_url="sqlite://", password_memory_kib=1024)
    with pytest.raises(ConfigError, match="password_min_length"):
        load_settings(database_url="sqlite://", password_min_length=4)


def test_a_changed_parameter_asks_for_a_rehash() -> None:
    weak = _auth(password_time_cost=1, password_memory_kib=19 * 1024, password_parallelism=1)
    hashed = weak.hash_password("correct horse battery staple")
    assert not weak.hasher.check_needs_rehash(hashed)
    assert _auth().hasher.check_needs_rehash(hashed)


def test_tokens_are_stored_as_sha256_and_one_time_passwords_are_random() -> None:
    assert digest("cf_abc") == hashlib.sha256(b"cf_abc").hexdigest()
    secrets = {one_time_password() for _ in range(200)}
    assert len(secrets) == 200
    assert all(len(s) == 24 for s in secrets)


def test_usernames_compare_without_case_and_cookies_get_the_host_prefix_on_https() -> None:
    assert username_key(" Amal ") == username_key("AMAL") == "amal"
    assert cookie_name(load_settings(database_url="sqlite://")) == "ceasefire_session"
    https = load_settings(database_url="sqlite://", https=True)
    assert cookie_name(https) == "__Host-ceasefire_session"
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd")
    assert not same_secret(None, "abc")
    assert not same_secret("abc", "")


def test_https_setting_adds_secure_and_the_host_prefix() -> None:
    settings = load_settings(database_url="sqlite://", https=True)
    response = Response()
    session = NewSession("tok", "csrf", User(1, "amal", Role.ANALYST), False, datetime.now(UTC))
    set_session_cookie(response, settings, session)
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert cookie.startswith("__Host-ceasefire_session=tok")
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= attributes
