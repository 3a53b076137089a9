"""Roles and what each may do, checked in the core on every operation.

The GUI hides what a role cannot do, but the rule lives here: a clerk's
process calling ``approve`` directly is refused just the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from store.errors import PermissionDenied
from store.messages import say


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Perm(StrEnum):
    CAPTURE = "capture"              # create batches, ingest, correct own batches
    VIEW_ALL = "view all batches"
    REVIEW = "approve or reject batches"
    SYNC = "see and run sync"
    AUDIT = "read the audit log"
    MANAGE_USERS = "manage users"
    SITE_SETTINGS = "change site settings"
    KEYS = "manage keys and backups"


ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.CLERK: frozenset({Perm.CAPTURE}),
    Role.SUPERVISOR: frozenset({Perm.VIEW_ALL, Perm.REVIEW, Perm.SYNC, Perm.AUDIT}),
    Role.ADMIN: frozenset({Perm.MANAGE_USERS, Perm.SITE_SETTINGS, Perm.KEYS, Perm.AUDIT}),
}

ROLE_LABELS = {Role.CLERK: "clerk", Role.SUPERVISOR: "supervisor", Role.ADMIN: "admin"}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    active: bool = True

    def can(self, perm: Perm) -> bool:
        return self.active and perm in ROLE_PERMS[self.role]


def require(user: User, perm: Perm) -> None:
    if not user.can(perm):
        raise PermissionDenied(
            say("store.permission_denied",
                "{name} is a {role} and may not {perm}.",
                name=user.name, role=ROLE_LABELS[user.role], perm=perm.value)
        )


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError as exc:
        from store.errors import UsageError

        raise UsageError(say("store.unknown_role",
                             "Unknown role {text!r}: use clerk, supervisor or admin.",
                             text=text)) from exc
