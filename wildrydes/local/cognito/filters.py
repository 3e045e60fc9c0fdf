"""ListUsers' filter: ``name = "value"`` (exact) or ``name ^= "value"`` (starts with).

The API Reference's rules (ListUsers, Filter): the value is in double quotes (inner quotes
escaped with a backslash); only the standard attributes listed in :data:`FILTERABLE` are
searchable (custom attributes are not); ``cognito:user_status`` ("called Status in the
console") is compared case-insensitively; ``status`` ("called Enabled in the console") is
``Enabled`` or ``Disabled``. An empty filter string lists every user (the caller skips it).
Anything else (unquoted, an empty value, another operator, a non-searchable name) is
InvalidParameterException.
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
    if not match or not match.group(3):
        raise e.InvalidParameterException("Error while parsing filter.")
    if match.group(1) not in FILTERABLE:
        raise e.InvalidParameterException(
            f"Invalid search attribute: {match.group(1)}; ListUsers searches only "
            f"{', '.join(sorted(FILTERABLE))}."
        )
    name, operator, value = match.group(1), match.group(2), re.sub(r"\\(.)", r"\1", match.group(3))
    fold = name == "cognito:user_status"  # case-insensitive, as documented
    if fold:
        value = value.upper()

    def keep(user: Row, attributes: Mapping[str, str]) -> bool:
        actual = {
            "username": user["username"],
            "cognito:user_status": user["status"],
            "status": "Enabled" if user["enabled"] else "Disabled",
        }.get(name, attributes.get(name))
        if actual is None:
            return False
        if fold:
            actual = str(actual).upper()
        return bool(actual == value) if operator == "=" else str(actual).startswith(value)

    return keep
