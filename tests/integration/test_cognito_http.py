"""The local Cognito's HTTP front: what only a request over the wire can show.

The service's behaviours are tested in-process (tests/service); here stay the routes that are
not operations (the mailbox page, the well-known documents), how the front answers a malformed
or unknown request, its Server-Timing, the network it listens on, and concurrent requests
through the real server. Tests share the session backend and the pool ``wildrydes up`` made.
"""

from __future__ import annotations

import contextlib
import html
import re
import socket
import uuid

import pytest
import requests
from cognito_helpers import (
    PASSWORD,
    code_for,
    cognito,
    email,
    endpoint,
    new_pool,
    post,
    username_of,
)

from wildrydes.backend import connect
from wildrydes.local import secret


def _ids(launched) -> tuple[str, str]:
    return launched.values["user_pool_id"], launched.values["app_client_id"]


def _sign_up(client_id: str, username: str | None = None) -> tuple[str, dict]:
    address = email()
    username = username or username_of(address)
    result = cognito().sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    return username, result


def _issuer(pool_id: str) -> str:
    return f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"


def _jwks_url(pool_id: str) -> str:
    return f"{endpoint()}/{pool_id}/.well-known/jwks.json"


@pytest.fixture
def pool(local_backend):
    pool_id, client_id = new_pool()
    yield pool_id, client_id
    cognito().delete_user_pool(UserPoolId=pool_id)


# -- the region a request was signed for ------------------------------------------------------
def test_the_region_comes_from_the_signatures_credential_scope(local_backend):
    # The service is handed the region of the SigV4 credential scope (the in-process tier
    # tests what it does with it, in tests/service/test_local_cognito.py).
    client = connect(region="eu-west-2").client("cognito-idp")
    pool = client.create_user_pool(PoolName=f"region-{uuid.uuid4().hex[:6]}")["UserPool"]
    try:
        assert re.fullmatch(r"eu-west-2_[0-9A-Za-z]{9}", pool["Id"]), pool["Id"]
        assert pool["Arn"].startswith("arn:aws:cognito-idp:eu-west-2:")
    finally:
        client.delete_user_pool(UserPoolId=pool["Id"])


# -- routes that are not operations ---------------------------------------------------------------
def test_mailbox_page_lists_newest_first_and_escapes_html(launched):
    _, client_id = _ids(launched)
    older, _ = _sign_up(client_id)
    sneaky = f"<b>bold</b>&<script>x()</script>-{uuid.uuid4().hex[:8]}"
    _sign_up(client_id, username=sneaky)
    page = requests.get(f"{endpoint()}/_wildrydes/mailbox", headers=secret.headers(), timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.text
    assert "<b>bold</b>" not in text and "<script>x()" not in text
    assert html.escape(sneaky) in text
    assert text.index(html.escape(sneaky)) < text.index(older)
    assert code_for(sneaky) in text and code_for(older) in text


def test_openid_configuration(launched):
    pool_id, _ = _ids(launched)
    document = requests.get(
        f"{endpoint()}/{pool_id}/.well-known/openid-configuration", timeout=10
    ).json()
    assert document["issuer"] == _issuer(pool_id)
    assert document["jwks_uri"] == _jwks_url(pool_id)
    assert "RS256" in document["id_token_signing_alg_values_supported"]
    assert requests.get(document["jwks_uri"], timeout=10).json()["keys"]


def test_unknown_pool_has_no_well_known_documents(launched):
    for document in ("jwks.json", "openid-configuration"):
        response = requests.get(
            f"{endpoint()}/us-east-1_NoSuchPool/.well-known/{document}", timeout=10
        )
        assert response.status_code == 404


# -- the HTTP front ---------------------------------------------------------------------------
def _post(operation: str, body: bytes) -> requests.Response:
    return requests.post(
        f"{endpoint()}/",
        data=body,
        timeout=10,
        headers={
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )


def test_malformed_request_gets_an_aws_error_not_a_crash_page(launched):
    response = _post("InitiateAuth", b"{not json")
    assert response.status_code == 400
    assert response.json()["__type"] == "InvalidParameterException"
    assert response.headers["x-amzn-ErrorType"] == "InvalidParameterException"


def test_fidelity_layer_reports_its_time(launched):
    _, client_id = _ids(launched)
    response = _post(
        "InitiateAuth",
        b'{"ClientId": "%s", "AuthFlow": "USER_SRP_AUTH", '
        b'"AuthParameters": {"USERNAME": "nobody-here", "SRP_A": "2"}}' % client_id.encode(),
    )
    assert response.json()["__type"] == "UserNotFoundException"
    assert re.fullmatch(
        r'cognito;dur=[0-9.]+;desc="InitiateAuth"', response.headers["Server-Timing"]
    )


# -- the network ----------------------------------------------------------------------------
def _own_addresses() -> set[str]:
    """This machine's IPv4 addresses: its host name's, and the one its default route uses."""
    found = set()
    with contextlib.suppress(OSError):
        found.add(socket.gethostbyname(socket.gethostname()))
    for target in ("203.0.113.1", "10.255.255.1"):  # documentation / private addresses
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))  # a UDP connect only picks a route; nothing is sent
                found.add(probe.getsockname()[0])
            except OSError:
                pass
    return found


def test_backend_listens_on_loopback_only(local_backend):
    with socket.create_connection(("127.0.0.1", local_backend.port), timeout=2):
        pass
    others = sorted(a for a in _own_addresses() if not a.startswith(("127.", "0.")))
    if not others:
        pytest.skip("this machine has no address but loopback")
    for address in others:
        with (
            pytest.raises(OSError),
            socket.create_connection((address, local_backend.port), timeout=2),
        ):
            pass


# -- operations the service does not do, and concurrency --------------------------------
def test_unknown_operation_is_refused_by_name_in_aws_json(local_backend):
    response = post("AdminLinkProviderForUser", {"UserPoolId": "us-east-1_abc"})
    assert response.status_code == 400
    body = response.json()
    assert body["__type"] == "UnsupportedOperationException"
    assert "AdminLinkProviderForUser" in body["message"]
    assert "local backend does not do" in body["message"]
    assert response.headers["x-amzn-ErrorType"] == "UnsupportedOperationException"
    assert "Server-Timing" in response.headers


def test_no_cognito_request_reaches_moto(local_backend):
    # moto would answer DescribeUserPoolDomain; ours refuses it by name.
    response = post("DescribeUserPoolDomain", {"Domain": "x"})
    assert response.json()["__type"] == "UnsupportedOperationException"
    health = requests.get(f"{endpoint()}/_wildrydes/health", headers=secret.headers(), timeout=5)
    assert health.json()["ok"] is True


def test_concurrent_sign_ups_of_one_username_make_exactly_one_user(pool):
    from concurrent.futures import ThreadPoolExecutor

    pool_id, client_id = pool
    address = email("race")
    body = {
        "ClientId": client_id,
        "Username": username_of(address),
        "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": address}],
    }
    with ThreadPoolExecutor(8) as threads:
        answers = list(threads.map(lambda _: post("SignUp", body).json(), range(8)))
    made = [a for a in answers if "UserSub" in a]
    assert len(made) == 1, answers
    assert all(a.get("__type") == "UsernameExistsException" for a in answers if a not in made)
    users = cognito().list_users(UserPoolId=pool_id, Filter=f'username = "{username_of(address)}"')[
        "Users"
    ]
    assert len(users) == 1
