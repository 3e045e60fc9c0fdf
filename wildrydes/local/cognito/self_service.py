"""The signed-in user's own account: the operations an access token authorizes.

GetUser, Update/DeleteUserAttributes and attribute verification, ChangePassword, DeleteUser.
Each operation is a function ``(context, request) -> response body``, listed in
:mod:`.operations`; each first asks :func:`.access.access_user` whose token it is.
"""

from __future__ import annotations

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.access import access_client, access_user
from wildrydes.local.cognito.attributes import (
    attribute_dict,
    delete_attributes,
    update_attributes,
)
from wildrydes.local.cognito.client_settings import check_writable, readable
from wildrydes.local.cognito.codes import send_code, use_code
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.passwords import check_password, check_policy, set_password

__all__ = [
    "change_password",
    "delete_user",
    "delete_user_attributes",
    "get_user",
    "get_user_attribute_verification_code",
    "update_user_attributes",
    "verify_user_attribute",
]

_EMAIL_ONLY = "The local backend verifies only the email attribute."


def get_user(ctx: Context, request: Request) -> Result:
    """The user's attributes the token's app client may read (its ReadAttributes)."""
    user = access_user(ctx, request["AccessToken"])
    client = access_client(ctx, request["AccessToken"])
    shown = readable(client["config"], ctx.store.attributes(user["pool_id"], user["username"]))
    return {
        "Username": user["username"],
        "UserAttributes": [{"Name": k, "Value": v} for k, v in shown.items()],
    }


def update_user_attributes(ctx: Context, request: Request) -> Result:
    """Attributes the token's app client may write (its WriteAttributes)."""
    user = access_user(ctx, request["AccessToken"])
    attributes = attribute_dict(request["UserAttributes"])
    check_writable(access_client(ctx, request["AccessToken"])["config"], attributes)
    return update_attributes(ctx, user, attributes, admin=False)


def delete_user_attributes(ctx: Context, request: Request) -> Result:
    user = access_user(ctx, request["AccessToken"])
    delete_attributes(ctx, user, request["UserAttributeNames"])
    return {}


def get_user_attribute_verification_code(ctx: Context, request: Request) -> Result:
    user = access_user(ctx, request["AccessToken"])
    if request["AttributeName"] != "email":
        raise e.InvalidParameterException(_EMAIL_ONLY)
    email = ctx.store.attributes(user["pool_id"], user["username"]).get("email")
    if not email:
        raise e.InvalidParameterException("The user has no email attribute.")
    pool = find_pool(ctx.store, user["pool_id"])
    return {"CodeDeliveryDetails": send_code(ctx, pool, user["username"], email, "verify:email")}


def verify_user_attribute(ctx: Context, request: Request) -> Result:
    user = access_user(ctx, request["AccessToken"])
    if request["AttributeName"] != "email":
        raise e.InvalidParameterException(_EMAIL_ONLY)
    row = ctx.store.code(user["pool_id"], user["username"], "verify:email")
    use_code(ctx, user["pool_id"], user["username"], "verify:email", request["Code"])
    verified = {"email_verified": "true"}
    if row is not None and row.get("pending"):  # a new address waiting for its code
        verified["email"] = str(row["pending"])
    ctx.store.set_attributes(user["pool_id"], user["username"], verified)
    return {}


def change_password(ctx: Context, request: Request) -> Result:
    """The previous password (which counts toward lockout) and a new one within the policy."""
    user = access_user(ctx, request["AccessToken"])
    check_password(ctx, user, request["PreviousPassword"])
    check_policy(find_pool(ctx.store, user["pool_id"]), request["ProposedPassword"])
    set_password(ctx, user, request["ProposedPassword"], "CONFIRMED")
    return {}


def delete_user(ctx: Context, request: Request) -> Result:
    user = access_user(ctx, request["AccessToken"])
    ctx.store.delete_user(user["pool_id"], user["username"])
    return {}
