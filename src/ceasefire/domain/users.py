"""People who use ceasefire and what their role lets them do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles, each allowed everything the ones before it may do."""

    VIEWER = "viewer"  # reads the dashboard, the API, reports and exports
    ANALYST = "analyst"  # reviews incidents: confirm, reject, edit, merge, split, assign
    SUPERVISOR = "supervisor"  # also confirms or dismisses violations, overrides commitments
    ADMIN = "admin"  # also manages users

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: Role
    disabled: bool = False
