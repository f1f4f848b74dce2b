"""Authentication: users, passwords, sessions, API tokens and login throttling.

The security choices, in one place:

- **Passwords** are hashed with argon2id (RFC 9106), memory-hard so that guessing on GPUs and
  ASICs is expensive. The parameters come from the settings (default: 3 passes over 64 MiB with 4
  lanes, the RFC's second recommended option); a hash made with other parameters is redone with the
  current ones at the next successful login. Passwords must be 12 to 1024 characters long.
- **No default password.** ``add_user`` without a password generates a one-time password (144
  random bits), returns it once and stores only its hash; the account must change it before it may
  do anything but log in, look at itself and change it.
- **Sessions** are 256 random bits from :mod:`secrets`; the database keeps only their SHA-256 (a
  fast hash is enough for values nobody can guess, and a stolen database yields no usable session).
  A session ends after ``session_max_age`` seconds, after ``session_idle_timeout`` seconds without a
  request, at logout, and when its user is disabled, reset or changes password. Each session has its
  own CSRF token for the dashboard's forms.
- **API tokens** are ``cf_`` followed by 256 random bits, shown once, stored as SHA-256, revocable.
- **Login throttling**: after ``login_max_failures`` failures in ``login_window`` seconds for one
  username (counted since its last successful login) or from one client address (all of them), the
  next attempts are refused with :class:`ThrottledError` and the number of seconds until one may
  try again, before any password is checked. Unknown usernames are verified against a dummy hash so
  that time does not tell which names exist, and all failures give the same message.
- **Disabled users can do nothing**: they cannot log in, and their sessions and tokens are ended.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ceasefire.config import Settings
from ceasefire.domain.users import Role, User
from ceasefire.errors import AuthenticationError, CeasefireError, NotFoundError, ThrottledError
from ceasefire.storage.repositories import Store
from ceasefire.storage.users import Account, StoredSession, StoredToken, UserRepository

TOKEN_PREFIX = "cf_"  # noqa: S105 - a prefix, not a secret
MAX_PASSWORD_LENGTH = 1024
_MAX_SECRET_LENGTH = 200  # longer cookies or tokens are not ours: refused without a lookup
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_TOUCH_EVERY = timedelta(seconds=60)  # write last_seen at most this often per session
_KEEP_ATTEMPTS = timedelta(days=1)
_WRONG = "wrong username or password"


class AccountPolicyError(CeasefireError):
    """A username or password does not meet the rules (HTTP 400)."""

    code = "account_policy"


def _now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    """SHA-256 of a random token, the only form in which tokens are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def username_key(username: str) -> str:
    """The form in which usernames are unique: case does not make a new user."""
    return username.strip().casefold()


def one_time_password() -> str:
    """144 random bits, URL-safe, easy to paste."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True, slots=True)
class NewUser:
    account: Account
    one_time_password: str | None  # shown once, when the password was generated


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str  # goes into the cookie; never stored
    csrf_token: str
    user: User
    must_change_password: bool
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NewToken:
    id: int
    name: str
    token: str  # shown once; never stored
    user: User


@dataclass(frozen=True, slots=True)
class Identity:
    """Who makes a request, and how they proved it."""

    user: User
    must_change_password: bool
    session_hash: str | None = None  # set for cookie sessions
    csrf_token: str | None = None  # set for cookie sessions
    token_id: int | None = None  # set for API tokens


class Auth:
    """The authentication use cases over one store, with the settings' parameters."""

    def __init__(
        self, store: Store, settings: Settings, clock: Callable[[], datetime] = _now
    ) -> None:
        self.repo = UserRepository(store)
        self.settings = settings
        self.clock = clock
        self.hasher = PasswordHasher(
            time_cost=settings.password_time_cost,
            memory_cost=settings.password_memory_kib,
            parallelism=settings.password_parallelism,
        )
        self._dummy: str | None = None

    # ------------------------------------------------------------------------------ passwords
    def hash_password(self, password: str) -> str:
        return self.hasher.hash(password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _check_policy(self, password: str, username: str) -> None:
        minimum = self.settings.password_min_length
        if not minimum <= len(password) <= MAX_PASSWORD_LENGTH:
            raise AccountPolicyError(
                f"a password needs {minimum} to {MAX_PASSWORD_LENGTH} characters"
            )
        if username_key(password) == username_key(username):
            raise AccountPolicyError("a password may not be the username")

    def _account(self, username: str) -> Account:
        account = self.repo.by_key(username_key(username))
        if account is None:
            raise NotFoundError(f"no user named {username!r}")
        return account

    # ---------------------------------------------------------------------------------- users
    def add_user(self, username: str, role: Role, password: str | None = None) -> NewUser:
        """Create a user. Without ``password`` a one-time password is generated and returned
        (once); the user must change it after logging in."""
        name = username.strip()
        if not _USERNAME.fullmatch(name):
            raise AccountPolicyError(
                "a username is 1 to 64 letters, digits or . _ @ -, starting with a letter or digit"
            )
        generated = one_time_password() if password is None else None
        secret = generated if generated is not None else password
        assert secret is not None
        self._check_policy(secret, name)
        account = self.repo.add_user(
            name,
            username_key(name),
            role,
            self.hash_password(secret),
            must_change=generated is not None,
            at=self.clock(),
        )
        return NewUser(account, generated)

    def list_users(self) -> list[Account]:
        return self.repo.all()

    def get(self, username: str) -> Account:
        return self._account(username)

    def reset(self, username: str) -> str:
        """Give a user a new one-time password (returned once) and end all their sessions."""
        account = self._account(username)
        secret = one_time_password()
        self.repo.set_password(account.user.id, self.hash_password(secret), True, self.clock())
        self.repo.delete_sessions(account.user.id)
        return secret

    def disable(self, username: str) -> Account:
        """Disable a user: no more logins; their sessions end and their API tokens are revoked."""
        account = self._account(username)
        self.repo.set_disabled(account.user.id, True)
        self.repo.delete_sessions(account.user.id)
        self.repo.revoke_tokens(account.user.id, self.clock())
        return self._account(username)

    def enable(self, username: str) -> Account:
        """Let a disabled user log in again (old sessions and tokens stay ended)."""
        account = self._account(username)
        self.repo.set_disabled(account.user.id, False)
        return self._account(username)

    def change_password(
        self, username: str, old: str, new: str, client: str, keep_session: str | None = None
    ) -> None:
        """Change a password, proving the old one (throttled like a login). Every other session of
        the user ends; ``keep_session`` (a session hash) survives."""
        account = self.authenticate(username, old, client)
        self._check_policy(new, account.user.username)
        if new == old:
            raise AccountPolicyError("the new password must differ from the old one")
        self.repo.set_password(account.user.id, self.hash_password(new), False, self.clock())
        self.repo.delete_sessions(account.user.id, keep=keep_session)

    # ------------------------------------------------------------------------ authentication
    def _wait(self, failures: Sequence[datetime], now: datetime) -> int:
        limit = self.settings.login_max_failures
        if len(failures) < limit:
            return 0
        # the attempts are newest first: the limit-th newest must leave the window
        until = failures[limit - 1] + timedelta(seconds=self.settings.login_window)
        return max(1, math.ceil((until - now).total_seconds()))

    def authenticate(self, username: str, password: str, client: str) -> Account:
        """The account of ``username`` if ``password`` is right and the account is enabled;
        :class:`AuthenticationError` otherwise, :class:`ThrottledError` after too many failures."""
        now = self.clock()
        key = username_key(username)[:64]
        client = client[:64]
        since = now - timedelta(seconds=self.settings.login_window)
        limit = self.settings.login_max_failures
        by_user, by_client = self.repo.recent_failures(key, client, since, limit)
        wait = max(self._wait(by_user, now), self._wait(by_client, now))
        if wait:
            raise ThrottledError(f"too many failed logins: try again in {wait} s", wait)
        account = self.repo.by_key(key)
        if len(password) > MAX_PASSWORD_LENGTH:
            ok = False
        elif account is None:
            if self._dummy is None:
                self._dummy = self.hash_password(secrets.token_urlsafe(16))
            self._verify(self._dummy, password)  # spend the same time as for a real user
            ok = False
        else:
            ok = self._verify(account.password_hash, password) and not account.user.disabled
        self.repo.record_attempt(key, client, now, ok)
        if not ok or account is None:
            raise AuthenticationError(_WRONG)
        if self.hasher.check_needs_rehash(account.password_hash):
            self.repo.set_password(account.user.id, self.hash_password(password), False, None)
        window = timedelta(seconds=self.settings.login_window)
        self.repo.forget_attempts(now - max(_KEEP_ATTEMPTS, 2 * window))
        return account

    # ------------------------------------------------------------------------------ sessions
    def login(self, username: str, password: str, client: str) -> NewSession:
        """Authenticate and open a new session (a fresh token every time: no fixation)."""
        account = self.authenticate(username, password, client)
        now = self.clock()
        self.repo.delete_stale_sessions(
            now, now - timedelta(seconds=self.settings.session_idle_timeout)
        )
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = now + timedelta(seconds=self.settings.session_max_age)
        self.repo.add_session(
            StoredSession(digest(token), account.user.id, csrf, now, expires, now)
        )
        return NewSession(token, csrf, account.user, account.must_change_password, expires)

    def session(self, token: str) -> Identity:
        """Who holds the session ``token``; :class:`AuthenticationError` when it is unknown,
        expired, idle too long or its user is disabled (the session is then deleted)."""
        if not token or len(token) > _MAX_SECRET_LENGTH:
            raise AuthenticationError("not logged in")
        hashed = digest(token)
        stored = self.repo.session(hashed)
        if stored is None:
            raise AuthenticationError("not logged in, or the session has ended: log in again")
        now = self.clock()
        idle = timedelta(seconds=self.settings.session_idle_timeout)
        account = self.repo.by_id(stored.user_id)
        if (
            stored.expires_at <= now
            or now - stored.last_seen > idle
            or account is None
            or account.user.disabled
        ):
            self.repo.delete_session(hashed)
            raise AuthenticationError("the session has ended: log in again")
        if now - stored.last_seen >= min(_TOUCH_EVERY, idle / 4):
            self.repo.touch_session(hashed, now)
        return Identity(
            account.user,
            account.must_change_password,
            session_hash=hashed,
            csrf_token=stored.csrf_token,
        )

    def logout(self, token: str) -> None:
        """End the session ``token`` (nothing happens if it has already ended)."""
        if token and len(token) <= _MAX_SECRET_LENGTH:
            self.repo.delete_session(digest(token))

    def active_sessions(self, username: str) -> int:
        return self.repo.count_sessions(self._account(username).user.id)

    # ---------------------------------------------------------------------------- API tokens
    def create_token(self, username: str, name: str | None = None) -> NewToken:
        """A new API token for a user, returned once."""
        account = self._account(username)
        if account.user.disabled:
            raise AccountPolicyError(f"{account.user.username} is disabled")
        label = (name or f"token-{self.repo.count_tokens(account.user.id) + 1}").strip()
        if not 1 <= len(label) <= 100:
            raise AccountPolicyError("a token name is 1 to 100 characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        stored = self.repo.add_token(account.user.id, label, digest(token), self.clock())
        return NewToken(stored.id, stored.name, token, account.user)

    def tokens(self, username: str) -> list[StoredToken]:
        return self.repo.tokens_of(self._account(username).user.id)

    def revoke_token(self, username: str, name: str | None = None) -> int:
        """Revoke a user's active token named ``name`` (or all of them); returns how many."""
        account = self._account(username)
        revoked = self.repo.revoke_tokens(account.user.id, self.clock(), name)
        if not revoked:
            what = f"named {name!r}" if name else "at all"
            raise NotFoundError(f"{account.user.username} has no active token {what}")
        return revoked

    def token(self, token: str) -> Identity:
        """Who holds the API token ``token``; :class:`AuthenticationError` when it is unknown,
        revoked or its user is disabled."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > _MAX_SECRET_LENGTH:
            raise AuthenticationError("not a ceasefire API token")
        stored = self.repo.token(digest(token))
        account = None if stored is None else self.repo.by_id(stored.user_id)
        if stored is None or stored.revoked or account is None or account.user.disabled:
            raise AuthenticationError("unknown or revoked API token")
        now = self.clock()
        if stored.last_used is None or now - stored.last_used >= _TOUCH_EVERY:
            self.repo.touch_token(stored.id, now)
        return Identity(account.user, account.must_change_password, token_id=stored.id)
