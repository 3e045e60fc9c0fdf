"""A user pool's attribute schema: checked as Cognito checks it, and described as it describes it.

From the API Reference, SchemaAttributeType (AttributeDataType String, Number, DateTime or
Boolean; DeveloperOnlyAttribute; Mutable; Required; the string and number constraints) and
CreateUserPool (Schema), and the developer guide, "Working with user attributes" (the standard
attributes: ``email_verified`` and ``phone_number_verified`` Boolean, ``updated_at`` Number,
``sub`` 1 to 2048 characters, ``birthdate`` 10 characters, the others strings of up to 2048).

Refused with InvalidParameterException, as Cognito refuses them: an unknown data type, a custom
attribute without one, a required custom attribute ("Required custom attributes are not
supported currently."), a standard attribute given another type, a string length over 2048,
and a minimum above the maximum. A custom attribute is described with Cognito's defaults:
``custom:<name>`` (``dev:custom:<name>`` when developer-only), mutable unless said otherwise,
not required, and only the constraints of its own type.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from wildrydes.local.cognito import exceptions as e

__all__ = [
    "DATA_TYPES",
    "STANDARD_NAMES",
    "STANDARD_SCHEMA",
    "check_schema",
    "custom_name",
    "described_schema",
]

DATA_TYPES = ("String", "Number", "DateTime", "Boolean")
MAX_STRING = 2048


def _standard(name: str, kind: str = "String", **constraints: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "Name": name,
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": False,
        "Mutable": name != "sub",
        "Required": name == "sub",
    }
    if kind == "String":
        item["StringAttributeConstraints"] = {"MinLength": "0", "MaxLength": "2048", **constraints}
    elif kind == "Number":
        item["NumberAttributeConstraints"] = dict(constraints)
    return item


STANDARD_SCHEMA: tuple[dict[str, Any], ...] = (
    _standard("sub", MinLength="1"),
    *(
        _standard(name)
        for name in (
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "email",
        )
    ),
    _standard("email_verified", "Boolean"),
    _standard("gender"),
    _standard("birthdate", MinLength="10", MaxLength="10"),
    _standard("zoneinfo"),
    _standard("locale"),
    _standard("phone_number"),
    _standard("phone_number_verified", "Boolean"),
    _standard("address"),
    _standard("updated_at", "Number", MinValue="0"),
)
_STANDARD = {item["Name"]: item for item in STANDARD_SCHEMA}
STANDARD_NAMES = frozenset(_STANDARD)


def custom_name(item: Mapping[str, Any]) -> str:
    """The name Cognito gives a custom attribute: ``custom:<name>`` or, developer-only,
    ``dev:custom:<name>``."""
    base = "custom:" + str(item.get("Name", "")).removeprefix("custom:")
    return f"dev:{base}" if item.get("DeveloperOnlyAttribute") else base


def _invalid(name: str, why: str) -> e.CognitoError:
    return e.InvalidParameterException(f"Invalid schema attribute {name}: {why}")


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _check_constraints(name: str, item: Mapping[str, Any]) -> None:
    strings = item.get("StringAttributeConstraints") or {}
    low, high = _number(strings.get("MinLength", 0)), _number(strings.get("MaxLength", 0))
    if low is None or high is None:
        raise _invalid(name, "string lengths must be numbers.")
    if high > MAX_STRING or low > MAX_STRING:
        raise _invalid(name, f"string lengths can be at most {MAX_STRING}.")
    if "MaxLength" in strings and low > high:
        raise _invalid(name, "MinLength is greater than MaxLength.")
    numbers = item.get("NumberAttributeConstraints") or {}
    low, high = _number(numbers.get("MinValue", 0)), _number(numbers.get("MaxValue", 0))
    if low is None or high is None:
        raise _invalid(name, "number bounds must be numbers.")
    if "MinValue" in numbers and "MaxValue" in numbers and low > high:
        raise _invalid(name, "MinValue is greater than MaxValue.")


def check_schema(items: Iterable[Mapping[str, Any]]) -> None:
    """Refuse a Schema (CreateUserPool) or CustomAttributes (AddCustomAttributes) item Cognito
    refuses."""
    for item in items:
        name = str(item.get("Name") or "")
        if not name:
            raise e.InvalidParameterException("A schema attribute needs a Name.")
        kind = item.get("AttributeDataType")
        if kind is not None and kind not in DATA_TYPES:
            raise e.InvalidParameterException(
                f"1 validation error detected: Value '{kind}' at 'schema.member.attributeDataType' "
                f"failed to satisfy constraint: Member must satisfy enum value set: "
                f"[{', '.join(DATA_TYPES)}]"
            )
        standard = _STANDARD.get(name)
        if standard is not None:
            if kind is not None and kind != standard["AttributeDataType"]:
                raise _invalid(
                    name, f"a standard attribute of type {standard['AttributeDataType']}."
                )
        else:
            if kind is None:
                raise _invalid(name, "a custom attribute needs an AttributeDataType.")
            if item.get("Required"):
                raise e.InvalidParameterException(
                    "Required custom attributes are not supported currently."
                )
        _check_constraints(name, item)


def described_schema(given: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """SchemaAttributes as DescribeUserPool lists them: every standard attribute (with what the
    pool's Schema changed), then the custom ones with Cognito's defaults."""
    standard = {name: copy.deepcopy(item) for name, item in _STANDARD.items()}
    custom = []
    for item in given:
        name = str(item.get("Name", ""))
        if name in standard:
            standard[name].update({k: v for k, v in item.items() if k != "Name"})
            continue
        kind = item.get("AttributeDataType", "String")
        described: dict[str, Any] = {
            "Name": custom_name(item),
            "AttributeDataType": kind,
            "DeveloperOnlyAttribute": bool(item.get("DeveloperOnlyAttribute", False)),
            "Mutable": bool(item.get("Mutable", True)),
            "Required": False,
        }
        if kind == "String":
            described["StringAttributeConstraints"] = dict(
                item.get("StringAttributeConstraints") or {}
            )
        elif kind == "Number":
            described["NumberAttributeConstraints"] = dict(
                item.get("NumberAttributeConstraints") or {}
            )
        custom.append(described)
    return [*standard.values(), *custom]
