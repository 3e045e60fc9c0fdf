"""Module 3's ride API on API Gateway, without Lambda: what ``wildrydes api up`` builds on AWS.

A REST API ``WildRydes`` with one resource, ``/ride``:
- ``POST`` behind a ``COGNITO_USER_POOLS`` authorizer on the kit's pool (token source
  ``method.request.header.Authorization``, no OAuth scopes: the id token, as module 3 sends
  it), integrated with a MOCK whose response mapping template answers module 3's shape and
  reads the rider from ``$context.authorizer.claims['cognito:username']`` (API Gateway
  Developer Guide, "Variables for data transformations": ``$context.authorizer.claims.property``,
  "A property of the claims returned from the Amazon Cognito user pool after the method caller
  is successfully authenticated");
- ``OPTIONS`` (MOCK, no authorizer) answering CORS preflights for the site's origin, and the
  ``DEFAULT_4XX`` gateway response carrying the same ``Access-Control-Allow-Origin``, so the
  site can read a 401's body;
- deployed to stage ``prod``: the invoke URL ``https://<api id>.execute-api.<region>
  .amazonaws.com/prod``.

Everything hangs off the one REST API, so ``remove`` deletes that API and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wildrydes import website
from wildrydes.backend import Backend
from wildrydes.errors import ResourceError

__all__ = [
    "API_NAME",
    "RIDE_TEMPLATE",
    "STAGE",
    "STATE_KEYS",
    "Built",
    "build",
    "remove",
    "site_origin",
]

API_NAME = "WildRydes"
STAGE = "prod"
STATE_KEYS = ("api_id", "api_invoke_url", "api_authorizer_id")
TAGS = {"wildrydes-kit": "module3-ride-api"}
# The MOCK integration's response: module 3's RequestUnicorn shape, the unicorn chosen by the
# request time, the rider from the claims the authorizer verified (never from the body).
RIDE_TEMPLATE = """#set($n = $context.requestTimeEpoch % 3)
#if($n == 0)#set($name = "Bucephalus")#set($color = "Golden")#set($gender = "Male")
#elseif($n == 1)#set($name = "Shadowfax")#set($color = "White")#set($gender = "Male")
#else#set($name = "Rocinante")#set($color = "Yellow")#set($gender = "Female")#end
{
  "RideId": "$context.requestId",
  "Unicorn": {"Name": "$name", "Color": "$color", "Gender": "$gender"},
  "UnicornName": "$name",
  "Eta": "30 seconds",
  "Rider": "$util.escapeJavaScript($context.authorizer.claims['cognito:username'])"
}
"""
_ALLOW_ORIGIN = "method.response.header.Access-Control-Allow-Origin"
_ALLOW_HEADERS = "method.response.header.Access-Control-Allow-Headers"
_ALLOW_METHODS = "method.response.header.Access-Control-Allow-Methods"


@dataclass(frozen=True)
class Built:
    api_id: str
    authorizer_id: str
    invoke_url: str

    def as_state(self) -> dict[str, str]:
        return {
            "api_id": self.api_id,
            "api_authorizer_id": self.authorizer_id,
            "api_invoke_url": self.invoke_url,
        }


def site_origin(backend: Backend, bucket: str) -> str:
    """The origin of the website (module 1's bucket) the API must let in."""
    parts = urlsplit(website.website_url(backend, bucket))
    return f"{parts.scheme}://{parts.netloc}"


def _invoke_url(api_id: str, region: str) -> str:
    return f"https://{api_id}.execute-api.{region}.amazonaws.com/{STAGE}"


def build(backend: Backend, pool_id: str, record: dict[str, Any]) -> Built:
    """The REST API for ``pool_id`` (the one ``record`` names, if it still exists)."""
    apigw = backend.client("apigateway")
    existing = record.get("api_id")
    if existing:
        try:
            apigw.get_rest_api(restApiId=existing)
            return Built(existing, record["api_authorizer_id"], record["api_invoke_url"])
        except apigw.exceptions.NotFoundException:
            pass  # removed by hand: build it again
    pool_arn = backend.client("cognito-idp").describe_user_pool(UserPoolId=pool_id)["UserPool"][
        "Arn"
    ]
    origin = site_origin(backend, record["bucket"])
    api_id = apigw.create_rest_api(
        name=API_NAME,
        description="Wild Rydes module 3's ride API (wildrydes api up)",
        endpointConfiguration={"types": ["REGIONAL"]},
        tags=TAGS,
    )["id"]
    try:
        authorizer_id = _populate(apigw, api_id, pool_arn, origin)
    except Exception:
        apigw.delete_rest_api(restApiId=api_id)  # nothing half-built is left behind
        raise
    return Built(api_id, authorizer_id, _invoke_url(api_id, backend.region))


def _populate(apigw: Any, api_id: str, pool_arn: str, origin: str) -> str:
    root = next(r["id"] for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    authorizer_id: str = apigw.create_authorizer(
        restApiId=api_id,
        name=API_NAME,
        type="COGNITO_USER_POOLS",
        providerARNs=[pool_arn],
        identitySource="method.request.header.Authorization",
    )["id"]
    ride = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="ride")["id"]
    quoted = f"'{origin}'"
    # POST /ride: the authorizer, then a MOCK answering 201 with the template above.
    _mock_method(
        apigw,
        api_id,
        ride,
        "POST",
        {"authorizationType": "COGNITO_USER_POOLS", "authorizerId": authorizer_id},
        status="201",
        declared={_ALLOW_ORIGIN: False},
        answered={_ALLOW_ORIGIN: quoted},
        template=RIDE_TEMPLATE,
    )
    # OPTIONS /ride: the browser's preflight, for the site's origin only.
    _mock_method(
        apigw,
        api_id,
        ride,
        "OPTIONS",
        {"authorizationType": "NONE"},
        status="200",
        declared={_ALLOW_ORIGIN: False, _ALLOW_HEADERS: False, _ALLOW_METHODS: False},
        answered={
            _ALLOW_ORIGIN: quoted,
            _ALLOW_HEADERS: "'Authorization,Content-Type'",
            _ALLOW_METHODS: "'POST,OPTIONS'",
        },
    )
    # A refusal (401 and every 4xx) carries the origin too, so the page can read why.
    apigw.put_gateway_response(
        restApiId=api_id,
        responseType="DEFAULT_4XX",
        responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": quoted},
    )
    apigw.create_deployment(restApiId=api_id, stageName=STAGE)
    return authorizer_id


def _mock_method(
    apigw: Any,
    api_id: str,
    resource: str,
    method: str,
    authorization: dict[str, str],
    *,
    status: str,
    declared: dict[str, bool],
    answered: dict[str, str],
    template: str | None = None,
) -> None:
    """A method answered by a MOCK integration: the method, its integration, the response it
    declares (headers ``declared``) and the integration's answer (values ``answered``)."""
    where = {"restApiId": api_id, "resourceId": resource, "httpMethod": method}
    apigw.put_method(**where, **authorization)
    apigw.put_integration(
        **where, type="MOCK", requestTemplates={"application/json": '{"statusCode": 200}'}
    )
    apigw.put_method_response(**where, statusCode=status, responseParameters=declared)
    templates = {"responseTemplates": {"application/json": template}} if template else {}
    apigw.put_integration_response(
        **where, statusCode=status, responseParameters=answered, **templates
    )


def remove(backend: Backend, record: dict[str, Any]) -> dict[str, str]:
    """Delete the REST API ``record`` names (with it go its authorizer, methods and stage)."""
    api_id = record.get("api_id")
    if not api_id:
        return {}
    apigw = backend.client("apigateway")
    try:
        api = apigw.get_rest_api(restApiId=api_id)
    except apigw.exceptions.NotFoundException:
        return {"api_id": f"{api_id} was already gone"}
    if api.get("name") != API_NAME:
        raise ResourceError(
            f"REST API {api_id} is named {api.get('name')!r}, not {API_NAME!r}: the kit did not "
            "make it, so it is left alone. Remove api_id from the kit's state.json if it is stale."
        )
    apigw.delete_rest_api(restApiId=api_id)
    return {"api_id": f"{api_id} deleted (its authorizer, methods and stage with it)"}
