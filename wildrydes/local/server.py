"""The embedded backend's HTTP front: the doors first, then our routes, Cognito and S3.

Every request passes :mod:`wildrydes.local.doors` (Host, Origin, signature) before anything
answers it, and the same allow-list holds on every Host name the backend answers (its own
names and the buckets' virtual hosts). Routes:
- ``/_wildrydes/...`` the kit's own routes (:mod:`wildrydes.local.kit_routes`): health, outbox,
  mailbox, login, clock; only for a caller holding the kit home's secret, or coming through
  the learner's authenticated Jupyter proxy
- ``GET /<pool_id>/.well-known/jwks.json`` and ``.../openid-configuration``
- ``POST /_api/prod/ride``: Wild Rydes module 3's ride API behind API Gateway's Cognito user
  pool authorizer (:mod:`wildrydes.local.ride`), trusting the kit's WildRydes pool
- ``POST /`` with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Op>``: every Cognito
  operation goes to :mod:`wildrydes.local.cognito` (the kit's own service on SQLite), which
  answers the ones it does and refuses the others by name; none reaches moto
- everything else is S3, answered by moto's server after the doors admit it. moto's own
  routes (``/moto-api/...``) and other services are never reachable, on any Host.

Bodies are read once (:mod:`wildrydes.local.bodies`): an S3 upload is hashed as a file and
handed to moto as that file, and moto answers one S3 request at a time, so three 60 MiB
uploads do not make three sets of 60 MiB copies in memory at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from typing import Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.wrappers import Request, Response

from wildrydes.local import credentials as kit_credentials
from wildrydes.local import in_process, proxied
from wildrydes.local import secret as kit_secret
from wildrydes.local.bodies import JSON_LIMIT, TooLarge, read_bytes
from wildrydes.local.cognito import CognitoError, LocalCognito
from wildrydes.local.doors import Doors, public_cognito_operation
from wildrydes.local.kit_routes import KitRoutes
from wildrydes.local.refusals import aws_error, json_response, s3_error, signature_refusal
from wildrydes.local.ride import API_PREFIX, RideApi
from wildrydes.local.s3_door import MAX_BODY_BYTES, MOTO_ROUTES, S3Door, raw_uri
from wildrydes.local.sigv4 import SignatureProblem, verify
from wildrydes.local.site_entry import site_entry
from wildrydes.state import kit_home
from wildrydes.state import load as load_state

__all__ = [
    "COGNITO_TARGET",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "EmbeddedBackend",
]

COGNITO_TARGET = "AWSCognitoIdentityProviderService."
# Cognito's requests nest four levels at most (a pool's Schema: list, attribute, constraints);
# past this a body is refused as malformed before anything parses it further.
MAX_JSON_DEPTH = 32
# How long another client's S3 request waits for the start-up restore of the website bucket.
RESTORE_WAIT_SECONDS = 30
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9A-Za-z]+)/\.well-known/(jwks\.json|openid-configuration)$")


def _is_moto_route(path: str) -> bool:
    """moto's debug and recorder routes, whatever the Host (``/moto-api/...``)."""
    return path.lstrip("/").split("/", 1)[0] in MOTO_ROUTES


def json_depth(value: Any) -> int:
    """How deeply ``value`` (parsed JSON) nests lists and objects."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class EmbeddedBackend:
    """A WSGI app: the doors, our routes and the Cognito service in front of moto's S3."""

    def __init__(
        self,
        cognito: LocalCognito | None = None,
        *,
        port: int = 0,
        credentials: kit_credentials.KitCredentials | None = None,
        allowed_origins: tuple[str, ...] = (),
        secret: str | None = None,
    ) -> None:
        home = kit_home()
        self.cognito = cognito or LocalCognito(home)
        # Set once the server listens and the Cognito store is open; until then health
        # answers 503. S3 (the website bucket moto forgot) may still be being restored then:
        # other clients' S3 requests wait for ``s3_restored`` (see serving.serve).
        self.ready = threading.Event()
        self.s3_restored = threading.Event()
        self.s3_restored.set()
        self.doors = Doors(port, allowed_origins)
        self.credentials = credentials or kit_credentials.load()
        self._home = home
        self.s3 = S3Door(port, self.credentials, self._signature)
        self.ride = RideApi(self.cognito, _kit_pool)
        self.kit_routes = KitRoutes(
            self.cognito,
            port=port,
            secret=secret or kit_secret.load(home),
            ready=self.ready.is_set,
            signed=self._signed_kit_request,
            website_link=_website_link,
            current_pool=_current_pool,
        )

    # -- the doors ------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        host = self.doors.host_name(environ.get("HTTP_HOST", ""))
        origin = environ.get("HTTP_ORIGIN")
        forwarded = proxied.HEADER in EnvironHeaders(environ)
        if forwarded:
            # Forwarded by Jupyter's proxy after it authenticated the learner: admitted only
            # with a live proxy key, and only for the page's own origin through the proxy.
            through = proxied.forwarded_origin(
                EnvironHeaders(environ), proxied.live_keys(self._home)
            )
            if through is None or (origin is not None and origin.lower() != through):
                return json_response(
                    {
                        "message": "Forbidden: not the page's own origin through "
                        "Jupyter's proxy, or not a running Jupyter server's proxy key."
                    },
                    403,
                )(environ, start_response)
            # Jupyter's own credentials (its token, its session cookies) stop here.
            environ.pop("HTTP_AUTHORIZATION", None)
            environ.pop("HTTP_COOKIE", None)
            host, origin = "127.0.0.1", None  # path-style, and same-origin for the page
            environ["HTTP_HOST"] = f"127.0.0.1:{self.doors.port}"  # what moto routes by
        if host is None:
            return json_response(
                {
                    "message": "This backend answers only to its own names "
                    f"(127.0.0.1:{self.doors.port}, localhost:{self.doors.port})."
                },
                403,
            )(environ, start_response)
        path = environ.get("PATH_INFO") or "/"
        if _is_moto_route(path):
            virtual = host not in ("127.0.0.1", "localhost")
            code = "NoSuchKey" if virtual else "NoSuchBucket"
            message = (
                "The specified key does not exist."
                if virtual
                else ("The specified bucket does not exist")
            )
            return s3_error(code, message, 404)(environ, start_response)
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return self._preflight(environ, origin)(environ, start_response)
        request = Request(environ)
        if path.startswith("/_wildrydes/"):
            if not self.doors.origin_admitted(origin, same_origin_only=True):
                return json_response(
                    {"message": "The kit's own routes answer only the backend's own pages."},
                    403,
                )(environ, start_response)
            name = path.removeprefix("/_wildrydes/").rstrip("/")
            answer = self.kit_routes(request, name, proxied=forwarded)
            return answer(environ, start_response)
        if not self.doors.origin_admitted(origin):
            return json_response(
                {
                    "message": f"Origin {origin} is not allowed. Start the backend "
                    "with `wildrydes local start --allow-origin ORIGIN` to "
                    "allow a page of yours."
                },
                403,
            )(environ, start_response)
        if not path.startswith(API_PREFIX) and "X-Amz-Target" not in request.headers:
            self._wait_for_s3(path)
        if host in ("127.0.0.1", "localhost"):  # path-style: the site's entry for a browser
            entry = site_entry(request, self._website, self.s3.published)
            if entry is not None:
                return entry(environ, start_response)
        ride = path.startswith(API_PREFIX)
        response = self.ride(request) if ride else self._ours(request, host)
        if response is None:  # an admitted S3 request: the body is a file at its start
            return self.s3.answer(environ, self._with_cors(start_response, origin))
        response.headers.update(self.doors.cors_headers(origin))
        return response(environ, start_response)

    def _wait_for_s3(self, path: str) -> None:
        """An S3 request (not the restore's own) waits until the start-up restore is done.

        The wait is bounded: a restore that hangs is logged by serve(), and S3 then answers
        with what it has rather than never.
        """
        if self.s3_restored.is_set() or in_process.answering():
            return
        if _WELL_KNOWN.match(path):  # the JWKS comes from the Cognito store, not S3
            return
        self.s3_restored.wait(RESTORE_WAIT_SECONDS)

    def send_in_process(self, request: Any, **_: Any) -> Any:
        """botocore's ``before-send`` hook answering in this app, in this thread
        (:mod:`wildrydes.local.in_process`): the start-up restore's transport."""
        return in_process.answer(self, request)

    def _website(self) -> str | None:
        """The website bucket the kit's state names (None before module 1)."""
        bucket = load_state("local").get("bucket")
        return bucket if isinstance(bucket, str) and bucket else None

    def _with_cors(self, start_response: Any, origin: str | None) -> Any:
        extra = list(self.doors.cors_headers(origin).items())

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, kept + extra, exc_info)

        return start

    def _preflight(self, environ: dict[str, Any], origin: str | None) -> Response:
        headers = self.doors.preflight_headers(
            origin,
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
        )
        if headers is None:
            return Response(status=403)
        response = Response(status=204)
        response.headers.update(headers)
        return response

    def _signature(self, request: Request, service: str, body_sha256: str) -> Response | None:
        """None when the request carries a valid signature for ``service``, else the refusal."""
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            verify(
                service=service,
                method=request.method,
                raw_uri=raw_uri(request.environ),
                headers=headers,
                body_sha256=body_sha256,
                credentials=self.credentials,
            )
        except SignatureProblem as problem:
            return signature_refusal(problem, s3=service == "s3")
        return None

    def _signed_kit_request(self, request: Request) -> Response | None:
        """The clock's door: signed with the kit home's key for service ``wildrydes``."""
        try:
            body = read_bytes(request.environ)
        except TooLarge:
            return json_response({"message": "request body too large"}, 413)
        return self._signature(
            request, kit_credentials.KIT_SERVICE, hashlib.sha256(body).hexdigest()
        )

    # -- routes ---------------------------------------------------------------------------
    def _ours(self, request: Request, host: str) -> Response | None:
        match = _WELL_KNOWN.match(request.path)
        if match and request.method in ("GET", "HEAD"):
            return self._well_known(request, *match.groups())
        target = request.headers.get("X-Amz-Target")
        if target is not None:
            return self._cognito_door(request, target)
        return self.s3.admit(request, host)

    def _well_known(self, request: Request, pool_id: str, document: str) -> Response:
        try:
            if document == "jwks.json":
                return json_response(self.cognito.jwks(pool_id))
            return json_response(self.cognito.openid_configuration(pool_id, request.host_url))
        except CognitoError as e:
            return json_response({"message": e.message}, status=404)

    def _cognito_door(self, request: Request, target: str) -> Response:
        operation = target.removeprefix(COGNITO_TARGET)
        if not target.startswith(COGNITO_TARGET) or request.method != "POST":
            return aws_error(
                "UnknownOperationException",
                f"The local backend serves Amazon Cognito user pools and S3 only, not {target}.",
                404,
            )
        public = public_cognito_operation(operation)
        if public is None:
            return aws_error(
                "UnknownOperationException", f"Amazon Cognito has no operation {operation}.", 400
            )
        try:
            body = read_bytes(request.environ, JSON_LIMIT)
        except TooLarge:
            return aws_error(
                "SerializationException",
                f"The request body is larger than {JSON_LIMIT // 1024} KiB; Cognito's "
                "requests are a few KiB.",
                413,
            )
        if not public:
            # AWS's model marks this operation as needing IAM credentials (SigV4).
            refused = self._signature(request, "cognito-idp", hashlib.sha256(body).hexdigest())
            if refused is not None:
                return refused
        malformed = _malformed_json(body)
        if malformed is not None:
            return aws_error("SerializationException", malformed, 400)
        return self._cognito(operation, body, _signed_region(request))

    def _cognito(self, operation: str, body: bytes, region: str) -> Response:
        started = time.perf_counter()
        answer = self.cognito.answer(operation, body or b"{}", region)
        response = Response(answer.body, status=answer.status, headers=answer.headers)
        # How long the Cognito service took (SRP math included), for benchmarks and DevTools.
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f'cognito;dur={elapsed_ms:.3f};desc="{operation}"'
        return response


def _malformed_json(body: bytes) -> str | None:
    """Why a Cognito body cannot be taken as JSON by AWS's rules, or None.

    Only nesting is judged here (a parser's recursion must never become a 500); other
    malformed bodies get the service's own InvalidParameterException.
    """
    try:
        parsed = json.loads(body or b"{}")
    except RecursionError:
        return f"The request body nests deeper than {MAX_JSON_DEPTH} levels."
    except ValueError:
        return None
    if json_depth(parsed) > MAX_JSON_DEPTH:
        return f"The request body nests deeper than {MAX_JSON_DEPTH} levels."
    return None


def _signed_region(request: Request) -> str:
    """The region of a SigV4 request (``Credential=KEY/DATE/REGION/SERVICE/aws4_request``)."""
    match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", request.headers.get("Authorization", ""))
    return match.group(1) if match else "us-east-1"


def _kit_pool() -> list[str]:
    """The user pool the ride API's authorizer trusts: the kit's own, from its state."""
    pool_id = load_state("local").get("user_pool_id")
    return [pool_id] if isinstance(pool_id, str) and pool_id else []


def _website_link() -> str | None:
    """The website's index page relative to /_wildrydes/mailbox, from the kit's state."""
    bucket = load_state("local").get("bucket")
    return f"../{bucket}/index.html" if bucket else None


def _current_pool() -> str | None:
    """The user pool the kit's state names on the local backend (the mailbox shows its mail)."""
    pool = load_state("local").get("user_pool_id")
    return pool if isinstance(pool, str) and pool else None
