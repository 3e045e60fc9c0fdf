"""Check a request's AWS Signature Version 4 the way AWS does, with botocore's own signer.

The canonical request, string to sign and signature are computed by botocore's
``SigV4Auth`` (``S3SigV4Auth`` for S3) over exactly the headers the caller says it signed;
no hash or HMAC of the protocol is written here. What this module adds is what AWS checks
around the signature:

- the header's shape, the access key, and the date window (AWS General Reference, "Elements of
  an AWS API request signature"; the common errors every API lists: IncompleteSignature,
  MissingAuthenticationToken, InvalidClientTokenId, RequestExpired: "more than 15 minutes after
  the date stamp ... or more than 15 minutes in the future");
- **every x-amz-\\* header is signed**: S3's "Signature Calculations for the Authorization
  Header" says the canonical headers must include "any x-amz-* headers that you plan to add to
  the request", and S3 refuses the others with "There were headers present in the request
  which were not signed";
- **the payload hash**: only S3 takes it from ``x-amz-content-sha256`` (which it requires),
  and only S3 accepts ``UNSIGNED-PAYLOAD`` there (S3's "unsigned payload option"). Every other
  service hashes the body itself ("HashedPayload" in the IAM User Guide's "Create a canonical
  request"), so a signature made over ``UNSIGNED-PAYLOAD`` does not match for Cognito;
- **the credential scope's region**: one where the service exists (botocore's endpoint data).
  The embedded backend stands in for Cognito and S3 in every such region (the kit lets a
  learner pick one on the local backend too); anything else gets AWS's "Credential should be
  scoped to a valid region, not '...'".
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import botocore.session
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.regions import EndpointResolver

from wildrydes.local.credentials import KIT_SERVICE, KitCredentials

__all__ = ["SignatureProblem", "SignedBy", "valid_regions", "verify"]

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW_SECONDS = 15 * 60
# Payload markers S3 (and only S3) accepts in x-amz-content-sha256 instead of the body's hash.
UNSIGNED_PAYLOADS = frozenset({"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
_PARTITIONS = ("aws", "aws-us-gov", "aws-cn")
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
    """Why a signature is refused: ``kind`` is missing, malformed, unsigned, key, expired,
    region, payload or mismatch; ``headers`` names the x-amz-* headers left unsigned."""

    def __init__(self, kind: str, detail: str = "", headers: tuple[str, ...] = ()) -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail
        self.headers = headers


@lru_cache(maxsize=1)
def _endpoint_resolver() -> EndpointResolver:
    loader = botocore.session.get_session().get_component("data_loader")
    return EndpointResolver(loader.load_data("endpoints"))


@lru_cache(maxsize=8)
def valid_regions(service: str) -> frozenset[str]:
    """The regions ``service`` exists in, from botocore's endpoint data (the kit's own
    routes, signed for service ``wildrydes``, take Cognito's)."""
    # botocore's resolver over its endpoint data, as Session.get_available_regions uses it,
    # without that method's loading of the service's whole API model (S3's takes ~30 ms) to
    # learn its endpoint prefix: for both services here the prefix is the name.
    resolver = _endpoint_resolver()
    name = "cognito-idp" if service == KIT_SERVICE else service
    regions: set[str] = set()
    for partition in _PARTITIONS:
        regions.update(resolver.get_available_endpoints(name, partition))
    return frozenset(regions)


def verify(
    *,
    service: str,
    method: str,
    raw_uri: str,
    headers: dict[str, str],
    body_sha256: str,
    credentials: KitCredentials,
    now: datetime | None = None,
) -> SignedBy:
    """The signer of this request, or :class:`SignatureProblem` saying why it is refused.

    ``service`` is the one the request is for, ``raw_uri`` the path and query exactly as sent
    (percent-encoding kept), ``headers`` the request's headers by lower-case name,
    ``body_sha256`` the hex SHA-256 of the body.
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
    region = match["region"]
    if match["service"] != service:
        raise SignatureProblem(
            "malformed", f"Credential should be scoped to correct service: '{service}'."
        )
    signed = match["headers"].split(";")
    if "host" not in signed:
        raise SignatureProblem("malformed", "SignedHeaders must include host")
    missing = [name for name in signed if name not in headers]
    if missing:
        raise SignatureProblem("malformed", f"signed header {missing[0]} is not in the request")
    unsigned = tuple(sorted(h for h in headers if h.startswith("x-amz-") and h not in signed))
    if unsigned:
        raise SignatureProblem(
            "unsigned",
            "Every x-amz-* header must be signed; these are not: " + ", ".join(unsigned),
            unsigned,
        )
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
    if region not in valid_regions(service):
        if service == "s3":
            detail = (
                f"The authorization header is malformed; the region '{region}' is wrong; "
                "expecting a region where Amazon S3 exists, such as 'us-east-1'"
            )
        else:
            detail = f"Credential should be scoped to a valid region, not '{region}'. "
        raise SignatureProblem("region", detail)
    payload_hash = _payload_hash(service, headers.get("x-amz-content-sha256"), body_sha256)

    signer_class = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = signer_class(
        Credentials(credentials.access_key_id, credentials.secret_access_key), service, region
    )
    request = AWSRequest(
        method=method,
        url=f"http://{headers['host']}{raw_uri}",
        headers={name: headers[name] for name in signed},
    )
    request.context["timestamp"] = amz_date
    canonical = signer.canonical_request(request)
    # botocore's last line is the payload hash it found; AWS's is the one chosen above.
    canonical = canonical.rpartition("\n")[0] + "\n" + payload_hash
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, match["signature"]):
        raise SignatureProblem("mismatch")
    return SignedBy(match["key"], region, service)


def _payload_hash(service: str, declared: str | None, body_sha256: str) -> str:
    """The payload line of the canonical request, as the service computes it."""
    if service != "s3":
        if declared is not None and not hmac.compare_digest(declared, body_sha256):
            raise SignatureProblem(
                "payload",
                "x-amz-content-sha256 must be the body's SHA-256 here: UNSIGNED-PAYLOAD is "
                "for Amazon S3 only"
                if declared in UNSIGNED_PAYLOADS
                else "The body does not match x-amz-content-sha256.",
            )
        return body_sha256
    if declared is None:
        raise SignatureProblem(
            "payload", "Missing required header for this request: x-amz-content-sha256"
        )
    if declared not in UNSIGNED_PAYLOADS and not hmac.compare_digest(declared, body_sha256):
        raise SignatureProblem(
            "mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    return declared
