"""The embedded backend's doors over HTTP: what a web page, a stranger's request or a wrong
signature can reach (nothing AWS would refuse), and that the kit's own calls still work.

Every request here is plain HTTP (``requests`` or a raw socket), the way a hostile page or
curl sends it; signed requests are made with botocore's signer and the kit home's key.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import datetime, timedelta, timezone

import boto3
import botocore.auth
import botocore.exceptions
import pytest
import requests
import tests_support
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from wildrydes import launch
from wildrydes.errors import ConfigurationError
from wildrydes.kit import current
from wildrydes.local import credentials, move_clock, secret

COGNITO = "AWSCognitoIdentityProviderService."
PASSWORD = "Doors-Locked-42"


# -- helpers -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kit(launched):
    return current()


@pytest.fixture(scope="module")
def base(kit) -> str:
    return kit.backend.endpoint_url


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _cognito_call(
    base: str, operation: str, body: dict, headers: dict | None = None, **kwargs
) -> requests.Response:
    return requests.post(
        base + "/",
        data=json.dumps(body),
        timeout=10,
        headers={
            "X-Amz-Target": COGNITO + operation,
            "Content-Type": "application/x-amz-json-1.1",
            **(headers or {}),
        },
        **kwargs,
    )


def _signed_cognito(
    base: str,
    operation: str,
    body: dict,
    *,
    key: str | None = None,
    secret: str | None = None,
    service: str = "cognito-idp",
    when: datetime | None = None,
    tamper: bytes | None = None,
    drop_date_from_signed: bool = False,
) -> requests.Response:
    kit_key = credentials.load()
    data = json.dumps(body).encode()
    request = AWSRequest(
        method="POST",
        url=base + "/",
        data=data,
        headers={"X-Amz-Target": COGNITO + operation, "Content-Type": "application/x-amz-json-1.1"},
    )
    signer = SigV4Auth(
        Credentials(key or kit_key.access_key_id, secret or kit_key.secret_access_key),
        service,
        "us-east-1",
    )
    if when is None:
        signer.add_auth(request)
    else:  # a clock that is off: sign as of ``when``
        original = botocore.auth.get_current_datetime
        botocore.auth.get_current_datetime = lambda: when
        try:
            signer.add_auth(request)
        finally:
            botocore.auth.get_current_datetime = original
    headers = dict(request.headers.items())
    if drop_date_from_signed:
        headers["Authorization"] = headers["Authorization"].replace(";x-amz-date", "")
    return requests.post(
        base + "/", data=tamper if tamper is not None else data, headers=headers, timeout=10
    )


def _error_type(response: requests.Response) -> str:
    return response.json()["__type"]


def _s3_code(response: requests.Response) -> str:
    text = response.text
    return text.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in text else ""


def _config_js(kit) -> bytes:
    return kit.backend.client("s3").get_object(Bucket=kit.bucket, Key="js/config.js")["Body"].read()


def _raw(base: str, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", _port(base)), timeout=10) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _rider(kit) -> tuple[str, str]:
    """A confirmed rider (made through the kit's signed admin path)."""
    email = f"door-{uuid.uuid4().hex[:8]}@example.com"
    username = email.replace("@", "-at-")
    _cognito_call(
        kit.backend.endpoint_url,
        "SignUp",
        {
            "ClientId": kit.app_client_id,
            "Username": username,
            "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": email}],
        },
    ).raise_for_status()
    kit.backend.client("cognito-idp").admin_confirm_sign_up(
        UserPoolId=kit.user_pool_id, Username=username
    )
    return email, username


# -- moto's debug routes and other services: unreachable -----------------------------------
@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/moto-api/data.json"),
        ("GET", "/moto-api/"),
        ("POST", "/moto-api/reset"),
        ("GET", "/moto-api/reset-auth"),
        ("POST", "/moto-api/seed?a=42"),
    ],
)
def test_moto_debug_routes_answer_404_in_s3_shape(base, kit, method, path):
    _rider(kit)
    response = requests.request(method, base + path, timeout=10)
    assert response.status_code == 404
    assert _s3_code(response) == "NoSuchBucket"
    assert PASSWORD not in response.text and "password" not in response.text.lower()


def test_moto_routes_are_refused_even_to_the_key_holder(base, kit):
    s3 = kit.backend.client("s3")
    with pytest.raises(botocore.exceptions.ClientError) as info:
        s3.put_object(Bucket="moto-api", Key="reset", Body=b"")
    assert info.value.response["Error"]["Code"] == "NoSuchBucket"
    # Nothing was wiped: the kit's pool is still there.
    kit.backend.client("cognito-idp").describe_user_pool(UserPoolId=kit.user_pool_id)


def test_moto_s_other_backends_are_not_reached_by_path(kit):
    """moto's host dispatcher sent ``/latest/meta-data/...`` to EC2's instance metadata; here
    every request the doors admit is S3's, as on AWS: a bucket named ``latest``."""
    s3 = kit.backend.client("s3")
    with pytest.raises(botocore.exceptions.ClientError) as info:
        s3.get_object(Bucket="latest", Key="meta-data/iam/security-credentials/")
    assert info.value.response["Error"]["Code"] == "NoSuchBucket"
    s3.create_bucket(Bucket="latest")
    try:
        s3.put_object(Bucket="latest", Key="meta-data/instance-id", Body=b"an S3 object")
        body = s3.get_object(Bucket="latest", Key="meta-data/instance-id")["Body"].read()
        assert body == b"an S3 object"
    finally:
        s3.delete_object(Bucket="latest", Key="meta-data/instance-id")
        s3.delete_bucket(Bucket="latest")


def test_other_services_are_not_served(base):
    response = requests.post(
        base + "/",
        data="{}",
        timeout=10,
        headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    assert response.status_code == 404
    assert _error_type(response) == "UnknownOperationException"
    assert "DynamoDB_20120810.ListTables" in response.json()["message"]


def test_unknown_cognito_operation_is_named(base):
    response = _signed_cognito(base, "MakeMeAdmin", {})
    assert response.status_code == 400
    assert _error_type(response) == "UnknownOperationException"
    assert "MakeMeAdmin" in response.json()["message"]


# -- signatures: admin and management operations --------------------------------------------
ADMIN_CALLS = [
    (
        "AdminSetUserPassword",
        lambda kit, user: {
            "UserPoolId": kit.user_pool_id,
            "Username": user,
            "Password": "Taken-Over-1",
            "Permanent": True,
        },
    ),
    ("AdminDeleteUser", lambda kit, user: {"UserPoolId": kit.user_pool_id, "Username": user}),
    ("AdminGetUser", lambda kit, user: {"UserPoolId": kit.user_pool_id, "Username": user}),
    ("ListUsers", lambda kit, user: {"UserPoolId": kit.user_pool_id}),
    ("DeleteUserPool", lambda kit, user: {"UserPoolId": kit.user_pool_id}),
    (
        "UpdateUserPoolClient",
        lambda kit, user: {"UserPoolId": kit.user_pool_id, "ClientId": kit.app_client_id},
    ),
]


@pytest.mark.parametrize("operation,body", ADMIN_CALLS, ids=[c[0] for c in ADMIN_CALLS])
def test_unsigned_admin_call_is_refused_like_aws(base, kit, operation, body):
    email, username = _rider(kit)
    response = _cognito_call(base, operation, body(kit, username))
    assert response.status_code == 403
    assert _error_type(response) == "MissingAuthenticationTokenException"
    # The account is untouched: the rider still signs in with the same password.
    user = kit.backend.client("cognito-idp").admin_get_user(
        UserPoolId=kit.user_pool_id, Username=username
    )
    assert user["UserStatus"] == "CONFIRMED"


def test_admin_call_with_a_wrong_secret(base, kit):
    _, username = _rider(kit)
    response = _signed_cognito(
        base,
        "AdminDeleteUser",
        {"UserPoolId": kit.user_pool_id, "Username": username},
        secret="not-the-secret",
    )
    assert response.status_code == 400
    assert _error_type(response) == "InvalidSignatureException"
    assert "signature we calculated does not match" in response.json()["message"]
    kit.backend.client("cognito-idp").admin_get_user(UserPoolId=kit.user_pool_id, Username=username)


def test_admin_call_with_an_unknown_key(base, kit):
    response = _signed_cognito(
        base,
        "ListUsers",
        {"UserPoolId": kit.user_pool_id},
        key="AKIAOTHERKEY00000000",
        secret="x" * 40,
    )
    assert _error_type(response) == "UnrecognizedClientException"
    # The conftest's test credentials (what a stray AWS CLI would send) are not the kit's key.
    response = _signed_cognito(
        base, "ListUsers", {"UserPoolId": kit.user_pool_id}, key="testing", secret="testing"
    )
    assert _error_type(response) == "UnrecognizedClientException"


@pytest.mark.parametrize("minutes", [-20, 20])
def test_admin_call_signed_too_far_from_now(base, kit, minutes):
    when = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    response = _signed_cognito(base, "ListUsers", {"UserPoolId": kit.user_pool_id}, when=when)
    assert response.status_code == 400
    assert _error_type(response) == "InvalidSignatureException"
    assert response.json()["message"].startswith("Signature expired")
    fresh = datetime.now(timezone.utc) - timedelta(minutes=4)  # within AWS's window
    ok = _signed_cognito(base, "ListUsers", {"UserPoolId": kit.user_pool_id}, when=fresh)
    assert ok.status_code == 200, ok.text


def test_admin_call_without_x_amz_date_in_signed_headers(base, kit):
    response = _signed_cognito(
        base, "ListUsers", {"UserPoolId": kit.user_pool_id}, drop_date_from_signed=True
    )
    assert _error_type(response) in ("IncompleteSignatureException", "InvalidSignatureException")
    garbage = _cognito_call(
        base,
        "ListUsers",
        {"UserPoolId": kit.user_pool_id},
        headers={"Authorization": "Bearer let-me-in"},
    )
    assert garbage.status_code == 400
    assert _error_type(garbage) == "IncompleteSignatureException"


def test_admin_call_whose_body_changed_after_signing(base, kit):
    _, username = _rider(kit)
    tampered = json.dumps(
        {
            "UserPoolId": kit.user_pool_id,
            "Username": username,
            "Password": "Taken-Over-1",
            "Permanent": True,
        }
    ).encode()
    response = _signed_cognito(
        base,
        "AdminGetUser",
        {"UserPoolId": kit.user_pool_id, "Username": username},
        tamper=tampered,
    )
    assert _error_type(response) == "InvalidSignatureException"


def test_a_signature_for_another_service_is_refused(base, kit):
    response = _signed_cognito(base, "ListUsers", {"UserPoolId": kit.user_pool_id}, service="s3")
    assert response.status_code == 400
    assert "scoped to correct service" in response.json()["message"]


def test_the_kits_own_signed_clients_work(kit):
    cognito = kit.backend.client("cognito-idp")
    assert (
        cognito.describe_user_pool(UserPoolId=kit.user_pool_id)["UserPool"]["Id"]
        == kit.user_pool_id
    )
    assert "Users" in cognito.list_users(UserPoolId=kit.user_pool_id)


# -- public operations stay open, exactly as on AWS -----------------------------------------
def test_public_operations_need_no_credentials(base, kit):
    email = f"open-{uuid.uuid4().hex[:8]}@example.com"
    username = email.replace("@", "-at-")
    signed_up = _cognito_call(
        base,
        "SignUp",
        {
            "ClientId": kit.app_client_id,
            "Username": username,
            "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": email}],
        },
    )
    assert signed_up.status_code == 200, signed_up.text
    resent = _cognito_call(
        base, "ResendConfirmationCode", {"ClientId": kit.app_client_id, "Username": username}
    )
    assert resent.status_code == 200, resent.text
    started = _cognito_call(
        base,
        "InitiateAuth",
        {
            "ClientId": kit.app_client_id,
            "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": {"USERNAME": username, "SRP_A": "a" * 64},
        },
    )
    assert started.status_code in (200, 400), started.text
    assert (
        _error_type(started) != "MissingAuthenticationTokenException"
        if started.status_code != 200
        else True
    )
    bad_token = _cognito_call(base, "GetUser", {"AccessToken": "not-a-token"})
    assert _error_type(bad_token) == "NotAuthorizedException"


def test_every_operation_auth_rule_comes_from_aws_model():
    from wildrydes.local.doors import public_cognito_operation

    for operation in (
        "SignUp",
        "ConfirmSignUp",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "ForgotPassword",
        "GetTokensFromRefreshToken",
    ):
        assert public_cognito_operation(operation) is True, operation
    for operation in (
        "AdminSetUserPassword",
        "AdminDeleteUser",
        "AdminInitiateAuth",
        "ListUsers",
        "CreateUserPool",
        "DescribeUserPool",
        "AdminConfirmSignUp",
    ):
        assert public_cognito_operation(operation) is False, operation
    assert public_cognito_operation("NoSuchOperation") is None


# -- S3: public reads of the website, nothing else anonymous ---------------------------------
def test_the_website_is_publicly_readable(base, kit):
    page = requests.get(f"{base}/{kit.bucket}/index.html", timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()
    script = requests.get(f"{base}/{kit.bucket}/js/config.js?v=2", timeout=10)
    assert script.status_code == 200 and kit.user_pool_id in script.text


def test_anonymous_put_of_config_js_is_refused(base, kit):
    before = _config_js(kit)
    response = requests.put(
        f"{base}/{kit.bucket}/js/config.js",
        timeout=10,
        data=b"window._config = {cognito: {endpoint: 'http://evil'}};",
    )
    assert response.status_code == 403 and _s3_code(response) == "AccessDenied"
    assert _config_js(kit) == before


def test_browser_form_upload_of_config_js_is_refused(base, kit):
    before = _config_js(kit)
    response = requests.post(
        f"{base}/{kit.bucket}",
        timeout=10,
        files={
            "key": (None, "js/config.js"),
            "Content-Type": (None, "application/javascript"),
            "file": ("config.js", b"window._config = {cognito: {endpoint: 'http://evil'}};"),
        },
        headers={"Origin": f"http://127.0.0.1:{_port(base)}"},
    )
    assert response.status_code == 403 and _s3_code(response) == "AccessDenied"
    assert _config_js(kit) == before


@pytest.mark.parametrize(
    "method,path",
    [
        ("DELETE", "/{bucket}/js/config.js"),
        ("DELETE", "/{bucket}"),
        ("GET", "/{bucket}"),
        ("GET", "/{bucket}/"),
        ("GET", "/"),
        ("GET", "/{bucket}?policy"),
        ("PUT", "/{bucket}?policy"),
        ("GET", "/{bucket}/index.html?acl"),
        ("PUT", "/new-bucket"),
    ],
)
def test_anonymous_s3_calls_other_than_object_reads_are_refused(base, kit, method, path):
    response = requests.request(
        method,
        base + path.format(bucket=kit.bucket),
        timeout=10,
        data=b"{}" if method == "PUT" else None,
    )
    assert response.status_code == 403
    assert _s3_code(response) == "AccessDenied"
    assert requests.get(f"{base}/{kit.bucket}/index.html", timeout=10).status_code == 200


def test_a_private_bucket_is_not_readable_anonymously(base, kit):
    s3 = kit.backend.client("s3")
    s3.create_bucket(Bucket="private-notes")
    s3.put_object(Bucket="private-notes", Key="secret.txt", Body=b"mine")
    response = requests.get(f"{base}/private-notes/secret.txt", timeout=10)
    assert response.status_code == 403 and b"mine" not in response.content
    # moto's "act as another account" header is for key holders only.
    spoofed = requests.get(
        f"{base}/private-notes/secret.txt",
        timeout=10,
        headers={"x-moto-account-id": "123456789012"},
    )
    assert spoofed.status_code == 403


def test_s3_write_with_a_wrong_secret(base, kit):
    s3 = boto3.session.Session(
        aws_access_key_id=credentials.load().access_key_id, aws_secret_access_key="wrong"
    ).client("s3", endpoint_url=base, region_name="us-east-1")
    with pytest.raises(botocore.exceptions.ClientError) as info:
        s3.put_object(Bucket=kit.bucket, Key="js/config.js", Body=b"evil")
    assert info.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert b"evil" not in _config_js(kit)
    stranger = boto3.session.Session(
        aws_access_key_id="AKIASTRANGER00000000", aws_secret_access_key="s" * 40
    ).client("s3", endpoint_url=base, region_name="us-east-1")
    with pytest.raises(botocore.exceptions.ClientError) as info:
        stranger.put_object(Bucket=kit.bucket, Key="js/config.js", Body=b"evil")
    assert info.value.response["Error"]["Code"] == "InvalidAccessKeyId"


def test_virtual_host_bucket_names_are_ours(base, kit):
    port = _port(base)
    answer = _raw(
        base,
        (
            f"GET /index.html HTTP/1.1\r\nHost: {kit.bucket}.s3.localhost:{port}"
            "\r\nConnection: close\r\n\r\n"
        ).encode(),
    )
    assert answer.startswith(b"HTTP/1.1 200")


# -- Host names (DNS rebinding) ---------------------------------------------------------------
@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "127.0.0.1:1",
        "localhost",
        "attacker.localhost.evil.example:{port}",
        "127.0.0.2:{port}",
        "",
    ],
)
@pytest.mark.parametrize(
    "path", ["/_wildrydes/outbox", "/{bucket}/js/config.js", "/_wildrydes/health"]
)
def test_other_host_names_are_refused(base, kit, host, path):
    port = _port(base)
    host_line = f"Host: {host.format(port=port)}\r\n" if host else ""
    answer = _raw(
        base,
        (
            f"GET {path.format(bucket=kit.bucket)} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n"
        ).encode(),
    )
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] in (b"403", b"400"), answer[:200]
    assert b'"code"' not in answer


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST"])
def test_own_names_are_admitted(base, name):
    port = _port(base)
    key = f"{secret.HEADER}: {secret.load()}\r\n"
    answer = _raw(
        base,
        (
            f"GET /_wildrydes/health HTTP/1.1\r\nHost: {name}:{port}\r\n{key}"
            "Connection: close\r\n\r\n"
        ).encode(),
    )
    assert answer.startswith(b"HTTP/1.1 200")


# -- origins: no CORS wildcard, the outbox same-origin only ------------------------------------
EVIL = "http://evil.example"


@pytest.mark.parametrize(
    "method,path,headers",
    [
        ("GET", "/_wildrydes/outbox", {}),
        ("GET", "/_wildrydes/mailbox", {}),
        ("POST", "/_wildrydes/clock", {"Content-Type": "text/plain"}),
        ("GET", "/{bucket}/index.html", {}),
        (
            "POST",
            "/",
            {"X-Amz-Target": COGNITO + "SignUp", "Content-Type": "application/x-amz-json-1.1"},
        ),
        ("GET", "/moto-api/data.json", {}),
    ],
)
def test_foreign_origins_are_refused_without_cors(base, kit, method, path, headers):
    response = requests.request(
        method,
        base + path.format(bucket=kit.bucket),
        timeout=10,
        headers={"Origin": EVIL, **headers},
        data='{"advance_seconds": 1e308}' if method == "POST" else None,
    )
    assert response.status_code in (403, 404)
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("path", ["/", "/_wildrydes/outbox", "/{bucket}/js/config.js"])
def test_preflight_from_a_foreign_origin_is_refused(base, kit, path):
    response = requests.options(
        base + path.format(bucket=kit.bucket),
        timeout=10,
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-amz-target,content-type",
        },
    )
    assert response.status_code == 403
    assert not any(k.lower().startswith("access-control-") for k in response.headers)


def test_no_response_carries_a_cors_wildcard(base, kit):
    own = f"http://127.0.0.1:{_port(base)}"
    for response in (
        requests.get(f"{base}/{kit.bucket}/index.html", headers={"Origin": own}, timeout=10),
        requests.get(f"{base}/_wildrydes/outbox", headers={"Origin": own}, timeout=10),
        _cognito_call(base, "GetUser", {"AccessToken": "x"}, headers={"Origin": own}),
        requests.get(f"{base}/{kit.user_pool_id}/.well-known/jwks.json", timeout=10),
    ):
        assert response.headers.get("Access-Control-Allow-Origin") != "*"


def test_the_outbox_answers_the_homes_secret_from_tools_and_the_backends_own_pages(base):
    port = _port(base)
    for origin in (None, f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
        headers = {"Origin": origin} if origin else {}
        response = requests.get(
            f"{base}/_wildrydes/outbox", headers={**headers, **secret.headers()}, timeout=10
        )
        assert response.status_code == 200 and isinstance(response.json(), list)
        # Without the secret: 403 whatever Origin says (curl and another user send none).
        refused = requests.get(f"{base}/_wildrydes/outbox", headers=headers, timeout=10)
        assert refused.status_code == 403 and "@example.com" not in refused.text


# -- the clock route -------------------------------------------------------------------------
def test_the_clock_needs_the_kits_key(base):
    for headers in ({"Content-Type": "text/plain"}, {"Content-Type": "application/json"}):
        response = requests.post(
            f"{base}/_wildrydes/clock",
            timeout=10,
            headers=headers,
            data='{"advance_seconds": 100000}',
        )
        assert response.status_code == 403
        assert response.json()["__type"] == "MissingAuthenticationTokenException"


def _signed_clock(base: str, body: bytes) -> requests.Response:
    url = f"{base}/_wildrydes/clock"
    headers = credentials.sign_request(
        "POST", url, body, headers={"Content-Type": "application/json"}
    )
    return requests.post(url, data=body, headers=headers, timeout=10)


def test_the_clock_refuses_values_that_would_break_the_service(fresh_backend):
    # One backend of its own for every value (a value that got through would move its clock).
    launch.up()
    kit = current()
    for value in ["1e308", "NaN", "Infinity", '"10"', "true", "null", "-1e12", "[1]"]:
        response = _signed_clock(
            kit.backend.endpoint_url, f'{{"advance_seconds": {value}}}'.encode()
        )
        assert response.status_code == 400, (value, response.text)
        assert "advance_seconds" in response.json()["message"], value
        _rider(kit)  # SignUp still works: nothing broke
        assert tests_support.advance_clock(kit.backend.endpoint_url, 0) == 0.0  # clock unmoved
    with pytest.raises(ConfigurationError, match="did not move its clock"):  # the kit's client
        move_clock.advance_clock(kit.backend.endpoint_url, 1e12)


def test_an_oversized_body_is_refused(base):
    answer = _raw(
        base,
        (
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{_port(base)}\r\n"
            f"Content-Length: {200 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
        ).encode(),
    )
    assert answer.startswith(b"HTTP/1.1 413")


# -- an origin the learner names ----------------------------------------------------------------
def test_a_named_origin_gets_cors_but_never_the_outbox(tmp_path, monkeypatch):
    from wildrydes.local import process

    dev = "http://localhost:5173"
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(tests_support.free_port()))
    backend = process.start(allowed_origins=(dev + "/",))
    try:
        assert backend.allowed_origins == (dev,)
        assert process.start() == backend  # idempotent, origins kept
        with pytest.raises(Exception, match="already runs"):
            process.start(allowed_origins=("http://localhost:3000",))
        preflight = requests.options(
            backend.url + "/",
            timeout=10,
            headers={
                "Origin": dev,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-amz-target,content-type",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == dev
        assert "x-amz-target" in preflight.headers["Access-Control-Allow-Headers"]
        answer = _cognito_call(
            backend.url, "GetUser", {"AccessToken": "x"}, headers={"Origin": dev}
        )
        assert answer.headers["Access-Control-Allow-Origin"] == dev
        assert _error_type(answer) == "NotAuthorizedException"
        outbox = requests.get(
            backend.url + "/_wildrydes/outbox", headers={"Origin": dev}, timeout=10
        )
        assert outbox.status_code == 403
        assert "Access-Control-Allow-Origin" not in outbox.headers
        other = requests.options(
            backend.url + "/",
            timeout=10,
            headers={"Origin": "http://localhost:5174", "Access-Control-Request-Method": "POST"},
        )
        assert other.status_code == 403
    finally:
        process.stop()


# -- requests forwarded by Jupyter's proxy (hubs) ----------------------------------------------
HUB = "hub.example.org"


@pytest.fixture
def proxy_key(local_backend):
    from wildrydes.local import proxied

    key = proxied.new_key()
    yield key
    proxied.remove_key(os.getpid())


def _through_proxy(base: str, path: str, key: str, **headers: str) -> bytes:
    from wildrydes.local import proxied

    lines = {
        "Host": HUB,
        "X-Forwarded-Prefix": "/user/learner/wildrydes",
        proxied.HEADER: key,
        "Connection": "close",
        **headers,
    }
    head = "".join(f"{k}: {v}\r\n" for k, v in lines.items())
    return _raw(base, f"GET {path} HTTP/1.1\r\n{head}\r\n".encode())


@pytest.mark.parametrize(
    "extra",
    [{}, {"Origin": f"http://{HUB}"}, {"X-Forwarded-Proto": "https", "Origin": f"https://{HUB}"}],
)
def test_the_proxy_with_this_launchs_key_reaches_the_site_and_mailbox(base, kit, proxy_key, extra):
    page = _through_proxy(base, f"/{kit.bucket}/index.html", proxy_key, **extra)
    assert page.startswith(b"HTTP/1.1 200")
    mailbox = _through_proxy(base, "/_wildrydes/mailbox", proxy_key, **extra)
    assert mailbox.startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize(
    "key,extra",
    [
        ("guess", {}),  # not this launch's key
        (None, {"Origin": "https://evil.example"}),  # a cross-site page driving the hub's proxy
        (None, {"Origin": f"https://{HUB}"}),  # a scheme the proxy did not see
        (None, {"Origin": "null"}),
    ],
)
def test_the_proxy_path_stays_strict(base, proxy_key, key, extra):
    answer = _through_proxy(base, "/_wildrydes/outbox", key or proxy_key, **extra)
    assert answer.startswith(b"HTTP/1.1 403"), answer[:100]
    assert b"@example.com" not in answer


def test_without_a_key_file_the_proxy_header_opens_nothing(base, local_backend):
    answer = _through_proxy(base, "/_wildrydes/outbox", "anything")
    assert answer.startswith(b"HTTP/1.1 403")


# -- the allow-list, route by route and verb by verb ---------------------------------------------
def _signed(method: str, url: str, body: bytes = b"", service: str = "s3", **headers: str):
    signed = credentials.sign_request(
        method,
        url,
        body,
        service=service,
        headers={"X-Amz-Content-SHA256": __import__("hashlib").sha256(body).hexdigest(), **headers},
    )
    return requests.request(method, url, data=body, headers=signed, timeout=10)


def test_every_allowed_route_and_verb_answers(base, kit):
    bucket, pool = kit.bucket, kit.user_pool_id
    answers = {
        "GET health": requests.get(
            f"{base}/_wildrydes/health", headers=secret.headers(), timeout=10
        ),
        "GET outbox": requests.get(
            f"{base}/_wildrydes/outbox", headers=secret.headers(), timeout=10
        ),
        "GET mailbox": requests.get(
            f"{base}/_wildrydes/mailbox", headers=secret.headers(), timeout=10
        ),
        "POST clock (signed)": _signed_clock(base, b'{"advance_seconds": 0}'),
        "GET jwks": requests.get(f"{base}/{pool}/.well-known/jwks.json", timeout=10),
        "GET openid-configuration": requests.get(
            f"{base}/{pool}/.well-known/openid-configuration", timeout=10
        ),
        "POST public Cognito": _cognito_call(base, "GetUser", {"AccessToken": "x"}),
        "POST IAM Cognito (signed)": _signed_cognito(
            base, "DescribeUserPool", {"UserPoolId": pool}
        ),
        "GET object": requests.get(f"{base}/{bucket}/index.html", timeout=10),
        "PUT object (signed)": _signed("PUT", f"{base}/{bucket}/doors-probe.txt", b"probe"),
        "GET object (signed)": _signed("GET", f"{base}/{bucket}/doors-probe.txt"),
        "HEAD object (signed)": _signed("HEAD", f"{base}/{bucket}/doors-probe.txt"),
        "GET bucket list (signed)": _signed("GET", f"{base}/{bucket}?list-type=2"),
        "GET bucket policy (signed)": _signed("GET", f"{base}/{bucket}?policy"),
        "DELETE object (signed)": _signed("DELETE", f"{base}/{bucket}/doors-probe.txt"),
    }
    expected = {"POST public Cognito": 400, "DELETE object (signed)": 204}
    for name, response in answers.items():
        assert response.status_code == expected.get(name, 200), (name, response.text[:200])
    assert _error_type(answers["POST public Cognito"]) == "NotAuthorizedException"


@pytest.mark.parametrize(
    "method,path",
    [
        ("PUT", "/_wildrydes/outbox"),
        ("DELETE", "/_wildrydes/mailbox"),
        ("POST", "/_wildrydes/health"),
        ("GET", "/_wildrydes/clock"),
        ("GET", "/_wildrydes/state"),
        ("POST", "/{pool}/.well-known/jwks.json"),
    ],
)
def test_verbs_and_routes_outside_the_kit_routes(base, kit, method, path):
    response = requests.request(method, base + path.format(pool=kit.user_pool_id), timeout=10)
    assert response.status_code in (403, 404), response.text[:200]


@pytest.mark.parametrize(
    "method,path",
    [
        ("PATCH", "/{bucket}/index.html"),
        ("POST", "/{bucket}/index.html?uploads"),
        ("PUT", "/{bucket}?acl"),
        ("PUT", "/{bucket}?cors"),
        ("GET", "/{bucket}?versions"),
    ],
)
def test_signed_s3_calls_outside_the_allow_list(base, kit, method, path):
    response = _signed(method, base + path.format(bucket=kit.bucket))
    assert response.status_code == 501
    assert _s3_code(response) == "NotImplemented"
