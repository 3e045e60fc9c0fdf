"""Where a user pool publishes its signing keys, and one client that fetches them.

:class:`JWKSClient` is pyjwt's ``PyJWKClient`` shape for the kit: one object per JWKS URL that
keeps the key set for a lifespan and refetches once when a token names a kid it does not know
(keys can rotate; the kit's local backend keeps its keys across restarts and makes new ones
only after `wildrydes local reset`).

On AWS the key set is at ``https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/
jwks.json`` (Developer Guide, "Verifying JSON web tokens"); only the local backend serves it
over plain HTTP, on 127.0.0.1.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from wildrydes.errors import ConfigurationError, TokenError
from wildrydes.tokens.decoding import decode

__all__ = [
    "DEFAULT_LIFESPAN_SECONDS",
    "JWKSClient",
    "clear_jwks_cache",
    "fetch_jwks",
    "issuer",
    "jwks_client",
    "jwks_url",
]

#: How long a fetched key set is trusted before it is fetched again (pyjwt's default).
DEFAULT_LIFESPAN_SECONDS = 300
_JWKS_TIMEOUT_SECONDS = 10


def _require(**values: Any) -> None:
    missing = [name for name, value in values.items() if not isinstance(value, str) or not value]
    if missing:
        raise ConfigurationError(
            f"missing {', '.join(missing)}: pass the values of the user pool you created "
            "(run the setup step first if they are not set yet)"
        )


def issuer(region: str, user_pool_id: str) -> str:
    """The ``iss`` of the pool's tokens: Cognito's form, which the kit's local backend writes
    too although it signs on this machine (``iss`` is a claim; the signature checked with the
    expected pool's keys is what counts)."""
    _require(region=region, user_pool_id=user_pool_id)
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def jwks_url(region: str, user_pool_id: str, endpoint_url: str | None = None) -> str:
    """Where the pool publishes its signing keys (``endpoint_url``: the local backend or an
    AWS-compatible endpoint; None: AWS itself, under the issuer URL)."""
    _require(region=region, user_pool_id=user_pool_id)
    base = endpoint_url.rstrip("/") if endpoint_url else issuer(region, user_pool_id)
    if endpoint_url:
        base = f"{base}/{user_pool_id}"
    return f"{base}/.well-known/jwks.json"


def _jwks_failure(url: str, what: str) -> TokenError:
    return TokenError(
        f"could not fetch the JWKS from {url}: {what}",
        hint="check the region and user pool id the URL was built from (jwks_url(...)); on "
        "the local backend, check that it is running and the pool exists",
    )


class JWKSClient:
    """The key set at ``url``, fetched once and kept for ``lifespan`` seconds."""

    def __init__(
        self,
        url: str,
        *,
        lifespan: float = DEFAULT_LIFESPAN_SECONDS,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.lifespan = lifespan
        self._session = session
        self._clock = clock
        self._lock = threading.Lock()
        self._jwks: dict[str, Any] | None = None
        self._fetched_at = 0.0

    def get_jwks(self, *, refresh: bool = False) -> dict[str, Any]:
        """The key set (a copy): cached, unless ``refresh`` or older than the lifespan."""
        with self._lock:
            fresh = self._jwks is not None and self._clock() - self._fetched_at < self.lifespan
            if refresh or not fresh or self._jwks is None:
                self._jwks = self._fetch()
                self._fetched_at = self._clock()
            return copy.deepcopy(self._jwks)

    def jwks_for(self, token: str) -> dict[str, Any]:
        """The key set to verify ``token`` with: refetched once if it does not know the kid."""
        jwks = self.get_jwks()
        kid = _kid(token)
        if kid and kid not in {key.get("kid") for key in jwks.get("keys", [])}:
            jwks = self.get_jwks(refresh=True)
        return jwks

    def clear(self) -> None:
        with self._lock:
            self._jwks = None

    def _fetch(self) -> dict[str, Any]:
        getter = self._session.get if self._session is not None else requests.get
        try:
            response = getter(self.url, timeout=_JWKS_TIMEOUT_SECONDS)
        except requests.RequestException as e:
            raise _jwks_failure(self.url, f"{type(e).__name__} ({e})") from e
        if response.status_code != 200:
            raise _jwks_failure(self.url, f"HTTP {response.status_code} {response.reason or ''}")
        try:
            data = response.json()
        except ValueError as e:
            raise _jwks_failure(self.url, "the answer is not JSON") from e
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(keys, list) or not keys:
            raise _jwks_failure(self.url, "the answer has no 'keys' list")
        return data


def _kid(token: str) -> str | None:
    try:
        kid = decode(token).header.get("kid")
    except TokenError:
        return None
    return kid if isinstance(kid, str) else None


_clients: dict[str, JWKSClient] = {}
_clients_lock = threading.Lock()


def jwks_client(url: str) -> JWKSClient:
    """The process's one client for ``url`` (made on first use)."""
    with _clients_lock:
        if url not in _clients:
            _clients[url] = JWKSClient(url)
        return _clients[url]


def fetch_jwks(jwks_url: str, *, session: requests.Session | None = None) -> dict[str, Any]:
    """GET the pool's JWKS: through the URL's shared client, or fresh with ``session``."""
    if session is not None:
        return JWKSClient(jwks_url, session=session).get_jwks()
    return jwks_client(jwks_url).get_jwks()


def clear_jwks_cache() -> None:
    """Forget every fetched JWKS (after a key rotation, or a `wildrydes local reset`)."""
    with _clients_lock:
        _clients.clear()
