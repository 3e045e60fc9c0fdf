"""What every operation is handed: the service's parts (:class:`Context`) and the request.

An operation is a plain function ``(context, request) -> result``; the table of them is
:data:`wildrydes.local.cognito.operations.OPERATIONS`. Nothing about one request is kept on
the context: the region a request was signed for travels in its :class:`Request`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wildrydes.local.cognito.clock import Clock
from wildrydes.local.cognito.limits import CodeRequests
from wildrydes.local.cognito.outbox import Outbox
from wildrydes.local.cognito.sessions import Sessions
from wildrydes.local.cognito.signing import PoolKeys
from wildrydes.local.cognito.store import Store

__all__ = [
    "Context",
    "Operation",
    "Request",
    "Result",
]

Result = dict[str, Any]  # a response body, before members without a value are left out


@dataclass(frozen=True)
class Request:
    """One validated request: its members, and the region it was signed for."""

    operation: str
    body: Mapping[str, Any]
    region: str = "us-east-1"

    def __getitem__(self, member: str) -> Any:
        return self.body[member]

    def get(self, member: str, default: Any = None) -> Any:
        return self.body.get(member, default)


@dataclass(frozen=True)
class Context:
    """The service's parts every operation may use: the store, the clock, the pools' keys,
    the outbox, the sign-ins in flight and the code requests of the last hour."""

    store: Store
    clock: Clock
    keys: PoolKeys
    outbox: Outbox
    sessions: Sessions
    code_requests: CodeRequests


Operation = Callable[[Context, Request], Result]
