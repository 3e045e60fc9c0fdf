"""The server's side of Cognito's SRP: the verifier kept instead of a password, B, the check.

What the embedded backend's Cognito service runs for USER_SRP_AUTH: it stores a salt and a
verifier at sign-up, answers with B, and checks the client's claim signature. (How AWS stores
passwords is not documented beyond "a hash ... with a user-specific salt".) The verifier does
not give the password back, but whoever holds salt and verifier can test guesses offline by
computing :func:`make_verifier` for each guess.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from wildrydes.errors import SrpError
from wildrydes.srp.shared import (
    K,
    N,
    claim_signature,
    compute_u,
    compute_x,
    g_pow,
    pad_hex,
    powmod,
    random_exponent,
    session_key,
)

__all__ = [
    "Verifier",
    "make_verifier",
    "server_ephemeral",
    "server_session_key",
    "verify_claim",
    "verify_response",
]


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
    return Verifier(salt_hex, g_pow(x))


def server_ephemeral(verifier: int) -> tuple[int, int]:
    """A fresh server secret b and public B = (k*v + g^b) mod N, as (b, B)."""
    while True:
        b = random_exponent()
        B = (K * verifier + g_pow(b)) % N
        if B:
            return b, B


def server_session_key(A: int, B: int, b: int, verifier: int) -> bytes:
    """The server's session key from S = (A * v^u)^b mod N; raises SrpError if A % N == 0."""
    if A % N == 0:
        raise SrpError("client sent A with A mod N == 0")
    u = compute_u(A, B)
    if u == 0:
        raise SrpError("u is 0")
    S = powmod(A * powmod(verifier, u) % N, b)
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
