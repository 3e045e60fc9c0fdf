"""A sign-in's tokens: the refresh token, and new tokens from it.

How long each lives is the app client's (:mod:`.client_settings`).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.client_settings import readable
from wildrydes.local.cognito.client_settings import validity_seconds as settings_validity
from wildrydes.local.cognito.context import Context, Result
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.lookups import user as find_user
from wildrydes.local.cognito.signing import issue_tokens
from wildrydes.local.cognito.store import Row

__all__ = [
    "group_roles",
    "mint",
    "refresh",
    "rotates",
    "sign_in_tokens",
    "validity_seconds",
]


def validity_seconds(client: Row, kind: str) -> int:
    """How long a client's ``kind`` token (AccessToken, IdToken, RefreshToken) lives."""
    return settings_validity(client["config"], kind)


def group_roles(groups: list[Row]) -> dict[str, Any]:
    """The id token's role claims from the user's groups (API Reference, GroupType, Precedence):
    ``cognito:roles`` every group's role, ``cognito:preferred_role`` the role of the group with
    the lowest Precedence (null Precedence comes last); when the groups sharing that lowest
    Precedence have different roles, no preferred role. Empty when no group has a role."""
    with_roles = [g["config"] for g in groups if g["config"].get("RoleArn")]
    if not with_roles:
        return {}
    roles = list(dict.fromkeys(str(c["RoleArn"]) for c in with_roles))
    claims: dict[str, Any] = {"cognito:roles": roles}
    ranked = [c.get("Precedence") for c in with_roles]
    best = min((p for p in ranked if p is not None), default=None)
    preferred = {str(c["RoleArn"]) for c in with_roles if c.get("Precedence") == best}
    if len(preferred) == 1:
        claims["cognito:preferred_role"] = preferred.pop()
    return claims


def mint(ctx: Context, client: Row, user: Row, origin_jti: str, auth_time: int) -> Result:
    """An id token and an access token for ``user`` (no refresh token), as InitiateAuth's
    AuthenticationResult carries them."""
    pool = find_pool(ctx.store, user["pool_id"])
    memberships = ctx.store.groups_of(pool["id"], user["username"])
    groups = [g["name"] for g in memberships]
    tokens = issue_tokens(
        ctx.keys,
        region=pool["region"],
        user_pool_id=pool["id"],
        client_id=client["id"],
        username=user["username"],
        attributes=readable(client["config"], ctx.store.attributes(pool["id"], user["username"])),
        groups=groups,
        roles=group_roles(memberships),
        origin_jti=origin_jti,
        auth_time=auth_time,
        now=int(ctx.clock.now()),
        access_seconds=validity_seconds(client, "AccessToken"),
        id_seconds=validity_seconds(client, "IdToken"),
    )
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": tokens.access_token,
            "ExpiresIn": tokens.expires_in,
            "TokenType": "Bearer",
            "IdToken": tokens.id_token,
        },
    }


def sign_in_tokens(ctx: Context, client: Row, user: Row) -> Result:
    """A new sign-in: its refresh token (kept hashed) and its first id and access tokens."""
    refresh_token = _new_refresh_token()
    origin_jti = str(uuid.uuid4())
    now = int(ctx.clock.now())
    ctx.store.add_refresh_token(
        refresh_token,
        pool_id=user["pool_id"],
        client_id=client["id"],
        username=user["username"],
        origin_jti=origin_jti,
        auth_time=now,
        expires_at=now + validity_seconds(client, "RefreshToken"),
    )
    result = mint(ctx, client, user, origin_jti, auth_time=now)
    result["AuthenticationResult"]["RefreshToken"] = refresh_token
    return result


def _new_refresh_token() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(96)).decode().rstrip("=")


def rotates(client: Row) -> bool:
    """Whether the client has refresh token rotation on (API Reference,
    RefreshTokenRotationType, Feature ENABLED)."""
    return bool((client["config"].get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED")


def refresh(ctx: Context, client: Row, token: str, *, rotate: bool = False) -> Result:
    """New id and access tokens from a live refresh token of ``client``; with ``rotate``, a new
    refresh token too.

    Refresh token rotation (API Reference, RefreshTokenRotationType; developer guide, "Refresh
    tokens"): the new refresh token replaces the one given, which stays usable for the client's
    RetryGracePeriodSeconds (0 to 60; 0: not at all) so a client can retry. The sign-in's
    expiry does not move: the refresh token validity counts from the sign-in.
    """
    row = ctx.store.refresh_token(token)
    now = ctx.clock.now()
    if row is None or row["client_id"] != client["id"]:
        raise e.NotAuthorizedException("Invalid Refresh Token")
    if row["rotated_out"] and row["previous_until"] <= now:
        raise e.NotAuthorizedException("Invalid Refresh Token")
    if row["revoked"]:
        raise e.NotAuthorizedException("Refresh Token has been revoked")
    if row["expires_at"] <= now:
        raise e.NotAuthorizedException("Refresh Token has expired")
    user = find_user(ctx.store, row["pool_id"], row["username"])
    if not user["enabled"]:
        raise e.NotAuthorizedException("User is disabled.")
    # Like Cognito, auth_time stays the time of the sign-in this refresh token came from.
    result = mint(ctx, client, user, row["origin_jti"], auth_time=row["auth_time"])
    if rotate:
        new_token = _new_refresh_token()
        if row["rotated_out"]:  # a retry inside the grace period
            ctx.store.replace_refresh_token(row["origin_jti"], new_token)
        else:
            grace = int(client["config"]["RefreshTokenRotation"].get("RetryGracePeriodSeconds", 0))
            ctx.store.rotate_refresh_token(row["origin_jti"], new_token, now + grace)
        result["AuthenticationResult"]["RefreshToken"] = new_token
    return result
