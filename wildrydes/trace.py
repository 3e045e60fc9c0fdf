"""The API-call trace: what AWS operations the kit just called, with secrets redacted.

Recorded with botocore's event hooks on every client the kit makes, so a notebook can show
"what just happened" after each step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from wildrydes import render

__all__ = [
    "TRACE",
    "Call",
    "CallList",
    "Trace",
    "redact",
]

# Parameter names whose values never appear in the trace.
_SECRET_KEYS = ("PASSWORD", "TOKEN", "SECRET_HASH", "CLIENTSECRET", "SESSION")
_SHORTEN_KEYS = ("SRP_A", "SRP_B", "PASSWORD_CLAIM_SIGNATURE", "SECRET_BLOCK", "SALT")


def redact(value: Any, key: str = "") -> Any:
    """A copy of ``value`` with passwords and tokens replaced and long proofs shortened."""
    upper = key.upper().replace("_", "")
    if isinstance(value, dict):
        return {k: redact(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, key) for v in value]
    if isinstance(value, str):
        if any(s in key.upper() for s in _SHORTEN_KEYS) and len(value) > 24:
            return f"{value[:12]}…{value[-6:]} ({len(value)} chars)"
        if any(s.replace("_", "") in upper for s in _SECRET_KEYS) and "SECRETBLOCK" not in upper:
            return "***redacted***"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    params: dict[str, Any]
    status: int | None = None
    error: str | None = None

    def __str__(self) -> str:
        outcome = self.error or (f"HTTP {self.status}" if self.status else "")
        return f"{self.service}.{self.operation} {self.params} -> {outcome}"


@dataclass
class Trace:
    """Calls in the order they were made; ``mark()`` and ``since()`` slice out one step."""

    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[int, Call] = {}

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int) -> CallList:
        return CallList(self.calls[mark:])

    def clear(self) -> None:
        self.calls.clear()

    def hooks(self) -> list[tuple[str, Any]]:
        """The botocore events the trace listens to, with their handlers (see Backend)."""
        return [
            ("provide-client-params.*.*", self._before),
            ("after-call.*.*", self._after),
            ("after-call-error.*.*", self._after_error),
        ]

    # botocore's event handlers: botocore hands them its own objects (untyped, so Any).
    def _before(self, params: dict[str, Any], model: Any, **_kwargs: Any) -> None:
        call = Call(model.service_model.service_name, model.name, redact(params))
        with self._lock:
            self.calls.append(call)
        return None

    def _finish(self, model: Any, **changes: Any) -> None:
        self._finish_named(model.name, **changes)

    def _finish_named(self, operation: str, **changes: Any) -> None:
        with self._lock:
            for i in range(len(self.calls) - 1, -1, -1):
                c = self.calls[i]
                if c.operation == operation and c.status is None and c.error is None:
                    self.calls[i] = Call(c.service, c.operation, c.params, **changes)
                    return

    def _after(self, http_response: Any, parsed: Any, model: Any, **_kwargs: Any) -> None:
        error = (parsed or {}).get("Error", {}).get("Code")
        self._finish(model, status=http_response.status_code, error=error)

    def _after_error(self, exception: BaseException, event_name: str = "", **_kwargs: Any) -> None:
        # botocore sends after-call-error without the operation model (a connection that
        # failed never got a response): the event name "after-call-error.<svc>.<Op>" has it.
        self._finish_named(event_name.rpartition(".")[2], error=type(exception).__name__)


class CallList(list[Call]):
    """A list of calls that shows itself as a table in a notebook."""

    def __str__(self) -> str:
        return "\n".join(str(c) for c in self) or "(no AWS calls)"

    def _repr_html_(self) -> str:
        rows = [
            [
                render.code(c.service),
                f"<b>{render.escape(c.operation)}</b>",
                render.code(c.params),
                render.escape(c.error or str(c.status or "")),
            ]
            for c in self
        ]
        return render.table(
            ["service", "operation", "parameters (secrets redacted)", "result"], rows
        )


TRACE = Trace()
