"""A sign-in's tokens after it: new ones from the refresh token, revocation, sign-out.

GetTokensFromRefreshToken, RevokeToken, GlobalSignOut and AdminUserGlobalSignOut. Each
operation is a function ``(context, request) -> response body``, listed in :mod:`.operations`.
GlobalSignOut and RevokeToken make the service refuse the refresh token
and, at its own user APIs, the access tokens of that sign-in.
"""

from __future__ import annotations

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.access import access_user
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.issuing import refresh, rotates
from wildrydes.local.cognito.lookups import check_client_secret
from wildrydes.local.cognito.lookups import client as find_client
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.lookups import user as find_user

__all__ = [
    "admin_user_global_sign_out",
    "get_tokens_from_refresh_token",
    "global_sign_out",
    "revoke_token",
]


def get_tokens_from_refresh_token(ctx: Context, request: Request) -> Result:
    """Amplify JS v6's refresh (API Reference, GetTokensFromRefreshToken): with the client's
    refresh token rotation on, a new refresh token too (:func:`.issuing.refresh`)."""
    client = find_client(ctx.store, request["ClientId"])
    check_client_secret(client, request.get("ClientSecret"))
    result = refresh(ctx, client, request["RefreshToken"], rotate=rotates(client))
    return {"AuthenticationResult": result["AuthenticationResult"]}


def global_sign_out(ctx: Context, request: Request) -> Result:
    user = access_user(ctx, request["AccessToken"])
    ctx.store.revoke_user(user["pool_id"], user["username"])
    return {}


def admin_user_global_sign_out(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    user = find_user(ctx.store, request["UserPoolId"], request["Username"])
    ctx.store.revoke_user(user["pool_id"], user["username"])
    return {}


def revoke_token(ctx: Context, request: Request) -> Result:
    """Revoke one refresh token and the access tokens it produced (the SDK's sign-out).
    An unknown token is no error (RFC 7009, section 2.2)."""
    client = find_client(ctx.store, request["ClientId"])
    check_client_secret(client, request.get("ClientSecret"))
    if client["config"].get("EnableTokenRevocation") is False:
        # API Reference, RevokeToken (Errors): UnsupportedOperationException, "an operation
        # that isn't enabled for the user pool client".
        raise e.UnsupportedOperationException(
            f"Token revocation is not enabled for app client {client['id']} "
            "(EnableTokenRevocation is false)."
        )
    row = ctx.store.refresh_token(request["Token"])
    if row is not None:
        if row["client_id"] != client["id"]:
            raise e.UnauthorizedException("The token was not issued to this app client.")
        ctx.store.revoke(row["origin_jti"])
    return {}
