"""What the embedded backend admits: Host names, web origins, and which requests need a key.

The backend listens on 127.0.0.1, but every web page the learner opens can send it
requests. These rules make it admit only what AWS itself would:

- **Host**: only the backend's own names (``127.0.0.1:<port>``, ``localhost:<port>`` and a
  bucket's virtual host ``<bucket>.s3.localhost:<port>``), so a DNS-rebinding page whose
  name resolves to 127.0.0.1 is refused.
- **Origin**: the website is served from the backend's own origin and needs no CORS. Other
  origins are refused unless named with ``--allow-origin``; ``*`` never.
- **Signatures**: an operation AWS serves only to IAM credentials needs a valid SigV4
  signature made with the kit home's key (:mod:`wildrydes.local.credentials`). Which
  Cognito operations need none is read from AWS's own API model as botocore ships it
  (operations marked ``auth: smithy.api#noAuth``: SignUp, InitiateAuth, GetUser, ...).
  For S3 only reads of objects in a bucket whose policy grants public ``s3:GetObject`` are
  anonymous, as on AWS.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.session

__all__ = [
    "Doors",
    "S3Target",
    "grants_public_read",
    "normalize_origin",
    "public_cognito_operation",
    "s3_target",
]

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
_BUCKET = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
_VIRTUAL_HOST = re.compile(rf"^(?P<bucket>{_BUCKET})\.s3\.localhost$")
_ORIGIN = re.compile(r"^(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(:\d{1,5})?$")
# S3 subresources (query keys) of the operations the kit, the website and the tests use.
S3_SUBRESOURCES = frozenset(
    {
        "policy",
        "website",
        "location",
        "list-type",
        "prefix",
        "delimiter",
        "max-keys",
        "continuation-token",
        "start-after",
        "encoding-type",
        "fetch-owner",
        "marker",
        "delete",
        "publicAccessBlock",
        "ownershipControls",
        "tagging",
        "x-id",
        "versioning",
    }
)
# Query keys that make a request something other than a plain object read.
_S3_NOT_A_READ = frozenset(
    {
        "acl",
        "policy",
        "website",
        "location",
        "tagging",
        "uploads",
        "uploadId",
        "versioning",
        "cors",
        "lifecycle",
        "logging",
        "notification",
        "replication",
        "delete",
        "restore",
        "select",
        "torrent",
        "publicAccessBlock",
        "ownershipControls",
        "attributes",
        "list-type",
        "versions",
    }
)


class OriginError(ValueError):
    """An ``--allow-origin`` value that is not a web origin."""


def normalize_origin(value: str) -> str:
    """``scheme://host[:port]`` in lower case, or :class:`OriginError` naming the problem."""
    text = value.strip().rstrip("/")
    if text == "*" or "*" in text:
        raise OriginError(
            f"{value!r}: a wildcard would let every web page in; name each "
            "origin, e.g. http://localhost:5173"
        )
    if not _ORIGIN.match(text):
        raise OriginError(
            f"{value!r} is not a web origin: give scheme, host and port only, "
            "e.g. http://localhost:5173"
        )
    return text.lower()


@lru_cache(maxsize=1)
def _cognito_model() -> Any:
    return botocore.session.get_session().get_service_model("cognito-idp")


def public_cognito_operation(operation: str) -> bool | None:
    """True if AWS serves ``operation`` without credentials, False if it needs IAM
    credentials, None if Cognito has no such operation."""
    model = _cognito_model()
    if operation not in model.operation_names:
        return None
    op = model.operation_model(operation)
    return op.auth_type == "none" or "smithy.api#noAuth" in (op.auth or [])


@dataclass(frozen=True)
class S3Target:
    bucket: str | None
    key: str | None
    query: dict[str, str]

    @property
    def is_object_read_shape(self) -> bool:
        return bool(self.bucket and self.key) and not (_S3_NOT_A_READ & set(self.query))

    @property
    def unknown_subresources(self) -> set[str]:
        return {
            k
            for k in self.query
            if k not in S3_SUBRESOURCES and not k.startswith(("response-", "X-Amz-", "x-amz-"))
        }


def s3_target(host_name: str, raw_uri: str) -> S3Target:
    """Bucket and key of an S3 request, path-style or virtual-host style."""
    parts = urlsplit(raw_uri)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    path = parts.path.lstrip("/")
    virtual = _VIRTUAL_HOST.match(host_name)
    if virtual:
        return S3Target(virtual["bucket"], path or None, query)
    bucket, _, key = path.partition("/")
    return S3Target(bucket or None, key or None, query)


def grants_public_read(policy_text: str, bucket: str) -> bool:
    """Does this bucket policy let anyone read the bucket's objects?"""
    try:
        policy = json.loads(policy_text)
        statements = policy.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
    except (ValueError, AttributeError):
        return False
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal != "*" and not (
            isinstance(principal, dict) and principal.get("AWS") in ("*", ["*"])
        ):
            continue
        actions = _as_list(statement.get("Action"))
        resources = _as_list(statement.get("Resource"))
        if set(actions) & {"s3:GetObject", "s3:*", "*"} and any(
            r in (f"arn:aws:s3:::{bucket}/*", "*") for r in resources
        ):
            return True
    return False


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


class Doors:
    """The backend's own names and origins, and the origins a learner allowed."""

    def __init__(self, port: int, allowed_origins: tuple[str, ...] = ()):
        self.port = port
        self.extra_origins = frozenset(normalize_origin(o) for o in allowed_origins)

    def host_name(self, host_header: str) -> str | None:
        """The name part of an admitted Host header, or None when the Host is not ours."""
        name, _, port = host_header.strip().lower().rpartition(":")
        if not name or port != str(self.port):
            return None
        if name in LOOPBACK_NAMES or _VIRTUAL_HOST.match(name):
            return name
        return None

    def is_own_origin(self, origin: str) -> bool:
        parts = _ORIGIN.match(origin.lower())
        if not parts or parts.group(1) != "http" or parts.group(3) != f":{self.port}":
            return False
        name = parts.group(2)
        return name in LOOPBACK_NAMES or bool(_VIRTUAL_HOST.match(name))

    def origin_admitted(self, origin: str | None, *, same_origin_only: bool = False) -> bool:
        """A request without Origin comes from a tool, not a page; with one it must be ours
        (or, unless the route is same-origin only, one the learner named)."""
        if origin is None:
            return True
        if self.is_own_origin(origin):
            return True
        return not same_origin_only and origin.lower() in self.extra_origins

    def cors_headers(self, origin: str | None) -> dict[str, str]:
        """CORS headers for an allowed foreign origin (own pages need none)."""
        if origin is None or origin.lower() not in self.extra_origins:
            return {}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Expose-Headers": (
                "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date, ETag, Server-Timing"
            ),
            "Vary": "Origin",
        }

    def preflight_headers(
        self, origin: str | None, method: str | None, headers: str | None
    ) -> dict[str, str] | None:
        """The answer to a CORS preflight from an allowed foreign origin, or None."""
        cors = self.cors_headers(origin)
        if not cors or method not in ("GET", "HEAD", "POST", "PUT", "DELETE"):
            return None
        cors.update(
            {
                "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, DELETE",
                "Access-Control-Allow-Headers": headers or "",
                "Access-Control-Max-Age": "600",
            }
        )
        return cors
