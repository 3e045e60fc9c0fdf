"""API Gateway's ``COGNITO_USER_POOLS`` authorizer, rule by rule, for the local ride API.

Each rule names its source. "API Reference" is Amazon API Gateway's API Reference as botocore
ships it (``data/apigateway/*/service-2.json``); "Developer Guide" is the API Gateway Developer
Guide; "Knowledge Center" is AWS's article *How do I troubleshoot "401 Unauthorized" errors from
an API Gateway REST API endpoint after I've set up an Amazon Cognito user pool?*

1. **Token source**: the token comes from the ``Authorization`` header (Developer Guide, "Call a
   REST API integrated with an Amazon Cognito user pool": "Include the token in the
   Authorization header"; API Reference, ``Authorizer.identitySource``,
   ``method.request.header.Authorization``). Module 3's site sends the raw id token; a
   ``Bearer`` prefix is taken off too (Amazon Cognito Developer Guide, "Accessing resources with
   API Gateway after sign-in": apps "add them as bearer tokens to an Authorization header"; and
   seen on AWS: awslabs/nx-plugin-for-aws's clients sent ``Bearer <id token>`` to a REST API's
   Cognito authorizer, which its deployment test in PR #828 found accepting the id token and
   refusing the access token on a method without scopes).
   A missing or empty header gets 401 ``{"message":"Unauthorized"}`` (Developer Guide,
   "Gateway response types": ``UNAUTHORIZED``, 401, when "the custom or Amazon Cognito
   authorizer failed to authenticate the caller"; the default body is
   ``{"message":$context.error.messageString}``).
2. **Format**: a JWT (three base64url parts, JSON header and claims); anything else is 401
   Unauthorized (the same gateway response).
3. **Issuer**: the token's ``iss`` must be a user pool the authorizer names (Knowledge Center:
   "The issuer in the security token matches the Amazon Cognito user pool configured on the
   API"). An authorizer may name up to 1,000 pools (Developer Guide, "Integrate a REST API with
   an Amazon Cognito user pool"), so the issuer also says whose keys judge the signature;
   keys are never fetched from wherever ``iss`` points.
4. **Signature**: RS256 (any other ``alg``, ``none`` or HS256 among them, is refused) with
   that pool's key whose ``kid`` matches, from the pool's JWKS; a
   token signed by anyone else (another pool, a forger) is 401 Unauthorized.
5. **Expiry**: ``exp`` judged by the backend's clock (the instructor may move it); an expired
   token is 401 ``{"message":"The incoming token has expired"}`` (Knowledge Center: "The
   security token isn't expired"; the words are what API Gateway answers, which AWS's guides
   do not print: see the kit's note for issue 24).
6. **Token type**: with no OAuth scopes on the method the id token is the one accepted; with
   scopes, only an access token whose ``scope`` claim holds at least one of them (API
   Reference, ``Method.authorizationScopes``: "The method invocation is authorized if any
   method scopes matches a claimed scope in the access token ... When the method scope is
   configured, the client must provide an access token instead of an identity token";
   Knowledge Center: "If there are no additional scopes configured on the API Gateway method,
   make sure that you're using a valid ID token"). Otherwise 401 Unauthorized.

What it admits carries the token's claims, which API Gateway hands the integration as
``requestContext.authorizer.claims``. Not modelled: ``identityValidationExpression`` (a regular
expression on ``aud``), other token sources, and the authorizer's result cache.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm

__all__ = [
    "EXPIRED",
    "UNAUTHORIZED",
    "Authorizer",
    "Verdict",
    "issuer_of",
]

UNAUTHORIZED = {"message": "Unauthorized"}
EXPIRED = {"message": "The incoming token has expired"}
_BEARER = "bearer "


def issuer_of(region: str, user_pool_id: str) -> str:
    """The ``iss`` Cognito writes in a pool's tokens."""
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


@dataclass(frozen=True)
class Verdict:
    """What the authorizer decided, and which rule decided it.

    ``status`` and ``body`` are API Gateway's answer when the request is refused (``status``
    is 200 when it is admitted); ``check`` names the rule; ``reason`` says why in a sentence.
    """

    status: int
    body: dict[str, str] | None
    check: str
    reason: str
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def admitted(self) -> bool:
        return self.status == 200

    def __str__(self) -> str:
        answer = "admitted" if self.admitted else f"{self.status} {json.dumps(self.body)}"
        return f"{answer} ({self.check}: {self.reason})"


def _refused(check: str, reason: str, body: dict[str, str] = UNAUTHORIZED) -> Verdict:
    return Verdict(401, dict(body), check, reason)


@dataclass(frozen=True)
class Authorizer:
    """A ``COGNITO_USER_POOLS`` authorizer over ``pools`` (issuer -> that pool's JWKS), for a
    method with the OAuth ``scopes`` given (none: the id token is the one accepted)."""

    pools: Mapping[str, Mapping[str, Any]]
    scopes: tuple[str, ...] = ()

    def __call__(self, authorization: str | None, now: float) -> Verdict:
        token = (authorization or "").strip()
        if token.lower().startswith(_BEARER):
            token = token[len(_BEARER) :].strip()
        if not token:
            return _refused("token source", "no token in the Authorization header")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return _refused("format", "the Authorization header does not hold a JWT")
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            return _refused(
                "signature", f"the token is signed {header.get('alg')!r}; Cognito signs RS256"
            )
        issuer = claims.get("iss")
        jwks = self.pools.get(issuer) if isinstance(issuer, str) else None
        if jwks is None:
            return _refused("issuer", f"the token was issued by {issuer!r}, not the API's pool")
        problem = _signature_problem(token, header["kid"], jwks)
        if problem:
            return _refused("signature", problem)
        expires = claims.get("exp")
        if not isinstance(expires, (int, float)) or expires <= now:
            return _refused("expiry", "the token's exp has passed", EXPIRED)
        problem = self._token_type_problem(claims)
        if problem:
            return _refused("token type", problem)
        return Verdict(200, None, "admitted", "every check passed", claims)

    def _token_type_problem(self, claims: Mapping[str, Any]) -> str | None:
        use = claims.get("token_use")
        if not self.scopes:
            if use != "id":
                return f"a {use} token; a method without OAuth scopes accepts the id token"
            return None
        if use != "access":
            return f"a {use} token; a method with OAuth scopes accepts an access token"
        granted = str(claims.get("scope", "")).split()
        if not set(granted) & set(self.scopes):
            return f"the token's scopes {granted} include none of the method's {list(self.scopes)}"
        return None


def _signature_problem(token: str, kid: str, jwks: Mapping[str, Any]) -> str | None:
    """None when the pool's key ``kid`` verifies the token's RS256 signature, else why not."""
    jwk = next((k for k in jwks.get("keys", []) if k.get("kid") == kid), None)
    if jwk is None:
        return f"no key {kid!r} in the pool's JWKS: another pool or a forger signed it"
    key = RSAAlgorithm.from_jwk(json.dumps(jwk))
    try:
        jwt.decode(
            token,
            key,  # type: ignore[arg-type]
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_aud": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError:
        return "the signature does not match the pool's key: the token was changed or forged"
    except jwt.PyJWTError as e:
        return f"the signature cannot be checked ({e})"
    return None
