"""Request bodies, read once and never held twice: hashed as they stream, kept in a file.

The server (waitress) has already spooled a large body to a temporary file while it arrived;
here it is hashed in chunks (SigV4 compares the hash) and handed on as that same file, so a
60 MiB upload is never a 60 MiB ``bytes`` in the front. JSON bodies (Cognito's operations, the
kit's routes) are small and capped far lower, and read into memory.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["JSON_LIMIT", "Body", "TooLarge", "read_body", "read_bytes"]

# Cognito's requests are a few KiB at most (a user with every attribute, a pool with its
# schema); a JSON body past this is refused before it is parsed.
JSON_LIMIT = 1024 * 1024
_CHUNK = 256 * 1024
_SPOOL_IN_MEMORY = 512 * 1024


class TooLarge(Exception):
    """The body is longer than the route admits."""


@dataclass(frozen=True)
class Body:
    """A request body: a seekable file positioned at its start, its size and SHA-256."""

    stream: IO[bytes]
    size: int
    sha256: str


def _declared_length(environ: dict[str, Any]) -> int | None:
    text = environ.get("CONTENT_LENGTH") or ""
    if not text:
        return None
    if not text.isdigit():  # the server answers a malformed length with 400 before we run
        raise ValueError(f"Content-Length {text!r} is not a number")
    return int(text)


def read_body(environ: dict[str, Any], limit: int) -> Body:
    """The request's body, hashed; :class:`TooLarge` past ``limit`` bytes."""
    declared = _declared_length(environ)
    if declared is not None and declared > limit:
        raise TooLarge
    source: IO[bytes] = environ["wsgi.input"]
    digest = hashlib.sha256()
    size = 0
    seekable = _seekable(source)
    # Not a context manager: the file is handed on to moto and lives as long as the request.
    spool = None if seekable else tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY)  # noqa: SIM115
    target: IO[bytes] = source if spool is None else spool
    start = source.tell() if seekable else 0
    remaining = declared
    while remaining is None or remaining > 0:
        chunk = source.read(_CHUNK if remaining is None else min(_CHUNK, remaining))
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise TooLarge
        digest.update(chunk)
        if remaining is not None:
            remaining -= len(chunk)
        if not seekable:
            target.write(chunk)
    target.seek(start)
    return Body(target, size, digest.hexdigest())


def read_bytes(environ: dict[str, Any], limit: int = JSON_LIMIT) -> bytes:
    """A small body as bytes (JSON routes); :class:`TooLarge` past ``limit``."""
    body = read_body(environ, limit)
    data = body.stream.read(body.size)
    body.stream.seek(0)
    environ["wsgi.input"] = io.BytesIO(data)
    return data


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError, OSError):
        return False
