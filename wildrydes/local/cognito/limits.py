"""How often one user may ask for a code: Cognito's per-user limit on code requests.

Cognito's developer guide, "Recovering user accounts", forgot-password behavior: "In a given
hour, we allow between 5 and 20 attempts for a user to request or enter a password reset code
as part of forgot-password and confirm-forgot-password actions. The exact value depends on the
risk parameters associated with the requests." The local service takes the lower bound: 5
requests per user in any hour, for ForgotPassword and for ResendConfirmationCode (whose limit
Cognito does not put in numbers; the same bound is used). The next request gets
``LimitExceededException`` in Cognito's words, and sends nothing.

Counted in memory, by the service's clock (so tests move it forward an hour): a restart
forgets the count, as a new hour would.
"""

from __future__ import annotations

import threading
from collections import deque

from wildrydes.local.cognito import exceptions as e

__all__ = ["MESSAGE", "REQUESTS_PER_HOUR", "CodeRequests"]

REQUESTS_PER_HOUR = 5
WINDOW_SECONDS = 3600.0
MESSAGE = "Attempt limit exceeded, please try after some time."
_PRUNE_ABOVE = 10_000  # users tracked before the idle ones are forgotten


class CodeRequests:
    """The code requests of the last hour, per user pool, user and purpose."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str, str], deque[float]] = {}

    def allow(self, pool_id: str, username: str, purpose: str, now: float) -> None:
        """Count one request at ``now``; LimitExceededException past the hour's limit."""
        with self._lock:
            key = (pool_id, username, purpose)
            recent = self._seen.setdefault(key, deque())
            while recent and recent[0] <= now - WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= REQUESTS_PER_HOUR:
                raise e.LimitExceededException(MESSAGE)
            recent.append(now)
            if len(self._seen) > _PRUNE_ABOVE:
                cutoff = now - WINDOW_SECONDS
                for stale in [k for k, q in self._seen.items() if not q or q[-1] <= cutoff]:
                    del self._seen[stale]
