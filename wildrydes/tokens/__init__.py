"""Look inside Cognito tokens: decode, verify check by check, fetch the pool's keys.

Split the way pyjwt splits it: :mod:`~wildrydes.tokens.decoding` reads a token (never
verifies), :mod:`~wildrydes.tokens.verification` runs the checks AWS documents, one verdict
each, and :mod:`~wildrydes.tokens.jwks` finds and fetches the key set the signature needs.
Beside them, :mod:`~wildrydes.tokens.inspection` decodes any JWT and checks it against the pool
you name (:class:`ExpectedPool`), and :mod:`~wildrydes.tokens.forgery` edits a claim to watch
the signature fail.
"""

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
