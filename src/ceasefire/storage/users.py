"""Users, sessions, API tokens and login attempts in the database.

This layer only stores what :mod:`ceasefire.services.auth` hands it: password hashes, SHA-256
digests of session and API tokens, never a secret in clear. Each method is one short transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ceasefire.domain.users import Role, User
from ceasefire.errors import ConflictError
from ceasefire.storage.repositories import Store, aware, aware_or_none


@dataclass(frozen=True, slots=True)
class Account:
    """A user with what only authentication needs to know about them."""

    user: User
    password_hash: str
    must_change_password: bool
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True, slots=True)
class StoredSession:
    token_hash: str
    user_id: int
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class StoredToken:
    """An API token's record; the token itself is never stored."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used: datetime | None
    revoked: bool


class UserRepository:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        tables = store.articles.metadata.tables
        self.users = tables["users"]
        self.sessions = tables["sessions"]
        self.tokens = tables["api_tokens"]
        self.attempts = tables["login_attempts"]

    # ---------------------------------------------------------------------------------- users
    def _account(self, row: Row[Any]) -> Account:
        user = User(int(row.id), row.username, Role(row.role), bool(row.disabled))
        return Account(
            user,
            row.password_hash,
            bool(row.must_change_password),
            aware(row.created_at),
            aware(row.password_changed_at),
        )

    def add_user(
        self,
        username: str,
        key: str,
        role: Role,
        password_hash: str,
        must_change: bool,
        at: datetime,
    ) -> Account:
        """Store a new user; :class:`ConflictError` when the name is taken, in any letter case."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(self.users).values(
                        username=username,
                        username_key=key,
                        password_hash=password_hash,
                        role=role.value,
                        disabled=False,
                        must_change_password=must_change,
                        created_at=at,
                        password_changed_at=at,
                    )
                )
        except IntegrityError as exc:
            raise ConflictError(f"a user named {username!r} already exists") from exc
        account = self.by_key(key)
        assert account is not None
        return account

    def by_key(self, key: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.users).where(self.users.c.username_key == key)).first()
        return None if row is None else self._account(row)

    def by_id(self, user_id: int) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.users).where(self.users.c.id == user_id)).first()
        return None if row is None else self._account(row)

    def all(self) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(self.users).order_by(self.users.c.username_key)).all()
        return [self._account(row) for row in rows]

    def set_password(
        self, user_id: int, password_hash: str, must_change: bool, at: datetime | None
    ) -> None:
        """Store a new hash; ``at`` is None for a rehash of the same password."""
        values: dict[str, Any] = {"password_hash": password_hash}
        if at is not None:
            values.update(must_change_password=must_change, password_changed_at=at)
        with self.engine.begin() as conn:
            conn.execute(update(self.users).where(self.users.c.id == user_id).values(**values))

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(self.users).where(self.users.c.id == user_id).values(disabled=disabled)
            )

    # ------------------------------------------------------------------------------- sessions
    def add_session(self, session: StoredSession) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(self.sessions).values(
                    token_hash=session.token_hash,
                    user_id=session.user_id,
                    csrf_token=session.csrf_token,
                    created_at=session.created_at,
                    expires_at=session.expires_at,
                    last_seen=session.last_seen,
                )
            )

    def session(self, token_hash: str) -> StoredSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.sessions).where(self.sessions.c.token_hash == token_hash)
            ).first()
        if row is None:
            return None
        return StoredSession(
            row.token_hash,
            int(row.user_id),
            row.csrf_token,
            aware(row.created_at),
            aware(row.expires_at),
            aware(row.last_seen),
        )

    def touch_session(self, token_hash: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(self.sessions)
                .where(self.sessions.c.token_hash == token_hash)
                .values(last_seen=at)
            )

    def delete_session(self, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(self.sessions).where(self.sessions.c.token_hash == token_hash))

    def delete_sessions(self, user_id: int, keep: str | None = None) -> int:
        """End every session of a user (but ``keep``, a token hash); returns how many."""
        condition = self.sessions.c.user_id == user_id
        if keep is not None:
            condition = and_(condition, self.sessions.c.token_hash != keep)
        with self.engine.begin() as conn:
            return int(conn.execute(delete(self.sessions).where(condition)).rowcount)

    def delete_stale_sessions(self, now: datetime, idle_since: datetime) -> int:
        """Forget sessions that have expired or been idle since before ``idle_since``."""
        stale = or_(self.sessions.c.expires_at <= now, self.sessions.c.last_seen < idle_since)
        with self.engine.begin() as conn:
            return int(conn.execute(delete(self.sessions).where(stale)).rowcount)

    def count_sessions(self, user_id: int) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(func.count()).where(self.sessions.c.user_id == user_id)
            ).scalar_one()
        return int(found)

    # ------------------------------------------------------------------------------ API tokens
    def _token(self, row: Row[Any]) -> StoredToken:
        return StoredToken(
            int(row.id),
            int(row.user_id),
            row.name,
            aware(row.created_at),
            aware_or_none(row.last_used),
            bool(row.revoked),
        )

    def add_token(self, user_id: int, name: str, token_hash: str, at: datetime) -> StoredToken:
        with self.engine.begin() as conn:
            active = conn.execute(
                select(func.count()).where(
                    self.tokens.c.user_id == user_id,
                    self.tokens.c.name == name,
                    self.tokens.c.revoked.is_(False),
                )
            ).scalar_one()
            if active:
                raise ConflictError(f"the user already has an active token named {name!r}")
            new_id = conn.execute(
                insert(self.tokens)
                .values(
                    token_hash=token_hash,
                    user_id=user_id,
                    name=name,
                    created_at=at,
                    last_used=None,
                    revoked=False,
                    revoked_at=None,
                )
                .returning(self.tokens.c.id)
            ).scalar_one()
        return StoredToken(int(new_id), user_id, name, at, None, False)

    def token(self, token_hash: str) -> StoredToken | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.tokens).where(self.tokens.c.token_hash == token_hash)
            ).first()
        return None if row is None else self._token(row)

    def tokens_of(self, user_id: int) -> list[StoredToken]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(self.tokens)
                .where(self.tokens.c.user_id == user_id)
                .order_by(self.tokens.c.id)
            ).all()
        return [self._token(row) for row in rows]

    def count_tokens(self, user_id: int) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(func.count()).where(self.tokens.c.user_id == user_id)
            ).scalar_one()
        return int(found)

    def touch_token(self, token_id: int, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(self.tokens).where(self.tokens.c.id == token_id).values(last_used=at)
            )

    def revoke_tokens(self, user_id: int, at: datetime, name: str | None = None) -> int:
        """Revoke a user's active tokens (those named ``name``, or all); returns how many."""
        condition = and_(self.tokens.c.user_id == user_id, self.tokens.c.revoked.is_(False))
        if name is not None:
            condition = and_(condition, self.tokens.c.name == name)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(self.tokens).where(condition).values(revoked=True, revoked_at=at)
            )
        return int(result.rowcount)

    # -------------------------------------------------------------------------- login attempts
    def record_attempt(self, key: str, client: str, at: datetime, success: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(self.attempts).values(
                    username_key=key, client=client, at=at, success=success
                )
            )

    def recent_failures(
        self, key: str, client: str, since: datetime, limit: int
    ) -> tuple[Sequence[datetime], Sequence[datetime]]:
        """The ``limit`` newest failed logins since ``since``: for the username (only those
        after its last successful login) and for the client address (all of them: a success on
        one account must not reset the count of a client guessing at others)."""
        a = self.attempts
        with self.engine.connect() as conn:
            last_ok = conn.execute(
                select(func.max(a.c.at)).where(a.c.username_key == key, a.c.success.is_(True))
            ).scalar_one_or_none()
            user_since = max(since, aware(last_ok)) if last_ok is not None else since
            by_user = conn.execute(
                select(a.c.at)
                .where(a.c.username_key == key, a.c.success.is_(False), a.c.at > user_since)
                .order_by(a.c.at.desc())
                .limit(limit)
            ).scalars()
            by_user_list = [aware(t) for t in by_user]
            by_client = conn.execute(
                select(a.c.at)
                .where(a.c.client == client, a.c.success.is_(False), a.c.at > since)
                .order_by(a.c.at.desc())
                .limit(limit)
            ).scalars()
            return by_user_list, [aware(t) for t in by_client]

    def forget_attempts(self, before: datetime) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(delete(self.attempts).where(self.attempts.c.at < before))
        return int(result.rowcount)
