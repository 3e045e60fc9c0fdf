"""Helpers for the local Cognito service tests: a pool of their own, users, sign-ins, raw calls.

They talk to the current *target*: the running embedded backend over HTTP (the default, for
tests/integration), or an in-process service (tests/service installs one per test with
:func:`using`). The same test body reads the same either way.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from typing import Any, Protocol

import botocore.exceptions
import pytest
import requests
import tests_support

from wildrydes import srp, userpool
from wildrydes.backend import connect
from wildrydes.local import secret

PASSWORD = "Correct-Horse-9"
INCORRECT = "Incorrect username or password."
FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
]


class Target(Protocol):
    """Where the helpers' calls go."""

    def client(self, region: str = "us-east-1") -> Any: ...
    def post(self, operation: str, body: bytes | dict[str, Any]) -> Any: ...
    def outbox(self) -> list[dict[str, str]]: ...
    def jwks(self, pool_id: str) -> dict[str, Any]: ...
    def advance_clock(self, seconds: float) -> None: ...


class OverHttp:
    """The running embedded backend, over HTTP, through the kit's own signed clients."""

    def client(self, region: str = "us-east-1") -> Any:
        return connect(region=region).client("cognito-idp")

    def post(self, operation: str, body: bytes | dict[str, Any]) -> requests.Response:
        """Operations AWS serves only to IAM credentials are signed with the kit home's key,
        as the kit's clients sign them."""
        from wildrydes.local.credentials import sign_request
        from wildrydes.local.doors import public_cognito_operation

        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        url = f"{endpoint()}/"
        headers = {
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        }
        if public_cognito_operation(operation) is False:
            headers = sign_request("POST", url, data, service="cognito-idp", headers=headers)
        return requests.post(url, data=data, timeout=10, headers=headers)

    def outbox(self) -> list[dict[str, str]]:
        response = requests.get(
            f"{endpoint()}/_wildrydes/outbox", headers=secret.headers(), timeout=10
        )
        response.raise_for_status()
        return response.json()

    def jwks(self, pool_id: str) -> dict[str, Any]:
        return requests.get(f"{endpoint()}/{pool_id}/.well-known/jwks.json", timeout=10).json()

    def advance_clock(self, seconds: float) -> None:
        tests_support.advance_clock(endpoint(), seconds)


_TARGETS: list[Target] = [OverHttp()]


@contextlib.contextmanager
def using(target: Target) -> Iterator[Target]:
    """Send the helpers' calls to ``target`` for the block."""
    _TARGETS.append(target)
    try:
        yield target
    finally:
        _TARGETS.remove(target)


def cognito(region: str = "us-east-1"):
    """A cognito-idp client of the current target (over HTTP: the kit's own client, signed
    with the kit home's key, as admin calls need)."""
    return _TARGETS[-1].client(region)


def endpoint() -> str:
    return connect().endpoint_url


def new_pool(name: str = "svc", **client_settings) -> tuple[str, str]:
    """A pool with the workshop's settings and an app client allowing every password flow."""
    pool_id = cognito().create_user_pool(
        PoolName=f"{name}-{uuid.uuid4().hex[:6]}",
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": userpool.WORKSHOP_POLICY.as_api()},
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
            {"Name": "team", "AttributeDataType": "String", "Mutable": True},
        ],
    )["UserPool"]["Id"]
    client_id = cognito().create_user_pool_client(
        UserPoolId=pool_id, ClientName=f"{name}-client", ExplicitAuthFlows=FLOWS, **client_settings
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def email(tag: str = "rider") -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def username_of(address: str) -> str:
    return address.replace("@", "-at-")


def outbox() -> list[dict]:
    return _TARGETS[-1].outbox()


def jwks(pool_id: str) -> dict[str, Any]:
    """The pool's JSON Web Key Set, as the target publishes it."""
    return _TARGETS[-1].jwks(pool_id)


def code_for(username: str, subject_word: str = "") -> str:
    codes = [
        m["code"] for m in outbox() if m["username"] == username and subject_word in m["subject"]
    ]
    assert codes, f"no message for {username} in the outbox"
    return codes[-1]


def signed_up(client_id: str, address: str | None = None, password: str = PASSWORD) -> str:
    address = address or email()
    username = username_of(address)
    cognito().sign_up(
        ClientId=client_id,
        Username=username,
        Password=password,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    return username


def confirmed(client_id: str, password: str = PASSWORD) -> str:
    username = signed_up(client_id, password=password)
    cognito().confirm_sign_up(
        ClientId=client_id, Username=username, ConfirmationCode=code_for(username)
    )
    return username


def password_sign_in(client_id: str, username: str, password: str = PASSWORD) -> dict:
    return cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]


def srp_sign_in(pool_id: str, client_id: str, username: str, password: str = PASSWORD) -> dict:
    a = srp.new_ephemeral_a()
    challenge = cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters=srp.auth_parameters(username, srp.compute_A(a)),
    )["ChallengeParameters"]
    return cognito().respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.client_response(pool_id, password, a, challenge),
    )["AuthenticationResult"]


def advance_clock(seconds: float) -> None:
    """Move the target's clock (over HTTP: the instructor's clock route)."""
    _TARGETS[-1].advance_clock(seconds)


def post(operation: str, body: bytes | dict) -> Any:
    """A Cognito call with a raw body (no SDK validation in the way), answered as on the wire:
    ``status_code``, ``headers``, ``text`` and ``json()``."""
    return _TARGETS[-1].post(operation, body)


class fails:  # noqa: N801 - used like pytest.raises
    """pytest.raises for a ClientError with this code (and this message, if given)."""

    def __init__(self, code: str, message: str | None = None):
        self.code, self.message = code, message
        self._raises = pytest.raises(botocore.exceptions.ClientError)

    def __enter__(self):
        self.info = self._raises.__enter__()
        return self.info

    def __exit__(self, *exc):
        swallowed = self._raises.__exit__(*exc)
        if not swallowed:
            return False
        error = self.info.value.response["Error"]
        assert error["Code"] == self.code, error
        if self.message is not None:
            assert error["Message"] == self.message, error
        return swallowed
