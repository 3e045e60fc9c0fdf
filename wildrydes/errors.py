"""The kit's exceptions: one root, one subclass per kind of failure.

Every error the kit raises on purpose is a :class:`WildRydesError`, so a notebook, the CLI or a
test can catch the kit's failures apart from bugs. Each message says what happened, with which
resource, and what to do next.
"""

__all__ = [
    "AuthError",
    "ConfigurationError",
    "PasswordPolicyError",
    "ResourceError",
    "SrpError",
    "TokenError",
    "UsageError",
    "WildRydesError",
]


class WildRydesError(Exception):
    """Root of every error the kit raises on purpose."""


class ConfigurationError(WildRydesError):
    """The kit is not set up the way this step needs (backend, region, credentials)."""


class ResourceError(WildRydesError):
    """An AWS resource the step needs is missing, elsewhere, or not ours (or unreachable)."""


class AuthError(WildRydesError):
    """Cognito refused a register, confirm or sign-in step; ``code`` is its error code."""

    def __init__(self, message: str, *, code: str = "", said: str = "", hint: str = ""):
        super().__init__(message)
        self.code = code
        self.said = said  # Cognito's own words, when it refused
        self.hint = hint  # the kit's next step, apart from Cognito's words


class PasswordPolicyError(AuthError):
    """The password misses rules of the pool's policy; ``missing`` lists each one."""

    def __init__(self, message: str, *, missing: list[str]):
        super().__init__(message, code="InvalidPasswordException")
        self.missing = missing


class TokenError(WildRydesError):
    """A token could not be decoded or fetched."""


class UsageError(WildRydesError, ValueError, TypeError):
    """A kit function was called with an argument it refuses (a secret to store, a value that
    is not JSON, an unknown option).

    Also a ``ValueError`` and a ``TypeError``: what Python's own functions raise for a bad
    argument, so code written against those keeps working.
    """


class SrpError(WildRydesError, ValueError):
    """An SRP value or message is malformed or unsafe (e.g. B % N == 0, u == 0).

    Also a ``ValueError``: it is bad input to the protocol's pure functions.
    """
