"""The instructor's demos on the pool's side (notebook 08): users, groups, refresh, sign-out.

The users table as the console's Users tab shows it, the admins group whose members' tokens
carry ``cognito:groups``, a refresh tried before and after a global sign-out (and what still
accepts the signed-out tokens), and a genuine token from a second user pool, the kind an
attacker mints in their own account, for the decoder to refuse.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import botocore.exceptions

from wildrydes import accounts, render, tokens
from wildrydes.backend import Backend
from wildrydes.errors import WildRydesError
from wildrydes.kit import Kit
from wildrydes.notebook.displays import Shown
from wildrydes.tokens import Session

__all__ = [
    "ADMINS_GROUP",
    "AfterSignOut",
    "RefreshTry",
    "UserRow",
    "UsersTable",
    "add_to_group",
    "global_sign_out",
    "groups_in_tokens",
    "token_from_another_pool",
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

    The tokens of the user's next sign-in or refresh carry it in ``cognito:groups``, the id
    token and the access token alike (Developer Guide, "Understanding user pool JSON web
    tokens"); tokens issued before keep what they said."""
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
    # REFRESH_TOKEN_AUTH hands out no new refresh token; an app client with refresh token
    # rotation refuses it (Developer Guide, "Refresh tokens").
    return RefreshTry(
        True,
        f"new id and access tokens (the id token now expires at exp={exp}); the workshop's "
        "app client does not rotate refresh tokens, so the same refresh token (never shown) "
        "keeps working",
        exp,
    ), fresh


# --------------------------------------------------------------------------- global sign-out
@dataclass(frozen=True)
class AfterSignOut:
    """What still accepts a user's tokens after GlobalSignOut: Cognito refuses the refresh
    token and, at its own user APIs, the access token; an offline check of the JWTs (the
    kit's own :func:`~wildrydes.accounts.verify_token` included) still passes them until they
    expire (API Reference, GlobalSignOut: "Other requests might be valid until your user's
    token expires"; Developer Guide, "Ending user sessions with token revocation")."""

    refresh: RefreshTry
    get_user_ok: bool
    get_user_said: str
    id_token_offline: tokens.Verification
    access_token_offline: tokens.Verification

    def rows(self) -> list[tuple[str, bool, str]]:
        return [
            ("refresh with the refresh token (Cognito)", self.refresh.ok, self.refresh.detail),
            (
                "GetUser with the access token (Cognito's own user API)",
                self.get_user_ok,
                self.get_user_said,
            ),
            (
                "the id token, checked offline (signature, expiry, issuer, audience)",
                self.id_token_offline.ok,
                self.id_token_offline.summary(),
            ),
            (
                "the access token, checked offline",
                self.access_token_offline.ok,
                self.access_token_offline.summary(),
            ),
        ]

    def __str__(self) -> str:
        return "\n".join(
            f"{'✓ accepted' if ok else '✗ refused'}  {what}: {said}"
            for what, ok, said in self.rows()
        )

    def _repr_html_(self) -> str:
        rows = [
            [render.escape(what), render.mark(ok, "accepted", "refused"), render.escape(said)]
            for what, ok, said in self.rows()
        ]
        return render.table(["after GlobalSignOut", "answer", "what was said"], rows)


def global_sign_out(kit: Kit, session: Session) -> AfterSignOut:
    """GlobalSignOut with the session's access token, then each way of using its tokens."""
    accounts.sign_out(kit, session)
    refreshed, _ = try_refresh(kit, session)
    try:
        kit.backend.client("cognito-idp").get_user(AccessToken=session.access_token)
        get_user_ok, said = True, "the access token was accepted"
    except botocore.exceptions.ClientError as e:
        error = e.response.get("Error", {})
        get_user_ok, said = False, f"{error.get('Code')}: {error.get('Message')}"
    return AfterSignOut(
        refreshed,
        get_user_ok,
        said,
        accounts.verify_token(kit, session.id_token, "id"),
        accounts.verify_token(kit, session.access_token, "access"),
    )


def groups_in_tokens(**sessions: Session) -> Shown:
    """``cognito:groups`` in the id and the access token of each named session, as a table."""
    lines = [
        (
            name.replace("_", " "),
            tokens.decode(s.id_token).claims.get("cognito:groups"),
            tokens.decode(s.access_token).claims.get("cognito:groups"),
        )
        for name, s in sessions.items()
    ]
    rows = [
        [render.escape(name), render.code(id_groups or "-"), render.code(access_groups or "-")]
        for name, id_groups, access_groups in lines
    ]
    return Shown(
        render.table(["tokens", "cognito:groups in the id token", "in the access token"], rows),
        "\n".join(f"{n}: id {i or '-'}, access {a or '-'}" for n, i, a in lines),
    )


# --------------------------------------------------------------------------- another pool
_OTHER_POOL = "WildRydesDemoAnotherPool"


@contextlib.contextmanager
def token_from_another_pool(backend: Backend) -> Iterator[Session]:
    """A real sign-in in a second user pool made for the demo, as anyone can make one in their
    own AWS account; the pool is deleted on the way out. Its tokens are genuinely signed, by
    that pool's own keys, so only the pool you expect can tell them apart.

    The user is made with AdminCreateUser (MessageAction SUPPRESS: no email is sent) and a
    random password that is never shown or kept.
    """
    cognito = backend.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName=_OTHER_POOL)["UserPool"]["Id"]
    try:
        client = cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="AnotherApp",
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        email = "mallory@example.com"
        username = accounts.username_for(email)
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=username,
            UserAttributes=[{"Name": "email", "Value": email}],
            MessageAction="SUPPRESS",
        )
        password = secrets.token_urlsafe(18) + "aA1!"  # meets Cognito's default policy
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=username, Password=password, Permanent=True
        )
        yield accounts.sign_in(Kit(backend, "", pool, client), email, password)
    finally:
        cognito.delete_user_pool(UserPoolId=pool)
