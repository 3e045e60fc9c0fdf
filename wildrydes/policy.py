"""The user pool's password policy, checked the way Cognito words it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "PASSWORD_ENV",
    "SYMBOLS",
    "PasswordPolicy",
    "check_rules",
    "NO_OUTER_SPACE",
    "OUTER_SPACE_REFUSAL",
    "cognito_messages",
    "missing_rules",
    "rule_words",
]

#: Where headless runs (papermill, CI, the CLI without a terminal) find the learner's password;
#: it is never an argument or a papermill parameter.
PASSWORD_ENV = "WILDRYDES_PASSWORD"  # noqa: S105 - the variable's name, not a password

# The characters Cognito counts as symbols, the one list the kit, its embedded Cognito and the
# website (through the generated js/kit-words.js) all use. Amazon Cognito developer guide,
# "Adding user pool password requirements"
# (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html):
#   ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -
# and the space, which counts as a symbol when it is neither leading nor trailing (a password
# cannot start or end with one). tests/unit/test_next_steps.py checks this set against that list.
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")

_PREFIX = "Password did not conform with policy: "
# Cognito refuses a space at either end before it looks at the policy (PasswordType has the
# pattern [\S]+.*[\S]+), in these words; the kit counts it as one more rule.
NO_OUTER_SPACE = "no space at the start or end"
OUTER_SPACE_REFUSAL = _PREFIX + "Password must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"


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


def rule_words(policy: PasswordPolicy) -> dict[str, str]:
    """Each rule's words, by the key the website uses: length, upper, lower, number, symbol."""
    return {
        "length": f"at least {policy.minimum_length} characters",
        "upper": "an uppercase letter",
        "lower": "a lowercase letter",
        "number": "a number",
        "symbol": "a symbol",
    }


def check_rules(password: str, policy: PasswordPolicy) -> list[tuple[str, bool]]:
    """Each rule of the policy with whether the password meets it, in Cognito's order."""
    words = rule_words(policy)
    rules = [(words["length"], len(password) >= policy.minimum_length)]
    if policy.require_uppercase:
        rules.append((words["upper"], any(c.isupper() for c in password)))
    if policy.require_lowercase:
        rules.append((words["lower"], any(c.islower() for c in password)))
    if policy.require_numbers:
        rules.append((words["number"], any(c.isdigit() for c in password)))
    if policy.require_symbols:
        rules.append((words["symbol"], _has_symbol(password)))
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


def missing_rules(password: str, policy: PasswordPolicy) -> list[str]:
    """Every rule the password misses, in plain words (empty when it meets them all)."""
    missing = [rule for rule, ok in check_rules(password, policy) if not ok]
    if password and password != password.strip():
        missing.append(NO_OUTER_SPACE)
    return missing
