"""Cognito's flavour of SRP-6a (Secure Remote Password), client and server side.

Amazon Cognito's ``USER_SRP_AUTH`` flow lets a client prove it knows a password without
sending it.  This module implements both roles as small pure functions so a notebook can
walk through each step, and so the kit's local stand-in for Cognito can check a sign-in:

client                                         server (Cognito)
------                                         ----------------
a = new_ephemeral_a(); A = compute_A(a)
InitiateAuth {USERNAME, SRP_A: hex(A)}   --->  b, B = server_ephemeral(v)
                                         <---  PASSWORD_VERIFIER challenge
                                               {SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP}
client_response(pool, password, a, challenge)
  -> {USERNAME, PASSWORD_CLAIM_SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE, TIMESTAMP}   --->  key = server_session_key(A, B, b, v)
                                               verify_claim(key, ...) / verify_response(...)

Cognito differs from RFC 5054 in three places, all followed here:

* values are hashed as "padded hex" (:func:`pad_hex`), not padded to the length of N;
* x also hashes the pool name: ``x = H(PAD(salt) | H(poolName | userId | ":" | password))``;
* the session key is HKDF-SHA256 of S with salt PAD(u) and info "Caldera Derived Key",
  and the client proves it by an HMAC over the pool name, user id, secret block and time.

Big modular powers use ``gmpy2.powmod`` when gmpy2 is installed (a default dependency where
PyPI has a wheel for the platform) and Python's built-in ``pow`` otherwise; powers of the
generator then use a precomputed table. ``WILDRYDES_SRP_BACKEND=python`` forces the pure-Python
path in a process (the embedded backend inherits it), :func:`use_gmpy2` switches at run time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any

from wildrydes.errors import SrpError

__all__ = [
    "BACKEND_ENV",
    "EPHEMERAL_BITS",
    "G",
    "HKDF_INFO",
    "K",
    "N",
    "ClientSteps",
    "SrpError",
    "Verifier",
    "auth_parameters",
    "claim_signature",
    "client_response",
    "client_steps",
    "cognito_timestamp",
    "compute_A",
    "compute_u",
    "compute_x",
    "make_verifier",
    "new_ephemeral_a",
    "pad_hex",
    "pool_name",
    "powmod_backend",
    "server_ephemeral",
    "server_session_key",
    "session_key",
    "use_gmpy2",
    "verify_claim",
    "verify_response",
]


# The 3072-bit MODP group of RFC 5054, Appendix A (the same prime as RFC 3526 group 15);
# amazon-cognito-identity-js (AuthenticationHelper.js) uses this N with g = 2.
N: int = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
# Generator of the 3072-bit group, RFC 5054 Appendix A.
G: int = 2
# Size in bits of the secret ephemerals a and b; RFC 5054 section 2.5.4 asks for >= 256.
EPHEMERAL_BITS: int = 256
# HKDF "info" string Cognito uses (amazon-cognito-identity-js, AuthenticationHelper.js).
HKDF_INFO: bytes = b"Caldera Derived Key"

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- hashing -------------------------------------------------------------------------------


def pad_hex(value: int) -> str:
    """Cognito's "padHex": minimal big-endian hex, even length, "00"-prefixed if the top bit is set.

    The result always reads as a positive two's-complement number, e.g.
    ``pad_hex(0x7f) == "7f"``, ``pad_hex(0x80) == "0080"``, ``pad_hex(0xabc) == "0abc"``.
    """
    if value < 0:
        raise SrpError("pad_hex needs a non-negative integer")
    digits = format(value, "x")
    if len(digits) % 2:
        return "0" + digits
    if digits[0] in "89abcdef":
        return "00" + digits
    return digits


def _hash_hex(hex_string: str) -> int:
    """H over the bytes that ``hex_string`` spells, as an integer."""
    return int.from_bytes(hashlib.sha256(bytes.fromhex(hex_string)).digest(), "big")


def _hash_ints(*values: int) -> int:
    """H(PAD(v1) | PAD(v2) | ...) as an integer."""
    return _hash_hex("".join(pad_hex(v) for v in values))


# SRP-6a multiplier k = H(PAD(N) | PAD(g)) (RFC 5054 section 2.5.3, with Cognito's PAD).
K: int = _hash_ints(N, G)


# --- modular powers --------------------------------------------------------------------------

try:  # speed-up, installed by default where a wheel exists (see pyproject.toml)
    import gmpy2 as _gmpy2
except ImportError:  # pragma: no cover - depends on the environment
    _gmpy2 = None

_WINDOW = 4  # bits per row of the fixed-base table for powers of G
_TABLE_BITS = 256  # exponents up to this size use the table (a, b and x all fit)
# "python" forces the pure-Python powers; anything else (or unset) takes gmpy2 when present.
BACKEND_ENV = "WILDRYDES_SRP_BACKEND"
_use_gmpy2 = _gmpy2 is not None and os.environ.get(BACKEND_ENV, "").strip().lower() != "python"


@cache
def _g_table() -> tuple[tuple[int, ...], ...]:
    """Row i holds G^(d * 16^i) mod N for d = 0..15 (built once, about 20 ms)."""
    rows = []
    base = G
    for _ in range(-(-_TABLE_BITS // _WINDOW)):
        row = [1]
        for _ in range((1 << _WINDOW) - 1):
            row.append(row[-1] * base % N)
        rows.append(tuple(row))
        base = row[-1] * base % N
    return tuple(rows)


def _powmod(base: int, exponent: int) -> int:
    """base^exponent mod N."""
    if _use_gmpy2:
        return int(_gmpy2.powmod(base, exponent, N))
    return pow(base, exponent, N)


def _g_pow(exponent: int) -> int:
    """G^exponent mod N, by table lookups when gmpy2 is not in use."""
    if _use_gmpy2 or exponent.bit_length() > _TABLE_BITS:
        return _powmod(G, exponent)
    result = 1
    mask = (1 << _WINDOW) - 1
    for row in _g_table():
        if not exponent:
            break
        digit = exponent & mask
        if digit:
            result = result * row[digit] % N
        exponent >>= _WINDOW
    return result


def use_gmpy2(enabled: bool = True) -> bool:
    """Switch gmpy2 on or off for the modular powers; returns whether it is now in use."""
    global _use_gmpy2
    _use_gmpy2 = enabled and _gmpy2 is not None
    return _use_gmpy2


def powmod_backend() -> str:
    """Name of the big-number backend in use: ``"gmpy2"`` or ``"python"``."""
    return "gmpy2" if _use_gmpy2 else "python"


# --- shared steps ----------------------------------------------------------------------------


def pool_name(user_pool_id: str) -> str:
    """The part of a pool id after the underscore: ``"us-east-1_AbC123" -> "AbC123"``."""
    parts = user_pool_id.split("_")
    if len(parts) != 2 or not all(parts):
        raise SrpError(f"not a user pool id of the form <region>_<id>: {user_pool_id!r}")
    return parts[1]


def _hex_int(name: str, hex_string: str) -> int:
    try:
        return int(hex_string, 16)
    except (TypeError, ValueError):
        raise SrpError(f"{name} is not a hex string: {hex_string!r}") from None


def compute_x(user_pool_id: str, user_id: str, password: str, salt_hex: str) -> int:
    """Private key x = H(PAD(salt) | H(poolName | userId | ":" | password)).

    The salt is read as an integer (as the JavaScript SDK does), so leading zero digits in
    ``salt_hex`` do not matter.
    """
    salt = _hex_int("SALT", salt_hex)
    inner = hashlib.sha256(f"{pool_name(user_pool_id)}{user_id}:{password}".encode()).hexdigest()
    return _hash_hex(pad_hex(salt) + inner)


def compute_u(A: int, B: int) -> int:
    """Scrambling parameter u = H(PAD(A) | PAD(B))."""
    return _hash_ints(A, B)


def session_key(S: int, u: int) -> bytes:
    """The 16-byte key both sides derive: HKDF-SHA256(salt=PAD(u), IKM=PAD(S), info)[:16]."""
    prk = hmac.digest(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(S)), "sha256")
    return hmac.digest(prk, HKDF_INFO + b"\x01", "sha256")[:16]


def _b64decode(name: str, value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise SrpError(f"{name} is not base64") from None


def claim_signature(
    key: bytes, user_pool_id: str, user_id: str, secret_block_b64: str, timestamp: str
) -> str:
    """PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA256(key, poolName|userId|secretBlock|timestamp)."""
    message = (
        pool_name(user_pool_id).encode()
        + user_id.encode()
        + _b64decode("SECRET_BLOCK", secret_block_b64)
        + timestamp.encode()
    )
    return base64.b64encode(hmac.digest(key, message, "sha256")).decode("ascii")


def cognito_timestamp(now: datetime | None = None) -> str:
    """UTC time as Cognito wants it, e.g. ``"Thu Nov 5 09:03:01 UTC 2026"`` (any locale).

    ``now`` defaults to the current time; a naive datetime is taken to be UTC already.
    """
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is not None:
        now = now.astimezone(timezone.utc)
    return (
        f"{_WEEKDAYS[now.weekday()]} {_MONTHS[now.month - 1]} {now.day} "
        f"{now.hour:02d}:{now.minute:02d}:{now.second:02d} UTC {now.year}"
    )


# --- client ----------------------------------------------------------------------------------


def _random_exponent() -> int:
    while True:
        value = secrets.randbits(EPHEMERAL_BITS)
        if value > 1:
            return value


def new_ephemeral_a() -> int:
    """A fresh random client secret a of EPHEMERAL_BITS (256) bits."""
    return _random_exponent()


def compute_A(a: int) -> int:
    """Client public value A = g^a mod N."""
    if a <= 0:
        raise SrpError("a must be a positive integer")
    A = _g_pow(a)
    if A % N == 0:  # cannot happen for g = 2, but SRP-6a requires the check
        raise SrpError("A mod N is 0")
    return A


def auth_parameters(username: str, A: int) -> dict[str, str]:
    """AuthParameters for InitiateAuth with AuthFlow=USER_SRP_AUTH."""
    return {"USERNAME": username, "SRP_A": format(A, "x")}


@dataclass(frozen=True)
class ClientSteps:
    """Every intermediate value of the client's answer, for showing in a notebook."""

    A: int
    B: int
    u: int
    x: int
    S: int
    key: bytes
    timestamp: str
    signature: str
    response: dict[str, str]


def _param(challenge: dict[str, str], name: str) -> str:
    try:
        return challenge[name]
    except KeyError:
        raise SrpError(f"challenge parameter {name} is missing") from None


def client_steps(
    user_pool_id: str,
    password: str,
    a: int,
    challenge: dict[str, str],
    timestamp: str | None = None,
) -> ClientSteps:
    """Answer a PASSWORD_VERIFIER challenge, keeping every intermediate value.

    ``challenge`` is the ChallengeParameters from Cognito (SALT, SRP_B, SECRET_BLOCK,
    USER_ID_FOR_SRP); ``a`` is the secret whose A went out with InitiateAuth.
    Raises SrpError when B % N == 0 or u == 0.
    """
    user_id = _param(challenge, "USER_ID_FOR_SRP")
    secret_block = _param(challenge, "SECRET_BLOCK")
    B = _hex_int("SRP_B", _param(challenge, "SRP_B"))
    if B % N == 0:
        raise SrpError("server sent B with B mod N == 0")
    A = compute_A(a)
    u = compute_u(A, B)
    if u == 0:
        raise SrpError("u is 0")
    x = compute_x(user_pool_id, user_id, password, _param(challenge, "SALT"))
    S = _powmod((B - K * _g_pow(x)) % N, a + u * x)
    key = session_key(S, u)
    ts = cognito_timestamp() if timestamp is None else timestamp
    signature = claim_signature(key, user_pool_id, user_id, secret_block, ts)
    response = {
        "USERNAME": user_id,
        "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
        "PASSWORD_CLAIM_SIGNATURE": signature,
        "TIMESTAMP": ts,
    }
    return ClientSteps(A, B, u, x, S, key, ts, signature, response)


def client_response(
    user_pool_id: str,
    password: str,
    a: int,
    challenge: dict[str, str],
    timestamp: str | None = None,
) -> dict[str, str]:
    """ChallengeResponses for RespondToAuthChallenge(PASSWORD_VERIFIER); see client_steps."""
    return client_steps(user_pool_id, password, a, challenge, timestamp).response


# --- server ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verifier:
    """What a server stores for a user instead of the password: salt and v = g^x mod N."""

    salt_hex: str
    verifier: int


def make_verifier(
    user_pool_id: str, user_id: str, password: str, salt_hex: str | None = None
) -> Verifier:
    """Salt (random 16 bytes unless given) and verifier v = g^x mod N for a user."""
    if salt_hex is None:
        salt_hex = pad_hex(int.from_bytes(secrets.token_bytes(16), "big"))
    x = compute_x(user_pool_id, user_id, password, salt_hex)
    return Verifier(salt_hex, _g_pow(x))


def server_ephemeral(verifier: int) -> tuple[int, int]:
    """A fresh server secret b and public B = (k*v + g^b) mod N, as (b, B)."""
    while True:
        b = _random_exponent()
        B = (K * verifier + _g_pow(b)) % N
        if B:
            return b, B


def server_session_key(A: int, B: int, b: int, verifier: int) -> bytes:
    """The server's session key from S = (A * v^u)^b mod N; raises SrpError if A % N == 0."""
    if A % N == 0:
        raise SrpError("client sent A with A mod N == 0")
    u = compute_u(A, B)
    if u == 0:
        raise SrpError("u is 0")
    S = _powmod(A * _powmod(verifier, u) % N, b)
    return session_key(S, u)


def verify_claim(
    key: bytes,
    user_pool_id: str,
    user_id: str,
    secret_block_b64: str,
    timestamp: str,
    signature_b64: str,
) -> bool:
    """Whether ``signature_b64`` is the right claim signature for this key and message.

    ``secret_block_b64`` must be the block the server issued, not the one the client echoes.
    Checking that the timestamp is recent is left to the caller.
    """
    expected = base64.b64decode(
        claim_signature(key, user_pool_id, user_id, secret_block_b64, timestamp)
    )
    try:
        given = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, given)


def verify_response(
    key: bytes, user_pool_id: str, challenge: dict[str, str], response: dict[str, Any]
) -> bool:
    """Check a whole ChallengeResponses dict against the challenge the server sent.

    USERNAME must be the challenge's USER_ID_FOR_SRP (what the JavaScript SDK sends) or its
    USERNAME (what some other clients send); the secret block must come back unchanged.
    """
    user_id = challenge["USER_ID_FOR_SRP"]
    fields = ("USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP")
    if not all(isinstance(response.get(f), str) for f in fields):
        return False
    if response["USERNAME"] not in {user_id, challenge.get("USERNAME", user_id)}:
        return False
    if response["PASSWORD_CLAIM_SECRET_BLOCK"] != challenge["SECRET_BLOCK"]:
        return False
    return verify_claim(
        key,
        user_pool_id,
        user_id,
        challenge["SECRET_BLOCK"],
        response["TIMESTAMP"],
        response["PASSWORD_CLAIM_SIGNATURE"],
    )
