"""Module 3's ride API on the embedded backend, over HTTP, with real tokens from its Cognito.

Each refusal is API Gateway's ``COGNITO_USER_POOLS`` authorizer's, rule by rule; the sources
are quoted in ``wildrydes/local/ride/authorizer.py`` and named again in each test.
"""

from __future__ import annotations

import uuid

import pytest
import requests
import tests_support
from account_flows import alg_none, hs256_with_public_key, make_rider, with_claims

from wildrydes import tokens
from wildrydes.kit import Kit, current
from wildrydes.local.ride import Authorizer
from wildrydes.local.ride.fleet import FLEET

PICKUP = {"PickupLocation": {"Latitude": 47.6174755835663, "Longitude": -122.28837066650185}}
UNAUTHORIZED = {"message": "Unauthorized"}


@pytest.fixture
def kit(launched) -> Kit:
    return current()


def ride(kit: Kit, authorization: str | None, body=None, **headers) -> requests.Response:
    """POST <invoke URL>/ride as module 3's ride.js sends it (the raw token, no Bearer)."""
    if authorization is not None:
        headers["Authorization"] = authorization
    return requests.post(
        f"{kit.backend.endpoint_url}/_api/prod/ride",
        json=PICKUP if body is None else body,
        headers=headers,
        timeout=10,
    )


def refused(answer: requests.Response, check: str, body=UNAUTHORIZED) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.json() == body
    assert answer.headers["x-amzn-ErrorType"] == "UnauthorizedException"
    assert answer.headers["X-WildRydes-Authorizer-Check"] == check


# -- admitted ----------------------------------------------------------------------------------
def test_the_id_token_gets_a_unicorn_for_the_rider_it_names(kit):
    _, session = make_rider(kit)
    username = tokens.decode(session.id_token).claims["cognito:username"]
    # The body names someone else: the rider is cognito:username from the verified token.
    answer = ride(kit, session.id_token, {**PICKUP, "Rider": "somebody-else"})
    assert answer.status_code == 201, answer.text
    result = answer.json()
    assert set(result) == {"RideId", "Unicorn", "UnicornName", "Eta", "Rider"}
    assert result["Rider"] == username
    unicorn = result["Unicorn"]
    assert (unicorn["Name"], unicorn["Color"], unicorn["Gender"]) in {
        (u.name, u.color, u.gender) for u in FLEET
    }
    assert result["UnicornName"] == unicorn["Name"]
    assert result["Eta"] == "30 seconds" and len(result["RideId"]) >= 16


def test_a_bearer_prefix_is_taken_off(kit):
    """Amazon Cognito Developer Guide, "Accessing resources with API Gateway after sign-in":
    apps "add them as bearer tokens to an Authorization header"."""
    _, session = make_rider(kit)
    assert ride(kit, f"Bearer {session.id_token}").status_code == 201


def test_a_pickup_that_is_not_module_3s_shape_is_a_400(kit):
    _, session = make_rider(kit)
    answer = ride(kit, session.id_token, {"PickupLocation": {"Latitude": "north"}})
    assert answer.status_code == 400
    assert "PickupLocation" in answer.json()["Error"]


# -- refused, rule by rule ---------------------------------------------------------------------
def test_no_token_is_401_unauthorized(kit):
    """Developer Guide, "Gateway response types": UNAUTHORIZED, 401, when the Amazon Cognito
    authorizer failed to authenticate the caller; the token comes from the Authorization
    header ("Call a REST API integrated with an Amazon Cognito user pool")."""
    refused(ride(kit, None), "token source")
    refused(ride(kit, ""), "token source")


def test_a_header_that_is_no_jwt_is_401_unauthorized(kit):
    refused(ride(kit, "not-a-token"), "format")
    refused(ride(kit, "a.b.c"), "format")


def test_the_access_token_is_refused_where_the_method_names_no_scopes(kit):
    """API Reference, Method.authorizationScopes, and the Knowledge Center: with no scopes on
    the method the id token is the one to use."""
    _, session = make_rider(kit)
    refused(ride(kit, session.access_token), "token type")


def test_an_expired_token_is_refused_by_the_moved_clock(kit):
    """Knowledge Center: "The security token isn't expired"; API Gateway's words for it."""
    _, session = make_rider(kit)
    tests_support.advance_clock(kit.backend.endpoint_url, 3600 + 60)
    try:
        refused(
            ride(kit, session.id_token), "expiry", {"message": "The incoming token has expired"}
        )
    finally:
        tests_support.advance_clock(kit.backend.endpoint_url, -(3600 + 60))
    assert ride(kit, session.id_token).status_code == 201  # the same token, back in its hour


def test_a_token_of_another_pool_is_refused_by_its_issuer(kit):
    """Knowledge Center: "The issuer in the security token matches the Amazon Cognito user
    pool configured on the API"."""
    cognito = kit.backend.client("cognito-idp")
    other_pool = cognito.create_user_pool(PoolName=f"WildRydesOther-{uuid.uuid4().hex[:8]}")[
        "UserPool"
    ]["Id"]
    try:
        other_client = cognito.create_user_pool_client(
            UserPoolId=other_pool,
            ClientName="WildRydesOther",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        _, session = make_rider(Kit(kit.backend, kit.bucket, other_pool, other_client))
        refused(ride(kit, session.id_token), "issuer")
        # Its issuer made to read as ours, it still carries the other pool's signature.
        forged = with_claims(session.id_token, iss=tokens.decode(kit_token(kit)).claims["iss"])
        refused(ride(kit, forged), "signature")
    finally:
        cognito.delete_user_pool(UserPoolId=other_pool)


def kit_token(kit: Kit) -> str:
    return make_rider(kit)[1].id_token


def test_forged_tokens_are_refused_by_the_signature(kit):
    token = kit_token(kit)
    refused(ride(kit, with_claims(token, **{"cognito:username": "admin"})), "signature")
    refused(ride(kit, alg_none(token)), "signature")
    refused(ride(kit, hs256_with_public_key(token, kit)), "signature")


def test_a_route_the_api_does_not_have_is_missing_authentication_token(kit):
    """Developer Guide, "Gateway response types": MISSING_AUTHENTICATION_TOKEN, 403, when the
    client invokes an unsupported API method or resource."""
    base = f"{kit.backend.endpoint_url}/_api/prod"
    for answer in (
        requests.get(f"{base}/ride", timeout=10),
        requests.post(f"{base}/rides", timeout=10),
        requests.post(f"{kit.backend.endpoint_url}/_api/test/ride", timeout=10),
    ):
        assert answer.status_code == 403
        assert answer.json() == {"message": "Missing Authentication Token"}


def test_a_page_of_another_origin_is_refused_at_the_front(kit):
    _, session = make_rider(kit)
    answer = ride(kit, session.id_token, Origin="http://evil.example")
    assert answer.status_code == 403 and "not allowed" in answer.json()["message"]
    assert "Access-Control-Allow-Origin" not in answer.headers
    own = f"http://127.0.0.1:{kit.backend.endpoint_url.rsplit(':', 1)[1]}"
    assert ride(kit, session.id_token, Origin=own).status_code == 201


# -- the method's OAuth scopes, with the backend's real tokens -----------------------------------
def test_with_scopes_on_the_method_only_an_access_token_holding_one_is_admitted(kit):
    """API Reference, Method.authorizationScopes: "The method invocation is authorized if any
    method scopes matches a claimed scope in the access token ... the client must provide an
    access token instead of an identity token"."""
    _, session = make_rider(kit)
    issuer = tokens.decode(session.id_token).claims["iss"]
    pools = {issuer: tokens.fetch_jwks(kit.jwks_url)}
    now = tokens.decode(session.id_token).claims["iat"] + 1
    signin = Authorizer(pools, ("orders/read", "aws.cognito.signin.user.admin"))
    assert signin(session.access_token, now).admitted
    assert signin(session.id_token, now).check == "token type"
    orders = Authorizer(pools, ("orders/read",))
    verdict = orders(session.access_token, now)
    assert (verdict.status, verdict.check) == (401, "token type")
    assert "orders/read" in verdict.reason
    assert Authorizer(pools)(session.id_token, now).claims["token_use"] == "id"


# -- the doors for a page the learner named -------------------------------------------------------
def test_a_named_origin_gets_cors_and_no_pool_is_a_configuration_error(tmp_path, monkeypatch):
    """The front's CORS for an origin named with --allow-origin; with no user pool yet the
    authorizer cannot work (Developer Guide, "Gateway response types":
    AUTHORIZER_CONFIGURATION_ERROR, 500)."""
    from wildrydes.local import process

    dev = "http://localhost:5173"
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(tests_support.free_port()))
    backend = process.start(allowed_origins=(dev,))
    try:
        preflight = requests.options(
            backend.url + "/_api/prod/ride",
            timeout=10,
            headers={
                "Origin": dev,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == dev
        assert "authorization" in preflight.headers["Access-Control-Allow-Headers"]
        answer = requests.post(
            backend.url + "/_api/prod/ride",
            json=PICKUP,
            headers={"Origin": dev, "Authorization": "x"},
            timeout=10,
        )
        assert answer.status_code == 500
        assert answer.headers["Access-Control-Allow-Origin"] == dev
        assert "wildrydes up" in answer.json()["message"]
    finally:
        process.stop()


# -- `wildrydes api up / status / down` and `wildrydes ride` on the embedded backend -------------
def test_api_up_names_the_api_in_config_js_and_down_takes_it_out(kit):
    from wildrydes import ride_api, website

    site = website.website_url(kit.backend, kit.bucket)
    try:
        report = ride_api.up()
        assert report.values["invoke_url"] == f"{kit.backend.endpoint_url}/_api/prod"
        assert website.fetch_config_js(site).invoke_url == "../_api/prod"  # relative, as Cognito's
        assert ride_api.up().values["config_js"] == "api.invokeUrl = '../_api/prod'"  # idempotent
        status = ride_api.status()
        assert status.ok and "401" in status["authorizer"].detail
    finally:
        down = ride_api.down()
    assert down.values["config_js"] == "api.invokeUrl emptied"
    assert website.fetch_config_js(site).invoke_url == ""
    assert website.fetch_config_js(site).user_pool_id == kit.user_pool_id  # the rest kept


def test_wildrydes_ride_signs_in_and_gets_a_unicorn_or_a_refusal(kit):
    import json
    import os
    import subprocess
    import sys

    from account_flows import PASSWORD

    email, _ = make_rider(kit)

    def wildrydes(*args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "WILDRYDES_PASSWORD": PASSWORD}
        result = subprocess.run(
            [sys.executable, "-m", "wildrydes", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert PASSWORD not in result.stdout + result.stderr
        return result

    got = wildrydes("ride", email, "--json")
    assert got.returncode == 0, got.stderr
    answer = json.loads(got.stdout)
    assert answer["status"] == 201 and answer["body"]["Rider"] == email.replace("@", "-at-")
    refused_ = wildrydes("ride", email, "--token", "access")
    assert refused_.returncode == 1
    assert '401 {"message": "Unauthorized"}' in refused_.stdout
    assert "token type" in refused_.stdout
