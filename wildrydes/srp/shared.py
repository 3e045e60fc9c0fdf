"""Cognito's SRP-6a group and the steps both roles share: hashing, powers, x, u, the key, the claim.

The 3072-bit group with g = 2 and SHA-256, Cognito's "padded hex", the modular powers (gmpy2
when present, else Python's own, with a table for powers of g), and the pure functions both
the client (:mod:`wildrydes.srp.client`) and the server (:mod:`wildrydes.srp.server`) call.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from datetime import datetime, timezone
from functools import cache

from wildrydes.errors import SrpError

__all__ = [
    "BACKEND_ENV",
    "EPHEMERAL_BITS",
    "G",
    "HKDF_INFO",
    "K",
    "N",
    "b64decode_param",
    "claim_signature",
    "cognito_timestamp",
    "compute_u",
    "compute_x",
    "g_pow",
    "hex_int",
    "pad_hex",
    "pool_name",
    "powmod",
    "powmod_backend",
    "random_exponent",
    "session_key",
    "use_gmpy2",
]


# The 3072-bit prime of RFC 3526 section 4 (MODP group 15), which RFC 5054 Appendix A uses for
# its 3072-bit group too; amazon-cognito-identity-js (AuthenticationHelper.js) uses this N.
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
# Generator 2, as in RFC 3526 section 4 and amazon-cognito-identity-js; RFC 5054 Appendix A
# pairs this prime with g = 5, so Cognito's group is RFC 3526's, not RFC 5054's.
G: int = 2
# Size in bits of the secret ephemerals a and b: the kit's choice, the least RFC 5054 section
# 2.5.4 allows (amazon-cognito-identity-js draws 128 random bytes).
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


# SRP-6a multiplier k = H(PAD(N) | PAD(g)) (RFC 5054 section 2.5.3, with Cognito's PAD and
# SHA-256 where RFC 5054 uses SHA-1).
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


def powmod(base: int, exponent: int) -> int:
    """base^exponent mod N."""
    if _use_gmpy2:
        return int(_gmpy2.powmod(base, exponent, N))
    return pow(base, exponent, N)


def g_pow(exponent: int) -> int:
    """G^exponent mod N, by table lookups when gmpy2 is not in use."""
    if _use_gmpy2 or exponent.bit_length() > _TABLE_BITS:
        return powmod(G, exponent)
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


def hex_int(name: str, hex_string: str) -> int:
    try:
        return int(hex_string, 16)
    except (TypeError, ValueError):
        raise SrpError(f"{name} is not a hex string: {hex_string!r}") from None


def compute_x(user_pool_id: str, user_id: str, password: str, salt_hex: str) -> int:
    """Private key x = H(PAD(salt) | H(poolName | userId | ":" | password)).

    The salt is read as an integer (as the JavaScript SDK does), so leading zero digits in
    ``salt_hex`` do not matter.
    """
    salt = hex_int("SALT", salt_hex)
    inner = hashlib.sha256(f"{pool_name(user_pool_id)}{user_id}:{password}".encode()).hexdigest()
    return _hash_hex(pad_hex(salt) + inner)


def compute_u(A: int, B: int) -> int:
    """Scrambling parameter u = H(PAD(A) | PAD(B))."""
    return _hash_ints(A, B)


def session_key(S: int, u: int) -> bytes:
    """The 16-byte key both sides derive: HKDF-SHA256(salt=PAD(u), IKM=PAD(S), info)[:16]."""
    prk = hmac.digest(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(S)), "sha256")
    return hmac.digest(prk, HKDF_INFO + b"\x01", "sha256")[:16]


def b64decode_param(name: str, value: str) -> bytes:
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
        + b64decode_param("SECRET_BLOCK", secret_block_b64)
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


def random_exponent() -> int:
    while True:
        value = secrets.randbits(EPHEMERAL_BITS)
        if value > 1:
            return value
