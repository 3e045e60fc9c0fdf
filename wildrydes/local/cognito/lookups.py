"""What a request names, found or refused in Cognito's words: pools, app clients, users.

Also the two checks every public (app client) operation naming a user makes before anything
else: the client's secret hash, and whether the client hides which users exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.context import Request
from wildrydes.local.cognito.store import Row, Store

__all__ = [
    "USER_MISSING",
    "check_client_secret",
    "check_secret_hash",
    "client",
    "hides_unknown_users",
    "pool",
    "public_user",
    "user",
    "user_call_client",
]

USER_MISSING = "User does not exist."


def pool(store: Store, pool_id: str) -> Row:
    found = store.pool(pool_id)
    if found is None:
        raise e.ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return found


def client(store: Store, client_id: str, pool_id: str | None = None) -> Row:
    """The app client ``client_id`` (of ``pool_id``, when given)."""
    found = store.client(client_id)
    if found is None or (pool_id is not None and found["pool_id"] != pool_id):
        raise e.ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return found


def user(store: Store, pool_id: str, username: str, missing: str = USER_MISSING) -> Row:
    found = store.user(pool_id, username)
    if found is None:
        raise e.UserNotFoundException(missing)
    return found


def hides_unknown_users(app_client: Row) -> bool:
    """PreventUserExistenceErrors ENABLED: the client answers for an unknown user as if it
    existed (developer guide, "Managing error responses")."""
    return bool(app_client["config"].get("PreventUserExistenceErrors") == "ENABLED")


def public_user(
    store: Store,
    app_client: Row,
    username: str,
    missing: str = USER_MISSING,
    hidden: e.CognitoError | None = None,
) -> Row:
    """A user named in a public (app client) operation.

    An unknown user is UserNotFoundException (``missing``), unless the client hides which
    users exist: then ``hidden`` (default: a wrong password) is raised instead.
    """
    found = store.user(app_client["pool_id"], username)
    if found is None:
        if hides_unknown_users(app_client):
            raise hidden or e.NotAuthorizedException(e.INCORRECT)
        raise e.UserNotFoundException(missing)
    return found


def check_secret_hash(app_client: Row, username: str, given: str | None) -> None:
    """A client with a secret needs SECRET_HASH = Base64(HMAC-SHA256(secret, username +
    client id)) on every public call naming a user (developer guide, "Computing secret
    hash values")."""
    secret = app_client["config"].get("ClientSecret")
    if not secret:
        return
    if not given:
        raise e.NotAuthorizedException(
            f"Client {app_client['id']} is configured with secret but SECRET_HASH was not received"
        )
    digest = hmac.new(
        secret.encode(), (username + app_client["id"]).encode(), hashlib.sha256
    ).digest()
    if not hmac.compare_digest(base64.b64encode(digest).decode(), given):
        raise e.NotAuthorizedException(
            f"Unable to verify secret hash for client {app_client['id']}"
        )


def user_call_client(store: Store, request: Request) -> Row:
    """The app client of a public operation that names a user (``ClientId``, ``Username``,
    ``SecretHash``), its secret hash checked."""
    found = client(store, request["ClientId"])
    check_secret_hash(found, request["Username"], request.get("SecretHash"))
    return found


def check_client_secret(app_client: Row, given: str | None) -> None:
    """GetTokensFromRefreshToken and RevokeToken take the client secret itself, required for
    a client that has one (API Reference, RevokeToken and GetTokensFromRefreshToken,
    ClientSecret: the app client's secret, when the client has one)."""
    secret = app_client["config"].get("ClientSecret")
    if secret and not hmac.compare_digest(str(given or ""), str(secret)):
        raise e.NotAuthorizedException(
            f"Client {app_client['id']} is configured with a secret; the request must carry "
            "it as ClientSecret."
        )
