"""Administrators' user operations: the Admin* operations on one user, and ListUsers.

AdminCreateUser, AdminGetUser, AdminConfirmSignUp, AdminSetUserPassword,
AdminResetUserPassword, AdminEnable/Disable/DeleteUser, AdminUpdateUserAttributes. Each
operation is a function ``(context, request) -> response body``, listed in :mod:`.operations`.
AWS serves them only to IAM credentials (the HTTP front checks the signature before they get
here).
"""

from __future__ import annotations

import secrets
import string

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.attributes import (
    attribute_dict,
    check_attributes,
    delete_attributes,
    update_attributes,
)
from wildrydes.local.cognito.clock import utc
from wildrydes.local.cognito.codes import send_reset_code, verified_email
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.filters import user_filter
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.lookups import user as find_user
from wildrydes.local.cognito.paging import page
from wildrydes.local.cognito.passwords import check_policy, set_password, stored_verifier
from wildrydes.local.cognito.shapes import user_type
from wildrydes.local.cognito.store import Row
from wildrydes.local.cognito.usernames import username_attributes
from wildrydes.local.cognito.users import create_user

__all__ = [
    "admin_confirm_sign_up",
    "admin_create_user",
    "admin_delete_user",
    "admin_delete_user_attributes",
    "admin_disable_user",
    "admin_enable_user",
    "admin_get_user",
    "admin_reset_user_password",
    "admin_set_user_password",
    "admin_update_user_attributes",
    "list_users",
]


def _admin_user(ctx: Context, request: Request) -> Row:
    find_pool(ctx.store, request["UserPoolId"])
    return find_user(ctx.store, request["UserPoolId"], request["Username"])


def _temporary_password() -> str:
    """A temporary password that meets any policy the workshop can set."""
    chars = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice("^$*.!@#%&"),
    ]
    chars += [secrets.choice(string.ascii_letters + string.digits) for _ in range(12)]
    return "".join(chars)


def admin_create_user(ctx: Context, request: Request) -> Result:
    """A FORCE_CHANGE_PASSWORD user and an invitation with a temporary password
    (MessageAction RESEND: a new temporary password for the same user)."""
    pool = find_pool(ctx.store, request["UserPoolId"])
    attributes = attribute_dict(request.get("UserAttributes"))
    check_attributes(pool, attributes, admin=True)
    if "SMS" in (request.get("DesiredDeliveryMediums") or []):
        raise e.InvalidParameterException(
            "DesiredDeliveryMediums SMS is not supported by the local backend (it sends no "
            "SMS); use EMAIL."
        )
    resend = request.get("MessageAction") == "RESEND"
    if resend:
        user = find_user(ctx.store, pool["id"], request["Username"])
    elif not username_attributes(pool) and ctx.store.user(pool["id"], request["Username"]):
        raise e.UsernameExistsException("User account already exists")
    temporary = request.get("TemporaryPassword") or _temporary_password()
    check_policy(pool, temporary)
    if resend:
        kept = stored_verifier(pool["id"], user["username"], temporary)
        ctx.store.update_user(pool["id"], user["username"], salt=kept.salt, verifier=kept.verifier)
    else:
        user = create_user(
            ctx,
            pool,
            request["Username"],
            temporary,
            "FORCE_CHANGE_PASSWORD",
            attributes,
            admin=True,
        )
    email = ctx.store.attributes(pool["id"], user["username"]).get("email")
    if email and request.get("MessageAction") != "SUPPRESS":
        # The invitation carries the password, so it stays in memory, never in the file.
        ctx.outbox.invite(
            to=email,
            temporary_password=temporary,
            user_pool_id=pool["id"],
            username=user["username"],
            now=utc(ctx.clock.now()),
        )
    return {"User": user_type(ctx.store, find_user(ctx.store, pool["id"], user["username"]))}


def admin_get_user(ctx: Context, request: Request) -> Result:
    return user_type(ctx.store, _admin_user(ctx, request), "UserAttributes")


def admin_confirm_sign_up(ctx: Context, request: Request) -> Result:
    user = _admin_user(ctx, request)
    if user["status"] == "CONFIRMED":
        raise e.NotAuthorizedException("User cannot be confirmed. Current status is CONFIRMED")
    ctx.store.update_user(
        user["pool_id"], user["username"], status="CONFIRMED", modified=ctx.clock.now()
    )
    return {}


def admin_set_user_password(ctx: Context, request: Request) -> Result:
    """Permanent: CONFIRMED; otherwise a temporary password (FORCE_CHANGE_PASSWORD)."""
    user = _admin_user(ctx, request)
    check_policy(find_pool(ctx.store, user["pool_id"]), request["Password"])
    status = "CONFIRMED" if request.get("Permanent") else "FORCE_CHANGE_PASSWORD"
    set_password(ctx, user, request["Password"], status)
    return {}


def admin_reset_user_password(ctx: Context, request: Request) -> Result:
    """RESET_REQUIRED, and a reset code to the verified email.

    Cognito's order: a disabled user ("User is disabled.") or one not confirmed yet is
    NotAuthorizedException before any check of a verified address (API Reference,
    AdminResetUserPassword, Errors: NotAuthorizedException)."""
    user = _admin_user(ctx, request)
    if not user["enabled"]:
        raise e.NotAuthorizedException("User is disabled.")
    if user["status"] == "UNCONFIRMED":
        raise e.NotAuthorizedException("User password cannot be reset in the current state.")
    email = verified_email(ctx.store.attributes(user["pool_id"], user["username"]))
    ctx.store.update_user(
        user["pool_id"], user["username"], status="RESET_REQUIRED", modified=ctx.clock.now()
    )
    send_reset_code(ctx, find_pool(ctx.store, user["pool_id"]), user["username"], email)
    return {}


def admin_enable_user(ctx: Context, request: Request) -> Result:
    user = _admin_user(ctx, request)
    ctx.store.update_user(user["pool_id"], user["username"], enabled=True, modified=ctx.clock.now())
    return {}


def admin_disable_user(ctx: Context, request: Request) -> Result:
    user = _admin_user(ctx, request)
    ctx.store.update_user(
        user["pool_id"], user["username"], enabled=False, modified=ctx.clock.now()
    )
    return {}


def admin_delete_user(ctx: Context, request: Request) -> Result:
    user = _admin_user(ctx, request)
    ctx.store.delete_user(user["pool_id"], user["username"])
    return {}


def admin_update_user_attributes(ctx: Context, request: Request) -> Result:
    user = _admin_user(ctx, request)
    update_attributes(ctx, user, attribute_dict(request["UserAttributes"]), admin=True)
    return {}


def admin_delete_user_attributes(ctx: Context, request: Request) -> Result:
    """AdminDeleteUserAttributes (API Reference): DeleteUserAttributes by an administrator."""
    delete_attributes(ctx, _admin_user(ctx, request), request["UserAttributeNames"])
    return {}


def list_users(ctx: Context, request: Request) -> Result:
    """The pool's users, filtered (API Reference, ListUsers, Filter) and paged by ``Limit``;
    ``AttributesToGet`` picks the attributes shown."""
    pool_id = request["UserPoolId"]
    find_pool(ctx.store, pool_id)
    users = ctx.store.users(pool_id)
    if request.get("Filter"):  # parsed even for an empty pool: a bad filter is refused
        keep = user_filter(request["Filter"])
        users = [u for u in users if keep(u, ctx.store.attributes(pool_id, u["username"]))]
    chosen, token = page(users, request, "Limit")
    wanted = request.get("AttributesToGet")
    shaped = []
    for user in chosen:
        item = user_type(ctx.store, user)
        if wanted is not None:
            item["Attributes"] = [a for a in item["Attributes"] if a["Name"] in wanted]
        shaped.append(item)
    result: Result = {"Users": shaped}
    if token:
        result["PaginationToken"] = token
    return result
