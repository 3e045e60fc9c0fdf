"""The S3 door: which S3 requests reach moto's S3, and moto answering them one at a time.

Anonymous: only reads of objects in a bucket whose policy grants public ``s3:GetObject`` (as
on AWS), and never moto's test-only ``x-moto-*`` headers; anything else is refused before its
body is read. Signed with the kit home's key: the operations the kit, the website and the
tests use, with the body hashed as a file (:mod:`wildrydes.local.bodies`) and handed to moto
as that file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Request, Response

from wildrydes.local import credentials as kit_credentials
from wildrydes.local.bodies import TooLarge, read_body
from wildrydes.local.doors import grants_public_read, s3_target
from wildrydes.local.refusals import s3_error

__all__ = ["LARGE_BODY_BYTES", "MAX_BODY_BYTES", "MOTO_ROUTES", "S3Door", "raw_uri"]

MAX_BODY_BYTES = 64 * 1024 * 1024
# moto lets go of bodies larger than this as soon as it has stored them.
LARGE_BODY_BYTES = 8 * 1024 * 1024
MOTO_ROUTES = ("moto-api",)
# (request, service, body's SHA-256) -> None when signed with the home's key, else the refusal
Signature = Callable[[Request, str, str], "Response | None"]


def raw_uri(environ: dict[str, Any]) -> str:
    """The path and query exactly as the client sent them (what SigV4 signed)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if raw.startswith(("http://", "https://")):
            parts = urlsplit(raw)
            raw = parts.path + (f"?{parts.query}" if parts.query else "")
        return str(raw)
    query = environ.get("QUERY_STRING")
    return quote(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")


# How many buckets' public-read answers are remembered; an unsigned request can name any.
_REMEMBERED_BUCKETS = 256


class S3Door:
    """Admits S3 requests for moto (``admit``) and has moto answer them (``answer``)."""

    def __init__(
        self,
        port: int,
        credentials: kit_credentials.KitCredentials,
        signature: Signature,
    ) -> None:
        self._moto_app: Any = None  # made at moto's first request (see _moto)
        self.port = port
        self.credentials = credentials
        self._signature = signature
        self._moto_lock = threading.Lock()
        self._public_buckets: dict[str, bool] = {}

    def admit(self, request: Request, host: str) -> Response | None:
        """None when moto may answer the request (its body then a file at its start), else
        the refusal."""
        target = s3_target(host, raw_uri(request.environ))
        if target.bucket in MOTO_ROUTES:
            return s3_error(
                "NoSuchBucket", "The specified bucket does not exist", 404, BucketName=target.bucket
            )
        if "Authorization" not in request.headers:
            # moto's test-only headers (x-moto-account-id, ...) are for key holders only.
            for name in [k for k in request.environ if k.startswith("HTTP_X_MOTO_")]:
                del request.environ[name]
            if (
                request.method in ("GET", "HEAD")
                and target.is_object_read_shape
                and self._bucket_is_public(target.bucket or "")
            ):
                return None
            # Anonymous writes, listings and form uploads: refused, as on a private bucket
            # (and before the body is read).
            return s3_error("AccessDenied", "Access Denied", 403)
        try:
            body = read_body(request.environ, MAX_BODY_BYTES)
        except TooLarge:
            return s3_error(
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size",
                400,
                MaxSizeAllowed=str(MAX_BODY_BYTES),
            )
        refused = self._signature(request, "s3", body.sha256)
        if refused is not None:
            return refused
        unknown = target.unknown_subresources
        post_ok = request.method != "POST" or "delete" in target.query
        if unknown or not post_ok or request.method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            return s3_error(
                "NotImplemented",
                "A header or query you provided implies "
                "functionality that the local backend does not implement.",
                501,
            )
        if target.bucket and (target.key is None or "policy" in target.query):
            self._public_buckets.pop(target.bucket, None)
        request.environ["wsgi.input"] = body.stream
        request.environ["CONTENT_LENGTH"] = str(body.size)
        return None

    def published(self, bucket: str) -> bool:
        """Is the bucket there, and readable by anyone (the website, once module 1 ran)?"""
        return self._bucket_is_public(bucket)

    def _bucket_is_public(self, bucket: str) -> bool:
        """Does the bucket's policy grant anonymous reads? Asked of moto over WSGI, cached
        until a signed request changes the bucket or its policy."""
        if bucket not in self._public_buckets:
            status, text = self._ask_moto(bucket, "policy")
            if len(self._public_buckets) >= _REMEMBERED_BUCKETS:  # names from anyone: bounded
                self._public_buckets.clear()
            self._public_buckets[bucket] = status.startswith("200") and grants_public_read(
                text, bucket
            )
        return self._public_buckets[bucket]

    def _moto(self) -> Any:
        """moto's S3 app (a Flask app), made at the first S3 request; called with
        ``_moto_lock`` held.

        S3's own app, not moto's host-dispatching one: the doors admit only S3 requests, so
        nothing is left to dispatch, and the dispatcher's per-request look-up (it lists moto's
        service folders, ~1 ms a request) and its other backends (``/latest/meta-data/`` is
        EC2's instance metadata there, a bucket named ``latest`` here as on S3) are not
        reached. moto and Flask (~0.1 s to import) load here, after the backend answers, not
        while it starts."""
        if self._moto_app is None:
            from moto.moto_server.werkzeug_app import create_backend_app

            self._moto_app = create_backend_app("s3")
        return self._moto_app

    def warm(self) -> None:
        """Have moto load its S3 now: its first request imports S3's backend (about 0.1 s),
        which the learner's first S3 call would otherwise wait for. Asked in the background
        once the backend answers (:func:`wildrydes.local.serving.serve`)."""
        self._ask_moto("wildrydes-warm-up", "location")

    def _ask_moto(self, bucket: str, query: str) -> tuple[str, str]:
        """A signed GET of ``/<bucket>?<query>`` answered by moto, one request at a time as
        :meth:`answer` has it (moto's S3 keeps the request in hand on one shared object)."""
        url = f"http://127.0.0.1:{self.port}/{quote(bucket)}?{query}"
        headers = kit_credentials.sign_request(
            "GET",
            url,
            credentials=self.credentials,
            service="s3",
            headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"},
        )
        builder = EnvironBuilder(
            path=f"/{bucket}",
            query_string=query,
            method="GET",
            headers=list(headers.items()),
            base_url=f"http://127.0.0.1:{self.port}",
        )
        with self._moto_lock:
            body, status, _ = run_wsgi_app(self._moto(), builder.get_environ(), buffered=True)
        return status, b"".join(body).decode("utf-8", "replace")

    def answer(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """moto's answer, one request at a time.

        moto's S3 keeps the request being answered on one shared object (``S3Response``:
        its ``body``), so two requests at once could store one's body under the other's key;
        and that object keeps the last body until the next request. So S3 requests go into
        moto one at a time (they take milliseconds), and a large body is let go of at once.
        """
        with self._moto_lock:
            answer = self._moto()(environ, start_response)
            try:
                return list(answer)
            finally:
                if hasattr(answer, "close"):
                    answer.close()
                if int(environ.get("CONTENT_LENGTH") or 0) > LARGE_BODY_BYTES:
                    _forget_last_s3_request()


def _forget_last_s3_request() -> None:
    """Drop what moto's shared S3 response object still holds of the last request."""
    from moto.s3.responses import S3ResponseInstance

    for name in ("body", "raw_body", "normalized_request"):
        if hasattr(S3ResponseInstance, name):
            setattr(S3ResponseInstance, name, None)
