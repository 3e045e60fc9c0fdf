"""Verify a Cognito token the way AWS documents it, one verdict per check.

RS256 signature with the key whose kid matches in the pool's JWKS, expiry, issuer, audience
(id token) or client_id (access token), and token_use. A bad token never raises: it fails
checks, so a notebook can show *which* check failed and why.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwt import PyJWK
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import PyJWTError

from wildrydes.errors import TokenError, UsageError
from wildrydes.tokens.decoding import TOKEN_USES, DecodedToken, _duration, _show, decode
from wildrydes.tokens.jwks import _require, issuer
from wildrydes.verdicts import Check, Report

__all__ = ["CHECK_NAMES", "Check", "Verification", "verify"]

#: The only algorithm Cognito signs user pool tokens with.
_ALGORITHM = "RS256"
#: The checks ``verify`` runs, in this order.
CHECK_NAMES = (
    "format",
    "algorithm",
    "key",
    "signature",
    "expiry",
    "issuer",
    "audience",
    "token_use",
)
_RS256 = RSAAlgorithm(RSAAlgorithm.SHA256)


@dataclass
class Verification(Report):
    """Every check ``verify`` ran, in order; ``ok`` only if all of them passed."""

    token: DecodedToken | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def summary(self) -> str:
        if self.ok:
            return f"token is valid: all {len(self.checks)} checks passed"
        failed = [c.name for c in self.checks if not c.ok and c.ran]
        unrun = [c.name for c in self.checks if not c.ran]
        return "token is NOT valid: " + "; ".join(
            part
            for part in (
                f"failed {', '.join(failed)}" if failed else "",
                f"not run: {', '.join(unrun)}" if unrun else "",
            )
            if part
        )

    def as_json(self) -> dict[str, Any]:
        decoded = self.token
        return {
            "header": decoded.header if decoded else None,
            "claims": decoded.claims if decoded else None,
            "checks": [c.as_json() for c in self.checks],
            "ok": self.ok,
        }


def _jwks_keys(jwks: Any) -> list[dict[str, Any]]:
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list):
        raise TokenError(
            "the JWKS must be a dict with a 'keys' list; pass the result of "
            "fetch_jwks(jwks_url(region, user_pool_id, endpoint_url))"
        )
    return [dict(key) for key in keys if isinstance(key, Mapping)]


def _check_algorithm(header: dict[str, Any]) -> Check:
    alg = header.get("alg")
    if alg == _ALGORITHM:
        return Check("algorithm", True, "alg is RS256, the algorithm Cognito signs with")
    if alg is None:
        return Check("algorithm", False, "the header has no alg; Cognito tokens say RS256")
    if isinstance(alg, str) and alg.lower() == "none":
        why = "an unsigned token; it is refused and nothing is checked against it"
    else:
        why = "Cognito signs with RS256 only, so the signature is not checked with it"
    return Check("algorithm", False, f"alg is {_show(alg)!r}: {why}")


def _check_key(header: dict[str, Any], keys: list[dict[str, Any]]) -> tuple[Check, Any]:
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        return Check(
            "key", False, "the header has no kid, so no key of the pool can be chosen"
        ), None
    matching = [key for key in keys if key.get("kid") == kid]
    if not matching:
        known = ", ".join(str(key.get("kid")) for key in keys) or "none"
        return (
            Check(
                "key",
                False,
                f"kid {kid!r} is not in this pool's JWKS (its kids: {known}); the token "
                "comes from another pool, or the keys changed (clear_jwks_cache() and fetch "
                "again)",
            ),
            None,
        )
    jwk = matching[0]
    if jwk.get("alg", _ALGORITHM) != _ALGORITHM or jwk.get("use", "sig") != "sig":
        return (
            Check("key", False, f"key {kid!r} in the JWKS is not an RS256 signing key"),
            None,
        )
    try:
        key = PyJWK(dict(jwk), algorithm=_ALGORITHM).key
    except (PyJWTError, ValueError, KeyError, TypeError) as e:
        reason = str(e)[:120]
        return Check("key", False, f"key {kid!r} in the JWKS cannot be loaded: {reason}"), None
    if isinstance(key, RSAPrivateKey):
        return (
            Check("key", False, f"key {kid!r} in the JWKS is a private key; a JWKS is public"),
            None,
        )
    return Check("key", True, f"kid {kid!r} is one of this pool's signing keys"), key


def _check_signature(token: DecodedToken, key: Any, algorithm: Check, key_check: Check) -> Check:
    if not algorithm.ok:
        return Check("signature", False, "not checked: the algorithm is not RS256")
    if not key_check.ok:
        return Check("signature", False, "not checked: no key of this pool matches the kid")
    if not token.signature:
        return Check("signature", False, "the signature part is empty")
    if _RS256.verify(token.signing_input, key, token.signature_bytes):
        return Check(
            "signature", True, "RS256 signature matches: the pool signed exactly this content"
        )
    return Check(
        "signature",
        False,
        "signature does not match: the header or payload was changed after signing, "
        "or another key signed it",
    )


def _check_expiry(claims: dict[str, Any], now: float, leeway: int) -> Check:
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return Check("expiry", False, "no exp claim with a time in seconds")
    delta = exp - now
    if delta > 0:
        return Check("expiry", True, f"expires in {_duration(delta)}")
    ago = "just now" if delta > -1 else f"{_duration(delta)} ago"
    if delta + leeway > 0:
        return Check("expiry", True, f"expired {ago}, within the leeway of {leeway} s")
    return Check("expiry", False, f"expired {ago}; sign in again or use the refresh token")


def _check_issuer(claims: dict[str, Any], expected: str) -> Check:
    iss = claims.get("iss")
    if iss == expected:
        return Check("issuer", True, f"issued by this pool ({expected})")
    if iss is None:
        return Check("issuer", False, f"no iss claim; expected {expected}")
    return Check(
        "issuer",
        False,
        f"issued by {_show(iss)}, not by this pool ({expected}); the token comes from "
        "another user pool or region",
    )


def _check_audience(claims: dict[str, Any], client_id: str) -> Check:
    use = claims.get("token_use")
    name = "aud" if use == "id" else "client_id" if use == "access" else None
    if name is None:
        name = "aud" if "aud" in claims else "client_id"
    value = claims.get(name)
    if value is None:
        return Check("audience", False, f"no {name} claim; expected app client {client_id}")
    matches = value == client_id or (isinstance(value, list) and client_id in value)
    if matches:
        return Check("audience", True, f"{name} is this app client ({client_id})")
    return Check(
        "audience",
        False,
        f"{name} is {_show(value)}, not this app client ({client_id}); the token was "
        "issued to another app client",
    )


def _check_token_use(claims: dict[str, Any], expected_use: str | None) -> Check:
    use = claims.get("token_use")
    if use not in TOKEN_USES:
        return Check(
            "token_use", False, f"token_use is {_show(use)!r}; Cognito says 'id' or 'access'"
        )
    if expected_use is None:
        return Check("token_use", True, f"this is an {use} token")
    if use != expected_use:
        return Check(
            "token_use", False, f"this is an {use} token; an {expected_use} token is expected"
        )
    return Check("token_use", True, f"this is an {use} token, as expected")


def verify(
    token: str,
    *,
    jwks: dict[str, Any],
    region: str,
    user_pool_id: str,
    client_id: str,
    expected_use: str | None = None,
    now: float | None = None,
    leeway: int = 0,
    expected_issuer: str | None = None,
) -> Verification:
    """Check a Cognito token the way AWS documents it; each check gets its own verdict.

    ``expected_issuer`` defaults to Cognito's form for the region and pool (:func:`issuer`);
    an AWS-compatible endpoint may publish another in its openid-configuration.

    A bad token never raises: it fails checks. A JWKS that is not a key set raises
    ``TokenError``; missing pool settings raise ``ConfigurationError``.
    """
    _require(region=region, user_pool_id=user_pool_id, client_id=client_id)
    if expected_use is not None and expected_use not in TOKEN_USES:
        raise UsageError(f"expected_use must be 'id', 'access' or None, not {expected_use!r}")
    keys = _jwks_keys(jwks)
    now = time.time() if now is None else float(now)
    try:
        decoded = decode(token)
    except TokenError as e:
        skipped = "not checked: the token could not be decoded"
        checks = [Check("format", False, str(e))]
        checks += [Check(name, False, skipped) for name in CHECK_NAMES[1:]]
        return Verification(checks=checks, token=None)

    algorithm = _check_algorithm(decoded.header)
    key_check, key = _check_key(decoded.header, keys)
    claims = decoded.claims
    checks = [
        Check("format", True, "three base64url parts: JSON header, JSON payload, signature"),
        algorithm,
        key_check,
        _check_signature(decoded, key, algorithm, key_check),
        _check_expiry(claims, now, leeway),
        _check_issuer(claims, expected_issuer or issuer(region, user_pool_id)),
        _check_audience(claims, client_id),
        _check_token_use(claims, expected_use),
    ]
    return Verification(checks=checks, token=decoded)
