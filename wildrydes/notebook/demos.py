"""The instructor's demos on the pool's side (notebook 08): users, groups, refresh, sign-out.

The users table as the console's Users tab shows it, the admins group whose members' tokens
carry ``cognito:groups``, and a refresh tried before and after a global sign-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import botocore.exceptions

from wildrydes import accounts, render, tokens
from wildrydes.errors import WildRydesError
from wildrydes.kit import Kit
from wildrydes.tokens import Session

__all__ = [
    "ADMINS_GROUP",
    "RefreshTry",
    "UserRow",
    "UsersTable",
    "add_to_group",
    "try_refresh",
    "users_table",
]

ADMINS_GROUP = "admins"


# --------------------------------------------------------------------------- users and groups
@dataclass(frozen=True)
class UserRow:
    username: str
    status: str
    email: str | None
    email_verified: bool
    groups: list[str]
    enabled: bool = True


@dataclass(frozen=True)
class UsersTable:
    """The console's Users tab: status, whether the email is verified, groups."""

    user_pool_id: str
    rows: list[UserRow]

    def as_json(self) -> list[dict[str, Any]]:
        return [dict(r.__dict__) for r in self.rows]

    def __str__(self) -> str:
        lines = [f"Users of {self.user_pool_id}"]
        lines += [
            f"  {r.username:<40} {r.status:<14} email "
            f"{'verified' if r.email_verified else 'NOT verified':<12} groups "
            f"{', '.join(r.groups) or '-'}"
            for r in self.rows
        ]
        return "\n".join(lines) if self.rows else lines[0] + ": none yet"

    def _repr_html_(self) -> str:
        rows = [
            [
                render.code(r.username),
                render.escape(r.email or ""),
                render.mark(r.status == "CONFIRMED", r.status, r.status),
                render.mark(r.email_verified, "verified", "not verified"),
                render.escape(", ".join(r.groups) or "-"),
            ]
            for r in self.rows
        ]
        return render.table(
            ["username", "email", "status", "email verified", "groups"],
            rows,
            f"Users of {self.user_pool_id}",
            empty="none yet",
        )


def users_table(cognito: Any, user_pool_id: str) -> UsersTable:
    """ListUsers, and AdminListGroupsForUser for each (a workshop pool has a handful)."""
    rows = []
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=user_pool_id):
        for user in page["Users"]:
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            groups = [
                g["GroupName"]
                for g in cognito.admin_list_groups_for_user(
                    UserPoolId=user_pool_id, Username=user["Username"]
                ).get("Groups", [])
            ]
            rows.append(
                UserRow(
                    user["Username"],
                    user["UserStatus"],
                    attributes.get("email"),
                    attributes.get("email_verified") == "true",
                    sorted(groups),
                    bool(user.get("Enabled", True)),
                )
            )
    return UsersTable(user_pool_id, sorted(rows, key=lambda r: r.username))


def add_to_group(cognito: Any, user_pool_id: str, username: str, group: str = ADMINS_GROUP) -> bool:
    """Make ``group`` (once) and put the user in it; True if the group was created now.
    The user's next tokens carry it in ``cognito:groups``."""
    created = False
    try:
        cognito.create_group(
            UserPoolId=user_pool_id,
            GroupName=group,
            Description="Wild Rydes instructors' demo group",
        )
        created = True
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") != "GroupExistsException":
            raise
    cognito.admin_add_user_to_group(UserPoolId=user_pool_id, Username=username, GroupName=group)
    return created


# --------------------------------------------------------------------------- refresh, sign-out
@dataclass(frozen=True)
class RefreshTry:
    """What happened when the refresh token was used: new tokens, or Cognito's refusal."""

    ok: bool
    detail: str
    exp: int | None = None

    def __str__(self) -> str:
        return f"{'✓ refreshed' if self.ok else '✗ refused'}: {self.detail}"

    def _repr_html_(self) -> str:
        return (
            f"<p>{render.mark(self.ok, 'refreshed', 'refused')}: {render.escape(self.detail)}</p>"
        )


def try_refresh(kit: Kit, session: Session) -> tuple[RefreshTry, Session | None]:
    """REFRESH_TOKEN_AUTH with the session's refresh token (never shown): the new session, or
    Cognito's words when it refuses (after a global sign-out, for one)."""
    try:
        fresh = accounts.refresh(kit, session)
    except WildRydesError as e:
        return RefreshTry(False, str(e)), None
    exp = tokens.decode(fresh.id_token).claims.get("exp")
    return RefreshTry(
        True,
        f"new id and access tokens (the id token now expires at exp={exp}); "
        "the refresh token itself stays the same and is never shown",
        exp,
    ), fresh
