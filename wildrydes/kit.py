"""The kit object: which backend, which website bucket, which user pool and app client.

Every workshop step after ``up`` takes a :class:`Kit`; :func:`current` reads the one ``up``
(or notebooks 01 and 02) recorded, without an AWS call.
"""

from __future__ import annotations

from dataclasses import dataclass

from wildrydes import state
from wildrydes.backend import Backend, connect
from wildrydes.errors import ConfigurationError

__all__ = ["Kit", "current"]


@dataclass(frozen=True)
class Kit:
    """What the account and token steps need: the backend, the pool and the app client."""

    backend: Backend
    bucket: str
    user_pool_id: str
    app_client_id: str

    @property
    def region(self) -> str:
        return self.backend.region


def current(kind: str | None = None, *, region: str | None = None) -> Kit:
    """The pool and client ``up`` made on this backend (no AWS call)."""
    backend = connect(kind, region)
    record = state.load(backend.state_key)
    if not record.get("user_pool_id") or not record.get("app_client_id"):
        raise ConfigurationError(
            f"No user pool and app client on the {backend.kind} backend yet. Run `wildrydes up` "
            "(or notebooks 01 and 02) first."
        )
    return Kit(backend, record["bucket"], record["user_pool_id"], record["app_client_id"])
