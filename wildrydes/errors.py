"""The kit's exceptions: one root, one subclass per kind of failure.

Every error the kit raises on purpose is a :class:`WildRydesError`, so a notebook, the CLI or a
test can catch the kit's failures apart from bugs. Each carries its parts as fields: ``said``
(what happened, in AWS's own words when AWS refused), ``hint`` (what to do next, from the table
in :mod:`wildrydes.messages`) and ``code`` (AWS's error code, or the kit's). ``str(error)``
joins them, the same way everywhere; a display reads the fields, never the joined text.
"""

from __future__ import annotations

__all__ = [
    "NEXT",
    "AuthError",
    "BackendUnreachable",
    "ConfigurationError",
    "PasswordPolicyError",
    "ResourceError",
    "SrpError",
    "TokenError",
    "UsageError",
    "WildRydesError",
    "joined",
]


NEXT = "Next step:"


def joined(said: str, hint: str) -> str:
    """What happened, then the next step, as two sentences that never run into each other."""
    said, hint = said.strip(), hint.strip()
    if not hint:
        return said
    if said and said[-1] not in ".!?":
        said += "."
    return f"{said} {NEXT} {hint}" if said else f"{NEXT} {hint}"


class WildRydesError(Exception):
    """Root of every error the kit raises on purpose: ``said``, ``hint`` and ``code``."""

    def __init__(self, said: str, *, hint: str = "", code: str = "") -> None:
        super().__init__(joined(said, hint))
        self.said = said
        self.hint = hint
        self.code = code


class ConfigurationError(WildRydesError):
    """The kit is not set up the way this step needs (backend, region, credentials)."""


class ResourceError(WildRydesError):
    """An AWS resource the step needs is missing, elsewhere, or not ours (or unreachable)."""


class BackendUnreachable(ResourceError):
    """The backend did not answer at all (stopped, crashed, asleep, or no network): no AWS
    error code, so ``code`` is the kit's own, ``BackendUnreachable``."""


class AuthError(WildRydesError):
    """Cognito refused a register, confirm or sign-in step; ``code`` is its error code."""


class PasswordPolicyError(AuthError):
    """The password misses rules of the pool's policy; ``missing`` lists each one."""

    def __init__(self, said: str, *, hint: str = "", missing: list[str]) -> None:
        super().__init__(said, hint=hint, code="InvalidPasswordException")
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
