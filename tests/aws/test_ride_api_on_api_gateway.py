"""`wildrydes api up / down` on the aws backend, against moto's own server (an independent
engine: moto's API Gateway and Cognito, not the kit's): what `up` builds and that `down`
removes exactly that.

moto does not run authorizers or mapping templates, so these tests read back the resources
as API Gateway would hold them; the authorizer's behaviour is tested against the kit's local
API (tests/integration/test_ride_api.py).
"""

from __future__ import annotations

import uuid

import boto3
import pytest
import requests
import tests_support
from remote_aws import Remote, make_module1_bucket

from wildrydes import api_gateway, launch, ride_api, state, website
from wildrydes.backend import connect
from wildrydes.local.credentials import KitCredentials


@pytest.fixture(scope="module")
def moto_server():
    """moto's ThreadedMotoServer, one per module: the kit's clients are cached per endpoint
    setting, so every test here talks to the same URL."""
    from moto.server import ThreadedMotoServer

    port = tests_support.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto_aws(moto_server, tmp_path, monkeypatch):
    """moto's server as the learner's AWS (emptied first), with module 1's bucket in it."""
    requests.post(f"{moto_server}/moto-api/reset", timeout=10)
    remote = Remote(
        moto_server,
        tmp_path / "moto",
        f"wildrydes-module1-{uuid.uuid4().hex[:8]}",
        KitCredentials("testing", "testing"),
    )
    make_module1_bucket(remote)
    for name, value in remote.learner_environment(tmp_path / "learner").items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return remote


def apigateway(remote: Remote):
    return boto3.client(
        "apigateway",
        endpoint_url=remote.url,
        region_name=remote.region,
        **remote.credentials.boto3_kwargs(),
    )


def test_api_up_builds_the_rest_api_module_3_needs_and_down_removes_exactly_it(moto_aws):
    launch.up()
    backend = connect()
    record_pool = backend.client("cognito-idp").list_user_pools(MaxResults=10)["UserPools"]
    pool_id = next(p["Id"] for p in record_pool if p["Name"] == "WildRydes")
    pool_arn = backend.client("cognito-idp").describe_user_pool(UserPoolId=pool_id)["UserPool"][
        "Arn"
    ]
    apigw = apigateway(moto_aws)
    theirs = apigw.create_rest_api(name="SomeoneElsesApi")["id"]  # must survive `down`

    report = ride_api.up()
    api_id = report.values["api_id"]
    assert report.values["invoke_url"] == (
        f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod"
    )
    assert ride_api.up().values["api_id"] == api_id  # idempotent: found, not built again
    assert apigw.get_rest_api(restApiId=api_id)["name"] == api_gateway.API_NAME

    [authorizer] = apigw.get_authorizers(restApiId=api_id)["items"]
    assert authorizer["type"] == "COGNITO_USER_POOLS"
    assert authorizer["providerARNs"] == [pool_arn]
    assert authorizer["identitySource"] == "method.request.header.Authorization"

    ride = next(
        r for r in apigw.get_resources(restApiId=api_id)["items"] if r.get("path") == "/ride"
    )
    post = apigw.get_method(restApiId=api_id, resourceId=ride["id"], httpMethod="POST")
    assert post["authorizationType"] == "COGNITO_USER_POOLS"
    assert post["authorizerId"] == authorizer["id"]
    assert not post.get("authorizationScopes")  # no scopes: the id token, as module 3 sends it
    integration = post["methodIntegration"]
    assert integration["type"] == "MOCK"
    template = integration["integrationResponses"]["201"]["responseTemplates"]["application/json"]
    assert "$context.authorizer.claims['cognito:username']" in template
    assert "$input" not in template  # nothing from the request body reaches the Rider

    site = api_gateway.site_origin(backend, moto_aws.bucket)
    preflight = apigw.get_method(restApiId=api_id, resourceId=ride["id"], httpMethod="OPTIONS")
    assert preflight["authorizationType"] == "NONE"
    allowed = preflight["methodIntegration"]["integrationResponses"]["200"]["responseParameters"]
    assert allowed["method.response.header.Access-Control-Allow-Origin"] == f"'{site}'"
    assert "Authorization" in allowed["method.response.header.Access-Control-Allow-Headers"]
    refusal = apigw.get_gateway_response(restApiId=api_id, responseType="DEFAULT_4XX")
    assert refusal["responseParameters"] == {
        "gatewayresponse.header.Access-Control-Allow-Origin": f"'{site}'"
    }
    assert [s["stageName"] for s in apigw.get_stages(restApiId=api_id)["item"]] == ["prod"]

    url = website.website_url(backend, moto_aws.bucket)
    assert website.fetch_config_js(url).invoke_url == report.values["invoke_url"]

    down = ride_api.down()
    assert "deleted" in down.values["api_id"]
    assert [a["id"] for a in apigw.get_rest_apis()["items"]] == [theirs]
    assert website.fetch_config_js(url).invoke_url == ""
    assert website.fetch_config_js(url).user_pool_id == pool_id  # module 2's part kept
    assert ride_api.down().values == {"backend": "aws"}  # nothing left to remove


def test_wildrydes_down_removes_the_api_whose_authorizer_names_the_pool(moto_aws):
    launch.up()
    api_id = ride_api.up().values["api_id"]
    apigw = apigateway(moto_aws)
    removed = launch.down()
    assert "deleted" in removed.values["api_id"]
    assert apigw.get_rest_apis()["items"] == []
    assert "api_id" not in state.load(connect().state_key)
    assert api_id in removed.values["api_id"]
