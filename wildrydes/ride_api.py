"""Module 3's ride API: ``wildrydes api up / status / down``, and a ride requested with a token.

On the embedded backend the API is always served beside the site (``<backend>/_api/prod``,
:mod:`wildrydes.local.ride`), its authorizer trusting the kit's user pool; ``up`` writes its
invoke URL into config.js (relative to the page, like Cognito's endpoint there) and ``down``
takes it out again. On AWS ``up`` builds it on API Gateway (:mod:`wildrydes.api_gateway`) and
``down`` removes exactly that.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from wildrydes import api_gateway, render, state, website
from wildrydes.backend import Backend, connect
from wildrydes.errors import ConfigurationError, ResourceError
from wildrydes.verdicts import Check, Report

__all__ = [
    "LOCAL_INVOKE_URL",
    "RideAnswer",
    "down",
    "invoke_url",
    "request_ride",
    "status",
    "up",
]

# config.js on the embedded backend names the API relative to the page (/<bucket>/ride.html).
LOCAL_INVOKE_URL = "../_api/prod"
LOCAL_API_PATH = "/_api/prod"
# Module 3's sample pickup: a point in Seattle.
PICKUP = (47.6174755835663, -122.28837066650185)


def invoke_url(backend: Backend) -> str:
    """The API's invoke URL as a tool calls it (absolute; ``+ '/ride'`` is the method)."""
    if backend.kind == "local":
        return f"{backend.endpoint_url}{LOCAL_API_PATH}"
    url = state.load(backend.state_key).get("api_invoke_url")
    if not url:
        raise ConfigurationError(
            f"No ride API on the {backend.kind} backend yet: run `wildrydes api up` first."
        )
    return str(url)


def _site_invoke_url(backend: Backend) -> str:
    return LOCAL_INVOKE_URL if backend.kind == "local" else invoke_url(backend)


def _write_invoke_url(backend: Backend, url: str) -> str:
    """config.js with ``api.invokeUrl`` set to ``url`` (the rest kept), read back as a browser
    reads it; returns what it said before."""
    record = state.load(backend.state_key)
    bucket = record.get("bucket")
    if not bucket:
        raise ConfigurationError(
            "No website bucket yet: run `wildrydes module1` (or `wildrydes up`) first."
        )
    s3 = backend.client("s3")
    existing = website.read_config_js(s3, bucket) or website.SiteConfig()
    wanted = dataclasses.replace(existing, invoke_url=url)
    if existing != wanted:
        website.put_config_js(s3, bucket, wanted)
    seen = website.fetch_config_js(website.website_url(backend, bucket))
    if seen.invoke_url != url:
        raise ResourceError(
            f"config.js in bucket {bucket} reads back api.invokeUrl {seen.invoke_url!r} "
            f"instead of {url!r}. A CDN or proxy may be caching it; run the command again."
        )
    return existing.invoke_url


def up(kind: str | None = None, *, region: str | None = None) -> Report:
    """The ride API for the kit's user pool, and its invoke URL in config.js (idempotent)."""
    backend = connect(kind, region)
    record = state.load(backend.state_key)
    pool_id = record.get("user_pool_id")
    if not pool_id:
        raise ConfigurationError(
            f"No user pool on the {backend.kind} backend yet: the API's authorizer needs one. "
            "Run `wildrydes up` (or notebooks 01-03) first."
        )
    values: dict[str, Any] = {"backend": backend.kind, "region": backend.region}
    if backend.kind == "aws":
        built = api_gateway.build(backend, pool_id, record)
        state.update(backend.state_key, **built.as_state())
        values.update(built.as_state())
    values["invoke_url"] = invoke_url(backend)
    _write_invoke_url(backend, _site_invoke_url(backend))
    values["config_js"] = f"api.invokeUrl = {_site_invoke_url(backend)!r}"
    values["authorizer"] = f"Cognito user pool {pool_id}; the id token, no OAuth scopes"
    return Report("The ride API is up", values)


def status(kind: str | None = None, *, region: str | None = None) -> Report:
    """Whether the API answers as module 3's does: 401 without a token."""
    backend = connect(kind, region)
    report = Report("The ride API", {"backend": backend.kind})
    try:
        url = invoke_url(backend)
    except ConfigurationError as e:
        report.checks.append(Check("api", False, str(e)))
        return report
    report.values["invoke_url"] = url
    answer = request_ride(url, None)
    report.checks.append(
        Check(
            "authorizer",
            answer.status == 401,
            f"without a token: {answer.status} {json.dumps(answer.body)}",
            "" if answer.status == 401 else "run `wildrydes api up` again",
        )
    )
    return report


def down(kind: str | None = None, *, region: str | None = None) -> Report:
    """Remove what ``up`` made: on AWS the REST API (and with it its authorizer, methods and
    stage); everywhere api.invokeUrl in config.js, when it still names this API."""
    backend = connect(kind, region, start=False)
    record = state.load(backend.state_key)
    removed: dict[str, Any] = {"backend": backend.kind}
    if backend.kind == "aws" and record.get("api_id"):
        removed.update(api_gateway.remove(backend, record))
    ours = _site_invoke_url(backend) if backend.kind == "local" else record.get("api_invoke_url")
    if record.get("bucket") and ours:
        s3 = backend.client("s3")
        existing = website.read_config_js(s3, record["bucket"])
        if existing is not None and existing.invoke_url == ours:
            emptied = dataclasses.replace(existing, invoke_url="")
            website.put_config_js(s3, record["bucket"], emptied)
            removed["config_js"] = "api.invokeUrl emptied"
    state.save(
        backend.state_key, {k: v for k, v in record.items() if k not in api_gateway.STATE_KEYS}
    )
    return Report("The ride API is down", removed)


@dataclass(frozen=True)
class RideAnswer:
    """The API's answer to one ``POST /ride``: status, body, and (on the embedded backend) the
    authorizer rule that refused it."""

    status: int
    body: dict[str, Any]
    check: str | None = None

    @property
    def unicorn(self) -> str | None:
        unicorn = self.body.get("Unicorn")
        if self.status != 201 or not isinstance(unicorn, dict):
            return None
        return f"{unicorn.get('Name')} ({unicorn.get('Color')}, {unicorn.get('Gender')})"

    def __str__(self) -> str:
        text = f"{self.status} {json.dumps(self.body)}"
        return f"{text}  [caught by: {self.check}]" if self.check else text

    def _repr_html_(self) -> str:
        rows = [("status", str(self.status)), ("body", json.dumps(self.body, indent=1))]
        if self.check:
            rows.append(("caught by", self.check))
        return render.settings("POST /ride", rows)


def request_ride(
    url: str,
    authorization: str | None,
    *,
    pickup: tuple[float, float] = PICKUP,
    timeout: float = 10.0,
) -> RideAnswer:
    """``POST {url}/ride`` as module 3's ride page sends it: the token as it is in the
    ``Authorization`` header (none when ``authorization`` is None), the pickup as JSON."""
    # requests (15 ms to import) only when a ride is requested: `wildrydes check` loads this
    # module with the account commands and requests none.
    import requests

    headers = {} if authorization is None else {"Authorization": authorization}
    body = {"PickupLocation": {"Latitude": pickup[0], "Longitude": pickup[1]}}
    response = requests.post(f"{url}/ride", json=body, headers=headers, timeout=timeout)
    try:
        answer = response.json()
    except ValueError:
        answer = {"text": response.text[:200]}
    return RideAnswer(
        response.status_code,
        answer if isinstance(answer, dict) else {"body": answer},
        response.headers.get("X-WildRydes-Authorizer-Check"),
    )
