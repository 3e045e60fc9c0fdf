"""Look inside Cognito tokens: decode, verify check by check, fetch the pool's keys.

Split the way pyjwt splits it: :mod:`~wildrydes.tokens.decoding` reads a token (never
verifies), :mod:`~wildrydes.tokens.verification` runs the checks AWS documents, one verdict
each, and :mod:`~wildrydes.tokens.jwks` finds and fetches the key set the signature needs.
Beside them, :mod:`~wildrydes.tokens.inspection` decodes any JWT and checks it against the pool
you name (:class:`ExpectedPool`), and :mod:`~wildrydes.tokens.forgery` edits a claim to watch
the signature fail.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below load on first use (see __getattr__)
    from wildrydes.tokens.claims import claim_meaning, is_cognito
    from wildrydes.tokens.decoding import (
        ClaimExplanation,
        DecodedToken,
        decode,
        explain,
        refresh_token_summary,
    )
    from wildrydes.tokens.forgery import forge, parse_value
    from wildrydes.tokens.inspection import (
        NOT_CHECKED,
        ExpectedPool,
        Inspection,
        KeySource,
        inspect,
        jwks_candidates,
    )
    from wildrydes.tokens.jwks import (
        JWKSClient,
        clear_jwks_cache,
        fetch_jwks,
        issuer,
        jwks_client,
        jwks_url,
    )
    from wildrydes.tokens.session import REFRESH_TOKEN_DAYS, Session
    from wildrydes.tokens.verification import CHECK_NAMES, Check, Verification, verify

# Loaded on first use, so that a module needing one light part (the kept session, the kit's
# JWKS URL) does not import pyjwt and cryptography with the rest: `wildrydes up` never does.
_EXPORTS = {
    "claim_meaning": "wildrydes.tokens.claims",
    "is_cognito": "wildrydes.tokens.claims",
    "ClaimExplanation": "wildrydes.tokens.decoding",
    "DecodedToken": "wildrydes.tokens.decoding",
    "decode": "wildrydes.tokens.decoding",
    "explain": "wildrydes.tokens.decoding",
    "refresh_token_summary": "wildrydes.tokens.decoding",
    "forge": "wildrydes.tokens.forgery",
    "parse_value": "wildrydes.tokens.forgery",
    "NOT_CHECKED": "wildrydes.tokens.inspection",
    "ExpectedPool": "wildrydes.tokens.inspection",
    "Inspection": "wildrydes.tokens.inspection",
    "KeySource": "wildrydes.tokens.inspection",
    "inspect": "wildrydes.tokens.inspection",
    "jwks_candidates": "wildrydes.tokens.inspection",
    "JWKSClient": "wildrydes.tokens.jwks",
    "clear_jwks_cache": "wildrydes.tokens.jwks",
    "fetch_jwks": "wildrydes.tokens.jwks",
    "issuer": "wildrydes.tokens.jwks",
    "jwks_client": "wildrydes.tokens.jwks",
    "jwks_url": "wildrydes.tokens.jwks",
    "REFRESH_TOKEN_DAYS": "wildrydes.tokens.session",
    "Session": "wildrydes.tokens.session",
    "CHECK_NAMES": "wildrydes.tokens.verification",
    "Check": "wildrydes.tokens.verification",
    "Verification": "wildrydes.tokens.verification",
    "verify": "wildrydes.tokens.verification",
}

__all__ = [
    # decoding
    "ClaimExplanation",
    "DecodedToken",
    "decode",
    "claim_meaning",
    "explain",
    "is_cognito",
    "refresh_token_summary",
    # verification
    "CHECK_NAMES",
    "Check",
    "Verification",
    "verify",
    # keys
    "JWKSClient",
    "clear_jwks_cache",
    "fetch_jwks",
    "issuer",
    "jwks_client",
    "jwks_url",
    # one sign-in's tokens
    "REFRESH_TOKEN_DAYS",
    "Session",
    # any token, and a forged one
    "NOT_CHECKED",
    "ExpectedPool",
    "Inspection",
    "KeySource",
    "forge",
    "inspect",
    "jwks_candidates",
    "parse_value",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wildrydes.tokens' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
