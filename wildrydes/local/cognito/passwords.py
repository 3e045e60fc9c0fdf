"""Passwords without keeping them: the pool's policy, SRP verifiers, and lockout.

A password is never stored: only the SRP salt and verifier. USER_PASSWORD_AUTH and
ChangePassword recompute the verifier from the given password to check it.

Lockout (developer guide, "Authentication flows" -> "Lockout behavior for failed sign-in
attempts"): after 5 failed password attempts the user is locked out for 1 second, and the
lockout doubles with each further failure up to about 15 minutes; attempts while locked out
get "Password attempts exceeded" and do not lengthen it: for n failures, 2^(n-5) seconds.
The count goes back to 0 after a successful sign-in once a lockout has passed, or after 15
consecutive minutes without an attempt at any time after a lockout.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import NoReturn

from wildrydes import srp
from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.context import Context
from wildrydes.local.cognito.store import Row
from wildrydes.policy import PasswordPolicy, cognito_messages

__all__ = [
    "ATTEMPTS_EXCEEDED",
    "LOCKOUT_AFTER",
    "LOCKOUT_MAX_SECONDS",
    "LOCKOUT_RESET_SECONDS",
    "StoredVerifier",
    "check_password",
    "check_policy",
    "failed",
    "not_locked",
    "password_matches",
    "set_password",
    "stored_verifier",
    "succeeded",
]

LOCKOUT_AFTER = 5
LOCKOUT_MAX_SECONDS = 15 * 60
LOCKOUT_RESET_SECONDS = 15 * 60
ATTEMPTS_EXCEEDED = "Password attempts exceeded"


def check_policy(pool: Row, password: str) -> None:
    """Refuse a password the pool's policy refuses, in Cognito's words (the first rule)."""
    problems = cognito_messages(password, PasswordPolicy.from_pool(pool["config"].get("Policies")))
    if problems:
        raise e.InvalidPasswordException(problems[0])


@dataclass(frozen=True)
class StoredVerifier:
    """What is stored instead of a password: the SRP salt and verifier (hex)."""

    salt: str
    verifier: str


def stored_verifier(pool_id: str, username: str, password: str) -> StoredVerifier:
    made = srp.make_verifier(pool_id, username, password)
    return StoredVerifier(salt=made.salt_hex, verifier=format(made.verifier, "x"))


def password_matches(user: Row, password: str) -> bool:
    """Recompute the verifier from ``password`` with the stored salt and compare."""
    again = srp.make_verifier(user["pool_id"], user["username"], password, user["salt"])
    return secrets.compare_digest(format(again.verifier, "x"), user["verifier"])


def set_password(ctx: Context, user: Row, password: str, status: str) -> None:
    """A new password (its verifier), a new status, and the lockout count back to 0."""
    new = stored_verifier(user["pool_id"], user["username"], password)
    ctx.store.update_user(
        user["pool_id"],
        user["username"],
        status=status,
        modified=ctx.clock.now(),
        failed_attempts=0,
        locked_until=0,
        salt=new.salt,
        verifier=new.verifier,
    )


# -- lockout ---------------------------------------------------------------------------------
def not_locked(ctx: Context, user: Row) -> None:
    """Refuse any password attempt while the user is locked out."""
    if user["locked_until"] > ctx.clock.now():
        raise e.NotAuthorizedException(ATTEMPTS_EXCEEDED)


def failed(ctx: Context, user: Row) -> NoReturn:
    """Count a wrong password (kept, though the operation fails) and refuse it."""
    store, clock = ctx.store, ctx.clock
    failures = user["failed_attempts"]
    if failures >= LOCKOUT_AFTER and clock.now() - user["locked_until"] >= LOCKOUT_RESET_SECONDS:
        failures = 0  # quiet for 15 minutes after the lockout: back to the start
    failures += 1
    locked_until = 0.0
    if failures >= LOCKOUT_AFTER:
        locked_until = clock.now() + min(2 ** (failures - LOCKOUT_AFTER), LOCKOUT_MAX_SECONDS)
    store.update_user(
        user["pool_id"], user["username"], failed_attempts=failures, locked_until=locked_until
    )
    store.keep()
    raise e.NotAuthorizedException(e.INCORRECT)


def succeeded(ctx: Context, user: Row) -> None:
    """A right password: the count goes back to 0."""
    if user["failed_attempts"]:
        ctx.store.update_user(user["pool_id"], user["username"], failed_attempts=0, locked_until=0)


def check_password(ctx: Context, user: Row, password: str) -> None:
    """Refuse ``password`` unless it is the user's and the user is not locked out."""
    not_locked(ctx, user)
    if not password_matches(user, password):
        failed(ctx, user)
    succeeded(ctx, user)
