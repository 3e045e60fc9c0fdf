"""The kit object: which backend, which website bucket, which user pool and app client.

Every workshop step after ``up`` takes a :class:`Kit`; :func:`current` reads the one ``up``
(or notebooks 01 and 02) recorded, without an AWS call. A kit also knows where its pool
publishes its signing keys and which issuer its tokens name, on the backend in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from wildrydes import state, tokens
from wildrydes.backend import Backend, connect
from wildrydes.errors import ConfigurationError, TokenError

__all__ = ["Kit", "current"]


@dataclass(frozen=True)
class Kit:
    """What the account and token steps need: the backend, the pool and the app client."""

    backend: Backend
    bucket: str
    user_pool_id: str
    app_client_id: str

    @property
    def region(self) -> str:
        return self.backend.region

    @property
    def jwks_url(self) -> str:
        """Where the kit's pool publishes its signing keys, on the backend in use."""
        endpoint = self.backend.service_url("cognito-idp")
        return tokens.jwks_url(self.region, self.user_pool_id, endpoint)

    def issuer(self) -> str:
        """The ``iss`` the kit's pool signs with: Cognito's form on AWS and on the embedded
        backend; on another AWS-compatible endpoint, what its openid-configuration says."""
        endpoint = self.backend.service_url("cognito-idp") if self.backend.kind == "aws" else None
        if not endpoint:
            return tokens.issuer(self.region, self.user_pool_id)
        url = f"{endpoint}/{self.user_pool_id}/.well-known/openid-configuration"
        if url not in _ISSUERS:
            _ISSUERS[url] = _fetch_issuer(url)
        return _ISSUERS[url]

    def expected_pool(self) -> tokens.ExpectedPool:
        """The kit's pool as the one a token must come from: its issuer and its JWKS URL on
        the backend in use (for :func:`wildrydes.tokens.inspect`)."""
        return tokens.ExpectedPool(
            self.region, self.user_pool_id, jwks_url=self.jwks_url, issuer=self.issuer()
        )


_ISSUERS: dict[str, str] = {}  # openid-configuration URL -> the issuer it names


def _fetch_issuer(url: str) -> str:
    import requests  # only here: `wildrydes up`, which imports this module, never fetches

    try:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        found = response.json()["issuer"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as e:
        raise TokenError(
            f"Could not read the issuer from {url} ({type(e).__name__}).",
            hint="check that AWS_ENDPOINT_URL names an endpoint that serves the pool's "
            "openid-configuration.",
        ) from e
    if not isinstance(found, str) or not found:
        raise TokenError(f"{url} names no issuer; the endpoint is not Cognito-compatible.")
    return found


def current(kind: str | None = None, *, region: str | None = None) -> Kit:
    """The pool and client ``up`` made on this backend (no AWS call)."""
    backend = connect(kind, region)
    record = state.load(backend.state_key)
    if not record.get("user_pool_id") or not record.get("app_client_id"):
        raise ConfigurationError(
            f"No user pool and app client on the {backend.kind} backend yet. Run `wildrydes up` "
            "(or notebooks 01 and 02) first."
        )
    return Kit(backend, record["bucket"], record["user_pool_id"], record["app_client_id"])
