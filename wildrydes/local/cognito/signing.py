"""Each user pool's RSA keys (kept in the store as PEM), its JWKS, and the tokens it signs."""

from __future__ import annotations

import base64
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from wildrydes.local.cognito.store import Store

__all__ = [
    "USES",
    "NewKey",
    "PoolKeys",
    "Tokens",
    "issue_tokens",
    "new_rsa_key",
]

USES = ("id", "access")
NewKey = Callable[[], rsa.RSAPrivateKey]


def new_rsa_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key, as Cognito signs with (RS256)."""
    return rsa.generate_private_key(65537, 2048)


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    expires_in: int


class PoolKeys:
    """Two RSA key pairs per user pool, made on first use and kept, so tokens outlive restarts.

    As in Cognito, id tokens and access tokens are signed with different keys, and the pool's
    JWKS publishes both: a verifier must pick the key by the token's ``kid``. ``new_key`` makes
    each key (a fresh one each time; making one takes a tenth of a second or more, so tests
    that make many short-lived services hand in keys made once).
    """

    def __init__(self, store: Store, new_key: NewKey = new_rsa_key) -> None:
        self._store = store
        self._new_key = new_key
        self._lock = threading.Lock()
        self._cache: dict[str, dict[str, tuple[str, rsa.RSAPrivateKey]]] = {}

    def _pool_keys(self, user_pool_id: str) -> dict[str, tuple[str, rsa.RSAPrivateKey]]:
        with self._lock:
            if user_pool_id not in self._cache:
                kept = self._store.signing_keys(user_pool_id)
                for use in USES:
                    if use not in kept:
                        pem = (
                            self._new_key()
                            .private_bytes(
                                serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption(),
                            )
                            .decode()
                        )
                        kid = base64.b64encode(secrets.token_bytes(32)).decode()
                        self._store.add_signing_key(user_pool_id, use, kid, pem)
                kept = self._store.signing_keys(user_pool_id)
                self._cache[user_pool_id] = {
                    use: (kid, _rsa_key(pem)) for use, (kid, pem) in kept.items()
                }
            return self._cache[user_pool_id]

    def forget(self, user_pool_id: str) -> None:
        with self._lock:
            self._cache.pop(user_pool_id, None)

    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        """The pool's JSON Web Key Set: both public keys, each with its kid."""
        keys = []
        for use in USES:
            kid, private = self._pool_keys(user_pool_id)[use]
            public = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
            public.update({"kid": kid, "alg": "RS256", "use": "sig"})
            keys.append(public)
        return {"keys": keys}

    def sign(self, user_pool_id: str, claims: dict[str, Any], use: str) -> str:
        """``claims`` as a JWT signed (RS256) with the pool's ``use`` key."""
        kid, private = self._pool_keys(user_pool_id)[use]
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})

    def read_access_token(self, user_pool_id: str, token: str) -> dict[str, Any]:
        """The claims of an access token this pool signed; raises jwt.PyJWTError otherwise.

        Expiry is left to the caller, who checks it against the server's clock.
        """
        _, private = self._pool_keys(user_pool_id)["access"]
        return jwt.decode(
            token,
            private.public_key(),
            algorithms=["RS256"],
            options={
                "verify_exp": False,
                "verify_aud": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )


def issue_tokens(
    keys: PoolKeys,
    *,
    region: str,
    user_pool_id: str,
    client_id: str,
    username: str,
    attributes: dict[str, str],
    groups: list[str],
    roles: dict[str, Any],
    origin_jti: str,
    auth_time: int,
    now: int,
    access_seconds: int,
    id_seconds: int,
) -> Tokens:
    """An id token and an access token with the claim sets real Cognito issues.

    Claims come first and attributes can never replace them: attribute names are checked
    against the pool's schema before they are stored, and here only names that are not
    claims already are copied in.
    """
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
    common = {
        "sub": attributes["sub"],
        "iss": issuer,
        "origin_jti": origin_jti,
        "event_id": str(uuid.uuid4()),
        "auth_time": auth_time,
        "iat": now,
    }
    if groups:  # Cognito adds cognito:groups to both tokens when the user is in a group
        common["cognito:groups"] = groups
    id_claims = {
        **common,
        "aud": client_id,
        "cognito:username": username,
        "token_use": "id",
        "jti": str(uuid.uuid4()),
        "exp": now + id_seconds,
        **roles,  # cognito:roles and cognito:preferred_role, id token only (issuing.group_roles)
    }
    # Like Cognito, the id token carries the user's attributes (what the client may read:
    # here, all); the *_verified flags are booleans, everything else a string.
    for name, value in attributes.items():
        if name not in id_claims:
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
        "exp": now + access_seconds,
    }
    return Tokens(
        id_token=keys.sign(user_pool_id, id_claims, "id"),
        access_token=keys.sign(user_pool_id, access_claims, "access"),
        expires_in=access_seconds,
    )


def _rsa_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("a pool's signing key is not an RSA key")
    return key
