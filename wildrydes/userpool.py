"""The WildRydes user pool and its WildRydesWebApp app client: create, find, tune, delete.

Creating is idempotent (the pool is found again by its name and the kit's tag); tuning sets
the app client's token lifetimes for the expiry demo. Every update of the app client sends back
all the settings the client has (:func:`client_update`), because UpdateUserPoolClient resets any
setting it is not given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import botocore.exceptions

from wildrydes import render
from wildrydes.backend import pages
from wildrydes.errors import ResourceError, UsageError
from wildrydes.policy import PasswordPolicy
from wildrydes.verdicts import Check

__all__ = [
    "AUTH_FLOWS",
    "CLIENT_NAME",
    "MAX_TOKEN_MINUTES",
    "MIN_TOKEN_MINUTES",
    "POOL_NAME",
    "WORKSHOP_POLICY",
    "AppClient",
    "UserPool",
    "TokenValidity",
    "app_client_check",
    "client_update",
    "clients_named",
    "create_app_client",
    "create_user_pool",
    "delete_user_pool",
    "describe_pool",
    "find_kit_client",
    "find_kit_pool",
    "pool_check",
    "set_token_lifetimes",
    "srp_allowed",
    "token_validities",
]

POOL_NAME = "WildRydes"
CLIENT_NAME = "WildRydesWebApp"
KIT_TAG = {"wildrydes:kit": "module-2"}
#: Cognito's limits for id and access tokens (UpdateUserPoolClient: 5 minutes to 1 day).
MIN_TOKEN_MINUTES, MAX_TOKEN_MINUTES = 5, 24 * 60
AUTH_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
WORKSHOP_POLICY = PasswordPolicy(
    minimum_length=8,
    require_uppercase=True,
    require_lowercase=True,
    require_numbers=True,
    require_symbols=True,
)


@dataclass(frozen=True)
class UserPool:
    id: str
    arn: str
    name: str
    created: bool = False

    @property
    def region(self) -> str:
        """The region, read from the ARN the way the workshop teaches."""
        return self.arn.split(":")[3]

    def __str__(self) -> str:
        verb = "created" if self.created else "found"
        return (
            f"User pool {self.name} {verb}: Pool Id {self.id}, ARN {self.arn}, region {self.region}"
        )

    def _repr_html_(self) -> str:
        return render.settings(
            "User pool " + ("created" if self.created else "already there"),
            [("Pool Id", self.id), ("Pool ARN", self.arn), ("Region (from the ARN)", self.region)],
        )


@dataclass(frozen=True)
class AppClient:
    id: str
    name: str
    user_pool_id: str
    created: bool = False
    replaced_secret: bool = False

    def __str__(self) -> str:
        verb = "created" if self.created else "found"
        extra = " (replaced a client that had a secret)" if self.replaced_secret else ""
        return f"App client {self.name} {verb}: App client id {self.id}{extra}"

    def _repr_html_(self) -> str:
        rows = [("App client id", self.id), ("Client secret", "none (browsers cannot keep one)")]
        if self.replaced_secret:
            rows.append(("Note", "a client of this name had a secret; the kit replaced it"))
        title = "App client " + ("created" if self.created else "already there")
        return render.settings(title, rows)


# -- the rules `status` and `check` both judge with ----------------------------------------------
_NEXT_POOL = "run `wildrydes up` (or notebook 01)"
_NEXT_CLIENT = "run `wildrydes up` (or notebook 02)"


def pool_check(pool: dict[str, Any] | None, missing: str) -> Check:
    """The user pool exists (``missing``: what was seen when it does not)."""
    if pool:
        return Check("user pool", True, f"{pool['Id']} exists")
    return Check("user pool", False, missing, _NEXT_POOL)


def srp_allowed(client: dict[str, Any]) -> bool:
    """Whether the app client allows SRP sign-in.

    No flows listed, or only legacy names, means Cognito's defaults, which include SRP.
    """
    flows = client.get("ExplicitAuthFlows") or []
    return "ALLOW_USER_SRP_AUTH" in flows or not any(f.startswith("ALLOW_") for f in flows)


def app_client_check(client: dict[str, Any] | None, missing: str) -> Check:
    """The app client exists, has no secret and allows SRP (``missing``: what was seen)."""
    if client is None:
        return Check("app client", False, missing, _NEXT_CLIENT)
    problems = []
    if client.get("ClientSecret"):
        problems.append(
            "it has a client secret, which a browser cannot keep (make a client without one)"
        )
    if not srp_allowed(client):
        problems.append("it does not allow ALLOW_USER_SRP_AUTH (add it)")
    client_id = client["ClientId"]
    if problems:
        return Check(
            "app client",
            False,
            f"{client_id}: " + "; ".join(problems),
            "fix it, or " + _NEXT_CLIENT,
        )
    return Check("app client", True, f"{client_id} has no secret and allows SRP sign-in")


def _code(error: botocore.exceptions.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def describe_pool(cognito: Any, user_pool_id: str) -> dict[str, Any] | None:
    """DescribeUserPool, or None when the pool is gone."""
    try:
        pool: dict[str, Any] = cognito.describe_user_pool(UserPoolId=user_pool_id)["UserPool"]
        return pool
    except botocore.exceptions.ClientError as e:
        if _code(e) == "ResourceNotFoundException":
            return None
        raise


def _is_ours(pool: dict[str, Any]) -> bool:
    tags = pool.get("UserPoolTags") or {}
    return all(tags.get(k) == v for k, v in KIT_TAG.items())


def find_kit_pool(cognito: Any, known_id: str | None = None) -> dict[str, Any] | None:
    """The pool the kit made: the remembered id if it still exists, else by name and tag."""
    if known_id:
        pool = describe_pool(cognito, known_id)
        if pool and _is_ours(pool):
            return pool
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for summary in page["UserPools"]:
            if summary["Name"] == POOL_NAME:
                pool = describe_pool(cognito, summary["Id"])
                if pool and _is_ours(pool):
                    return pool
    return None


def create_user_pool(cognito: Any, known_id: str | None = None) -> UserPool:
    """Create the WildRydes pool with the workshop's settings, or return the one the kit made."""
    pool = find_kit_pool(cognito, known_id)
    created = pool is None
    if pool is None:
        pool = cognito.create_user_pool(
            PoolName=POOL_NAME,
            Policies={"PasswordPolicy": WORKSHOP_POLICY.as_api()},
            AutoVerifiedAttributes=["email"],
            Schema=[
                {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}
            ],
            VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_CODE"},
            UserPoolTags=dict(KIT_TAG),
        )["UserPool"]
    return UserPool(id=pool["Id"], arn=pool["Arn"], name=pool["Name"], created=created)


def clients_named(cognito: Any, user_pool_id: str, name: str) -> list[dict[str, Any]]:
    """Every app client of the pool with this name, described (secret and flows included)."""
    found = []
    for page in pages(
        cognito.list_user_pool_clients,
        ("NextToken", "NextToken"),
        UserPoolId=user_pool_id,
        MaxResults=60,
    ):
        for summary in page["UserPoolClients"]:
            if summary["ClientName"] == name:
                found.append(
                    cognito.describe_user_pool_client(
                        UserPoolId=user_pool_id, ClientId=summary["ClientId"]
                    )["UserPoolClient"]
                )
    return found


def find_kit_client(
    cognito: Any, user_pool_id: str, known_id: str | None = None
) -> dict[str, Any] | None:
    """The pool's WildRydesWebApp client: the remembered id if it still is one (one call),
    else the first found by name."""
    if known_id:
        try:
            client: dict[str, Any] = cognito.describe_user_pool_client(
                UserPoolId=user_pool_id, ClientId=known_id
            )["UserPoolClient"]
            if client.get("ClientName") == CLIENT_NAME:
                return client
        except botocore.exceptions.ClientError as e:
            if _code(e) != "ResourceNotFoundException":
                raise
    found = clients_named(cognito, user_pool_id, CLIENT_NAME)
    return found[0] if found else None


def create_app_client(cognito: Any, user_pool_id: str) -> AppClient:
    """The WildRydesWebApp client: no secret, SRP and refresh flows. Replaces one with a secret."""
    replaced = False
    for client in clients_named(cognito, user_pool_id, CLIENT_NAME):
        if client.get("ClientSecret"):
            cognito.delete_user_pool_client(UserPoolId=user_pool_id, ClientId=client["ClientId"])
            replaced = True
            continue
        if set(AUTH_FLOWS) - set(client.get("ExplicitAuthFlows") or []):
            flows = sorted(set(AUTH_FLOWS) | set(client.get("ExplicitAuthFlows") or []))
            cognito.update_user_pool_client(
                **client_update(cognito, client, ExplicitAuthFlows=flows)
            )
        return AppClient(client["ClientId"], CLIENT_NAME, user_pool_id, created=False)
    client = cognito.create_user_pool_client(
        UserPoolId=user_pool_id,
        ClientName=CLIENT_NAME,
        GenerateSecret=False,
        ExplicitAuthFlows=AUTH_FLOWS,
    )["UserPoolClient"]
    return AppClient(
        client["ClientId"], CLIENT_NAME, user_pool_id, created=True, replaced_secret=replaced
    )


def delete_user_pool(cognito: Any, user_pool_id: str) -> bool:
    """Delete the kit's pool (its clients and users go with it). Refuses a pool it did not make."""
    pool = describe_pool(cognito, user_pool_id)
    if pool is None:
        return False
    if not _is_ours(pool):
        raise ResourceError(
            f"User pool {user_pool_id} was not made by the kit (no {KIT_TAG} tag), so "
            "`wildrydes down` leaves it alone. Delete it in the Cognito console if you mean to."
        )
    cognito.delete_user_pool(UserPoolId=user_pool_id)
    return True


# -- the app client's settings: read them all, send them all back ---------------------------------
def client_update(cognito: Any, client: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """UpdateUserPoolClient's parameters for ``client`` (DescribeUserPoolClient's
    ``UserPoolClient``), with ``changes`` on top.

    "If you don't provide a value for an attribute, Amazon Cognito sets it to its default
    value" (API Reference, UpdateUserPoolClient), so every setting the client has is sent back.
    Which settings the update takes is read from the service model boto3 ships, not listed
    here: a setting AWS adds later (as it added AuthSessionValidity, RefreshTokenRotation and
    EnablePropagateAdditionalUserContextData) is kept too. Read-only fields (ClientSecret,
    CreationDate, ...) are not part of the update and are left out.
    """
    accepted = cognito.meta.service_model.operation_model("UpdateUserPoolClient").input_shape
    params = {k: v for k, v in client.items() if k in accepted.members}
    params.update(changes)
    return params


@dataclass(frozen=True)
class TokenValidity:
    """How long one kind of token of an app client lives: ``value`` ``unit``s."""

    value: int
    unit: str
    default: bool = False  # the client does not set it: Cognito's default applies

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.value == 1 and self.unit.endswith("s") else self.unit
        return f"{self.value} {unit}" + (" (Cognito's default)" if self.default else "")


# Cognito's defaults when an app client sets nothing (API Reference, UserPoolClientType:
# "your ID tokens are valid for one hour", access tokens the same, "your refresh tokens are
# valid for 30 days"; the default units are hours for id and access tokens, days for refresh).
_DEFAULT_VALIDITY = (
    ("id_token", "IdToken", 1, "hours"),
    ("access_token", "AccessToken", 1, "hours"),
    ("refresh_token", "RefreshToken", 30, "days"),
)


def token_validities(client: dict[str, Any]) -> dict[str, TokenValidity]:
    """How long the app client's id, access and refresh tokens live, defaults filled in.

    Keys: ``id_token``, ``access_token``, ``refresh_token``.
    """
    units = client.get("TokenValidityUnits") or {}
    found = {}
    for name, kind, default_value, default_unit in _DEFAULT_VALIDITY:
        value = client.get(f"{kind}Validity")
        if value:  # 0 or absent: Cognito's default (a refresh validity of 0 is read as 30 days)
            found[name] = TokenValidity(int(value), str(units.get(kind, default_unit)))
        else:
            found[name] = TokenValidity(default_value, default_unit, default=True)
    return found


def set_token_lifetimes(
    cognito: Any, user_pool_id: str, client_id: str, minutes: int
) -> dict[str, Any]:
    """Id and access tokens of this app client last ``minutes`` (Cognito allows 5 to 1440).

    UpdateUserPoolClient resets every setting it is not given, so the client's current
    settings are read first and sent back with the new validity (:func:`client_update`).
    """
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (MIN_TOKEN_MINUTES <= minutes <= MAX_TOKEN_MINUTES)
    ):
        raise UsageError(
            f"Token lifetime {minutes!r} is not allowed.",
            hint=f"pick whole minutes from {MIN_TOKEN_MINUTES} to {MAX_TOKEN_MINUTES} "
            "(Cognito's limits for id and access tokens).",
        )
    client = cognito.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]
    units = dict(client.get("TokenValidityUnits") or {})
    units.update(IdToken="minutes", AccessToken="minutes")
    units.setdefault("RefreshToken", "days")  # the refresh token's own default unit
    updated = cognito.update_user_pool_client(
        **client_update(
            cognito,
            client,
            IdTokenValidity=minutes,
            AccessTokenValidity=minutes,
            TokenValidityUnits=units,
        )
    )["UserPoolClient"]
    return {
        "id_token": f"{updated['IdTokenValidity']} {units['IdToken']}",
        "access_token": f"{updated['AccessTokenValidity']} {units['AccessToken']}",
    }
