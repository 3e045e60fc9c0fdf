"""Whose access token is this? The check every operation authorized by one makes first."""

from __future__ import annotations

import jwt

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.context import Context
from wildrydes.local.cognito.store import Row

__all__ = [
    "access_client",
    "access_user",
]


def access_user(ctx: Context, token: str) -> Row:
    """The user an access token belongs to, if it is ours, live, and not revoked."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        pool_id = str(claims.get("iss", "")).rpartition("/")[2]
        if ctx.store.pool(pool_id) is None or claims.get("token_use") != "access":
            raise e.NotAuthorizedException("Invalid Access Token")
        claims = ctx.keys.read_access_token(pool_id, token)
    except jwt.PyJWTError as error:
        raise e.NotAuthorizedException("Invalid Access Token") from error
    user = ctx.store.user(pool_id, str(claims.get("username")))
    if user is None:
        raise e.UserNotFoundException("User does not exist.")
    sign_in = ctx.store.sign_in_of(str(claims.get("origin_jti")))
    if sign_in is None:
        raise e.NotAuthorizedException("Invalid Access Token")
    if sign_in["revoked"]:
        raise e.NotAuthorizedException("Access Token has been revoked")
    if ctx.clock.now() >= float(claims.get("exp", 0)):
        raise e.NotAuthorizedException("Access Token has expired")
    if not user["enabled"]:
        raise e.NotAuthorizedException("User is disabled.")
    return user


def access_client(ctx: Context, token: str) -> Row:
    """The app client an access token (already checked by :func:`access_user`) was issued to."""
    client_id = str(jwt.decode(token, options={"verify_signature": False}).get("client_id"))
    client = ctx.store.client(client_id)
    if client is None:
        raise e.NotAuthorizedException("Invalid Access Token")
    return client
