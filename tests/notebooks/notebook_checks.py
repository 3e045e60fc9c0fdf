"""Checks on executed notebooks, shared by the notebook tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_JWT = re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]+")
_SPAN = re.compile(r"</?span[^<>]*>")
_TAG = re.compile(r"<[^<>]*>")
_IMAGE = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")
_LONG_OPAQUE = re.compile(r"[A-Za-z0-9_-]{100,}")
_SIGNED_JWT = re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{300,}")


def _strings(node: Any) -> Iterator[str]:
    """Every string in a JSON document (outputs, metadata, widget state), decoded."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def assert_no_secrets(path: Path, password: str) -> None:
    """No password (as typed or JSON-escaped) anywhere, and nothing shaped like a refresh token.

    The local backend's refresh tokens are 128 base64url characters, AWS's are JWE (five
    dot-separated parts): after removing inline images and JWTs (id and access tokens, which
    may be shown), no long opaque run may be left.
    """
    text = path.read_text()
    forms = {password, json.dumps(password)[1:-1]}  # as typed, and as JSON text would hold it
    for value in [text, *_strings(json.loads(text))]:
        for form in forms:
            assert form not in value, f"the password appears in {path.name}"
    assert "RefreshToken': '" not in text and '"RefreshToken": "' not in text
    rest = _IMAGE.sub("", text)
    rest = _TAG.sub(" ", _SPAN.sub("", rest))  # the decoder colours a token's parts with spans
    rest = _JWT.sub("", rest)
    # Executed copies keep token facts, not live tokens: every signature was removed.
    whole = _SIGNED_JWT.search(_TAG.sub(" ", _SPAN.sub("", _IMAGE.sub("", text))))
    assert not whole, f"{path.name} holds a whole signed token: {whole.group(0)[:30]}…"
    leftovers = _LONG_OPAQUE.findall(rest)
    assert not leftovers, f"{path.name} holds an opaque token-like string: {leftovers[0][:20]}…"
