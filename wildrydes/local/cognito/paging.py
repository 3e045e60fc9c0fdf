"""Pages of a listing: where the next page starts travels as an opaque token (an offset here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from wildrydes.local.cognito.context import Request

__all__ = [
    "page",
]

T = TypeVar("T")


def page(
    items: Sequence[T], request: Request, limit_key: str = "MaxResults", default: int = 60
) -> tuple[list[T], str | None]:
    """The page of ``items`` the request asks for, and the token of the next one (or None).

    The start comes from ``NextToken`` (or ListUsers' ``PaginationToken``), the size from
    ``limit_key`` (``MaxResults``, or ``Limit`` where the operation names it so).
    """
    start = int(request.get("NextToken") or request.get("PaginationToken") or 0)
    size = int(request.get(limit_key) or default)
    end = start + size
    return list(items[start:end]), (str(end) if end < len(items) else None)
