"""The embedded backend's HTTP front: the doors first, then our routes, Cognito and S3.

Every request passes :mod:`wildrydes.local.doors` (Host, Origin, signature) before anything
answers it. Routes:
- ``GET /_wildrydes/health``            liveness and the serving pid (``wildrydes local``)
- ``GET /_wildrydes/outbox``            sent messages as JSON, oldest first (same origin only)
- ``GET /_wildrydes/mailbox``           the same as a page a person reads (same origin only)
- ``POST /_wildrydes/clock``            ``{"advance_seconds": N}`` moves the clock (tests;
  signed with the kit home's key, service ``wildrydes``)
- ``GET /<pool_id>/.well-known/jwks.json`` and ``.../openid-configuration``
- ``POST /`` with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Op>``: every Cognito
  operation goes to :mod:`wildrydes.local.cognito` (the kit's own service on SQLite), which
  answers the ones it does and refuses the others by name; none reaches moto
- everything else is S3, answered by moto's server after the doors admit it. moto's own
  routes (``/moto-api/...``) and other services are never reachable.
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from werkzeug.datastructures import EnvironHeaders
from werkzeug.serving import make_server
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Request, Response

from wildrydes.local import credentials as kit_credentials
from wildrydes.local import proxied
from wildrydes.local.cognito import CognitoError, LocalCognito
from wildrydes.local.doors import Doors, grants_public_read, public_cognito_operation, s3_target
from wildrydes.local.sigv4 import SignatureProblem, verify
from wildrydes.state import kit_home
from wildrydes.state import load as load_state

__all__ = [
    "COGNITO_TARGET",
    "MAX_BODY_BYTES",
    "MAX_CLOCK_SHIFT_SECONDS",
    "EmbeddedBackend",
    "StartHook",
    "serve",
]

COGNITO_TARGET = "AWSCognitoIdentityProviderService."
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_CLOCK_SHIFT_SECONDS = 10 * 365 * 24 * 3600
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9A-Za-z]+)/\.well-known/(jwks\.json|openid-configuration)$")
_MOTO_ROUTES = ("moto-api",)
# AWS's words for a refused signature: JSON services (Cognito) and S3.
_JSON_SIGNATURE_ERRORS = {
    "missing": ("MissingAuthenticationTokenException", "Missing Authentication Token", 403),
    "malformed": ("IncompleteSignatureException", None, 400),
    "key": (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        400,
    ),
    "expired": ("InvalidSignatureException", None, 400),
    "mismatch": (
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you "
        "provided. Check your AWS Secret Access Key and signing method. Consult the "
        "service documentation for details.",
        400,
    ),
}
_S3_SIGNATURE_ERRORS = {
    "missing": ("AccessDenied", "Access Denied", 403),
    "malformed": ("AuthorizationHeaderMalformed", None, 400),
    "key": (
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        403,
    ),
    "expired": (
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        403,
    ),
    "mismatch": (
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you "
        "provided. Check your key and signing method.",
        403,
    ),
}


def _epoch(value: Any) -> float:
    """AWS's JSON protocols send timestamps as epoch seconds."""
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(payload: Any, status: int = 200, content_type: str = "application/json") -> Response:
    return Response(json.dumps(payload, default=_epoch), status=status, content_type=content_type)


def _error(code: str, message: str, status: int = 400) -> Response:
    response = _json(
        {"__type": code, "message": message},
        status=status,
        content_type="application/x-amz-json-1.1",
    )
    response.headers["x-amzn-ErrorType"] = code
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def _s3_error(code: str, message: str, status: int, **fields: str) -> Response:
    extra = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>{extra}"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    )
    return Response(body, status=status, content_type="application/xml")


def _raw_uri(environ) -> str:
    """The path and query exactly as the client sent them (what SigV4 signed)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if raw.startswith(("http://", "https://")):
            parts = urlsplit(raw)
            raw = parts.path + (f"?{parts.query}" if parts.query else "")
        return raw
    query = environ.get("QUERY_STRING")
    return quote(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")


class _TooLarge(Exception):
    pass


def _read_body(environ) -> bytes:
    length = environ.get("CONTENT_LENGTH")
    stream = environ["wsgi.input"]
    if length:
        size = int(length)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        return stream.read(size) if size else b""
    if environ.get("wsgi.input_terminated"):
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise _TooLarge
        return body
    return b""


class EmbeddedBackend:
    """A WSGI app: the doors, our routes and the Cognito service in front of moto's S3."""

    def __init__(
        self,
        cognito: LocalCognito | None = None,
        *,
        port: int = 0,
        credentials: kit_credentials.KitCredentials | None = None,
        allowed_origins: tuple[str, ...] = (),
    ):
        # moto's app (about 0.4 s to import) loads when a backend is made, not with this module.
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            create_backend_app,
        )

        self.cognito = cognito or LocalCognito(kit_home())
        self.moto = DomainDispatcherApplication(create_backend_app)
        # Set once the website bucket is restored; until then health answers 503.
        self.ready = threading.Event()
        self.doors = Doors(port, allowed_origins)
        self.credentials = credentials or kit_credentials.load()
        self._public_buckets: dict[str, bool] = {}

    # -- the doors ------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        host = self.doors.host_name(environ.get("HTTP_HOST", ""))
        origin = environ.get("HTTP_ORIGIN")
        if proxied.HEADER in EnvironHeaders(environ):
            # Forwarded by Jupyter's proxy after it authenticated the learner: admitted only
            # with this launch's key, and only for the page's own origin through the proxy.
            through = proxied.forwarded_origin(EnvironHeaders(environ), proxied.load_key())
            if through is None or (origin is not None and origin.lower() != through):
                return _json(
                    {
                        "message": "Forbidden: not the page's own origin through "
                        "Jupyter's proxy, or not this launch's proxy key."
                    },
                    403,
                )(environ, start_response)
            host, origin = "127.0.0.1", None  # path-style, and same-origin for the page
            environ["HTTP_HOST"] = f"127.0.0.1:{self.doors.port}"  # what moto routes by
        if host is None:
            return _json(
                {
                    "message": "This backend answers only to its own names "
                    f"(127.0.0.1:{self.doors.port}, localhost:"
                    f"{self.doors.port})."
                },
                403,
            )(environ, start_response)
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return self._preflight(environ, origin)(environ, start_response)
        try:
            body = _read_body(environ)
        except (_TooLarge, ValueError):
            return _json({"message": "request body too large"}, 413)(environ, start_response)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wildrydes.body"] = body
        environ["wildrydes.origin"] = origin  # None: a tool, or a page through the proxy
        request = Request(environ)
        if request.path.startswith("/_wildrydes/"):
            name = request.path.removeprefix("/_wildrydes/").rstrip("/")
            return self._kit_route(request, name)(environ, start_response)
        if not self.doors.origin_admitted(origin):
            return _json(
                {
                    "message": f"Origin {origin} is not allowed. Start the backend "
                    "with `wildrydes local start --allow-origin ORIGIN` to "
                    "allow a page of yours."
                },
                403,
            )(environ, start_response)
        response = self._ours(request, host)
        if response is None:  # an admitted S3 request
            environ["wsgi.input"].seek(0)
            return self.moto(environ, self._with_cors(start_response, origin))
        response.headers.update(self.doors.cors_headers(origin))
        return response(environ, start_response)

    def _with_cors(self, start_response, origin):
        extra = list(self.doors.cors_headers(origin).items())

        def start(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, kept + extra, exc_info)

        return start

    def _preflight(self, environ, origin) -> Response:
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

    def _signature(
        self, request: Request, service: str, errors: dict[str, tuple[str, str | None, int]]
    ) -> Response | None:
        """None when the request carries a valid signature for ``service``, else the refusal."""
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            signed = verify(
                method=request.method,
                raw_uri=_raw_uri(request.environ),
                headers=headers,
                body=request.environ["wildrydes.body"],
                credentials=self.credentials,
            )
            if signed.service != service:
                raise SignatureProblem(
                    "malformed", f"Credential should be scoped to correct service: '{service}'."
                )
        except SignatureProblem as problem:
            code, message, status = errors[problem.kind]
            message = message or problem.detail
            if errors is _S3_SIGNATURE_ERRORS:
                return _s3_error(code, message, status)
            return _error(code, message, status)
        return None

    # -- routes ---------------------------------------------------------------------------
    def _ours(self, request: Request, host: str) -> Response | None:
        match = _WELL_KNOWN.match(request.path)
        if match and request.method in ("GET", "HEAD"):
            return self._well_known(request, *match.groups())
        target = request.headers.get("X-Amz-Target")
        if target is not None:
            return self._cognito_door(request, target)
        return self._s3_door(request, host)

    def _kit_route(self, request: Request, name: str) -> Response:
        origin = request.environ.get("wildrydes.origin")
        if name == "health" and request.method == "GET":
            ready = self.ready.is_set()
            return _json(
                {"ok": ready, "service": "wildrydes-local", "pid": os.getpid()},
                200 if ready else 503,
            )
        if not self.doors.origin_admitted(origin, same_origin_only=True):
            return _json(
                {"message": "The local outbox and kit routes answer only the backend's own pages."},
                403,
            )
        outbox = self.cognito.outbox
        if name == "outbox" and request.method == "GET":
            response = _json(outbox.as_json())
            response.headers["Cache-Control"] = "no-store"
            return response
        if name == "mailbox" and request.method == "GET":
            page = Response(
                outbox.mailbox_page(request.args.get("pool") or None, _website_link()),
                content_type="text/html; charset=utf-8",
            )
            page.headers["Cache-Control"] = "no-store"
            return page
        if name == "clock" and request.method == "POST":
            refused = self._signature(request, kit_credentials.KIT_SERVICE, _JSON_SIGNATURE_ERRORS)
            return refused or self._move_clock(request)
        return _json({"message": f"no such route /_wildrydes/{name}"}, status=404)

    def _move_clock(self, request: Request) -> Response:
        body = request.get_json(force=True, silent=True)
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
            or not math.isfinite(seconds)
            or abs(seconds) > MAX_CLOCK_SHIFT_SECONDS
        ):
            return _json(
                {
                    "message": "advance_seconds must be a number of seconds between "
                    f"-{MAX_CLOCK_SHIFT_SECONDS} and "
                    f"{MAX_CLOCK_SHIFT_SECONDS}"
                },
                400,
            )
        return _json({"offset_seconds": self.cognito.clock.advance(float(seconds))})

    def _well_known(self, request: Request, pool_id: str, document: str) -> Response:
        try:
            if document == "jwks.json":
                return _json(self.cognito.jwks(pool_id))
            return _json(self.cognito.openid_configuration(pool_id, request.host_url))
        except CognitoError as e:
            return _json({"message": e.message}, status=404)

    def _cognito_door(self, request: Request, target: str) -> Response | None:
        operation = target.removeprefix(COGNITO_TARGET)
        if not target.startswith(COGNITO_TARGET) or request.method != "POST":
            return _error(
                "UnknownOperationException",
                f"The local backend serves Amazon Cognito user pools and S3 only, not {target}.",
                404,
            )
        public = public_cognito_operation(operation)
        if public is None:
            return _error(
                "UnknownOperationException", f"Amazon Cognito has no operation {operation}.", 400
            )
        if not public:
            # AWS's model marks this operation as needing IAM credentials (SigV4).
            refused = self._signature(request, "cognito-idp", _JSON_SIGNATURE_ERRORS)
            if refused is not None:
                return refused
        return self._cognito(request, operation)

    def _s3_door(self, request: Request, host: str) -> Response | None:
        target = s3_target(host, _raw_uri(request.environ))
        if target.bucket in _MOTO_ROUTES:
            return _s3_error(
                "NoSuchBucket", "The specified bucket does not exist", 404, BucketName=target.bucket
            )
        if "Authorization" not in request.headers:
            # moto's test-only headers (x-moto-account-id, ...) are for key holders only.
            for name in [k for k in request.environ if k.startswith("HTTP_X_MOTO_")]:
                del request.environ[name]
            if (
                request.method in ("GET", "HEAD")
                and target.is_object_read_shape
                and self._bucket_is_public(target.bucket)
            ):
                return None
            # Anonymous writes, listings and form uploads: refused, as on a private bucket.
            return _s3_error("AccessDenied", "Access Denied", 403)
        refused = self._signature(request, "s3", _S3_SIGNATURE_ERRORS)
        if refused is not None:
            return refused
        unknown = target.unknown_subresources
        post_ok = request.method != "POST" or "delete" in target.query
        if unknown or not post_ok or request.method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            return _s3_error(
                "NotImplemented",
                "A header or query you provided implies "
                "functionality that the local backend does not implement.",
                501,
            )
        if target.bucket and (target.key is None or "policy" in target.query):
            self._public_buckets.pop(target.bucket, None)
        return None

    def _bucket_is_public(self, bucket: str) -> bool:
        """Does the bucket's policy grant anonymous reads? Asked of moto over WSGI, cached
        until a signed request changes the bucket or its policy."""
        if bucket not in self._public_buckets:
            url = f"http://127.0.0.1:{self.doors.port}/{quote(bucket)}?policy"
            headers = kit_credentials.sign_request(
                "GET",
                url,
                credentials=self.credentials,
                service="s3",
                headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"},
            )
            builder = EnvironBuilder(
                path=f"/{bucket}",
                query_string="policy",
                method="GET",
                headers=headers,
                base_url=f"http://127.0.0.1:{self.doors.port}",
            )
            body, status, _ = run_wsgi_app(self.moto, builder.get_environ(), buffered=True)
            text = b"".join(body).decode("utf-8", "replace")
            self._public_buckets[bucket] = status.startswith("200") and grants_public_read(
                text, bucket
            )
        return self._public_buckets[bucket]

    def _cognito(self, request: Request, operation: str) -> Response:
        started = time.perf_counter()
        try:
            body = request.environ.get("wildrydes.body") or b"{}"
            result = self.cognito.handle(operation, body, _signed_region(request))
        except CognitoError as e:
            response = _error(e.code, e.message, e.status)
        except Exception as e:  # noqa: BLE001 - a bug of ours still answers in AWS's format
            logging.getLogger(__name__).exception("%s failed", operation)
            response = _error(
                "InternalErrorException",
                f"The local backend failed on {operation} ({type(e).__name__}); "
                "its log has the details.",
                500,
            )
        else:
            response = _json(result, content_type="application/x-amz-json-1.1")
        # How long the Cognito service took (SRP math included), for benchmarks and DevTools.
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f'cognito;dur={elapsed_ms:.3f};desc="{operation}"'
        return response


def _signed_region(request: Request) -> str:
    """The region of a SigV4 request (``Credential=KEY/DATE/REGION/SERVICE/aws4_request``)."""
    match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", request.headers.get("Authorization", ""))
    return match.group(1) if match else "us-east-1"


#: Handed to serve() by the kit above; run with the URL and ``pool_exists`` before "ready".
StartHook = Callable[[str, Callable[[str], bool]], object]


def serve(
    port: int,
    host: str = "127.0.0.1",
    allowed_origins: tuple[str, ...] = (),
    *,
    on_start: StartHook | None = None,
) -> None:
    """Run the embedded backend in the foreground until interrupted; ``on_start``: see StartHook."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler  # as in EmbeddedBackend

    app = EmbeddedBackend(port=port, allowed_origins=allowed_origins)
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    if on_start is not None:
        try:
            on_start(f"http://{host}:{port}", app.cognito.store.pool_exists)
        except Exception:  # noqa: BLE001 - a backend without its website still serves Cognito
            logging.getLogger(__name__).exception("the start-up hook failed")
    app.ready.set()
    while thread.is_alive():
        thread.join(1.0)


def _website_link() -> str | None:
    """The website's index page relative to /_wildrydes/mailbox, from the kit's state."""
    bucket = load_state("local").get("bucket")
    return f"../{bucket}/index.html" if bucket else None
