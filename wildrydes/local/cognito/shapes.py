"""Response shaping: the API Reference's types (UserPoolType, UserType, ...) from stored rows.

Members without a value are left out later, by :func:`.responses.shape`, as AWS leaves them out.
"""

from __future__ import annotations

from typing import Any

from wildrydes.local.cognito.schema import described_schema
from wildrydes.local.cognito.store import Row, Store

__all__ = [
    "ACCOUNT_ID",
    "attribute_list",
    "client_type",
    "group_type",
    "pool_arn",
    "pool_type",
    "user_type",
]

ACCOUNT_ID = "123456789012"


def pool_arn(pool: Row) -> str:
    return f"arn:aws:cognito-idp:{pool['region']}:{ACCOUNT_ID}:userpool/{pool['id']}"


def pool_type(store: Store, pool: Row) -> dict[str, Any]:
    """UserPoolType: the settings as given, the full schema, and what Cognito adds."""
    config = pool["config"]
    schema = described_schema(config.get("Schema") or [])
    result = {k: v for k, v in config.items() if k not in ("Schema", "UserPoolTags")}
    result.update(
        {
            "Id": pool["id"],
            "Name": pool["name"],
            "Arn": pool_arn(pool),
            "CreationDate": pool["created"],
            "LastModifiedDate": pool["modified"],
            "SchemaAttributes": schema,
            "UserPoolTags": pool["tags"],
            "EstimatedNumberOfUsers": store.count_users(pool["id"]),
            "MfaConfiguration": config.get("MfaConfiguration", "OFF"),
            "Status": "Enabled",
        }
    )
    return result


def client_type(client: Row) -> dict[str, Any]:
    """UserPoolClientType: the client's settings and its ids and dates."""
    return {
        **client["config"],
        "UserPoolId": client["pool_id"],
        "ClientId": client["id"],
        "CreationDate": client["created"],
        "LastModifiedDate": client["modified"],
    }


def group_type(group: Row) -> dict[str, Any]:
    """GroupType."""
    return {
        **group["config"],
        "GroupName": group["name"],
        "UserPoolId": group["pool_id"],
        "CreationDate": group["created"],
        "LastModifiedDate": group["modified"],
    }


def attribute_list(store: Store, pool_id: str, username: str) -> list[dict[str, str]]:
    """A user's attributes as AttributeType: ``[{"Name": n, "Value": v}, ...]``."""
    return [{"Name": k, "Value": v} for k, v in store.attributes(pool_id, username).items()]


def user_type(store: Store, user: Row, attributes_key: str = "Attributes") -> dict[str, Any]:
    """UserType (AdminGetUser names the attributes member ``UserAttributes``)."""
    return {
        "Username": user["username"],
        attributes_key: attribute_list(store, user["pool_id"], user["username"]),
        "UserCreateDate": user["created"],
        "UserLastModifiedDate": user["modified"],
        "Enabled": bool(user["enabled"]),
        "UserStatus": user["status"],
    }
