"""Codes sent by email: made, kept hashed, delivered to the outbox, and used once.

Code lifetimes (developer guide, "Signing up and confirming user accounts": a sign-up
confirmation code is valid for 24 hours; "Recovering user accounts": a forgot-password code is
valid for 1 hour; attribute verification codes, like sign-up codes, 24 hours). After
``CODE_ATTEMPTS`` wrong codes the code is spent and Cognito answers LimitExceededException,
until a new code is sent.
"""

from __future__ import annotations

import secrets

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.clock import utc
from wildrydes.local.cognito.context import Context
from wildrydes.local.cognito.store import Row

__all__ = [
    "CODE_ATTEMPTS",
    "CODE_LIFETIMES",
    "SIMULATED_DELIVERY",
    "mask_email",
    "send_code",
    "send_reset_code",
    "use_code",
    "verified_email",
]

CODE_LIFETIMES = {"signup": 24 * 3600, "forgot": 3600, "verify:email": 24 * 3600}
CODE_ATTEMPTS = 5
# What a client that hides which users exist answers for an unknown user, as if a code went
# out (developer guide, "Managing error responses").
SIMULATED_DELIVERY = {
    "Destination": "u***@e***",
    "DeliveryMedium": "EMAIL",
    "AttributeName": "email",
}
_MISMATCH = "Invalid verification code provided, please try again."
_NO_VERIFIED_ADDRESS = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
_EXPIRED = "Invalid code provided, please request a code again."
_LIMIT = "Attempt limit exceeded, please try after some time."


def mask_email(email: str) -> str:
    """Cognito's masked destination: ``r***@e***``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def send_code(
    ctx: Context,
    pool: Row,
    username: str,
    to: str,
    purpose: str,
    *,
    subject: str = "Your verification code",
    body: str | None = None,
    pending: str | None = None,
) -> dict[str, str]:
    """Make a 6-digit code, keep its hash, put it in the outbox; returns the delivery details.

    A verification code (not a reset code, which passes its own words) is worded by the
    pool's VerificationMessageTemplate when it has an EmailMessage/EmailSubject (API
    Reference, VerificationMessageTemplateType)."""
    template = pool["config"].get("VerificationMessageTemplate") or {}
    if body is None:
        body = template.get("EmailMessage")
        subject = template.get("EmailSubject") or subject
    code = f"{secrets.randbelow(10**6):06d}"
    now = ctx.clock.now()
    ctx.store.put_code(pool["id"], username, purpose, code, now, pending)
    ctx.outbox.send(
        to=to,
        code=code,
        user_pool_id=pool["id"],
        username=username,
        now=utc(now),
        subject=subject,
        body=body.replace("{####}", code) if body else None,
    )
    return {"Destination": mask_email(to), "DeliveryMedium": "EMAIL", "AttributeName": "email"}


def verified_email(attributes: dict[str, str]) -> str:
    """The address a password reset code may go to: the user's email, once verified."""
    email = attributes.get("email")
    if not email or attributes.get("email_verified") != "true":
        raise e.InvalidParameterException(_NO_VERIFIED_ADDRESS)
    return email


def send_reset_code(ctx: Context, pool: Row, username: str, to: str) -> dict[str, str]:
    """The password reset code of ForgotPassword and AdminResetUserPassword."""
    return send_code(
        ctx,
        pool,
        username,
        to,
        "forgot",
        subject="Your password reset code",
        body="Your password reset code is {####}",
    )


def use_code(ctx: Context, pool_id: str, username: str, purpose: str, code: str) -> None:
    """Accept ``code`` once, within its lifetime and attempt limit; raise otherwise."""
    store = ctx.store
    row = store.code(pool_id, username, purpose)
    if row is None and purpose == "forgot":
        # No reset code in force (never requested, or already used): ExpiredCodeException,
        # as Cognito answers (API Reference, ConfirmForgotPassword, Errors: "a code has
        # expired"; "Invalid code provided, please request a code again.").
        raise e.ExpiredCodeException(_EXPIRED)
    if row is None:
        raise e.CodeMismatchException(_MISMATCH)
    if row["attempts"] >= CODE_ATTEMPTS:  # until a new code is sent
        raise e.LimitExceededException(_LIMIT)
    if ctx.clock.now() - row["sent_at"] > CODE_LIFETIMES[purpose]:
        raise e.ExpiredCodeException(_EXPIRED)
    if not store.code_matches(row, code):
        store.code_attempt_failed(pool_id, username, purpose)
        store.keep()  # the failed attempt counts even though the operation fails
        if row["attempts"] + 1 >= CODE_ATTEMPTS:
            raise e.LimitExceededException(_LIMIT)
        raise e.CodeMismatchException(_MISMATCH)
    store.drop_code(pool_id, username, purpose)
