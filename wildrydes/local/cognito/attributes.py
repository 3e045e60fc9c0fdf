"""User attributes: the pool's schema, what a client may write, and changing them.

Cognito's standard attributes are the developer guide's ("Working with user attributes");
custom ones are ``custom:<name>``. Attributes never shadow a token's claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.codes import send_code
from wildrydes.local.cognito.context import Context, Result
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.schema import STANDARD_SCHEMA, custom_name
from wildrydes.local.cognito.store import Row
from wildrydes.local.cognito.usernames import check_unique_addresses

__all__ = [
    "READ_ONLY",
    "RESERVED_CLAIMS",
    "STANDARD_ATTRIBUTES",
    "attribute_dict",
    "check_attributes",
    "delete_attributes",
    "required_names",
    "schema_names",
    "update_attributes",
]

# The standard attributes, in the order Cognito describes them (the schema holds each one's type).
STANDARD_ATTRIBUTES = tuple(str(item["Name"]) for item in STANDARD_SCHEMA)
# Attributes the service sets itself; a client may never write them (they are claims).
READ_ONLY = frozenset({"sub", "identities"})
# Claims a token carries that no attribute may shadow (besides `cognito:*`).
RESERVED_CLAIMS = frozenset(
    {
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "jti",
        "origin_jti",
        "event_id",
        "token_use",
        "client_id",
        "username",
        "scope",
        "nbf",
        "at_hash",
        "nonce",
        "identities",
    }
)
# An email address: one "@", something before it, a dotted domain after it, no spaces or
# control characters. Looser than RFC 5322 on purpose: Cognito accepts internationalized
# local parts, so only what cannot be an address at all (`not-an-email`) is refused.
_EMAIL = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f.]+(\.[^@\s\x00-\x1f.]+)+$")

# A phone number in E.164: "+", the country code and the number, digits only (developer guide,
# "Working with user attributes": phone numbers "must follow the E.164 format", for example
# +12065551212).
_PHONE = re.compile(r"^\+[1-9][0-9]{1,14}$")


def attribute_dict(items: Iterable[Mapping[str, str]] | None) -> dict[str, str]:
    """``[{"Name": n, "Value": v}, ...]`` as ``{n: v}`` (validated by responses.parse).

    A boolean attribute (``*_verified``) written in any case, ``"True"`` as SDKs and the
    console send it, is kept as Cognito keeps it: ``"true"`` or ``"false"``."""
    found = {}
    for item in items or []:
        name, value = item["Name"], item.get("Value", "")
        if name.endswith("_verified") and value.lower() in ("true", "false"):
            value = value.lower()
        found[name] = value
    return found


def schema_names(pool: Row) -> set[str]:
    """Every attribute name the pool knows: the standard ones and its custom ones."""
    names = set(STANDARD_ATTRIBUTES)
    for item in pool["config"].get("Schema") or []:
        if item.get("Name", "") not in STANDARD_ATTRIBUTES:
            names.add(custom_name(item))
    return names


def _custom_items(pool: Row) -> dict[str, Mapping[str, object]]:
    return {
        custom_name(item): item
        for item in pool["config"].get("Schema") or []
        if item.get("Name", "") not in STANDARD_ATTRIBUTES
    }


def required_names(pool: Row) -> list[str]:
    """The standard attributes the pool's schema makes required."""
    return [
        item["Name"]
        for item in pool["config"].get("Schema") or []
        if item.get("Required") and item.get("Name") in STANDARD_ATTRIBUTES
    ]


def check_attributes(pool: Row, attributes: Mapping[str, str], *, admin: bool = False) -> None:
    """Refuse attributes outside the pool's schema, reserved names and a bad email.

    Cognito refuses unknown attributes with "Attribute does not exist in the schema."
    and read-only ones (sub) as not writable; `*_verified` flags only an administrator
    may set (API Reference, UpdateUserAttributes / AdminUpdateUserAttributes).
    """
    known = schema_names(pool)
    for name, value in attributes.items():
        if (
            name not in known
            or name.startswith("cognito:")
            or (name in RESERVED_CLAIMS and name != "sub")
        ):
            raise e.InvalidParameterException(
                f"Attributes did not conform to the schema: {name}: "
                "Attribute does not exist in the schema."
            )
        if name in READ_ONLY:
            raise e.InvalidParameterException(f"Cannot modify the non-mutable attribute {name}")
        if name.startswith("dev:") and not admin:
            # SchemaAttributeType, DeveloperOnlyAttribute: "can be modified using
            # AdminUpdateUserAttributes but can't be updated using UpdateUserAttributes"
            raise e.InvalidParameterException(f"Cannot modify the non-mutable attribute {name}")
        if name.endswith("_verified") and not admin:
            raise e.InvalidParameterException(f"Cannot modify the non-mutable attribute {name}")
        if name.endswith("_verified") and value not in ("true", "false"):
            raise e.InvalidParameterException(
                f"Attributes did not conform to the schema: {name}: Value must be true or false"
            )
        if len(value) > 2048:
            raise e.InvalidParameterException(
                f"Attributes did not conform to the schema: {name}: "
                "String must be no longer than 2048 characters"
            )
        if name == "email" and not _EMAIL.match(value):
            raise e.InvalidParameterException("Invalid email address format.")
        if name == "phone_number" and not _PHONE.match(value):
            raise e.InvalidParameterException("Invalid phone number format.")


def update_attributes(
    ctx: Context, user: Row, attributes: Mapping[str, str], *, admin: bool
) -> Result:
    """Update/AdminUpdateUserAttributes: check, store, and send a code to a changed email.

    A changed email is unverified until its code comes back (developer guide, "Configuring
    email or phone verification"), unless an administrator marks it verified.
    """
    pool = find_pool(ctx.store, user["pool_id"])
    check_attributes(pool, attributes, admin=admin)
    for name, item in _custom_items(pool).items():
        # SchemaAttributeType, Mutable: an attribute that is not mutable is set when the user
        # is made and cannot be changed after.
        if name in attributes and item.get("Mutable") is False:
            raise e.InvalidParameterException(f"Cannot modify the non-mutable attribute {name}")
    check_unique_addresses(ctx.store, pool, user["username"], attributes)
    old = ctx.store.attributes(user["pool_id"], user["username"])
    changes = dict(attributes)
    new_email = attributes.get("email")
    email_changed = new_email is not None and new_email != old.get("email")
    if (
        email_changed
        and new_email
        and _verify_before_update(pool, "email")
        and old.get("email_verified") == "true"
        and attributes.get("email_verified") != "true"
    ):
        # UserAttributeUpdateSettingsType: "Amazon Cognito doesn't change the value of the
        # attribute until your user responds to the verification message and confirms the new
        # value": the old, verified address stays; the new one waits with the code.
        changes.pop("email")
        ctx.store.set_attributes(user["pool_id"], user["username"], changes)
        ctx.store.update_user(user["pool_id"], user["username"], modified=ctx.clock.now())
        sent = send_code(ctx, pool, user["username"], new_email, "verify:email", pending=new_email)
        return {"CodeDeliveryDetailsList": [sent]}
    if email_changed and attributes.get("email_verified") != "true":
        changes["email_verified"] = "false"
    ctx.store.set_attributes(user["pool_id"], user["username"], changes)
    ctx.store.update_user(user["pool_id"], user["username"], modified=ctx.clock.now())
    if email_changed and new_email and changes["email_verified"] == "false" and not admin:
        sent = send_code(ctx, pool, user["username"], new_email, "verify:email")
        return {"CodeDeliveryDetailsList": [sent]}
    return {}


def delete_attributes(ctx: Context, user: Row, names: Iterable[str]) -> None:
    """Delete/AdminDeleteUserAttributes: any but the required ones and ``sub`` (API Reference,
    DeleteUserAttributes: "An array of strings representing the user attribute names you
    want to delete"; a required attribute cannot be left without a value)."""
    pool = find_pool(ctx.store, user["pool_id"])
    names = list(names)
    if any(n in required_names(pool) or n == "sub" for n in names):
        raise e.InvalidParameterException("Cannot delete a required attribute.")
    ctx.store.delete_attributes(user["pool_id"], user["username"], names)
    ctx.store.update_user(user["pool_id"], user["username"], modified=ctx.clock.now())


def _verify_before_update(pool: Row, name: str) -> bool:
    settings = pool["config"].get("UserAttributeUpdateSettings") or {}
    return name in (settings.get("AttributesRequireVerificationBeforeUpdate") or [])
