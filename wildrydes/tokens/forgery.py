"""A forged token: claims changed, the original signature kept, as a forger would send it.

What the workshop's tamper demos show: the payload reads as edited, and the signature check
(:func:`~wildrydes.tokens.verify`, :func:`~wildrydes.tokens.inspect`) fails, because the
signature covers the original header and payload.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from wildrydes.tokens.decoding import decode

__all__ = ["forge", "parse_value"]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def forge(token: str, claims: Mapping[str, Any]) -> str:
    """The same token with ``claims`` changed (or added) and the old signature kept."""
    decoded = decode(token)
    header, _, signature = decoded.raw.split(".")
    changed = {**decoded.claims, **claims}
    payload = _b64url(json.dumps(changed, separators=(",", ":")).encode())
    return f"{header}.{payload}.{signature}"


def parse_value(text: str) -> Any:
    """A claim value as typed: JSON when it parses (numbers, true, lists), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text
