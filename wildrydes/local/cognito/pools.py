"""User pools and their tags: Create/Describe/List/Update/DeleteUserPool, Tag/Untag/ListTags.

Each operation is a function ``(context, request) -> response body``, listed in
:mod:`.operations`.
"""

from __future__ import annotations

import secrets
import string

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.paging import page
from wildrydes.local.cognito.pool_settings import check_mfa, check_supported, with_defaults
from wildrydes.local.cognito.schema import STANDARD_NAMES, check_schema, custom_name
from wildrydes.local.cognito.shapes import pool_type
from wildrydes.local.cognito.store import Row, Store

__all__ = [
    "add_custom_attributes",
    "create_user_pool",
    "delete_user_pool",
    "get_user_pool_mfa_config",
    "describe_user_pool",
    "list_tags_for_resource",
    "list_user_pools",
    "tag_resource",
    "untag_resource",
    "update_user_pool",
]

_ALNUM = string.ascii_letters + string.digits
# What UpdateUserPool cannot change: kept from CreateUserPool.
_POOL_FIXED = ("Schema", "UsernameAttributes", "AliasAttributes", "UsernameConfiguration")


def create_user_pool(ctx: Context, request: Request) -> Result:
    """A pool id has Cognito's shape: ``<region>_`` + 9 letters and digits, in the region the
    request was signed for."""
    while True:
        pool_id = f"{request.region}_" + "".join(secrets.choice(_ALNUM) for _ in range(9))
        if ctx.store.pool(pool_id) is None:
            break
    now = ctx.clock.now()
    check_mfa(request.body)
    check_supported(request.body)
    check_schema(request.get("Schema") or [])
    config = with_defaults({k: v for k, v in request.body.items() if k != "PoolName"})
    pool = {
        "id": pool_id,
        "region": request.region,
        "name": request["PoolName"],
        "config": config,
        "tags": config.pop("UserPoolTags", None) or {},
        "created": now,
        "modified": now,
    }
    ctx.store.add_pool(pool)
    return {"UserPool": pool_type(ctx.store, pool)}


def add_custom_attributes(ctx: Context, request: Request) -> Result:
    """AddCustomAttributes (API Reference): new custom attributes, checked as a pool's Schema
    is; a name the pool has already is refused ("Existing attribute already has name ..."),
    and a pool holds at most 50 custom attributes (developer guide, "Working with user
    attributes")."""
    pool = find_pool(ctx.store, request["UserPoolId"])
    added = request["CustomAttributes"]
    check_schema(added)
    schema = list(pool["config"].get("Schema") or [])
    known = {custom_name(item) for item in schema} | {str(item.get("Name")) for item in schema}
    for item in added:
        if item["Name"] in STANDARD_NAMES or custom_name(item) in known:
            raise e.InvalidParameterException(
                f"Existing attribute already has name {custom_name(item)}."
            )
        known.add(custom_name(item))
    if len([i for i in schema if i.get("Name") not in STANDARD_NAMES]) + len(added) > 50:
        raise e.LimitExceededException("A user pool can have at most 50 custom attributes.")
    pool["config"]["Schema"] = [*schema, *added]
    pool["modified"] = ctx.clock.now()
    ctx.store.save_pool(pool)
    return {}


def describe_user_pool(ctx: Context, request: Request) -> Result:
    return {"UserPool": pool_type(ctx.store, find_pool(ctx.store, request["UserPoolId"]))}


def list_user_pools(ctx: Context, request: Request) -> Result:
    pools, token = page(ctx.store.pools(), request)
    result: Result = {
        "UserPools": [
            {
                "Id": p["id"],
                "Name": p["name"],
                "CreationDate": p["created"],
                "LastModifiedDate": p["modified"],
            }
            for p in pools
        ]
    }
    if token:
        result["NextToken"] = token
    return result


def update_user_pool(ctx: Context, request: Request) -> Result:
    """Settings left out return to their defaults, as Cognito does (API Reference,
    UpdateUserPool); what UpdateUserPool cannot change (schema, username settings) stays."""
    pool = find_pool(ctx.store, request["UserPoolId"])
    updates = {k: v for k, v in request.body.items() if k != "UserPoolId"}
    check_mfa(updates)
    check_supported(updates)
    if "UserPoolTags" in updates:
        pool["tags"] = updates.pop("UserPoolTags") or {}
    kept = {k: v for k, v in pool["config"].items() if k in _POOL_FIXED}
    pool["config"] = {**with_defaults(updates), **kept}
    pool["modified"] = ctx.clock.now()
    ctx.store.save_pool(pool)
    return {}


def get_user_pool_mfa_config(ctx: Context, request: Request) -> Result:
    """GetUserPoolMfaConfig (API Reference): the pool's MfaConfiguration (OFF unless set; the
    local backend has no MFA: ON and OPTIONAL are refused, :func:`.pool_settings.check_mfa`)."""
    pool = find_pool(ctx.store, request["UserPoolId"])
    return {"MfaConfiguration": pool["config"].get("MfaConfiguration", "OFF")}


def delete_user_pool(ctx: Context, request: Request) -> Result:
    """API Reference, CreateUserPool (DeletionProtection): "When active, DeletionProtection
    prevents accidental deletion of your user pool."""
    pool = find_pool(ctx.store, request["UserPoolId"])
    if pool["config"].get("DeletionProtection") == "ACTIVE":
        raise e.InvalidParameterException(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactive first."
        )
    ctx.store.delete_pool(request["UserPoolId"])
    ctx.keys.forget(request["UserPoolId"])
    return {}


# -- tags (by ARN) ---------------------------------------------------------------------------
def _pool_by_arn(store: Store, arn: str) -> Row:
    pool_id = arn.rpartition("/")[2]
    if not arn.startswith("arn:aws:cognito-idp:") or store.pool(pool_id) is None:
        raise e.ResourceNotFoundException(f"Resource {arn} does not exist.")
    return find_pool(store, pool_id)


def tag_resource(ctx: Context, request: Request) -> Result:
    pool = _pool_by_arn(ctx.store, request["ResourceArn"])
    pool["tags"].update(request["Tags"])
    ctx.store.save_pool(pool)
    return {}


def untag_resource(ctx: Context, request: Request) -> Result:
    pool = _pool_by_arn(ctx.store, request["ResourceArn"])
    for key in request["TagKeys"]:
        pool["tags"].pop(key, None)
    ctx.store.save_pool(pool)
    return {}


def list_tags_for_resource(ctx: Context, request: Request) -> Result:
    return {"Tags": _pool_by_arn(ctx.store, request["ResourceArn"])["tags"]}
