"""Look inside Cognito tokens: decode, verify check by check, explain the claims, display.

Cognito hands out three tokens at sign-in. The id token and the access token are
JSON Web Tokens (JWT): three base64url parts, ``header.payload.signature``, signed with
RS256 by a key the user pool publishes in its JWKS (JSON Web Key Set). The refresh token
is opaque: this module never decodes or shows it.

``decode`` only reads a token. ``verify`` runs the checks AWS documents for Cognito
tokens, each with its own verdict, so a notebook can show *which* check failed and why.
"""

from __future__ import annotations

import base64
import binascii
import copy
import html
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwt import PyJWK
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import PyJWTError

from wildrydes.errors import ConfigurationError, TokenError

__all__ = [
    "Check",
    "ClaimExplanation",
    "DecodedToken",
    "Verification",
    "clear_jwks_cache",
    "decode",
    "explain",
    "fetch_jwks",
    "issuer",
    "jwks_url",
    "refresh_token_summary",
    "verify",
]

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
_TOKEN_USES = ("id", "access")
_JWKS_TIMEOUT_SECONDS = 10
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_TIME_CLAIMS = ("auth_time", "iat", "exp")
_UNKNOWN_CLAIM = "custom or less common claim"
_CLAIM_MEANINGS = {
    "sub": "the user's unique, permanent id in this user pool; key your data on it, "
    "not on the user name",
    "cognito:username": "the user's user name in the user pool (id token)",
    "username": "the user's user name in the user pool (access token)",
    "email": "the user's email address",
    "email_verified": "whether the user confirmed the email address with the emailed code",
    "aud": "audience: the app client the id token was issued to",
    "client_id": "the app client the access token was issued to",
    "iss": "issuer: the user pool that issued and signed the token",
    "token_use": "which token this is: 'id' says who the user is (for the app), "
    "'access' says what the user may do (for APIs)",
    "scope": "OAuth scopes the access token grants, separated by spaces",
    "auth_time": "when the user signed in (a refreshed token keeps the original time)",
    "iat": "issued at: when Cognito issued this token",
    "exp": "expiry: from this time on the token must be refused",
    "jti": "unique id of this token (JWT ID)",
    "origin_jti": "id of the sign-in this token comes from; revoking the refresh token "
    "revokes every token with this origin_jti",
    "event_id": "id of the sign-in event, to find it in logs",
}
# Colours of the three parts, as the online JWT decoders show them.
_PART_COLOURS = {"header": "#d6336c", "payload": "#7e3fbf", "signature": "#1c7ed6"}
_GREEN = "#1a7f37"
_RED = "#cf222e"

_jwks_cache: dict[str, dict[str, Any]] = {}
_jwks_lock = threading.Lock()
_RS256 = RSAAlgorithm(RSAAlgorithm.SHA256)


# --------------------------------------------------------------------------- helpers


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _require(**values: Any) -> None:
    missing = [name for name, value in values.items() if not isinstance(value, str) or not value]
    if missing:
        raise ConfigurationError(
            f"missing {', '.join(missing)}: pass the values of the user pool you created "
            "(run the setup step first if they are not set yet)"
        )


def _b64url_decode(part: str, what: str) -> bytes:
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise TokenError(
            f"not a JWT: the {what} is not base64url text (only A-Z a-z 0-9 - _ allowed); "
            "pass the IdToken or AccessToken string exactly as Cognito returned it"
        )
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as e:  # pragma: no cover - the regex rules these out
        raise TokenError(f"not a JWT: the {what} is not valid base64url") from e


def _json_object(part: str, what: str) -> dict[str, Any]:
    raw = _b64url_decode(part, what)
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise TokenError(
            f"not a JWT: the {what} decodes but is not JSON; pass the IdToken or "
            "AccessToken string exactly as Cognito returned it"
        ) from e
    if not isinstance(value, dict):
        raise TokenError(
            f"not a JWT: the {what} is JSON but not an object ({type(value).__name__}); "
            "pass the IdToken or AccessToken string exactly as Cognito returned it"
        )
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _duration(seconds: float) -> str:
    """A short, truthful length of time: '45 s', '3 min', '2 h 5 min', '3 days'."""
    seconds = int(abs(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def _relative(name: str, when: float, now: float) -> str:
    delta = when - now
    if name == "exp":
        if delta > 0:
            return f"expires in {_duration(delta)}"
        return "expired just now" if delta > -1 else f"expired {_duration(delta)} ago"
    verb = "issued" if name == "iat" else "signed in"
    if delta > 1:
        return f"{verb} {_duration(delta)} in the future (the clocks disagree)"
    return f"{verb} just now" if delta > -1 else f"{verb} {_duration(delta)} ago"


def _local_time(when: float, tz: tzinfo | None) -> str:
    moment = (
        datetime.fromtimestamp(when, tz=tz)
        if tz is not None
        else datetime.fromtimestamp(when).astimezone()
    )
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").rstrip()


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- decode


@dataclass(frozen=True)
class ClaimExplanation:
    """One claim in plain words: ``display`` is the value as a person reads it."""

    name: str
    value: Any
    meaning: str
    display: str

    def __str__(self) -> str:
        return f"{self.name}: {self.display} ({self.meaning})"


@dataclass(frozen=True)
class DecodedToken:
    """A JWT taken apart, not verified: ``header``, ``claims`` (the payload), ``signature``.

    ``signature`` is the third part as it appears in the token (base64url text).
    """

    header: dict[str, Any]
    claims: dict[str, Any]
    signature: str
    raw: str = field(repr=False)

    @property
    def payload(self) -> dict[str, Any]:
        """The claims, under the name the JWT standard gives them."""
        return self.claims

    @property
    def token_use(self) -> str | None:
        use = self.claims.get("token_use")
        return use if isinstance(use, str) else None

    @property
    def signing_input(self) -> bytes:
        """What the signature covers: the first two parts, as sent."""
        return self.raw.rsplit(".", 1)[0].encode("ascii")

    @property
    def signature_bytes(self) -> bytes:
        return _b64url_decode(self.signature, "signature")

    def _parts(self) -> tuple[str, str, str]:
        header, payload, signature = self.raw.split(".")
        return header, payload, signature

    def _title(self) -> str:
        use = self.token_use
        kind = f"{use} token" if use in _TOKEN_USES else "token"
        return f"JWT ({kind}), not verified: header.payload.signature"

    def __str__(self) -> str:
        lines = [self._title(), "", "Header"]
        lines += ["  " + line for line in json.dumps(self.header, indent=2).splitlines()]
        lines += ["", "Claims (payload)"]
        explained = explain(self.claims)
        width = max((len(c.name) for c in explained), default=0)
        for c in explained:
            lines.append(f"  {c.name.ljust(width)}  {c.display}")
            lines.append(f"  {' ' * width}  - {c.meaning}")
        sig = self.signature
        shown = sig if len(sig) <= 24 else f"{sig[:10]}...{sig[-10:]}"
        lines += [
            "",
            "Signature",
            f"  {shown} ({len(sig)} base64url characters; check it with verify())",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"DecodedToken(alg={self.header.get('alg')!r}, kid={self.header.get('kid')!r}, "
            f"token_use={self.claims.get('token_use')!r}, claims={len(self.claims)})"
        )

    def _repr_html_(self) -> str:
        header, payload, signature = self._parts()
        c = _PART_COLOURS
        encoded = (
            f'<span style="color:{c["header"]}">{_esc(header)}</span>.'
            f'<span style="color:{c["payload"]}">{_esc(payload)}</span>.'
            f'<span style="color:{c["signature"]}">{_esc(signature)}</span>'
        )
        rows = "".join(
            "<tr>"
            f'<td style="text-align:left"><code>{_esc(x.name)}</code></td>'
            f'<td style="text-align:left">{_esc(x.display)}</td>'
            f'<td style="text-align:left">{_esc(x.meaning)}</td>'
            "</tr>"
            for x in explain(self.claims)
        )
        return (
            '<div class="wildrydes-token">'
            f"<p><b>{_esc(self._title())}</b></p>"
            '<div style="font-family:monospace;word-break:break-all;padding:6px;'
            f'border:1px solid #ccc">{encoded}</div>'
            f'<h4 style="color:{c["header"]}">Header</h4>'
            f'<pre style="color:{c["header"]}">{_esc(json.dumps(self.header, indent=2))}</pre>'
            f'<h4 style="color:{c["payload"]}">Claims (payload)</h4>'
            "<table><thead><tr><th>claim</th><th>value</th><th>meaning</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f'<h4 style="color:{c["signature"]}">Signature</h4>'
            f'<p>{len(signature)} base64url characters, over <span style="color:'
            f'{c["header"]}">header</span>.<span style="color:{c["payload"]}">payload'
            "</span>; check it with <code>verify()</code>.</p>"
            "</div>"
        )


def decode(token: str) -> DecodedToken:
    """Take a JWT apart without verifying it; ``TokenError`` if it is not a JWT."""
    if isinstance(token, bytes | bytearray):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError as e:
            raise TokenError("not a JWT: the bytes are not ASCII text") from e
    if not isinstance(token, str):
        raise TokenError(
            f"not a JWT: got {type(token).__name__}, expected the token string "
            "(for example tokens['IdToken'] from the sign-in result)"
        )
    token = token.strip()
    if not token:
        raise TokenError("not a JWT: the token is empty; pass the IdToken or AccessToken string")
    if token.lower().startswith("bearer "):
        raise TokenError("not a JWT: it starts with 'Bearer '; pass only the token after it")
    parts = token.split(".")
    if len(parts) != 3:
        hint = (
            " (5 parts is an encrypted JWE, like the opaque refresh token, which cannot be decoded)"
            if len(parts) == 5
            else ""
        )
        raise TokenError(
            f"not a JWT: expected 3 parts separated by '.' (header.payload.signature), "
            f"got {len(parts)}{hint}; pass the IdToken or AccessToken string"
        )
    header_part, payload_part, signature_part = parts
    header = _json_object(header_part, "header")
    claims = _json_object(payload_part, "payload")
    _b64url_decode(signature_part, "signature")
    return DecodedToken(header=header, claims=claims, signature=signature_part, raw=token)


# --------------------------------------------------------------------------- explain


def explain(
    claims: Mapping[str, Any] | DecodedToken,
    *,
    now: float | None = None,
    tz: tzinfo | None = None,
) -> list[ClaimExplanation]:
    """Plain words for each claim, in token order; times in local time (or ``tz``)."""
    if isinstance(claims, DecodedToken):
        claims = claims.claims
    now = time.time() if now is None else float(now)
    out = []
    for name, value in claims.items():
        meaning = _CLAIM_MEANINGS.get(name, _UNKNOWN_CLAIM)
        display = _show(value)
        if name in _TIME_CLAIMS:
            if _is_number(value):
                try:
                    display = f"{_local_time(value, tz)} ({_relative(name, value, now)})"
                except (OverflowError, OSError, ValueError):
                    display = f"{value} (out of range for a date)"
            else:
                display = f"{display} (not a time in seconds)"
        out.append(ClaimExplanation(name=name, value=value, meaning=meaning, display=display))
    return out


# --------------------------------------------------------------------------- JWKS


def issuer(region: str, user_pool_id: str) -> str:
    """The ``iss`` of the pool's tokens; the AWS form even on the local backend."""
    _require(region=region, user_pool_id=user_pool_id)
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def jwks_url(region: str, user_pool_id: str, endpoint_url: str | None = None) -> str:
    """Where the pool publishes its signing keys (``endpoint_url``: the local backend or an
    AWS-compatible endpoint; None: AWS itself, under the issuer URL)."""
    _require(region=region, user_pool_id=user_pool_id)
    base = endpoint_url.rstrip("/") if endpoint_url else issuer(region, user_pool_id)
    if endpoint_url:
        base = f"{base}/{user_pool_id}"
    return f"{base}/.well-known/jwks.json"


def clear_jwks_cache() -> None:
    """Forget every fetched JWKS (after a key rotation or a restarted local backend)."""
    with _jwks_lock:
        _jwks_cache.clear()


def _jwks_failure(url: str, what: str) -> TokenError:
    return TokenError(
        f"could not fetch the JWKS from {url}: {what}. Next step: check the region and "
        "user pool id the URL was built from (jwks_url(...)); on the local backend, check "
        "that it is running and the pool exists"
    )


def fetch_jwks(jwks_url: str, *, session: requests.Session | None = None) -> dict[str, Any]:
    """GET the pool's JWKS (cached per URL for the life of the process)."""
    with _jwks_lock:
        cached = _jwks_cache.get(jwks_url)
    if cached is not None:
        return copy.deepcopy(cached)
    getter = session.get if session is not None else requests.get
    try:
        response = getter(jwks_url, timeout=_JWKS_TIMEOUT_SECONDS)
    except requests.RequestException as e:
        raise _jwks_failure(jwks_url, f"{type(e).__name__} ({e})") from e
    if response.status_code != 200:
        raise _jwks_failure(jwks_url, f"HTTP {response.status_code} {response.reason or ''}")
    try:
        data = response.json()
    except ValueError as e:
        raise _jwks_failure(jwks_url, "the answer is not JSON") from e
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not keys:
        raise _jwks_failure(jwks_url, "the answer has no 'keys' list")
    with _jwks_lock:
        _jwks_cache[jwks_url] = data
    return copy.deepcopy(data)


# --------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Check:
    """One verdict of ``verify``: its name, whether it passed, and why in plain words."""

    name: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.name}: {self.detail}"


@dataclass(frozen=True)
class Verification:
    """Every check ``verify`` ran, in order; ``ok`` only if all of them passed."""

    checks: list[Check]
    token: DecodedToken | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[str]:
        return [check.name for check in self.checks if not check.ok]

    def __getitem__(self, name: str) -> Check:
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def _summary(self) -> str:
        if self.ok:
            return f"token is valid: all {len(self.checks)} checks passed"
        return f"token is NOT valid: failed {', '.join(self.failed)}"

    def __str__(self) -> str:
        width = max((len(c.name) for c in self.checks), default=0)
        lines = [f"{'✓' if c.ok else '✗'} {c.name.ljust(width)}  {c.detail}" for c in self.checks]
        lines.append(self._summary())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for c in self.checks:
            colour = _GREEN if c.ok else _RED
            mark = "✓ pass" if c.ok else "✗ fail"
            rows.append(
                "<tr>"
                f'<td style="text-align:left"><code>{_esc(c.name)}</code></td>'
                f'<td style="text-align:left;color:{colour};font-weight:bold">{mark}</td>'
                f'<td style="text-align:left">{_esc(c.detail)}</td>'
                "</tr>"
            )
        colour = _GREEN if self.ok else _RED
        return (
            '<div class="wildrydes-verification">'
            "<table><thead><tr><th>check</th><th>result</th><th>why</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f'<p style="color:{colour};font-weight:bold">{_esc(self._summary())}</p>'
            "</div>"
        )


def _jwks_keys(jwks: Any) -> list[dict[str, Any]]:
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list):
        raise TokenError(
            "the JWKS must be a dict with a 'keys' list; pass the result of "
            "fetch_jwks(jwks_url(region, user_pool_id, endpoint_url))"
        )
    return [key for key in keys if isinstance(key, Mapping)]


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
    if not _is_number(exp):
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
    if use not in _TOKEN_USES:
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
    if expected_use is not None and expected_use not in _TOKEN_USES:
        raise ValueError(f"expected_use must be 'id', 'access' or None, not {expected_use!r}")
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


# --------------------------------------------------------------------------- refresh token


def refresh_token_summary(refresh_token: str | None, days_valid: int = 30) -> str:
    """Say that a refresh token exists and how long it lives; never decode or show it."""
    if isinstance(days_valid, bool) or not isinstance(days_valid, int) or days_valid < 1:
        raise ValueError(f"days_valid must be a whole number of days >= 1, not {days_valid!r}")
    if not refresh_token:
        return "no refresh token was issued"
    days = "1 day" if days_valid == 1 else f"{days_valid} days"
    return f"a refresh token was issued (opaque; valid {days}); it is never shown"
