"""``POST <invoke URL>/ride`` on the embedded backend: the authorizer, then RequestUnicorn.

The invoke URL is ``<backend>/_api/prod`` (on AWS, ``https://<api id>.execute-api.<region>
.amazonaws.com/prod``); the site's config.js names it relative to the page, ``../_api/prod``,
like Cognito, so it works wherever the backend is reached from. The front's doors (Host,
Origin) have admitted the request before it gets here; no SigV4 is asked for, as API Gateway
asks none of a method whose authorizer is a user pool.

The authorizer trusts the pools ``pool_ids()`` names (the kit's WildRydes pool), judges expiry
by the Cognito service's clock, and reads each pool's keys from that service: the JWKS it
serves at ``/<pool_id>/.well-known/jwks.json``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from wildrydes.local.bodies import JSON_LIMIT, TooLarge, read_bytes
from wildrydes.local.cognito import CognitoError, LocalCognito
from wildrydes.local.ride.authorizer import Authorizer, Verdict
from wildrydes.local.ride.handler import request_unicorn

__all__ = ["API_PREFIX", "RESOURCE", "STAGE", "RideApi"]

API_PREFIX = "/_api/"
STAGE = "prod"
RESOURCE = "/ride"
# API Gateway's answer to a resource or method the API does not have (Developer Guide, "Gateway
# response types": MISSING_AUTHENTICATION_TOKEN, 403, "including the cases when the client
# attempts to invoke an unsupported API method or resource").
_NO_SUCH_ROUTE = {"message": "Missing Authentication Token"}


class RideApi:
    """Module 3's ride API: ``scopes`` are the method's OAuth scopes (none, as in module 3)."""

    def __init__(
        self,
        cognito: LocalCognito,
        pool_ids: Callable[[], Iterable[str]],
        scopes: tuple[str, ...] = (),
    ) -> None:
        self.cognito = cognito
        self.pool_ids = pool_ids
        self.scopes = scopes

    def authorizer(self) -> Authorizer:
        """The authorizer over the pools that exist now (their keys as their JWKS serves them)."""
        pools: dict[str, dict[str, Any]] = {}
        for pool_id in self.pool_ids():
            try:
                pools[self.cognito.issuer(pool_id)] = self.cognito.jwks(pool_id)
            except CognitoError:
                continue  # a pool the state names but the service no longer has
        return Authorizer(pools, self.scopes)

    def __call__(self, request: Request) -> Response:
        route = request.path.removeprefix(API_PREFIX)
        if route != f"{STAGE}{RESOURCE}" or request.method != "POST":
            return _answer(403, _NO_SUCH_ROUTE, "MissingAuthenticationTokenException")
        authorizer = self.authorizer()
        if not authorizer.pools:
            return _answer(
                500,
                {
                    "message": "The ride API's authorizer names no user pool yet: create the "
                    "WildRydes pool (notebooks 01-03, or `wildrydes up`) and sign in again."
                },
                "AuthorizerConfigurationException",
            )
        verdict = authorizer(request.headers.get("Authorization"), self.cognito.clock.now())
        if not verdict.admitted:
            return _refusal(verdict)
        try:
            body = read_bytes(request.environ, JSON_LIMIT).decode("utf-8", errors="replace")
        except TooLarge:
            return _answer(413, {"message": "Request Too Long"})
        answer = request_unicorn(_event(request, body, verdict))
        return _answer(answer.status, answer.body)


def _event(request: Request, body: str, verdict: Verdict) -> dict[str, Any]:
    """The Lambda proxy integration's event, with what the authorizer verified as claims."""
    return {
        "resource": RESOURCE,
        "path": RESOURCE,
        "httpMethod": request.method,
        "headers": dict(request.headers.items()),
        "body": body,
        "requestContext": {
            "stage": STAGE,
            "resourcePath": RESOURCE,
            "httpMethod": request.method,
            "requestId": str(uuid.uuid4()),
            "authorizer": {"claims": dict(verdict.claims)},
        },
    }


def _refusal(verdict: Verdict) -> Response:
    response = _answer(verdict.status, verdict.body or {}, "UnauthorizedException")
    # Which rule refused it, for the instructor's notebook (AWS says only the body above).
    response.headers["X-WildRydes-Authorizer-Check"] = verdict.check
    return response


def _answer(status: int, body: dict[str, Any], error_type: str | None = None) -> Response:
    response = Response(json.dumps(body), status=status, content_type="application/json")
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    if error_type:
        response.headers["x-amzn-ErrorType"] = error_type
    return response
