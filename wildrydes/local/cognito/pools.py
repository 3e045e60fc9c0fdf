"""User pools, app clients, tags and groups: the management operations.

Each ``op_<Operation>`` takes the validated request body and returns the response body.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.common import STANDARD_ATTRIBUTES, Shared

__all__ = [
    "ACCOUNT_ID",
    "DEFAULT_VALIDITY",
    "Pools",
    "validity_seconds",
]

ACCOUNT_ID = "123456789012"
_ALNUM = string.ascii_letters + string.digits
# Token validity defaults and units (API Reference, CreateUserPoolClient: access and id
# tokens 60 minutes, refresh tokens 30 days; TokenValidityUnits default hours/hours/days).
DEFAULT_VALIDITY = {
    "AccessToken": (1, "hours"),
    "IdToken": (1, "hours"),
    "RefreshToken": (30, "days"),
}
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
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
)


# What UpdateUserPool cannot change: kept from CreateUserPool.
_POOL_FIXED = ("Schema", "UsernameAttributes", "AliasAttributes", "UsernameConfiguration")


def _client_config(body: dict[str, Any]) -> dict[str, Any]:
    """An app client's settings from a Create/UpdateUserPoolClient body, with defaults."""
    config = {k: body[k] for k in _CLIENT_FIELDS if k in body}
    config.setdefault("RefreshTokenValidity", 30)
    config.setdefault("TokenValidityUnits", {})
    config.setdefault("PreventUserExistenceErrors", "LEGACY")
    config.setdefault("EnableTokenRevocation", True)
    return config


def validity_seconds(client: dict[str, Any], kind: str) -> int:
    """How long a client's ``kind`` token (AccessToken, IdToken, RefreshToken) lives."""
    config = client["config"]
    default_value, default_unit = DEFAULT_VALIDITY[kind]
    value = config.get(f"{kind}Validity") or default_value
    unit = (config.get("TokenValidityUnits") or {}).get(kind, default_unit)
    return int(value) * _UNIT_SECONDS.get(unit, 3600)


def _page(
    items: list[Any], body: dict[str, Any], limit_key: str = "MaxResults", default: int = 60
) -> tuple[list[Any], str | None]:
    start = int(body.get("NextToken") or body.get("PaginationToken") or 0)
    size = int(body.get(limit_key) or default)
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


class Pools:
    def __init__(self, shared: Shared) -> None:
        self.s = shared

    # -- pools ---------------------------------------------------------------------------
    def _pool_type(self, pool: dict[str, Any]) -> dict[str, Any]:
        config = pool["config"]
        schema = [
            {
                "Name": name,
                "AttributeDataType": "String",
                "Mutable": name != "sub",
                "Required": name == "sub",
            }
            for name in STANDARD_ATTRIBUTES
        ]
        for item in config.get("Schema") or []:
            if item.get("Name") in STANDARD_ATTRIBUTES:
                schema[STANDARD_ATTRIBUTES.index(item["Name"])].update(item)
            else:
                schema.append({**item, "Name": f"custom:{item['Name']}"})
        result = {k: v for k, v in config.items() if k not in ("Schema", "UserPoolTags")}
        result.update(
            {
                "Id": pool["id"],
                "Name": pool["name"],
                "Arn": f"arn:aws:cognito-idp:{pool['region']}:{ACCOUNT_ID}:userpool/{pool['id']}",
                "CreationDate": pool["created"],
                "LastModifiedDate": pool["modified"],
                "SchemaAttributes": schema,
                "UserPoolTags": pool["tags"],
                "EstimatedNumberOfUsers": self.s.store.count_users(pool["id"]),
                "MfaConfiguration": config.get("MfaConfiguration", "OFF"),
                "Status": "Enabled",
            }
        )
        return result

    def op_CreateUserPool(self, body):
        """A pool id has Cognito's shape: ``<region>_`` + 9 letters and digits."""
        while True:
            pool_id = f"{self.s.region}_" + "".join(secrets.choice(_ALNUM) for _ in range(9))
            if self.s.store.pool(pool_id) is None:
                break
        now = self.s.clock.now()
        config = {k: v for k, v in body.items() if k != "PoolName"}
        pool = {
            "id": pool_id,
            "region": self.s.region,
            "name": body["PoolName"],
            "config": config,
            "tags": config.pop("UserPoolTags", None) or {},
            "created": now,
            "modified": now,
        }
        self.s.store.add_pool(pool)
        return {"UserPool": self._pool_type(pool)}

    def op_DescribeUserPool(self, body):
        return {"UserPool": self._pool_type(self.s.pool(body["UserPoolId"]))}

    def op_ListUserPools(self, body):
        pools, token = _page(self.s.store.pools(), body)
        result: dict[str, Any] = {
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

    def op_UpdateUserPool(self, body):
        """Settings left out return to their defaults, as Cognito does (API Reference,
        UpdateUserPool); what UpdateUserPool cannot change (schema, username settings) stays.
        """
        pool = self.s.pool(body["UserPoolId"])
        updates = {k: v for k, v in body.items() if k != "UserPoolId"}
        if "UserPoolTags" in updates:
            pool["tags"] = updates.pop("UserPoolTags") or {}
        kept = {k: v for k, v in pool["config"].items() if k in _POOL_FIXED}
        pool["config"] = {**updates, **kept}
        pool["modified"] = self.s.clock.now()
        self.s.store.save_pool(pool)
        return {}

    def op_DeleteUserPool(self, body):
        self.s.pool(body["UserPoolId"])
        self.s.store.delete_pool(body["UserPoolId"])
        self.s.keys.forget(body["UserPoolId"])
        return {}

    # -- tags (by ARN) -------------------------------------------------------------------
    def _pool_by_arn(self, arn: str) -> dict[str, Any]:
        pool_id = arn.rpartition("/")[2]
        if not arn.startswith("arn:aws:cognito-idp:") or self.s.store.pool(pool_id) is None:
            raise e.ResourceNotFoundException(f"Resource {arn} does not exist.")
        return self.s.pool(pool_id)

    def op_TagResource(self, body):
        pool = self._pool_by_arn(body["ResourceArn"])
        pool["tags"].update(body["Tags"])
        self.s.store.save_pool(pool)
        return {}

    def op_UntagResource(self, body):
        pool = self._pool_by_arn(body["ResourceArn"])
        for key in body["TagKeys"]:
            pool["tags"].pop(key, None)
        self.s.store.save_pool(pool)
        return {}

    def op_ListTagsForResource(self, body):
        return {"Tags": self._pool_by_arn(body["ResourceArn"])["tags"]}

    # -- app clients ---------------------------------------------------------------------
    def _client_type(self, client: dict[str, Any]) -> dict[str, Any]:
        return {
            **client["config"],
            "UserPoolId": client["pool_id"],
            "ClientId": client["id"],
            "CreationDate": client["created"],
            "LastModifiedDate": client["modified"],
        }

    def op_CreateUserPoolClient(self, body):
        self.s.pool(body["UserPoolId"])
        client_id = "".join(
            secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26)
        )
        now = self.s.clock.now()
        config = _client_config(body)
        if body.get("GenerateSecret"):
            config["ClientSecret"] = secrets.token_urlsafe(38)
        client = {
            "id": client_id,
            "pool_id": body["UserPoolId"],
            "config": config,
            "created": now,
            "modified": now,
        }
        self.s.store.add_client(client)
        return {"UserPoolClient": self._client_type(client)}

    def op_DescribeUserPoolClient(self, body):
        self.s.pool(body["UserPoolId"])
        return {
            "UserPoolClient": self._client_type(self.s.client(body["ClientId"], body["UserPoolId"]))
        }

    def op_ListUserPoolClients(self, body):
        self.s.pool(body["UserPoolId"])
        clients, token = _page(self.s.store.clients(body["UserPoolId"]), body)
        result: dict[str, Any] = {
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

    def op_UpdateUserPoolClient(self, body):
        """Settings left out return to their defaults, as Cognito does (API Reference,
        UpdateUserPoolClient); the client's secret stays."""
        self.s.pool(body["UserPoolId"])
        client = self.s.client(body["ClientId"], body["UserPoolId"])
        secret = client["config"].get("ClientSecret")
        client["config"] = _client_config(body)
        if secret:
            client["config"]["ClientSecret"] = secret
        client["modified"] = self.s.clock.now()
        self.s.store.save_client(client)
        return {"UserPoolClient": self._client_type(client)}

    def op_DeleteUserPoolClient(self, body):
        self.s.pool(body["UserPoolId"])
        self.s.client(body["ClientId"], body["UserPoolId"])
        self.s.store.delete_client(body["ClientId"])
        return {}

    # -- groups --------------------------------------------------------------------------
    @staticmethod
    def group_type(group: dict[str, Any]) -> dict[str, Any]:
        return {
            **group["config"],
            "GroupName": group["name"],
            "UserPoolId": group["pool_id"],
            "CreationDate": group["created"],
            "LastModifiedDate": group["modified"],
        }

    def _group(self, pool_id: str, name: str) -> dict[str, Any]:
        group = self.s.store.group(pool_id, name)
        if group is None:
            raise e.ResourceNotFoundException("Group not found.")
        return group

    def op_CreateGroup(self, body):
        pool_id = body["UserPoolId"]
        self.s.pool(pool_id)
        if self.s.store.group(pool_id, body["GroupName"]) is not None:
            raise e.GroupExistsException("A group with the name already exists.")
        now = self.s.clock.now()
        config = {k: body[k] for k in ("Description", "RoleArn", "Precedence") if k in body}
        group = {
            "pool_id": pool_id,
            "name": body["GroupName"],
            "config": config,
            "created": now,
            "modified": now,
        }
        self.s.store.add_group(group)
        return {"Group": self.group_type(group)}

    def op_GetGroup(self, body):
        self.s.pool(body["UserPoolId"])
        return {"Group": self.group_type(self._group(body["UserPoolId"], body["GroupName"]))}

    def op_ListGroups(self, body):
        self.s.pool(body["UserPoolId"])
        groups, token = _page(self.s.store.groups(body["UserPoolId"]), body, "Limit")
        result: dict[str, Any] = {"Groups": [self.group_type(g) for g in groups]}
        if token:
            result["NextToken"] = token
        return result

    def op_DeleteGroup(self, body):
        self.s.pool(body["UserPoolId"])
        self._group(body["UserPoolId"], body["GroupName"])
        self.s.store.delete_group(body["UserPoolId"], body["GroupName"])
        return {}

    def op_AdminAddUserToGroup(self, body):
        pool_id = body["UserPoolId"]
        self.s.pool(pool_id)
        self._group(pool_id, body["GroupName"])
        user = self.s.user(pool_id, body["Username"])
        self.s.store.add_member(pool_id, body["GroupName"], user["username"])
        return {}

    def op_AdminRemoveUserFromGroup(self, body):
        pool_id = body["UserPoolId"]
        self.s.pool(pool_id)
        self._group(pool_id, body["GroupName"])
        user = self.s.user(pool_id, body["Username"])
        self.s.store.remove_member(pool_id, body["GroupName"], user["username"])
        return {}

    def op_AdminListGroupsForUser(self, body):
        pool_id = body["UserPoolId"]
        self.s.pool(pool_id)
        user = self.s.user(pool_id, body["Username"])
        groups, token = _page(self.s.store.groups_of(pool_id, user["username"]), body, "Limit")
        result: dict[str, Any] = {"Groups": [self.group_type(g) for g in groups]}
        if token:
            result["NextToken"] = token
        return result

    def op_ListUsersInGroup(self, body):
        pool_id = body["UserPoolId"]
        self.s.pool(pool_id)
        self._group(pool_id, body["GroupName"])
        users, token = _page(self.s.store.members(pool_id, body["GroupName"]), body, "Limit")
        result: dict[str, Any] = {"Users": [self.s.user_type(u) for u in users]}
        if token:
            result["NextToken"] = token
        return result
