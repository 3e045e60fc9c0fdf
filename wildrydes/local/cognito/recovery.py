"""Forgotten passwords: ForgotPassword and ConfirmForgotPassword (the public operations).

Each operation is a function ``(context, request) -> response body``, listed in
:mod:`.operations`.
"""

from __future__ import annotations

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.codes import (
    SIMULATED_DELIVERY,
    send_reset_code,
    use_code,
    verified_email,
)
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.lookups import hides_unknown_users, public_user, user_call_client
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.passwords import check_policy, set_password

__all__ = [
    "confirm_forgot_password",
    "forgot_password",
]


def forgot_password(ctx: Context, request: Request) -> Result:
    """The code goes to the user's verified email (API Reference, ForgotPassword).

    A pool whose account recovery is ``admin_only`` (API Reference, RecoveryOptionType: only an
    administrator resets passwords) refuses it with NotAuthorizedException, for any user."""
    client = user_call_client(ctx.store, request)
    recovery = find_pool(ctx.store, client["pool_id"])["config"].get("AccountRecoverySetting")
    mechanisms = {m.get("Name") for m in (recovery or {}).get("RecoveryMechanisms") or []}
    if mechanisms == {"admin_only"}:
        raise e.NotAuthorizedException(
            "Cannot reset password for the user: account recovery of this user pool is "
            "admin_only; an administrator sets a new one (AdminSetUserPassword)."
        )
    found = ctx.store.user(client["pool_id"], request["Username"])
    if found is None and hides_unknown_users(client):
        return {"CodeDeliveryDetails": dict(SIMULATED_DELIVERY)}  # as if a code went out
    user = public_user(ctx.store, client, request["Username"])
    email = verified_email(ctx.store.attributes(user["pool_id"], user["username"]))
    pool = find_pool(ctx.store, user["pool_id"])
    ctx.code_requests.allow(pool["id"], user["username"], "forgot", ctx.clock.now())
    return {"CodeDeliveryDetails": send_reset_code(ctx, pool, user["username"], email)}


def confirm_forgot_password(ctx: Context, request: Request) -> Result:
    """The reset code and a new password that meets the policy: the user is CONFIRMED."""
    client = user_call_client(ctx.store, request)
    user = public_user(
        ctx.store,
        client,
        request["Username"],
        # an unknown user never asked for a code: the answer of a user who did not either
        hidden=e.ExpiredCodeException("Invalid code provided, please request a code again."),
    )
    check_policy(find_pool(ctx.store, user["pool_id"]), request["Password"])
    use_code(ctx, user["pool_id"], user["username"], "forgot", request["ConfirmationCode"])
    set_password(ctx, user, request["Password"], "CONFIRMED")
    return {}
