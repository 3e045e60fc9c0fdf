"""Request parsing and validation, and response shaping, apart from the model.

Every operation the local Cognito does is listed in ``FIELDS`` with the members its request
may carry (API Reference, each operation's "Request Parameters"): the JSON type, whether it is
required, and its length limit. A request that breaks them gets InvalidParameterException in
Cognito's validation wording ("1 validation error detected: Value at 'username' failed to
satisfy constraint: ...") before the model sees it, so nothing is stored. Values are never
echoed back (one of them may be a password).
"""

from __future__ import annotations

import json
from typing import Any

from wildrydes.local.cognito import exceptions as e

__all__ = [
    "FIELDS",
    "parse",
    "shape",
]

# kind: s = string, i = integer, b = boolean, l = list of strings, a = attribute list,
# m = map of strings, d = object; a trailing "!" means required. A number is the maximum
# length of a string.
_POOL = {"UserPoolId": ("s!", 55)}
_CLIENT = {"ClientId": ("s!", 128)}
_USERNAME = {"Username": ("s!", 128)}
_TOKEN = {"AccessToken": ("s!", 4096)}
_META = {
    "ClientMetadata": ("m", 0),
    "AnalyticsMetadata": ("d", 0),
    "UserContextData": ("d", 0),
    "SecretHash": ("s", 128),
}
_CLIENT_SETTINGS = {
    "ClientName": ("s", 128),
    "GenerateSecret": ("b", 0),
    "RefreshTokenValidity": ("i", 0),
    "AccessTokenValidity": ("i", 0),
    "IdTokenValidity": ("i", 0),
    "TokenValidityUnits": ("m", 0),
    "ReadAttributes": ("l", 0),
    "WriteAttributes": ("l", 0),
    "ExplicitAuthFlows": ("l", 0),
    "SupportedIdentityProviders": ("l", 0),
    "CallbackURLs": ("l", 0),
    "LogoutURLs": ("l", 0),
    "DefaultRedirectURI": ("s", 1024),
    "AllowedOAuthFlows": ("l", 0),
    "AllowedOAuthScopes": ("l", 0),
    "AllowedOAuthFlowsUserPoolClient": ("b", 0),
    "PreventUserExistenceErrors": ("s", 16),
    "EnableTokenRevocation": ("b", 0),
    "AuthSessionValidity": ("i", 0),
    "EnablePropagateAdditionalUserContextData": ("b", 0),
    "AnalyticsConfiguration": ("d", 0),
}
_POOL_SETTINGS = {
    "Policies": ("d", 0),
    "LambdaConfig": ("d", 0),
    "AutoVerifiedAttributes": ("l", 0),
    "AliasAttributes": ("l", 0),
    "UsernameAttributes": ("l", 0),
    "VerificationMessageTemplate": ("d", 0),
    "EmailVerificationMessage": ("s", 20000),
    "EmailVerificationSubject": ("s", 140),
    "SmsVerificationMessage": ("s", 140),
    "MfaConfiguration": ("s", 8),
    "DeviceConfiguration": ("d", 0),
    "EmailConfiguration": ("d", 0),
    "SmsConfiguration": ("d", 0),
    "UserPoolTags": ("m", 0),
    "AdminCreateUserConfig": ("d", 0),
    "Schema": ("D", 0),
    "UserPoolAddOns": ("d", 0),
    "UsernameConfiguration": ("d", 0),
    "AccountRecoverySetting": ("d", 0),
    "DeletionProtection": ("s", 16),
    "UserAttributeUpdateSettings": ("d", 0),
    "SmsAuthenticationMessage": ("s", 140),
    "UserPoolTier": ("s", 16),
    "EmailMfaConfiguration": ("d", 0),
    "SignInPolicy": ("d", 0),
}
_PAGE = {"MaxResults": ("i", 0), "NextToken": ("s", 131072), "Limit": ("i", 0)}

FIELDS: dict[str, dict[str, tuple[str, int]]] = {
    "CreateUserPool": {"PoolName": ("s!", 128), **_POOL_SETTINGS},
    "DescribeUserPool": _POOL,
    "ListUserPools": {**_PAGE, "MaxResults": ("i!", 0)},
    "UpdateUserPool": {**_POOL, **_POOL_SETTINGS},
    "DeleteUserPool": _POOL,
    "TagResource": {"ResourceArn": ("s!", 2048), "Tags": ("m!", 0)},
    "UntagResource": {"ResourceArn": ("s!", 2048), "TagKeys": ("l!", 0)},
    "ListTagsForResource": {"ResourceArn": ("s!", 2048)},
    "CreateUserPoolClient": {**_POOL, **_CLIENT_SETTINGS, "ClientName": ("s!", 128)},
    "DescribeUserPoolClient": {**_POOL, **_CLIENT},
    "ListUserPoolClients": {**_POOL, **_PAGE},
    "UpdateUserPoolClient": {**_POOL, **_CLIENT, **_CLIENT_SETTINGS},
    "DeleteUserPoolClient": {**_POOL, **_CLIENT},
    "SignUp": {
        **_CLIENT,
        **_USERNAME,
        **_META,
        "Password": ("s!", 256),
        "UserAttributes": ("a", 0),
        "ValidationData": ("a", 0),
    },
    "ConfirmSignUp": {
        **_CLIENT,
        **_USERNAME,
        **_META,
        "ConfirmationCode": ("s!", 2048),
        "ForceAliasCreation": ("b", 0),
        "Session": ("s", 2048),
    },
    "ResendConfirmationCode": {**_CLIENT, **_USERNAME, **_META},
    "InitiateAuth": {
        **_CLIENT,
        **_META,
        "AuthFlow": ("s!", 64),
        "AuthParameters": ("m", 0),
        "Session": ("s", 2048),
    },
    "AdminInitiateAuth": {
        **_POOL,
        **_CLIENT,
        **_META,
        "AuthFlow": ("s!", 64),
        "AuthParameters": ("m", 0),
        "ContextData": ("d", 0),
        "Session": ("s", 2048),
    },
    "RespondToAuthChallenge": {
        **_CLIENT,
        **_META,
        "ChallengeName": ("s!", 64),
        "Session": ("s", 2048),
        "ChallengeResponses": ("m", 0),
    },
    "AdminRespondToAuthChallenge": {
        **_POOL,
        **_CLIENT,
        **_META,
        "ChallengeName": ("s!", 64),
        "Session": ("s", 2048),
        "ChallengeResponses": ("m", 0),
        "ContextData": ("d", 0),
    },
    "GetTokensFromRefreshToken": {
        **_CLIENT,
        "RefreshToken": ("s!", 131072),
        "ClientSecret": ("s", 64),
        "ClientMetadata": ("m", 0),
    },
    "GetUser": _TOKEN,
    "UpdateUserAttributes": {**_TOKEN, "UserAttributes": ("a!", 0), "ClientMetadata": ("m", 0)},
    "DeleteUserAttributes": {**_TOKEN, "UserAttributeNames": ("l!", 0)},
    "GetUserAttributeVerificationCode": {
        **_TOKEN,
        "AttributeName": ("s!", 32),
        "ClientMetadata": ("m", 0),
    },
    "VerifyUserAttribute": {**_TOKEN, "AttributeName": ("s!", 32), "Code": ("s!", 2048)},
    "ChangePassword": {**_TOKEN, "PreviousPassword": ("s!", 256), "ProposedPassword": ("s!", 256)},
    "ForgotPassword": {**_CLIENT, **_USERNAME, **_META},
    "ConfirmForgotPassword": {
        **_CLIENT,
        **_USERNAME,
        **_META,
        "Password": ("s!", 256),
        "ConfirmationCode": ("s!", 2048),
    },
    "DeleteUser": _TOKEN,
    "GlobalSignOut": _TOKEN,
    "RevokeToken": {**_CLIENT, "Token": ("s!", 131072), "ClientSecret": ("s", 64)},
    "AdminCreateUser": {
        **_POOL,
        **_USERNAME,
        "UserAttributes": ("a", 0),
        "ValidationData": ("a", 0),
        "TemporaryPassword": ("s", 256),
        "ForceAliasCreation": ("b", 0),
        "MessageAction": ("s", 8),
        "DesiredDeliveryMediums": ("l", 0),
        "ClientMetadata": ("m", 0),
    },
    "AdminGetUser": {**_POOL, **_USERNAME},
    "AdminConfirmSignUp": {**_POOL, **_USERNAME, "ClientMetadata": ("m", 0)},
    "AdminSetUserPassword": {**_POOL, **_USERNAME, "Password": ("s!", 256), "Permanent": ("b", 0)},
    "AdminResetUserPassword": {**_POOL, **_USERNAME, "ClientMetadata": ("m", 0)},
    "AdminEnableUser": {**_POOL, **_USERNAME},
    "AdminDisableUser": {**_POOL, **_USERNAME},
    "AdminDeleteUser": {**_POOL, **_USERNAME},
    "AdminUpdateUserAttributes": {
        **_POOL,
        **_USERNAME,
        "UserAttributes": ("a!", 0),
        "ClientMetadata": ("m", 0),
    },
    "AdminUserGlobalSignOut": {**_POOL, **_USERNAME},
    "ListUsers": {
        **_POOL,
        "AttributesToGet": ("l", 0),
        "Limit": ("i", 0),
        "PaginationToken": ("s", 131072),
        "Filter": ("s", 256),
    },
    "CreateGroup": {
        **_POOL,
        "GroupName": ("s!", 128),
        "Description": ("s", 2048),
        "RoleArn": ("s", 2048),
        "Precedence": ("i", 0),
    },
    "GetGroup": {**_POOL, "GroupName": ("s!", 128)},
    "ListGroups": {**_POOL, **_PAGE},
    "DeleteGroup": {**_POOL, "GroupName": ("s!", 128)},
    "AdminAddUserToGroup": {**_POOL, **_USERNAME, "GroupName": ("s!", 128)},
    "AdminRemoveUserFromGroup": {**_POOL, **_USERNAME, "GroupName": ("s!", 128)},
    "AdminListGroupsForUser": {**_POOL, **_USERNAME, **_PAGE},
    "ListUsersInGroup": {**_POOL, "GroupName": ("s!", 128), **_PAGE},
}
_TYPES = {"s": str, "i": int, "b": bool, "l": list, "a": list, "m": dict, "d": dict, "D": list}
_TYPE_WORDS = {
    "s": "a string",
    "i": "an integer",
    "b": "a boolean",
    "l": "a list",
    "a": "a list of attributes",
    "m": "a map",
    "d": "a structure",
    "D": "a list",
}
_USERNAME_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"


def _invalid(member: str, constraint: str) -> e.CognitoError:
    name = member[:1].lower() + member[1:]
    return e.InvalidParameterException(
        f"1 validation error detected: Value at '{name}' failed to satisfy constraint: {constraint}"
    )


def parse(operation: str, raw: bytes) -> dict[str, Any]:
    """The request body of ``operation``, checked against its members; raise otherwise."""
    if operation not in FIELDS:
        raise e.UnsupportedOperationException(
            f"The local backend does not do {operation}; it answers only the Cognito "
            "operations the workshop uses (see the README)."
        )
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise e.InvalidParameterException("The request body is not valid JSON.") from error
    if not isinstance(body, dict):
        raise e.InvalidParameterException("The request body must be a JSON object.")
    members = FIELDS[operation]
    for member, (kind, limit) in members.items():
        value = body.get(member)
        if value is None:
            if kind.endswith("!"):
                name = member[:1].lower() + member[1:]
                raise e.InvalidParameterException(
                    f"1 validation error detected: Value null at '{name}' failed to "
                    "satisfy constraint: Member must not be null"
                )
            continue
        if kind.startswith("m") and isinstance(value, dict):
            # SDKs send absent map entries as null (amazon-cognito-identity-js: DEVICE_KEY).
            value = body[member] = {k: v for k, v in value.items() if v is not None}
        _check(member, kind.rstrip("!"), limit, value)
    _clean_text(body)
    return {k: v for k, v in body.items() if k in members}


def _check(member: str, kind: str, limit: int, value: Any) -> None:
    wanted = _TYPES[kind]
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise _invalid(member, f"Member must be {_TYPE_WORDS[kind]}")
    if kind == "s":
        if member in ("Username", "Password", "ClientId", "UserPoolId") and not value:
            raise _invalid(member, "Member must have length greater than or equal to 1")
        if limit and len(value) > limit:
            raise _invalid(member, f"Member must have length less than or equal to {limit}")
        if member == "Username" and any(c.isspace() or not c.isprintable() for c in value):
            raise _invalid(
                member, f"Member must satisfy regular expression pattern: {_USERNAME_PATTERN}"
            )
    elif kind == "l" and not all(isinstance(v, str) for v in value):
        raise _invalid(member, "Member must be a list of strings")
    elif kind == "m" and not all(isinstance(v, str) for v in value.values()):
        raise _invalid(member, "Member must be a map of strings to strings")
    elif kind == "a":
        for item in value:
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("Name"), str)
                or not isinstance(item.get("Value", ""), str)
                or not item["Name"]
            ):
                raise _invalid(member, "Member must be a list of {Name, Value} strings")
            if len(item["Name"]) > 32:
                raise _invalid(member, "Member's Name must have length less than or equal to 32")


def _clean_text(value: Any, where: str = "request") -> None:
    """Refuse NUL and lone surrogates anywhere (they are not text Cognito accepts)."""
    if isinstance(value, str):
        if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise _invalid(where, "Member must not contain NUL or unpaired surrogate characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key, where)
            _clean_text(item, key if where == "request" else where)
    elif isinstance(value, list):
        for item in value:
            _clean_text(item, where)


def shape(result: dict[str, Any]) -> dict[str, Any]:
    """The response body: members without a value are left out, as AWS leaves them out."""
    return {k: v for k, v in result.items() if v is not None}
