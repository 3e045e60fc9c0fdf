"""App clients: Create/Describe/List/Update/DeleteUserPoolClient.

Each operation is a function ``(context, request) -> response body``, listed in
:mod:`.operations`.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from wildrydes.local.cognito.client_settings import (
    check_flows,
    check_rotation,
    check_session_validity,
    check_validities,
)
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.lookups import client as find_client
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.paging import page
from wildrydes.local.cognito.shapes import client_type

__all__ = [
    "create_user_pool_client",
    "delete_user_pool_client",
    "describe_user_pool_client",
    "list_user_pool_clients",
    "update_user_pool_client",
]

_CLIENT_FIELDS = (
    "ClientName",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "AuthSessionValidity",
    "RefreshTokenRotation",
    "EnablePropagateAdditionalUserContextData",
    "AnalyticsConfiguration",
)


def _client_config(body: Mapping[str, Any]) -> dict[str, Any]:
    """An app client's settings from a Create/UpdateUserPoolClient body, with defaults."""
    config = {k: body[k] for k in _CLIENT_FIELDS if k in body}
    check_validities(config)
    check_rotation(config)
    check_flows(config)
    check_session_validity(config)
    config.setdefault("RefreshTokenValidity", 30)
    config.setdefault("TokenValidityUnits", {})
    config.setdefault("PreventUserExistenceErrors", "LEGACY")
    config.setdefault("EnableTokenRevocation", True)
    return config


def create_user_pool_client(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    client_id = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))
    now = ctx.clock.now()
    config = _client_config(request.body)
    if request.get("GenerateSecret"):
        config["ClientSecret"] = secrets.token_urlsafe(38)
    client = {
        "id": client_id,
        "pool_id": request["UserPoolId"],
        "config": config,
        "created": now,
        "modified": now,
    }
    ctx.store.add_client(client)
    return {"UserPoolClient": client_type(client)}


def describe_user_pool_client(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    client = find_client(ctx.store, request["ClientId"], request["UserPoolId"])
    return {"UserPoolClient": client_type(client)}


def list_user_pool_clients(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    clients, token = page(ctx.store.clients(request["UserPoolId"]), request)
    result: Result = {
        "UserPoolClients": [
            {
                "ClientId": c["id"],
                "UserPoolId": c["pool_id"],
                "ClientName": c["config"].get("ClientName", ""),
            }
            for c in clients
        ]
    }
    if token:
        result["NextToken"] = token
    return result


def update_user_pool_client(ctx: Context, request: Request) -> Result:
    """Settings left out return to their defaults, as Cognito does (API Reference,
    UpdateUserPoolClient); the client's secret stays."""
    find_pool(ctx.store, request["UserPoolId"])
    client = find_client(ctx.store, request["ClientId"], request["UserPoolId"])
    secret = client["config"].get("ClientSecret")
    client["config"] = _client_config(request.body)
    if secret:
        client["config"]["ClientSecret"] = secret
    client["modified"] = ctx.clock.now()
    ctx.store.save_client(client)
    return {"UserPoolClient": client_type(client)}


def delete_user_pool_client(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    find_client(ctx.store, request["ClientId"], request["UserPoolId"])
    ctx.store.delete_client(request["ClientId"])
    return {}
