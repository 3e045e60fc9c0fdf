"""The tokens of one sign-in: the id and access tokens, and a refresh token kept, never shown.

What :func:`wildrydes.accounts.sign_in` and :func:`~wildrydes.accounts.refresh` return; the
refresh token is left out of every display and of :meth:`Session.as_json`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from wildrydes import render
from wildrydes.tokens.decoding import duration, refresh_token_summary

__all__ = ["REFRESH_TOKEN_DAYS", "Session"]

#: Cognito's default refresh-token lifetime, when the app client sets none (Developer Guide,
#: "Refresh tokens"); the client's RefreshTokenValidity decides.
REFRESH_TOKEN_DAYS = 30


@dataclass
class Session:
    """The tokens of one sign-in. The refresh token is kept for ``refresh``, never shown."""

    email: str
    username: str
    id_token: str
    access_token: str
    expires_in: int
    issued_at: float
    refresh_token: str | None = field(default=None, repr=False)

    @property
    def expires_at(self) -> float:
        return self.issued_at + self.expires_in

    def as_json(self) -> dict[str, Any]:
        """For ``wildrydes signin --json``: no refresh token, ever."""
        return {
            "username": self.username,
            "id_token": self.id_token,
            "access_token": self.access_token,
            "expires_in": self.expires_in,
        }

    def __str__(self) -> str:
        left = self.expires_at - time.time()
        when = f"expire in {duration(left)}" if left > 0 else "have expired"
        return (
            f"Signed in as {self.username}. Id and access tokens {when}; "
            + refresh_token_summary(self.refresh_token)
            + "."
        )

    def _repr_html_(self) -> str:
        def short(token: str) -> str:
            return token[:24] + "…" + token[-12:]

        return render.settings(
            "",
            [
                ("id token (the auth token)", short(self.id_token)),
                ("access token", short(self.access_token)),
                (
                    "refresh token",
                    refresh_token_summary(self.refresh_token),
                ),
                ("lifetime", duration(self.expires_in)),
                ("expires in", duration(max(0.0, self.expires_at - time.time()))),
            ],
        )
