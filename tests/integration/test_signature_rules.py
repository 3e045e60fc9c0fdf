"""SigV4 as AWS checks it around the signature, and bodies nested past reason.

Each rule with its source:
- S3 API Reference, "Signature Calculations for the Authorization Header": the canonical headers
  must include "any x-amz-* headers that you plan to add to the request"; S3 answers the others
  with AccessDenied "There were headers present in the request which were not signed";
- the same page's "unsigned payload option" (``UNSIGNED-PAYLOAD``) is S3's; IAM User Guide,
  "Create a canonical request": every other service's payload line is the hex SHA-256 of the
  body, so a Cognito request signed over UNSIGNED-PAYLOAD does not verify (and its body cannot
  be swapped);
- the credential scope names a region where the service exists, else "Credential should be
  scoped to a valid region, not '...'";
- S3 requires ``x-amz-content-sha256`` on every SigV4 request;
- AWS's JSON protocol answers a body it cannot take with a 400 ``SerializationException``,
  never a 500.

Requests are signed with botocore's signer and the kit home's key, then altered the way a
hostile local client (one that somehow holds a signed request) would.
"""

from __future__ import annotations

import hashlib
import json

import botocore.exceptions
import pytest
import requests
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from wildrydes.kit import current
from wildrydes.local import credentials

COGNITO = "AWSCognitoIdentityProviderService."


@pytest.fixture(scope="module")
def kit(launched):
    return current()


def _signed(
    url: str,
    *,
    method: str = "POST",
    body: bytes = b"",
    service: str = "cognito-idp",
    region: str = "us-east-1",
    headers: dict[str, str] | None = None,
) -> dict[str, str]:
    key = credentials.load()
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    signer_class = S3SigV4Auth if service == "s3" else SigV4Auth
    signer_class(Credentials(key.access_key_id, key.secret_access_key), service, region).add_auth(
        request
    )
    return dict(request.headers.items())


def _cognito_headers(operation: str, **extra: str) -> dict[str, str]:
    return {
        "X-Amz-Target": COGNITO + operation,
        "Content-Type": "application/x-amz-json-1.1",
        **extra,
    }


def _s3_code(response: requests.Response) -> str:
    return response.text.split("<Code>", 1)[1].split("</Code>", 1)[0]


def _config_js(kit) -> bytes:
    return kit.backend.client("s3").get_object(Bucket=kit.bucket, Key="js/config.js")["Body"].read()


# -- every x-amz-* header is signed -----------------------------------------------------------
def test_an_unsigned_x_amz_header_on_a_cognito_call_is_refused(kit):
    url = kit.backend.endpoint_url + "/"
    body = json.dumps({"UserPoolId": kit.user_pool_id}).encode()
    headers = _signed(url, body=body, headers=_cognito_headers("ListUsers"))
    signed = requests.post(url, data=body, headers=headers, timeout=10)
    assert signed.status_code == 200, signed.text  # the control: the same request, as signed
    added = requests.post(url, data=body, headers={**headers, "X-Amz-Foo": "bar"}, timeout=10)
    assert added.status_code == 400
    assert added.json()["__type"] == "IncompleteSignatureException"
    assert "x-amz-foo" in added.json()["message"]


def test_an_unsigned_x_amz_header_on_an_s3_write_is_refused_in_s3s_words(kit):
    before = _config_js(kit)
    url = f"{kit.backend.endpoint_url}/{kit.bucket}/js/config.js"
    body = b"window._config = {cognito: {endpoint: 'http://evil'}};"
    headers = _signed(
        url,
        method="PUT",
        body=body,
        service="s3",
        headers={"X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()},
    )
    response = requests.put(
        url, data=body, headers={**headers, "x-amz-acl": "public-read-write"}, timeout=10
    )
    assert response.status_code == 403 and _s3_code(response) == "AccessDenied"
    assert "There were headers present in the request which were not signed" in response.text
    assert "<HeadersNotSigned>x-amz-acl</HeadersNotSigned>" in response.text
    assert _config_js(kit) == before


# -- UNSIGNED-PAYLOAD is S3's alone -------------------------------------------------------------
def test_unsigned_payload_does_not_sign_a_cognito_body(kit):
    _, username = _rider(kit)
    url = kit.backend.endpoint_url + "/"
    asked = json.dumps({"UserPoolId": kit.user_pool_id, "Username": username}).encode()
    headers = _signed(
        url,
        body=asked,
        headers=_cognito_headers("AdminGetUser", **{"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}),
    )
    swapped = json.dumps(
        {"UserPoolId": kit.user_pool_id, "Username": username, "Password": "Taken-Over-1"}
    ).encode()
    for body in (asked, swapped):
        response = requests.post(url, data=body, headers=headers, timeout=10)
        assert response.status_code == 400
        assert response.json()["__type"] == "InvalidSignatureException"
    assert "Amazon S3 only" in response.json()["message"]


def test_unsigned_payload_still_serves_s3_reads(kit):
    url = f"{kit.backend.endpoint_url}/{kit.bucket}/js/config.js"
    headers = _signed(
        url, method="GET", service="s3", headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}
    )
    response = requests.get(url, headers=headers, timeout=10)
    assert response.status_code == 200 and kit.user_pool_id in response.text


def test_s3_requires_the_payload_hash_header(kit):
    url = f"{kit.backend.endpoint_url}/{kit.bucket}?list-type=2"
    headers = _signed(url, method="GET", service="s3")
    headers = {k: v for k, v in headers.items() if k.lower() != "x-amz-content-sha256"}
    headers["Authorization"] = headers["Authorization"].replace(";x-amz-content-sha256", "")
    response = requests.get(url, headers=headers, timeout=10)
    assert response.status_code == 400 and _s3_code(response) == "InvalidRequest"
    assert "x-amz-content-sha256" in response.text


# -- the credential scope's region ---------------------------------------------------------------
@pytest.mark.parametrize("region", ["mars-east-1", "us-east-9", "useast1"])
def test_a_scope_in_no_region_of_the_service_is_refused(kit, region):
    url = kit.backend.endpoint_url + "/"
    body = json.dumps({"UserPoolId": kit.user_pool_id}).encode()
    headers = _signed(url, body=body, region=region, headers=_cognito_headers("ListUsers"))
    response = requests.post(url, data=body, headers=headers, timeout=10)
    assert response.status_code == 400
    assert response.json()["__type"] == "InvalidSignatureException"
    assert response.json()["message"].startswith(
        f"Credential should be scoped to a valid region, not '{region}'."
    )
    s3_url = f"{kit.backend.endpoint_url}/{kit.bucket}?list-type=2"
    s3_headers = _signed(
        s3_url,
        method="GET",
        service="s3",
        region=region,
        headers={"X-Amz-Content-SHA256": hashlib.sha256(b"").hexdigest()},
    )
    s3 = requests.get(s3_url, headers=s3_headers, timeout=10)
    assert s3.status_code == 400 and _s3_code(s3) == "AuthorizationHeaderMalformed"
    assert f"the region '{region}' is wrong" in s3.text


def test_every_region_of_cognito_is_served(kit):
    """The embedded backend stands in for Cognito in every region (a learner may pick one)."""
    from wildrydes.backend import connect

    cognito = connect(region="eu-west-2").client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="regional")["UserPool"]["Id"]
    assert pool.startswith("eu-west-2_")
    cognito.delete_user_pool(UserPoolId=pool)


# -- bodies nested past reason ---------------------------------------------------------------
@pytest.mark.parametrize("depth", [33, 1_000, 200_000])
def test_deeply_nested_json_is_a_serialization_error_never_a_500(kit, depth):
    body = '{"ClientId": "x", "Username": "y", "Password": "z", "ClientMetadata": ' + "[" * depth
    body += "]" * depth + "}"
    response = requests.post(
        kit.backend.endpoint_url + "/",
        data=body.encode(),
        headers=_cognito_headers("SignUp"),
        timeout=30,
    )
    assert response.status_code == 400, response.text[:200]
    assert response.json()["__type"] == "SerializationException"
    assert "nests deeper than" in response.json()["message"]


def test_a_body_of_ordinary_depth_still_reaches_cognito(kit):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kit.backend.client("cognito-idp").sign_up(
            ClientId=kit.app_client_id,
            Username="depth-probe",
            Password="short",
            UserAttributes=[{"Name": "email", "Value": "depth@example.com"}],
            ClientMetadata={"nested": "fine"},
        )
    assert info.value.response["Error"]["Code"] == "InvalidPasswordException"


def _rider(kit) -> tuple[str, str]:
    import uuid

    email = f"sig-{uuid.uuid4().hex[:8]}@example.com"
    username = email.replace("@", "-at-")
    kit.backend.client("cognito-idp").admin_create_user(
        UserPoolId=kit.user_pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": email}],
        MessageAction="SUPPRESS",
    )
    return email, username
