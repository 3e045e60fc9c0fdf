"""ListUsers' filter: ``name = "value"`` (exact) or ``name ^= "value"`` (starts with).

The names it may search are the API Reference's (ListUsers, Filter).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.store import Row

__all__ = [
    "FILTERABLE",
    "Keep",
    "user_filter",
]

_FILTER = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$')
FILTERABLE = frozenset(
    {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }
)
Keep = Callable[[Row, Mapping[str, str]], bool]  # (user, attributes) -> listed?


def user_filter(expression: str) -> Keep:
    """Whether a user (and its attributes) matches ``expression``; a filter Cognito could not
    parse is InvalidParameterException."""
    match = _FILTER.match(expression)
    if not match or match.group(1) not in FILTERABLE:
        raise e.InvalidParameterException("Error while parsing filter.")
    name, operator, value = match.group(1), match.group(2), re.sub(r"\\(.)", r"\1", match.group(3))

    def keep(user: Row, attributes: Mapping[str, str]) -> bool:
        actual = {
            "username": user["username"],
            "cognito:user_status": user["status"],
            "status": "Enabled" if user["enabled"] else "Disabled",
        }.get(name, attributes.get(name))
        if actual is None:
            return False
        return bool(actual == value) if operator == "=" else str(actual).startswith(value)

    return keep
