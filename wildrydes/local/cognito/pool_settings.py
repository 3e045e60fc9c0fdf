"""A user pool's settings with the defaults Cognito fills in, as DescribeUserPool shows them.

Cognito stores a pool's settings with its defaults in place of what the request left out, on
CreateUserPool and again on UpdateUserPool ("If you don't provide a value for an attribute,
Amazon Cognito sets it to its default value", API Reference, UpdateUserPool):

- ``Policies.PasswordPolicy``: without ``Policies``, 8 characters and all four classes (API
  Reference, PasswordPolicyType; developer guide, "Adding user pool password requirements");
  ``TemporaryPasswordValidityDays`` 7 (PasswordPolicyType: "defaults to 7 days");
- ``AdminCreateUserConfig``: ``AllowAdminCreateUserOnly`` false, ``UnusedAccountValidityDays`` 7
  (AdminCreateUserConfigType);
- ``EmailConfiguration``: ``EmailSendingAccount`` COGNITO_DEFAULT (EmailConfigurationType);
- ``VerificationMessageTemplate``: ``DefaultEmailOption`` CONFIRM_WITH_CODE
  (VerificationMessageTemplateType), its ``EmailMessage``/``EmailSubject`` mirrored in the older
  ``EmailVerificationMessage``/``EmailVerificationSubject`` (CreateUserPool: "This parameter is
  no longer used", but DescribeUserPool still returns it) and the other way round;
- ``DeletionProtection`` INACTIVE, ``UserPoolTier`` ESSENTIALS (CreateUserPool), empty
  ``LambdaConfig`` and ``UserAttributeUpdateSettings``, ``MfaConfiguration`` OFF.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from wildrydes.local.cognito import exceptions as e

__all__ = [
    "DEFAULT_PASSWORD_POLICY",
    "check_mfa",
    "check_supported",
    "with_defaults",
]

DEFAULT_PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
_DEFAULTS: dict[str, Any] = {
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
    "DeletionProtection": "INACTIVE",
    "UserPoolTier": "ESSENTIALS",
    "MfaConfiguration": "OFF",
    "LambdaConfig": {},
    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},
}
# The older verification members and the template's members they mirror.
_LEGACY = (
    ("EmailVerificationMessage", "EmailMessage"),
    ("EmailVerificationSubject", "EmailSubject"),
)


def with_defaults(given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` (a Create/UpdateUserPool body's settings) with Cognito's defaults filled in."""
    config = copy.deepcopy(dict(given))
    for name, default in _DEFAULTS.items():
        if isinstance(default, dict):
            config[name] = {**copy.deepcopy(default), **(config.get(name) or {})}
        else:
            config.setdefault(name, default)
    policies = config.setdefault("Policies", {})
    if "PasswordPolicy" in policies:
        policies["PasswordPolicy"].setdefault("TemporaryPasswordValidityDays", 7)
    else:
        policies["PasswordPolicy"] = dict(DEFAULT_PASSWORD_POLICY)
    template = config["VerificationMessageTemplate"]
    for legacy, member in _LEGACY:
        if member in template:
            config[legacy] = template[member]
        elif legacy in config:
            template[member] = config[legacy]
    if "UnusedAccountValidityDays" not in (given.get("AdminCreateUserConfig") or {}):
        # AdminCreateUserConfigType: UnusedAccountValidityDays "is no longer in use"; the
        # password policy's TemporaryPasswordValidityDays is the one in effect, shown in both.
        days = policies["PasswordPolicy"]["TemporaryPasswordValidityDays"]
        config["AdminCreateUserConfig"]["UnusedAccountValidityDays"] = days
    return config


def check_mfa(given: Mapping[str, Any]) -> None:
    """MfaConfiguration: OFF, ON or OPTIONAL (API Reference, CreateUserPool). The local backend
    has no MFA, so it refuses ON and OPTIONAL rather than store a setting it would not honour."""
    mfa = given.get("MfaConfiguration", "OFF")
    if mfa not in ("OFF", "ON", "OPTIONAL"):
        raise e.InvalidParameterException(
            f"1 validation error detected: Value '{mfa}' at 'mfaConfiguration' failed to "
            "satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
        )
    if mfa != "OFF":
        raise e.InvalidParameterException(
            f"MfaConfiguration {mfa} needs MFA, which the local backend does not do; "
            "leave it OFF here (the workshop's pool has MFA off)."
        )


def _unsupported(setting: str, why: str) -> e.CognitoError:
    return e.InvalidParameterException(
        f"{setting} is not supported by the local backend ({why}); leave it out here, and "
        "try it against real Cognito (WILDRYDES_BACKEND=aws)."
    )


def check_supported(given: Mapping[str, Any]) -> None:
    """Refuse settings the local backend would otherwise store and ignore: Lambda triggers,
    phone verification (no SMS), verification by link (no hosted domain), advanced security.
    Cognito answers InvalidParameterException for settings a pool cannot use; so does this."""
    if any(given.get("LambdaConfig") or {}):
        raise _unsupported("LambdaConfig", "it runs no Lambda triggers")
    if "phone_number" in (given.get("AutoVerifiedAttributes") or []):
        raise _unsupported("AutoVerifiedAttributes phone_number", "it sends no SMS")
    template = given.get("VerificationMessageTemplate") or {}
    if template.get("DefaultEmailOption") == "CONFIRM_WITH_LINK":
        raise _unsupported("DefaultEmailOption CONFIRM_WITH_LINK", "it has no hosted domain")
    mode = (given.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF")
    if mode != "OFF":
        raise _unsupported(f"AdvancedSecurityMode {mode}", "it has no threat protection")
    if "phone_number" in (
        (given.get("UserAttributeUpdateSettings") or {}).get(
            "AttributesRequireVerificationBeforeUpdate"
        )
        or []
    ):
        raise _unsupported("verifying phone_number before update", "it sends no SMS")
