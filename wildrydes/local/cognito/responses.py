"""Request parsing and validation, and response shaping, apart from the model.

Every operation's request is checked against its members in :data:`.fields.FIELDS` (the JSON
type, whether it is required, and its length limit). A request that breaks them gets
InvalidParameterException in Cognito's validation wording ("1 validation error detected: Value
at 'username' failed to satisfy constraint: ...") before the model sees it, so nothing is
stored. Values are never echoed back (one of them may be a password). :func:`render` and
:func:`render_error` put an answer on the wire as Cognito's JSON protocol does (the HTTP front
and the in-process tests both use them).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.fields import FIELDS

__all__ = [
    "CONTENT_TYPE",
    "Answer",
    "parse",
    "render",
    "render_error",
    "shape",
]

CONTENT_TYPE = "application/x-amz-json-1.1"
_TYPES: dict[str, type[Any]] = {
    "s": str,
    "i": int,
    "b": bool,
    "l": list,
    "a": list,
    "m": dict,
    "d": dict,
    "D": list,
}
_TYPE_WORDS = {
    "s": "a string",
    "i": "an integer",
    "b": "a boolean",
    "l": "a list",
    "a": "a list of attributes",
    "m": "a map",
    "d": "a structure",
    "D": "a list",
}
_USERNAME_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"


def _invalid(member: str, constraint: str) -> e.CognitoError:
    name = member[:1].lower() + member[1:]
    return e.InvalidParameterException(
        f"1 validation error detected: Value at '{name}' failed to satisfy constraint: {constraint}"
    )


def parse(operation: str, raw: bytes) -> dict[str, Any]:
    """The request body of ``operation``, checked against its members; raise otherwise."""
    if operation not in FIELDS:
        raise e.UnsupportedOperationException(
            f"The local backend does not do {operation}; it answers only the Cognito "
            "operations the workshop uses (see the README)."
        )
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise e.InvalidParameterException("The request body is not valid JSON.") from error
    if not isinstance(body, dict):
        raise e.InvalidParameterException("The request body must be a JSON object.")
    members = FIELDS[operation]
    for member, (kind, limit) in members.items():
        value = body.get(member)
        if value is None:
            if kind.endswith("!"):
                name = member[:1].lower() + member[1:]
                raise e.InvalidParameterException(
                    f"1 validation error detected: Value null at '{name}' failed to "
                    "satisfy constraint: Member must not be null"
                )
            continue
        if kind.startswith("m") and isinstance(value, dict):
            # SDKs send absent map entries as null (amazon-cognito-identity-js: DEVICE_KEY).
            value = body[member] = {k: v for k, v in value.items() if v is not None}
        _check(member, kind.rstrip("!"), limit, value)
    _clean_text(body)
    return {k: v for k, v in body.items() if k in members}


def _check(member: str, kind: str, limit: int, value: Any) -> None:
    wanted = _TYPES[kind]
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise _invalid(member, f"Member must be {_TYPE_WORDS[kind]}")
    if kind == "s":
        if member in ("Username", "Password", "ClientId", "UserPoolId") and not value:
            raise _invalid(member, "Member must have length greater than or equal to 1")
        if limit and len(value) > limit:
            raise _invalid(member, f"Member must have length less than or equal to {limit}")
        if member == "Username" and any(c.isspace() or not c.isprintable() for c in value):
            raise _invalid(
                member, f"Member must satisfy regular expression pattern: {_USERNAME_PATTERN}"
            )
    elif kind == "D" and not all(isinstance(v, dict) for v in value):
        raise _invalid(member, "Member must be a list of structures")
    elif kind == "l" and not all(isinstance(v, str) for v in value):
        raise _invalid(member, "Member must be a list of strings")
    elif kind == "m" and not all(isinstance(v, str) for v in value.values()):
        raise _invalid(member, "Member must be a map of strings to strings")
    elif kind == "a":
        for item in value:
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("Name"), str)
                or not isinstance(item.get("Value", ""), str)
                or not item["Name"]
            ):
                raise _invalid(member, "Member must be a list of {Name, Value} strings")
            if len(item["Name"]) > 32:
                raise _invalid(member, "Member's Name must have length less than or equal to 32")


def _clean_text(value: Any, where: str = "request") -> None:
    """Refuse NUL and lone surrogates anywhere (they are not text Cognito accepts)."""
    if isinstance(value, str):
        if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise _invalid(where, "Member must not contain NUL or unpaired surrogate characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key, where)
            _clean_text(item, key if where == "request" else where)
    elif isinstance(value, list):
        for item in value:
            _clean_text(item, where)


def shape(result: dict[str, Any]) -> dict[str, Any]:
    """The response body: members without a value are left out, as AWS leaves them out."""
    return {k: v for k, v in result.items() if v is not None}


@dataclass(frozen=True)
class Answer:
    """An answer as Cognito's JSON protocol puts it on the wire: status, headers, body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def render(result: dict[str, Any]) -> Answer:
    """A successful operation's (shaped) response body, with a request id: AWS puts
    ``x-amzn-RequestId`` on every response of its JSON APIs, not only on errors (e.g. the AWS
    WAF developer guide, "HTTP responses"; boto3 reads it into ``ResponseMetadata.RequestId``
    and the JavaScript SDK v3 into ``$metadata.requestId``)."""
    headers = {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": str(uuid.uuid4())}
    return Answer(200, headers, json.dumps(result).encode())


def render_error(error: e.CognitoError) -> Answer:
    """An error as AWS's JSON protocols answer one: ``__type`` and ``message`` in the body,
    the code again in ``x-amzn-ErrorType``, and a request id."""
    body = {"__type": error.code, "message": error.message}
    headers = {
        "Content-Type": CONTENT_TYPE,
        "x-amzn-ErrorType": error.code,
        "x-amzn-RequestId": str(uuid.uuid4()),
    }
    return Answer(error.status, headers, json.dumps(body).encode())
