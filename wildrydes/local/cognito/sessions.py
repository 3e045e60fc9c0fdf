"""Sign-ins half-way through: SRP and NEW_PASSWORD_REQUIRED sessions, kept in memory.

They last the app client's AuthSessionValidity (3 to 15 minutes, default 3: API Reference,
CreateUserPoolClient).

A session is named by a random handle (the SRP ``SECRET_BLOCK``, or the challenge's
``Session``). An SRP handle answers once, right or wrong; a new-password session stays usable
for another try until it succeeds. Sessions are not stored: a restart in the middle of a
sign-in means starting that sign-in again.
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass

from wildrydes.local.cognito.clock import Clock

__all__ = [
    "MAX_SESSION_SECONDS",
    "SESSION_SECONDS",
    "Session",
    "Sessions",
]

SESSION_SECONDS = 180  # an SRP or new-password session answers within 3 minutes by default
MAX_SESSION_SECONDS = 15 * 60  # the longest AuthSessionValidity


@dataclass
class Session:
    kind: str  # "srp" or "new_password"
    pool_id: str
    client_id: str
    username: str
    started: float
    a_value: int = 0
    b_value: int = 0
    big_b: int = 0
    verifier: int = 0


class Sessions:
    """The sessions in flight, by handle."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, session: Session) -> str:
        """Keep ``session`` (forgetting those past their time); returns its handle."""
        handle = base64.b64encode(secrets.token_bytes(48)).decode()
        cutoff = self._clock.now() - MAX_SESSION_SECONDS
        with self._lock:
            for old in [h for h, s in self._sessions.items() if s.started < cutoff]:
                del self._sessions[old]
            self._sessions[handle] = session
        return handle

    def take(
        self,
        handle: str,
        kind: str,
        pool_id: str,
        client_id: str,
        lifetime: float = SESSION_SECONDS,
    ) -> Session | None:
        """The session ``handle`` names for this pool and client, if younger than ``lifetime``
        seconds, or None. An SRP session is spent by this call."""
        with self._lock:
            session = self._sessions.get(handle)
            if (
                session is None
                or session.kind != kind
                or session.pool_id != pool_id
                or session.client_id != client_id
            ):
                return None
            if kind == "srp":  # a secret block answers once, right or wrong
                del self._sessions[handle]
        if self._clock.now() - session.started > lifetime:
            return None
        return session

    def close(self, handle: str) -> None:
        """Forget ``handle`` (a new-password session that succeeded)."""
        with self._lock:
            self._sessions.pop(handle, None)
