"""An app client's settings, checked as Cognito checks them before it stores them.

Token validities (API Reference, TokenValidityUnitsType: "AccessTokenValidity duration can range
from five minutes to one day", the same for IdTokenValidity, "RefreshTokenValidity duration can
range from 60 minutes to 10 years"; units seconds, minutes, hours or days). A value outside its
range is refused with Cognito's words, "Invalid range for token validity." Also refresh token
rotation (:func:`check_rotation`) and the sign-in flows a client allows, the older names
included (:func:`allowed_flows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wildrydes.local.cognito import exceptions as e

__all__ = [
    "DEFAULT_VALIDITY",
    "TOKEN_KINDS",
    "UNIT_SECONDS",
    "RANGE_MESSAGE",
    "VALIDITY_RANGES",
    "DEFAULT_FLOWS",
    "allowed_flows",
    "check_flows",
    "check_rotation",
    "check_session_validity",
    "check_writable",
    "readable",
    "session_seconds",
    "check_validities",
    "validity_seconds",
]

TOKEN_KINDS = ("AccessToken", "IdToken", "RefreshToken")
# Cognito's defaults when a client sets nothing (API Reference, CreateUserPoolClient: access
# and id tokens 60 minutes, refresh tokens 30 days; TokenValidityUnitsType: default units
# hours, hours, days).
DEFAULT_VALIDITY = {
    "AccessToken": (1, "hours"),
    "IdToken": (1, "hours"),
    "RefreshToken": (30, "days"),
}
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
VALIDITY_RANGES = {  # seconds, inclusive (API Reference, TokenValidityUnitsType)
    "AccessToken": (5 * 60, 86400),
    "IdToken": (5 * 60, 86400),
    "RefreshToken": (60 * 60, 3650 * 86400),
}
RANGE_MESSAGE = "Invalid range for token validity."


def _unit(config: Mapping[str, Any], kind: str) -> str:
    return str((config.get("TokenValidityUnits") or {}).get(kind) or DEFAULT_VALIDITY[kind][1])


def validity_seconds(config: Mapping[str, Any], kind: str) -> int:
    """How long a client's ``kind`` token (AccessToken, IdToken, RefreshToken) lives; a value
    left out (or 0, as Cognito reads it) is the default."""
    default_value, _ = DEFAULT_VALIDITY[kind]
    value = config.get(f"{kind}Validity") or default_value
    return int(value) * UNIT_SECONDS.get(_unit(config, kind), 3600)


def check_validities(config: Mapping[str, Any]) -> None:
    """Refuse unknown units and validities outside Cognito's ranges."""
    units = config.get("TokenValidityUnits") or {}
    for kind, unit in units.items():
        if kind not in TOKEN_KINDS:
            raise e.InvalidParameterException(
                f"1 validation error detected: Value at 'tokenValidityUnits' failed to satisfy "
                f"constraint: Member must have only the keys {', '.join(TOKEN_KINDS)}"
            )
        if unit not in UNIT_SECONDS:
            name = kind[:1].lower() + kind[1:]
            raise e.InvalidParameterException(
                f"1 validation error detected: Value '{unit}' at 'tokenValidityUnits.{name}' "
                "failed to satisfy constraint: Member must satisfy enum value set: "
                "[seconds, minutes, hours, days]"
            )
    for kind in TOKEN_KINDS:
        value = config.get(f"{kind}Validity")
        if not value:
            continue  # left out or 0: the default, as DescribeUserPoolClient reads it back
        low, high = VALIDITY_RANGES[kind]
        if not low <= int(value) * UNIT_SECONDS[_unit(config, kind)] <= high:
            raise e.InvalidParameterException(RANGE_MESSAGE)


def check_rotation(config: Mapping[str, Any]) -> None:
    """RefreshTokenRotation as API Reference, RefreshTokenRotationType has it: ``Feature``
    ENABLED or DISABLED (required), ``RetryGracePeriodSeconds`` 0 to 60."""
    rotation = config.get("RefreshTokenRotation")
    if rotation is None:
        return
    feature = rotation.get("Feature")
    if feature is None:
        raise e.InvalidParameterException(
            "1 validation error detected: Value null at 'refreshTokenRotation.feature' failed "
            "to satisfy constraint: Member must not be null"
        )
    if feature not in ("ENABLED", "DISABLED"):
        raise e.InvalidParameterException(
            f"1 validation error detected: Value '{feature}' at 'refreshTokenRotation.feature' "
            "failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"
        )
    grace = rotation.get("RetryGracePeriodSeconds", 0)
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= 60:
        raise e.InvalidParameterException(
            f"1 validation error detected: Value '{grace}' at "
            "'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: "
            "Member must have value between 0 and 60"
        )


# Cognito's app client default when ExplicitAuthFlows is not set (API Reference,
# CreateUserPoolClient, ExplicitAuthFlows).
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
_CURRENT_FLOWS = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
)
# The older names (API Reference, CreateUserPoolClient, ExplicitAuthFlows: "Flow names without
# the ALLOW_ prefix are no longer supported in favor of new names with the ALLOW_ prefix",
# still accepted; ALLOW_ADMIN_USER_PASSWORD_AUTH "replaces the ADMIN_NO_SRP_AUTH setting").
# A client with the older names always allowed SRP and refresh tokens, except
# CUSTOM_AUTH_FLOW_ONLY, which allows custom authentication alone.
LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}


def check_flows(config: Mapping[str, Any]) -> None:
    """Refuse unknown flow names, and the older names mixed with ALLOW_ ones ("Note that
    values with ALLOW_ prefix must be used only along with values including the ALLOW_
    prefix", API Reference, CreateUserPoolClient)."""
    flows = config.get("ExplicitAuthFlows") or []
    for flow in flows:
        if flow not in _CURRENT_FLOWS and flow not in LEGACY_FLOWS:
            raise e.InvalidParameterException(
                f"1 validation error detected: Value '[{', '.join(flows)}]' at "
                "'explicitAuthFlows' failed to satisfy constraint: Member must satisfy "
                f"constraint: [Member must satisfy enum value set: "
                f"[{', '.join(sorted((*_CURRENT_FLOWS, *LEGACY_FLOWS)))}]]"
            )
    if any(f in LEGACY_FLOWS for f in flows) and any(f.startswith("ALLOW_") for f in flows):
        raise e.InvalidParameterException(
            "ExplicitAuthFlows can't mix values that begin with ALLOW_ with the older names "
            f"({', '.join(LEGACY_FLOWS)}); use the ALLOW_ names only."
        )


def allowed_flows(config: Mapping[str, Any]) -> frozenset[str]:
    """The ALLOW_ flows a client's ExplicitAuthFlows enable, the older names read as Cognito
    reads them."""
    flows = config.get("ExplicitAuthFlows") or DEFAULT_FLOWS
    if not any(f in LEGACY_FLOWS for f in flows):
        return frozenset(flows)
    allowed = {LEGACY_FLOWS[f] for f in flows if f in LEGACY_FLOWS}
    allowed.add("ALLOW_REFRESH_TOKEN_AUTH")
    if "CUSTOM_AUTH_FLOW_ONLY" not in flows:
        allowed.add("ALLOW_USER_SRP_AUTH")
    return frozenset(allowed)


def check_session_validity(config: Mapping[str, Any]) -> None:
    """AuthSessionValidity: 3 to 15 minutes (API Reference, CreateUserPoolClient)."""
    minutes = config.get("AuthSessionValidity")
    if minutes is not None and not 3 <= minutes <= 15:
        raise e.InvalidParameterException(
            f"1 validation error detected: Value '{minutes}' at 'authSessionValidity' failed "
            "to satisfy constraint: Member must have value between 3 and 15"
        )


def session_seconds(config: Mapping[str, Any]) -> int:
    """How long a sign-in's session (an SRP challenge, NEW_PASSWORD_REQUIRED) may be answered:
    the client's AuthSessionValidity, in minutes, 3 by default."""
    return int(config.get("AuthSessionValidity") or 3) * 60


def check_writable(config: Mapping[str, Any], names: Iterable[str]) -> None:
    """WriteAttributes (API Reference, CreateUserPoolClient): a client that lists them may write
    only those; unset, every attribute the schema lets users write."""
    allowed = config.get("WriteAttributes")
    if allowed is not None and any(name not in allowed for name in names):
        raise e.NotAuthorizedException("A client attempted to write unauthorized attribute")


def readable(config: Mapping[str, Any], attributes: Mapping[str, str]) -> dict[str, str]:
    """ReadAttributes (API Reference, CreateUserPoolClient): a client that lists them reads
    only those (``sub`` always); unset, every attribute."""
    allowed = config.get("ReadAttributes")
    if allowed is None:
        return dict(attributes)
    return {k: v for k, v in attributes.items() if k in allowed or k == "sub"}
