"""The user pool's password policy, checked the way Cognito words it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "SYMBOLS",
    "PasswordPolicy",
    "check_rules",
    "cognito_messages",
]

# The characters Cognito counts as symbols (Amazon Cognito developer guide, "Password
# requirements"); a space that is neither leading nor trailing counts too.
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")

_PREFIX = "Password did not conform with policy: "


@dataclass(frozen=True)
class PasswordPolicy:
    """The rules of a user pool's password policy (Cognito's PasswordPolicyType)."""

    minimum_length: int = 8
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True

    @classmethod
    def from_pool(cls, pool_policies: dict[str, Any] | None) -> PasswordPolicy:
        """Read it from DescribeUserPool's ``UserPool["Policies"]``."""
        policy = (pool_policies or {}).get("PasswordPolicy", {})
        return cls(
            minimum_length=int(policy.get("MinimumLength", 8)),
            require_uppercase=bool(policy.get("RequireUppercase", False)),
            require_lowercase=bool(policy.get("RequireLowercase", False)),
            require_numbers=bool(policy.get("RequireNumbers", False)),
            require_symbols=bool(policy.get("RequireSymbols", False)),
        )

    def as_api(self) -> dict[str, Any]:
        """The policy as CreateUserPool's ``Policies["PasswordPolicy"]``."""
        return {
            "MinimumLength": self.minimum_length,
            "RequireUppercase": self.require_uppercase,
            "RequireLowercase": self.require_lowercase,
            "RequireNumbers": self.require_numbers,
            "RequireSymbols": self.require_symbols,
        }


def _has_symbol(password: str) -> bool:
    inner = password[1:-1]
    return any(c in SYMBOLS for c in password) or " " in inner


def check_rules(password: str, policy: PasswordPolicy) -> list[tuple[str, bool]]:
    """Each rule of the policy with whether the password meets it, in Cognito's order."""
    rules = [
        (f"at least {policy.minimum_length} characters", len(password) >= policy.minimum_length)
    ]
    if policy.require_uppercase:
        rules.append(("an uppercase letter", any(c.isupper() for c in password)))
    if policy.require_lowercase:
        rules.append(("a lowercase letter", any(c.islower() for c in password)))
    if policy.require_numbers:
        rules.append(("a number", any(c.isdigit() for c in password)))
    if policy.require_symbols:
        rules.append(("a symbol", _has_symbol(password)))
    return rules


_COGNITO_WORDS = {
    "characters": "Password not long enough",
    "an uppercase letter": "Password must have uppercase characters",
    "a lowercase letter": "Password must have lowercase characters",
    "a number": "Password must have numeric characters",
    "a symbol": "Password must have symbol characters",
}


def cognito_messages(password: str, policy: PasswordPolicy) -> list[str]:
    """Cognito's InvalidPasswordException message for every rule the password misses."""
    messages = []
    for rule, ok in check_rules(password, policy):
        if not ok:
            key = "characters" if rule.endswith("characters") else rule
            messages.append(_PREFIX + _COGNITO_WORDS[key])
    return messages
