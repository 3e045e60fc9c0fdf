"""Check a request's AWS Signature Version 4 the way AWS does, with botocore's own signer.

The canonical request, string to sign and signature are computed by botocore's
``SigV4Auth`` (``S3SigV4Auth`` for S3) over exactly the headers the caller says it signed;
no hash or HMAC of the protocol is written here. What this module adds is what AWS checks
around the signature: the header's shape, the access key, the date window, the payload
hash.

Sources: AWS General Reference, "Signature Version 4 signing process" and "Elements of an
AWS API request signature"; the common errors every API lists (IncompleteSignature,
MissingAuthenticationToken, InvalidClientTokenId, RequestExpired: "more than 15 minutes
after the date stamp ... or more than 15 minutes in the future").
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from wildrydes.local.credentials import KitCredentials

__all__ = ["SignatureProblem", "SignedBy", "verify"]

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW_SECONDS = 15 * 60
# Payload markers S3 accepts in x-amz-content-sha256 instead of the body's hash.
UNSIGNED_PAYLOADS = frozenset({"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/\s,]+)/(?P<date>\d{8})/(?P<region>[a-z0-9-]+)/"
    r"(?P<service>[a-z0-9-]+)/aws4_request, ?SignedHeaders=(?P<headers>[a-z0-9;-]+), ?"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass(frozen=True)
class SignedBy:
    """Who signed, for what: the region and service of the credential scope."""

    access_key_id: str
    region: str
    service: str


class SignatureProblem(Exception):
    """Why a signature is refused: ``kind`` is missing, malformed, key, expired or mismatch."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


def verify(
    *,
    method: str,
    raw_uri: str,
    headers: dict[str, str],
    body: bytes,
    credentials: KitCredentials,
    now: datetime | None = None,
) -> SignedBy:
    """The signer of this request, or :class:`SignatureProblem` saying why it is refused.

    ``raw_uri`` is the path and query exactly as sent (percent-encoding kept), ``headers``
    the request's headers by lower-case name.
    """
    authorization = headers.get("authorization", "")
    if not authorization:
        raise SignatureProblem("missing")
    match = _AUTH.match(authorization.strip())
    if not match:
        raise SignatureProblem(
            "malformed",
            "Authorization header is not AWS4-HMAC-SHA256 "
            "Credential=..., SignedHeaders=..., Signature=...",
        )
    if not hmac.compare_digest(match["key"], credentials.access_key_id):
        raise SignatureProblem("key")
    signed = match["headers"].split(";")
    if "host" not in signed:
        raise SignatureProblem("malformed", "SignedHeaders must include host")
    missing = [name for name in signed if name not in headers]
    if missing:
        raise SignatureProblem("malformed", f"signed header {missing[0]} is not in the request")
    amz_date = headers.get("x-amz-date", "")
    try:
        when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise SignatureProblem(
            "malformed", "X-Amz-Date is missing or not YYYYMMDDTHHMMSSZ"
        ) from None
    if "x-amz-date" not in signed or amz_date[:8] != match["date"]:
        raise SignatureProblem("malformed", "the credential's date and X-Amz-Date differ")
    now = now or datetime.now(timezone.utc)
    if abs((now - when).total_seconds()) > MAX_SKEW_SECONDS:
        raise SignatureProblem(
            "expired",
            f"Signature expired: {amz_date} is now earlier than "
            f"{now.strftime('%Y%m%dT%H%M%SZ')} - 15 min.",
        )
    content_sha = headers.get("x-amz-content-sha256")
    if (
        content_sha is not None
        and content_sha not in UNSIGNED_PAYLOADS
        and not hmac.compare_digest(content_sha, hashlib.sha256(body).hexdigest())
    ):
        raise SignatureProblem("mismatch", "the body does not match x-amz-content-sha256")

    signer_class = S3SigV4Auth if match["service"] == "s3" else SigV4Auth
    signer = signer_class(
        Credentials(credentials.access_key_id, credentials.secret_access_key),
        match["service"],
        match["region"],
    )
    host = headers["host"]
    request = AWSRequest(
        method=method,
        url=f"http://{host}{raw_uri}",
        data=body,
        headers={name: headers[name] for name in signed},
    )
    request.context["timestamp"] = amz_date
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, match["signature"]):
        raise SignatureProblem("mismatch")
    return SignedBy(match["key"], match["region"], match["service"])
