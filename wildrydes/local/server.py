"""The embedded backend's HTTP front: our routes and our Cognito first, moto (S3) behind.

Routes answered here:
- ``GET /_wildrydes/health``            liveness, used by ``wildrydes local start``
- ``GET /_wildrydes/outbox``            sent messages as JSON, oldest first
- ``GET /_wildrydes/mailbox``           the same as a page a person reads, newest first
- ``POST /_wildrydes/clock``            ``{"advance_seconds": N}`` moves the clock (tests)
- ``GET /<pool_id>/.well-known/jwks.json`` and ``.../openid-configuration``
- ``POST /`` with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Op>``: every Cognito
  operation goes to :mod:`wildrydes.local.cognito` (the kit's own service on SQLite), which
  answers the ones it does and refuses the others by name; none reaches moto
Everything else (S3) goes to moto's server unchanged.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from datetime import datetime
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from wildrydes.local.cognito import CognitoError, LocalCognito
from wildrydes.state import kit_home

COGNITO_TARGET = "AWSCognitoIdentityProviderService."
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9A-Za-z]+)/\.well-known/(jwks\.json|openid-configuration)$")
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, HEAD, OPTIONS",
    "Access-Control-Expose-Headers": "*",
}


def _epoch(value: Any) -> float:
    """AWS's JSON protocols send timestamps as epoch seconds."""
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(payload: Any, status: int = 200, content_type: str = "application/json") -> Response:
    response = Response(json.dumps(payload, default=_epoch), status=status,
                        content_type=content_type)
    response.headers.update(_CORS)
    return response


class EmbeddedBackend:
    """A WSGI app: the fidelity layer in front of moto's server app."""

    def __init__(self, cognito: LocalCognito | None = None):
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            create_backend_app,
        )

        self.cognito = cognito or LocalCognito(kit_home())
        self.moto = DomainDispatcherApplication(create_backend_app)
        # Set once the website bucket is restored; until then health answers 503.
        self.ready = threading.Event()

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith(COGNITO_TARGET):
            # Read the body once and put it back, so moto can read it if we pass.
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["wildrydes.body"] = body
        request = Request(environ)
        response = self._ours(request)
        if response is None:
            return self.moto(environ, start_response)
        return response(environ, start_response)

    def _ours(self, request: Request) -> Response | None:
        path = request.path
        if path.startswith("/_wildrydes/"):
            return self._kit_route(request, path.removeprefix("/_wildrydes/").rstrip("/"))
        match = _WELL_KNOWN.match(path)
        if match and request.method == "GET":
            return self._well_known(request, *match.groups())
        target = request.headers.get("X-Amz-Target", "")
        if request.method == "POST" and target.startswith(COGNITO_TARGET):
            return self._cognito(request, target.removeprefix(COGNITO_TARGET))
        return None

    def _kit_route(self, request: Request, name: str) -> Response:
        outbox = self.cognito.outbox
        if name == "health":
            if not self.ready.is_set():
                return _json({"ok": False, "service": "wildrydes-local"}, status=503)
            return _json({"ok": True, "service": "wildrydes-local"})
        if name == "outbox":
            return _json(outbox.as_json())
        if name == "mailbox":
            page = Response(outbox.mailbox_page(), content_type="text/html; charset=utf-8")
            page.headers["Cache-Control"] = "no-store"
            return page
        if name == "clock" and request.method == "POST":
            body = request.get_json(force=True, silent=True) or {}
            offset = self.cognito.clock.advance(float(body.get("advance_seconds", 0)))
            return _json({"offset_seconds": offset})
        return _json({"message": f"no such route /_wildrydes/{name}"}, status=404)

    def _well_known(self, request: Request, pool_id: str, document: str) -> Response:
        try:
            if document == "jwks.json":
                return _json(self.cognito.jwks(pool_id))
            return _json(self.cognito.openid_configuration(pool_id, request.host_url))
        except CognitoError as e:
            return _json({"message": e.message}, status=404)

    def _cognito(self, request: Request, operation: str) -> Response:
        started = time.perf_counter()
        try:
            body = request.environ.get("wildrydes.body") or b"{}"
            result = self.cognito.handle(operation, body, _signed_region(request))
        except CognitoError as e:
            response = _error(e.code, e.message, e.status)
        except Exception as e:  # noqa: BLE001 - a bug of ours still answers in AWS's format
            logging.getLogger(__name__).exception("%s failed", operation)
            response = _error("InternalErrorException",
                              f"The local backend failed on {operation} ({type(e).__name__}); "
                              "its log has the details.", 500)
        else:
            response = _json(result, content_type="application/x-amz-json-1.1")
        # How long the Cognito service took (SRP math included), for benchmarks and DevTools.
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f'cognito;dur={elapsed_ms:.3f};desc="{operation}"'
        return response


def _error(code: str, message: str, status: int = 400) -> Response:
    response = _json({"__type": code, "message": message}, status=status,
                     content_type="application/x-amz-json-1.1")
    response.headers["x-amzn-ErrorType"] = code
    return response


def _signed_region(request: Request) -> str:
    """The region of a SigV4 request (``Credential=KEY/DATE/REGION/SERVICE/aws4_request``)."""
    match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", request.headers.get("Authorization", ""))
    return match.group(1) if match else "us-east-1"


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Run the embedded backend in the foreground until interrupted."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from wildrydes.local.restore import restore_website

    app = EmbeddedBackend()
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:  # moto's S3 starts empty: make the website bucket again before saying "ready"
        restore_website(f"http://{host}:{port}", app.cognito.store.pool_exists)
    except Exception:  # noqa: BLE001 - a backend without its website still serves Cognito
        logging.getLogger(__name__).exception("could not restore the website bucket")
    app.ready.set()
    while thread.is_alive():
        thread.join(1.0)
