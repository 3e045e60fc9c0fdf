"""Keys and a key set shared by the token tests."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from token_factory import KID

from wildrydes.tokens import clear_jwks_cache


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks(private_key) -> dict:
    public_jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {"keys": [{**public_jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}


@pytest.fixture(autouse=True)
def _empty_jwks_cache():
    clear_jwks_cache()
    yield
    clear_jwks_cache()
