"""A new user: the row SignUp and AdminCreateUser both make (a verifier, never a password)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.attributes import required_names
from wildrydes.local.cognito.context import Context
from wildrydes.local.cognito.lookups import user as find_user
from wildrydes.local.cognito.passwords import stored_verifier
from wildrydes.local.cognito.store import Row
from wildrydes.local.cognito.usernames import new_username, username_attributes

__all__ = [
    "create_user",
]


def create_user(
    ctx: Context,
    pool: Row,
    username: str,
    password: str,
    status: str,
    attributes: Mapping[str, str],
    *,
    admin: bool = False,
) -> Row:
    """Store a user with a fresh ``sub``; refuse a taken username or a missing required
    attribute. An administrator may leave required attributes out: the user is asked for
    them in the NEW_PASSWORD_REQUIRED challenge (API Reference, AdminCreateUser)."""
    username, attributes = new_username(ctx.store, pool, username, attributes)
    if ctx.store.user(pool["id"], username) is not None:
        raise e.UsernameExistsException("User already exists")
    for name in required_names(pool):
        if name not in attributes and not admin:
            raise e.InvalidParameterException(
                f"Attributes did not conform to the schema: {name}: The attribute is required"
            )
    now = ctx.clock.now()
    # with UsernameAttributes the generated username is the user's sub, as in Cognito
    sub = username if username_attributes(pool) else str(uuid.uuid4())
    kept = stored_verifier(pool["id"], username, password)
    user = {
        "pool_id": pool["id"],
        "username": username,
        "sub": sub,
        "status": status,
        "enabled": True,
        "created": now,
        "modified": now,
        "salt": kept.salt,
        "verifier": kept.verifier,
    }
    ctx.store.add_user(user, {"sub": sub, **attributes})
    return find_user(ctx.store, pool["id"], username)
