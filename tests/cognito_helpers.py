"""Helpers for the local Cognito service tests: a pool of their own, users, sign-ins, HTTP."""

from __future__ import annotations

import uuid

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


def cognito():
    """The kit's own client: signed with the kit home's key (admin calls need it)."""
    return connect().client("cognito-idp")


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
    response = requests.get(f"{endpoint()}/_wildrydes/outbox", headers=secret.headers(), timeout=10)
    response.raise_for_status()
    return response.json()


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
    tests_support.advance_clock(endpoint(), seconds)


def post(operation: str, body: bytes | dict) -> requests.Response:
    """A Cognito call as raw HTTP (no SDK validation in the way). Operations AWS serves only
    to IAM credentials are signed with the kit home's key, as the kit's clients sign them."""
    import json

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
