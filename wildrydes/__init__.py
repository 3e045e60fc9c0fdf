"""Wild Rydes module 2: user authentication with Amazon Cognito user pools, step by step.

The kit's entry points, by workshop step::

    wildrydes.up()  wildrydes.status()  wildrydes.down()   # "Launch Module 2", as three calls
    kit = wildrydes.current()                               # the pool and client `up` made
    wildrydes.register(kit, email, password) ... sign_in(kit, email, password)
    wildrydes.verify_token(kit, token)                      # one verdict per check
    wildrydes.check(email=..., password=...)                # "Implementation Validation"

They load on first use, so ``import wildrydes.errors`` stays cheap (the embedded backend's
server imports it without the client side).
"""

from __future__ import annotations

import importlib
from typing import Any

from wildrydes.errors import (
    AuthError,
    ConfigurationError,
    PasswordPolicyError,
    ResourceError,
    SrpError,
    TokenError,
    UsageError,
    WildRydesError,
)

__version__ = "0.1.0"

_ENTRY_POINTS = {
    # the kit and its launch
    "Kit": "wildrydes.kit",
    "current": "wildrydes.kit",
    "up": "wildrydes.launch",
    "status": "wildrydes.launch",
    "down": "wildrydes.launch",
    "check": "wildrydes.validation",
    # verdicts
    "Check": "wildrydes.verdicts",
    "Report": "wildrydes.verdicts",
    # the learner's steps
    "register": "wildrydes.accounts",
    "confirm": "wildrydes.accounts",
    "sign_in": "wildrydes.accounts",
    "refresh": "wildrydes.accounts",
    "sign_out": "wildrydes.accounts",
    "verify_token": "wildrydes.accounts",
    # tokens
    "decode": "wildrydes.tokens",
    "verify": "wildrydes.tokens",
}

__all__ = [
    # entry points
    "Check",
    "Kit",
    "Report",
    "check",
    "confirm",
    "current",
    "decode",
    "down",
    "refresh",
    "register",
    "sign_in",
    "sign_out",
    "status",
    "up",
    "verify",
    "verify_token",
    # errors
    "AuthError",
    "ConfigurationError",
    "PasswordPolicyError",
    "ResourceError",
    "SrpError",
    "TokenError",
    "UsageError",
    "WildRydesError",
]


def __getattr__(name: str) -> Any:
    module = _ENTRY_POINTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wildrydes' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_ENTRY_POINTS])
