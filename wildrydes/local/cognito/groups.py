"""Groups and their members: Create/Get/List/DeleteGroup, AdminAdd/RemoveUserToGroup, ...

Each operation is a function ``(context, request) -> response body``, listed in
:mod:`.operations`. A user's groups appear in their tokens as ``cognito:groups``.
"""

from __future__ import annotations

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.lookups import user as find_user
from wildrydes.local.cognito.paging import page
from wildrydes.local.cognito.shapes import group_type, user_type
from wildrydes.local.cognito.store import Row, Store

__all__ = [
    "admin_add_user_to_group",
    "admin_list_groups_for_user",
    "admin_remove_user_from_group",
    "create_group",
    "delete_group",
    "get_group",
    "list_groups",
    "list_users_in_group",
    "update_group",
]
_GROUP_SETTINGS = ("Description", "RoleArn", "Precedence")


def _group(store: Store, pool_id: str, name: str) -> Row:
    group = store.group(pool_id, name)
    if group is None:
        raise e.ResourceNotFoundException("Group not found.")
    return group


def create_group(ctx: Context, request: Request) -> Result:
    pool_id = request["UserPoolId"]
    find_pool(ctx.store, pool_id)
    if ctx.store.group(pool_id, request["GroupName"]) is not None:
        raise e.GroupExistsException("A group with the name already exists.")
    now = ctx.clock.now()
    config = {k: request[k] for k in _GROUP_SETTINGS if k in request.body}
    group = {
        "pool_id": pool_id,
        "name": request["GroupName"],
        "config": config,
        "created": now,
        "modified": now,
    }
    ctx.store.add_group(group)
    return {"Group": group_type(group)}


def get_group(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    return {"Group": group_type(_group(ctx.store, request["UserPoolId"], request["GroupName"]))}


def list_groups(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    groups, token = page(ctx.store.groups(request["UserPoolId"]), request, "Limit")
    result: Result = {"Groups": [group_type(g) for g in groups]}
    if token:
        result["NextToken"] = token
    return result


def update_group(ctx: Context, request: Request) -> Result:
    """UpdateGroup (API Reference): the settings given replace the group's; those left out
    stay as they were (unlike UpdateUserPool, it names each member it changes)."""
    find_pool(ctx.store, request["UserPoolId"])
    group = _group(ctx.store, request["UserPoolId"], request["GroupName"])
    group["config"].update({k: request[k] for k in _GROUP_SETTINGS if k in request.body})
    group["modified"] = ctx.clock.now()
    ctx.store.save_group(group)
    return {"Group": group_type(group)}


def delete_group(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    _group(ctx.store, request["UserPoolId"], request["GroupName"])
    ctx.store.delete_group(request["UserPoolId"], request["GroupName"])
    return {}


def admin_add_user_to_group(ctx: Context, request: Request) -> Result:
    pool_id = request["UserPoolId"]
    find_pool(ctx.store, pool_id)
    _group(ctx.store, pool_id, request["GroupName"])
    user = find_user(ctx.store, pool_id, request["Username"])
    ctx.store.add_member(pool_id, request["GroupName"], user["username"])
    return {}


def admin_remove_user_from_group(ctx: Context, request: Request) -> Result:
    pool_id = request["UserPoolId"]
    find_pool(ctx.store, pool_id)
    _group(ctx.store, pool_id, request["GroupName"])
    user = find_user(ctx.store, pool_id, request["Username"])
    ctx.store.remove_member(pool_id, request["GroupName"], user["username"])
    return {}


def admin_list_groups_for_user(ctx: Context, request: Request) -> Result:
    pool_id = request["UserPoolId"]
    find_pool(ctx.store, pool_id)
    user = find_user(ctx.store, pool_id, request["Username"])
    groups, token = page(ctx.store.groups_of(pool_id, user["username"]), request, "Limit")
    result: Result = {"Groups": [group_type(g) for g in groups]}
    if token:
        result["NextToken"] = token
    return result


def list_users_in_group(ctx: Context, request: Request) -> Result:
    pool_id = request["UserPoolId"]
    find_pool(ctx.store, pool_id)
    _group(ctx.store, pool_id, request["GroupName"])
    users, token = page(ctx.store.members(pool_id, request["GroupName"]), request, "Limit")
    result: Result = {"Users": [user_type(ctx.store, u) for u in users]}
    if token:
        result["NextToken"] = token
    return result
