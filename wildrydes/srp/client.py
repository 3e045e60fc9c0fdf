"""The client's side of Cognito's SRP: A, the PASSWORD_VERIFIER answer, every value on the way.

What amazon-cognito-identity-js, pycognito and the kit's own sign-in compute, as pure
functions a notebook can walk through step by step.
"""

from __future__ import annotations

from dataclasses import dataclass

from wildrydes.errors import SrpError
from wildrydes.srp.shared import (
    K,
    N,
    claim_signature,
    cognito_timestamp,
    compute_u,
    compute_x,
    g_pow,
    hex_int,
    powmod,
    random_exponent,
    session_key,
)

__all__ = [
    "ClientSteps",
    "auth_parameters",
    "client_response",
    "client_steps",
    "compute_A",
    "new_ephemeral_a",
]


def new_ephemeral_a() -> int:
    """A fresh random client secret a of EPHEMERAL_BITS (256) bits."""
    return random_exponent()


def compute_A(a: int) -> int:
    """Client public value A = g^a mod N."""
    if a <= 0:
        raise SrpError("a must be a positive integer")
    A = g_pow(a)
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
    B = hex_int("SRP_B", _param(challenge, "SRP_B"))
    if B % N == 0:
        raise SrpError("server sent B with B mod N == 0")
    A = compute_A(a)
    u = compute_u(A, B)
    if u == 0:
        raise SrpError("u is 0")
    x = compute_x(user_pool_id, user_id, password, _param(challenge, "SALT"))
    S = powmod((B - K * g_pow(x)) % N, a + u * x)
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
