"""Where a token's signing keys are: the expected pool's JWKS URL, else where its ``iss`` points.

For Cognito's issuer form, ``<iss>/.well-known/jwks.json`` (Developer Guide, "Verifying JSON web
tokens"); a pool that exists on the running local backend is looked up there first, since the
kit's backend writes Cognito's issuer form. :class:`ExpectedPool` names the pool a token must
come from; :class:`KeySource` says where keys were looked for and what came of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import requests

from wildrydes.errors import TokenError
from wildrydes.local import process
from wildrydes.tokens.jwks import issuer

__all__ = [
    "COGNITO_ISS",
    "ExpectedPool",
    "KeySource",
    "fetch_key_set",
    "jwks_candidates",
    "key_sources",
    "local_endpoint",
]

COGNITO_ISS = re.compile(
    r"^https://cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<pool>[\w-]+_[0-9A-Za-z]+)$"
)


@dataclass(frozen=True)
class ExpectedPool:
    """The user pool a token must come from: the issuer to require, and where its keys are.

    ``jwks_url``: None looks on the running local backend first, then at AWS's URL under the
    issuer. ``issuer``: None is Cognito's form for ``region`` and ``user_pool_id``; an
    AWS-compatible endpoint may publish another in its openid-configuration.
    """

    region: str
    user_pool_id: str
    jwks_url: str | None = None
    issuer: str | None = None

    @property
    def expected_issuer(self) -> str:
        return self.issuer or issuer(self.region, self.user_pool_id)


@dataclass(frozen=True)
class KeySource:
    """Where the token's signing keys were looked for, and what came of it."""

    url: str
    what: str  # "the local backend", "the issuer" or "the expected pool"
    found: bool
    note: str = ""


def local_endpoint() -> str | None:
    """The running embedded backend's URL, without starting one."""
    running = process.status()
    return running.url if running else None


def jwks_candidates(iss: str, local_endpoint: str | None) -> list[tuple[str, str]]:
    """Where the keys of a token with this ``iss`` may be: (url, what), best first."""
    found = []
    match = COGNITO_ISS.match(iss or "")
    if match and local_endpoint:
        found.append(
            (
                f"{local_endpoint.rstrip('/')}/{match['pool']}/.well-known/jwks.json",
                "the local backend",
            )
        )
    if isinstance(iss, str) and iss.startswith("https://"):
        found.append((f"{iss.rstrip('/')}/.well-known/jwks.json", "the issuer"))
    return found


def fetch_key_set(url: str) -> dict[str, Any]:
    response = requests.get(url, timeout=5)
    if response.status_code != 200:
        raise TokenError(f"HTTP {response.status_code}")
    data = response.json()
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise TokenError("the answer is not a key set")
    return data


def key_sources(
    iss: str, expect: ExpectedPool | None, local_endpoint: str | None
) -> list[tuple[str, str]]:
    """Where to look for the keys: the expected pool's, else where the token's iss points."""
    if expect is None:
        return jwks_candidates(iss, local_endpoint)
    if expect.jwks_url:
        return [(expect.jwks_url, "the expected pool")]
    return jwks_candidates(expect.expected_issuer, local_endpoint)
