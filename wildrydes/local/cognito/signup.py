"""Signing up: SignUp, ConfirmSignUp and ResendConfirmationCode (the public operations).

Each operation is a function ``(context, request) -> response body``, listed in
:mod:`.operations`.
"""

from __future__ import annotations

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.attributes import attribute_dict, check_attributes
from wildrydes.local.cognito.client_settings import check_writable
from wildrydes.local.cognito.codes import SIMULATED_DELIVERY, send_code, use_code
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.lookups import hides_unknown_users, public_user, user_call_client
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.passwords import check_policy
from wildrydes.local.cognito.store import Row
from wildrydes.local.cognito.usernames import username_attributes
from wildrydes.local.cognito.users import create_user

__all__ = [
    "NOT_FOUND_FOR_CLIENT",
    "confirm_sign_up",
    "resend_confirmation_code",
    "sign_up",
]

NOT_FOUND_FOR_CLIENT = "Username/client id combination not found."


def sign_up(ctx: Context, request: Request) -> Result:
    """An UNCONFIRMED user; a code goes to the email, if one is given."""
    client = user_call_client(ctx.store, request)
    pool = find_pool(ctx.store, client["pool_id"])
    if (pool["config"].get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly"):
        # API Reference, AdminCreateUserConfigType: "When true, only administrators can
        # create new user profiles."
        raise e.NotAuthorizedException("SignUp is not permitted for this user pool")
    attributes = attribute_dict(request.get("UserAttributes"))
    check_writable(client["config"], attributes)
    check_attributes(pool, attributes)
    if not username_attributes(pool) and ctx.store.user(pool["id"], request["Username"]):
        raise e.UsernameExistsException("User already exists")
    check_policy(pool, request["Password"])
    user = create_user(
        ctx, pool, request["Username"], request["Password"], "UNCONFIRMED", attributes
    )
    result: Result = {"UserConfirmed": False, "UserSub": user["sub"]}
    # A code goes out only when the pool verifies email automatically (developer guide,
    # "Signing up and confirming user accounts": without AutoVerifiedAttributes, users are
    # confirmed by an administrator and Cognito sends no code).
    email = ctx.store.attributes(pool["id"], user["username"]).get("email")
    if email and _auto_verifies_email(pool):
        result["CodeDeliveryDetails"] = send_code(ctx, pool, user["username"], email, "signup")
    return result


def confirm_sign_up(ctx: Context, request: Request) -> Result:
    """The emailed code confirms the user; it also verifies the email when the pool
    auto-verifies it."""
    client = user_call_client(ctx.store, request)
    user = public_user(
        ctx.store,
        client,
        request["Username"],
        NOT_FOUND_FOR_CLIENT,
        hidden=e.CodeMismatchException("Invalid verification code provided, please try again."),
    )
    if user["status"] == "CONFIRMED":
        raise e.NotAuthorizedException("User cannot be confirmed. Current status is CONFIRMED")
    use_code(ctx, user["pool_id"], user["username"], "signup", request["ConfirmationCode"])
    pool = find_pool(ctx.store, user["pool_id"])
    ctx.store.update_user(
        user["pool_id"], user["username"], status="CONFIRMED", modified=ctx.clock.now()
    )
    if _auto_verifies_email(pool):
        ctx.store.set_attributes(user["pool_id"], user["username"], {"email_verified": "true"})
    return {}


def resend_confirmation_code(ctx: Context, request: Request) -> Result:
    """A new code to an unconfirmed user's email; the old one stops working."""
    client = user_call_client(ctx.store, request)
    found = ctx.store.user(client["pool_id"], request["Username"])
    if found is None and hides_unknown_users(client):
        return {"CodeDeliveryDetails": dict(SIMULATED_DELIVERY)}  # as if a code went out
    user = public_user(ctx.store, client, request["Username"], NOT_FOUND_FOR_CLIENT)
    if user["status"] == "CONFIRMED":
        raise e.InvalidParameterException("User is already confirmed.")
    email = ctx.store.attributes(user["pool_id"], user["username"]).get("email")
    pool = find_pool(ctx.store, user["pool_id"])
    if not email or not _auto_verifies_email(pool):
        raise e.InvalidParameterException("Cannot resend codes. Auto verification not turned on.")
    ctx.code_requests.allow(pool["id"], user["username"], "signup", ctx.clock.now())
    return {"CodeDeliveryDetails": send_code(ctx, pool, user["username"], email, "signup")}


def _auto_verifies_email(pool: Row) -> bool:
    return "email" in (pool["config"].get("AutoVerifiedAttributes") or [])
