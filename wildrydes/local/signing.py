"""Per-pool RSA keys, the JWKS they publish, and the tokens the embedded Cognito signs."""

from __future__ import annotations

import base64
import secrets
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

TOKEN_LIFETIME_SECONDS = 3600  # Cognito's default for id and access tokens


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    expires_in: int


class PoolKeys:
    """Two RSA key pairs per user pool, made on first use, like each real pool has its own.

    As in Cognito, id tokens and access tokens are signed with different keys, and the
    pool's JWKS publishes both: a verifier must pick the key by the token's ``kid``.
    """

    USES = ("id", "access")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, dict[str, tuple[str, rsa.RSAPrivateKey]]] = {}

    def _pool_keys(self, user_pool_id: str) -> dict[str, tuple[str, rsa.RSAPrivateKey]]:
        with self._lock:
            if user_pool_id not in self._keys:
                self._keys[user_pool_id] = {
                    use: (base64.b64encode(secrets.token_bytes(32)).decode(),
                          rsa.generate_private_key(public_exponent=65537, key_size=2048))
                    for use in self.USES}
            return self._keys[user_pool_id]

    def key(self, user_pool_id: str, use: str = "id") -> tuple[str, rsa.RSAPrivateKey]:
        """(kid, private key) that signs the pool's ``use`` ("id" or "access") tokens."""
        return self._pool_keys(user_pool_id)[use]

    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        keys = []
        for kid, private in self._pool_keys(user_pool_id).values():
            public = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
            public.update({"kid": kid, "alg": "RS256", "use": "sig"})
            keys.append(public)
        return {"keys": keys}

    def sign(self, user_pool_id: str, claims: dict[str, Any], use: str = "id") -> str:
        kid, private = self.key(user_pool_id, use)
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


def issue_tokens(keys: PoolKeys, *, region: str, user_pool_id: str, client_id: str,
                 username: str, attributes: dict[str, str], origin_jti: str,
                 auth_time: int, now: int) -> Tokens:
    """An id token and an access token with the claim sets real Cognito issues."""
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
    event_id = str(uuid.uuid4())
    common = {
        "sub": attributes["sub"],
        "iss": issuer,
        "origin_jti": origin_jti,
        "event_id": event_id,
        "auth_time": auth_time,
        "iat": now,
        "exp": now + TOKEN_LIFETIME_SECONDS,
    }
    id_claims = {
        **common,
        "aud": client_id,
        "cognito:username": username,
        "token_use": "id",
        "jti": str(uuid.uuid4()),
    }
    # Like Cognito, the id token carries the user's attributes (what the client may read:
    # here, all); the *_verified flags are booleans, everything else a string.
    for name, value in attributes.items():
        if name != "sub":
            id_claims[name] = value == "true" if name.endswith("_verified") else value
    if "email" in attributes:
        id_claims.setdefault("email_verified", False)
    access_claims = {
        **common,
        "client_id": client_id,
        "username": username,
        "scope": "aws.cognito.signin.user.admin",
        "token_use": "access",
        "jti": str(uuid.uuid4()),
    }
    return Tokens(
        id_token=keys.sign(user_pool_id, id_claims, "id"),
        access_token=keys.sign(user_pool_id, access_claims, "access"),
        expires_in=TOKEN_LIFETIME_SECONDS,
    )
