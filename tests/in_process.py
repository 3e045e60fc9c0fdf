"""The local Cognito service in this process, for the in-process test tier (no socket).

:class:`InProcessCognito` holds a :class:`~wildrydes.local.cognito.LocalCognito` on a kit home of
its own, with a clock the test holds (:class:`FrozenClock`: it moves only when told, so no
lifetime or lockout depends on how busy the machine is). Its boto3 clients are real boto3
clients: botocore validates and serializes each call from AWS's model as it would for AWS, and
a ``before-send`` hook hands the request to the service's :meth:`~LocalCognito.answer`, the same
call the HTTP front makes, instead of opening a connection. What only HTTP can show (the doors,
signatures, routes, the real JavaScript clients) stays in tests/integration.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from cryptography.hazmat.primitives.asymmetric import rsa

from wildrydes.local.cognito import Clock, LocalCognito
from wildrydes.local.cognito.signing import new_rsa_key

__all__ = ["FrozenClock", "InProcessCognito", "KeyStock", "Reply"]

COGNITO_TARGET = "AWSCognitoIdentityProviderService."
# The kit's own clients retry once (wildrydes.backend); the in-process ones do the same, so a
# retried LimitExceededException counts as it does over HTTP.
_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"})
_SESSION = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")


class FrozenClock(Clock):
    """The real time when made, then only what :meth:`advance` adds."""

    def __init__(self) -> None:
        super().__init__()
        self._start = time.time()

    def now(self) -> float:
        return self._start + self.offset


class KeyStock:
    """RSA keys made once per test process and handed out again to each new service.

    Making a 2048-bit key takes a tenth of a second or more; a service made per test would
    spend most of its time on them. Within one service every key is new (two pools never
    share one); two services, each in a kit home of its own, may use the same keys.
    """

    def __init__(self) -> None:
        self._keys: list[rsa.RSAPrivateKey] = []

    def for_one_service(self) -> Callable[[], rsa.RSAPrivateKey]:
        taken = itertools.count()

        def new_key() -> rsa.RSAPrivateKey:
            index = next(taken)
            while len(self._keys) <= index:
                self._keys.append(new_rsa_key())
            return self._keys[index]

        return new_key


KEYS = KeyStock()


class Reply:
    """An answer as a raw HTTP client sees it (the parts of ``requests.Response`` tests use)."""

    def __init__(self, status_code: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code, self.headers, self.content = status_code, headers, body

    @property
    def text(self) -> str:
        return self.content.decode()

    def json(self) -> Any:
        return json.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}: {self.text}")


class _Raw:
    """The body of an answer, as botocore reads a response's stream."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


class InProcessCognito:
    """A local Cognito service of one's own in ``home``, reached without a socket."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.clock = FrozenClock()
        self._new_key = KEYS.for_one_service()
        self.service = LocalCognito(self.home, clock=self.clock, new_key=self._new_key)
        self._clients: dict[str, Any] = {}
        self._crashed: list[LocalCognito] = []

    # -- what a client sees ---------------------------------------------------------------
    def client(self, region: str = "us-east-1") -> Any:
        """A boto3 cognito-idp client whose calls this service answers in-process."""
        if region not in self._clients:
            client = _SESSION.client(
                "cognito-idp",
                region_name=region,
                endpoint_url="http://cognito.in-process",
                config=_CONFIG,
            )
            client.meta.events.register(
                "before-send.cognito-identity-provider", self._sender(region)
            )
            self._clients[region] = client
        return self._clients[region]

    def _sender(self, region: str) -> Callable[..., AWSResponse]:
        def send(request: Any, **_: Any) -> AWSResponse:
            target = request.headers["X-Amz-Target"]
            target = target.decode() if isinstance(target, bytes) else target
            body = request.body or b"{}"
            body = body.encode() if isinstance(body, str) else body
            answer = self.service.answer(target.removeprefix(COGNITO_TARGET), body, region)
            return AWSResponse(request.url, answer.status, answer.headers, _Raw(answer.body))

        return send

    def post(
        self, operation: str, body: bytes | dict[str, Any], region: str = "us-east-1"
    ) -> Reply:
        """A raw request body (no SDK validation in the way), answered as on the wire."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        answer = self.service.answer(operation, raw, region)
        return Reply(answer.status, answer.headers, answer.body)

    # -- what the learner's side of the backend sees -----------------------------------------
    def outbox(self) -> list[dict[str, str]]:
        return self.service.outbox.as_json()

    def mailbox_page(self) -> str:
        return self.service.outbox.mailbox_page()

    def jwks(self, pool_id: str) -> dict[str, Any]:
        return self.service.jwks(pool_id)

    def advance_clock(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def restart(self) -> None:
        """A new service on the same home while the old one is left as a crash leaves it:
        not closed, so nothing was checkpointed out of the write-ahead log for it."""
        self._crashed.append(self.service)
        self.service = LocalCognito(self.home, clock=self.clock, new_key=self._new_key)

    def close(self) -> None:
        """Close the service (SQLite checkpoints its log into the file) and any left behind."""
        for service in [*self._crashed, self.service]:
            service.close()
        self._crashed.clear()
