"""The answers the backend's front gives itself, shaped as AWS shapes them.

Cognito (AWS's JSON protocol) answers ``{"__type": code, "message": ...}`` with
``x-amzn-ErrorType``; S3 answers an XML ``<Error>``. A refused SigV4 signature gets the code
each service uses for that reason (the common errors every API lists; S3's error list).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from wildrydes.local.sigv4 import SignatureProblem

__all__ = [
    "aws_error",
    "json_response",
    "s3_error",
    "signature_refusal",
]

# (code, message or None for the problem's own words, HTTP status)
_JSON_SIGNATURE_ERRORS: dict[str, tuple[str, str | None, int]] = {
    "missing": ("MissingAuthenticationTokenException", "Missing Authentication Token", 403),
    "malformed": ("IncompleteSignatureException", None, 400),
    "unsigned": ("IncompleteSignatureException", None, 400),
    "key": (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        400,
    ),
    "expired": ("InvalidSignatureException", None, 400),
    "region": ("InvalidSignatureException", None, 400),
    "payload": ("InvalidSignatureException", None, 400),
    "mismatch": (
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you "
        "provided. Check your AWS Secret Access Key and signing method. Consult the "
        "service documentation for details.",
        400,
    ),
}
_S3_SIGNATURE_ERRORS: dict[str, tuple[str, str | None, int]] = {
    "missing": ("AccessDenied", "Access Denied", 403),
    "malformed": ("AuthorizationHeaderMalformed", None, 400),
    # S3's words when a request carries x-amz-* headers its signature does not cover.
    "unsigned": (
        "AccessDenied",
        "There were headers present in the request which were not signed",
        403,
    ),
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
    "region": ("AuthorizationHeaderMalformed", None, 400),
    "payload": ("InvalidRequest", None, 400),
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


def json_response(
    payload: Any, status: int = 200, content_type: str = "application/json"
) -> Response:
    return Response(json.dumps(payload, default=_epoch), status=status, content_type=content_type)


def aws_error(code: str, message: str, status: int = 400) -> Response:
    """An error in AWS's JSON protocol (Cognito's)."""
    response = json_response(
        {"__type": code, "message": message},
        status=status,
        content_type="application/x-amz-json-1.1",
    )
    response.headers["x-amzn-ErrorType"] = code
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def s3_error(code: str, message: str, status: int, **fields: str) -> Response:
    """An error as S3 writes it (XML), with extra elements such as ``BucketName``."""
    extra = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>{extra}"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    )
    return Response(body, status=status, content_type="application/xml")


def signature_refusal(problem: SignatureProblem, *, s3: bool) -> Response:
    """The refusal of a signature, in the words of S3 (``s3``) or of the JSON services."""
    code, message, status = (_S3_SIGNATURE_ERRORS if s3 else _JSON_SIGNATURE_ERRORS)[problem.kind]
    message = message or problem.detail
    if s3:
        fields = {"HeadersNotSigned": ", ".join(problem.headers)} if problem.headers else {}
        return s3_error(code, message, status, **fields)
    return aws_error(code, message, status)
