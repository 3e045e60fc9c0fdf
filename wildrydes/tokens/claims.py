"""What each claim of a token means, in Cognito's words or the JWT standard's.

Cognito's words for Cognito's tokens, the standard's (RFC 7519 section 4.1) for any other;
custom attributes and unknown claims said as such.

A claim Cognito puts in its tokens is explained as Cognito's (``cognito:groups`` is the user's
groups, never "custom"); a token from another issuer keeps only the standard's meanings, since
its issuer may mean something else by ``sub`` or ``iat``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["claim_meaning", "is_cognito"]

_COGNITO_ISS = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/[\w-]+_[0-9A-Za-z]+$")
_UNKNOWN_CLAIM = (
    "a claim neither registered by the JWT standard (RFC 7519) nor one Cognito issues by "
    "default: it means whatever its issuer means by it"
)
_CUSTOM_ATTRIBUTE = (
    "Cognito's: a custom attribute of the user pool (Cognito names custom attributes custom:<name>)"
)
_FOREIGN = "not a Cognito token, so only the JWT standard's meaning applies"
# RFC 7519 section 4.1: the registered claims, what any JWT's issuer means by them.
_REGISTERED = {
    "iss": "issuer: who signed the token; only a claim until the signature checks with the keys "
    "of the issuer you trust",
    "sub": "subject: who the token is about, as its issuer names them",
    "aud": "audience: who the token is meant for",
    "exp": "expiry: from this time on the token must be refused",
    "nbf": "not before: the token must be refused before this time",
    "iat": "issued at: when the issuer made this token",
    "jti": "JWT ID: this token's unique id",
}
# Cognito's own words for the claims it puts in user pool tokens. Sources: Developer Guide,
# "Understanding the identity (ID) token" and "Understanding the access token" (their default
# payloads: sub, cognito:groups, cognito:username, origin_jti, event_id, token_use, auth_time,
# client_id, username, scope, version, cognito:preferred_role, cognito:roles, identities,
# nonce, at_hash); "Understanding user pool JSON web tokens" (cognito:groups in both tokens);
# "Ending user sessions with token revocation" (jti and origin_jti, and revoked tokens still
# passing an offline check of signature and expiry); "Verifying JSON web tokens" (iss must match
# your user pool).
_COGNITO_CLAIMS = {
    "sub": "the user's unique, permanent id in this user pool; key your data on it, "
    "not on the user name",
    "cognito:username": "the user's user name in the user pool (id token)",
    "username": "the user's user name in the user pool (access token)",
    "cognito:groups": "the user pool groups the user was in at sign-in or at the last refresh "
    "(id and access tokens both carry it)",
    "cognito:roles": "the IAM roles of the user's groups (id token; API Reference, GroupType)",
    "cognito:preferred_role": "the role of the user's group with the lowest Precedence (id "
    "token); an identity pool may hand out credentials for it",
    "identities": "the external identity provider the user signed in through (federation)",
    "email": "the user's email address (a user attribute)",
    "email_verified": "whether the user pool counts the email address as verified: by the "
    "emailed code, or marked so by an administrator",
    "phone_number": "the user's phone number (a user attribute)",
    "phone_number_verified": "whether the user pool counts the phone number as verified",
    "aud": "audience: the app client the id token was issued to",
    "client_id": "the app client the access token was issued to",
    "iss": "issuer: the user pool the token names as its issuer; only a claim until the "
    "signature checks with the keys of the pool you expect",
    "token_use": "which token this is: 'id' carries who the user is (attributes, "
    "cognito:username); 'access' carries scopes and groups, for Cognito's own user APIs or "
    "an API that checks scopes",
    "scope": "OAuth scopes the access token grants, separated by spaces; a sign-in through "
    "the API (like SRP here) gets aws.cognito.signin.user.admin, Cognito's own user APIs",
    "auth_time": "when the user signed in (a refreshed token keeps the original time)",
    "iat": "issued at: when Cognito issued this token",
    "exp": "expiry: from this time on the token must be refused",
    "jti": "unique id of this token (JWT ID); present when token revocation is on for the "
    "app client",
    "origin_jti": "id of the sign-in (refresh token) this token descends from; present when "
    "token revocation is on. After a revocation Cognito refuses every token with this "
    "origin_jti at its own APIs; an offline check still accepts them until exp",
    "event_id": "an id Cognito gives the sign-in event this token comes from (AWS does not "
    "document it further)",
    "version": "the version of the access token's format",
    "nonce": "the nonce the app sent to the authorize endpoint, returned to it (OIDC)",
    "at_hash": "a hash of the access token issued with this id token (OIDC)",
}
#: Claims only Cognito issues: a token holding one of them is read as Cognito's.
_COGNITO_ONLY = ("token_use", "cognito:username", "cognito:groups", "origin_jti", "event_id")


def is_cognito(claims: Mapping[str, Any]) -> bool:
    """Whether the claims read as a Cognito user pool's: Cognito's issuer form, or a claim only
    Cognito issues (a token from the kit's local backend or an endpoint included)."""
    iss = claims.get("iss")
    if isinstance(iss, str) and _COGNITO_ISS.match(iss):
        return True
    return any(name in claims for name in _COGNITO_ONLY)


def claim_meaning(name: str, cognito: bool) -> str:
    """What a claim means: Cognito's words (marked as Cognito's) for a Cognito token, the JWT
    standard's for any other; custom attributes and unknown claims said as such."""
    if cognito and name in _COGNITO_CLAIMS:
        return "Cognito's: " + _COGNITO_CLAIMS[name]
    if name in _REGISTERED:
        return _REGISTERED[name] + ("" if cognito else f" ({_FOREIGN})")
    if name.startswith("custom:"):
        return _CUSTOM_ATTRIBUTE
    if name in _COGNITO_CLAIMS and (name.startswith("cognito:") or name in _COGNITO_ONLY):
        return "Cognito's: " + _COGNITO_CLAIMS[name]
    return _UNKNOWN_CLAIM
