"""Tokens made for the token tests: claims like Cognito's, minted with a test key, verified."""

from __future__ import annotations

import base64
import json

import jwt

from wildrydes.tokens import (
    verify,
)

REGION = "eu-west-1"
POOL = "eu-west-1_AbCdEf123"
OTHER_POOL = "eu-west-1_ZyXwVu987"
CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
KID = "test-kid-1"
NOW = 1_700_000_000  # 2023-11-14 22:13:20 UTC
ISS = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
ALL_CHECKS = [
    "format",
    "algorithm",
    "key",
    "signature",
    "expiry",
    "issuer",
    "audience",
    "token_use",
]


def id_claims(**overrides) -> dict:
    claims = {
        "sub": "7d8ca528-4931-4254-9273-ea5ee853f271",
        "email_verified": True,
        "iss": ISS,
        "cognito:username": "rider1",
        "origin_jti": "b6f2c3d4-0000-4000-8000-000000000001",
        "aud": CLIENT,
        "event_id": "e1f2a3b4-0000-4000-8000-000000000002",
        "token_use": "id",
        "auth_time": NOW - 120,
        "exp": NOW + 3600,
        "iat": NOW - 120,
        "jti": "c7d8e9f0-0000-4000-8000-000000000003",
        "email": "rider1@example.com",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def access_claims(**overrides) -> dict:
    claims = {
        "sub": "7d8ca528-4931-4254-9273-ea5ee853f271",
        "iss": ISS,
        "client_id": CLIENT,
        "origin_jti": "b6f2c3d4-0000-4000-8000-000000000001",
        "event_id": "e1f2a3b4-0000-4000-8000-000000000002",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": NOW - 120,
        "exp": NOW + 3600,
        "iat": NOW - 120,
        "jti": "d1e2f3a4-0000-4000-8000-000000000004",
        "username": "rider1",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def mint(key, claims: dict, *, kid: str | None = KID) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(value) -> str:
    return b64url(json.dumps(value).encode())


def run(token: str, jwks: dict, **kwargs):
    kwargs.setdefault("now", NOW)
    return verify(token, jwks=jwks, region=REGION, user_pool_id=POOL, client_id=CLIENT, **kwargs)


def only_failed(result, *names: str) -> None:
    assert result.failed == list(names), str(result)
    assert result.ok is False
