"""A request answered by the embedded backend's WSGI app in the calling thread, for botocore.

At start the backend makes the website bucket again (moto keeps S3 in memory). That restore
runs in a thread of the backend's own process while the backend already answers others; its
requests go through the same doors (SigV4, the S3 door) but not through a socket or one of
waitress's workers, which other clients' S3 requests may be holding while they wait for it.
:func:`answering` tells the server that the request in hand is the restore's own.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from werkzeug.test import EnvironBuilder, run_wsgi_app

__all__ = ["answer", "answering"]

_local = threading.local()
_HOP_HEADERS = ("content-length", "expect")  # the builder sets the length; no 100-continue


class _Body(io.BytesIO):
    """A response body botocore can read (``read``) or stream (``stream``)."""

    def stream(self, amt: int = 1024, decode_content: bool | None = None) -> Iterator[bytes]:
        while chunk := self.read(amt):
            yield chunk


def answering() -> bool:
    """Is this thread answering a request handed over by :func:`answer`?"""
    return bool(getattr(_local, "active", False))


def _data(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    data: bytes = body.read()
    return data


def answer(app: Callable[..., Any], request: Any) -> Any:
    """``app``'s answer to botocore's prepared ``request``, as botocore's response object."""
    from botocore.awsrequest import AWSResponse  # the backend's own start needs no botocore

    parts = urlsplit(request.url)
    headers = [
        (name, value.decode() if isinstance(value, bytes) else value)
        for name, value in request.headers.items()
        if name.lower() not in _HOP_HEADERS
    ]
    environ = EnvironBuilder(
        path=unquote(parts.path),
        query_string=parts.query,
        method=request.method,
        headers=headers,
        data=_data(request.body),
        base_url=f"{parts.scheme}://{parts.netloc}",
    ).get_environ()
    # As a server hands it on: the path and query exactly as sent, which SigV4 signed (the
    # builder's own keeps no query).
    environ["RAW_URI"] = environ["REQUEST_URI"] = parts.path + (
        f"?{parts.query}" if parts.query else ""
    )
    _local.active = True
    try:
        chunks, status, answer_headers = run_wsgi_app(app, environ, buffered=True)
        content = b"".join(chunks)
    finally:
        _local.active = False
    return AWSResponse(request.url, int(status.split()[0]), dict(answer_headers), _Body(content))
