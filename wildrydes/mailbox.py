"""Read the embedded backend's outbox: the codes a learner would get by email."""

from __future__ import annotations

import time
from typing import Any

from wildrydes import unreachable
from wildrydes.backend import Backend
from wildrydes.errors import ConfigurationError, ResourceError
from wildrydes.local import secret

__all__ = [
    "latest_code",
    "mailbox_url",
    "messages",
]


def _require_local(backend: Backend) -> str:
    if backend.kind != "local" or not backend.endpoint_url:
        raise ConfigurationError(
            "The local mailbox exists only on the embedded backend. On AWS the code is in "
            "the email Cognito sent: type it in (wildrydes confirm EMAIL --code CODE)."
        )
    return backend.endpoint_url


def mailbox_url(backend: Backend) -> str:
    return f"{_require_local(backend)}/_wildrydes/mailbox"


def messages(backend: Backend) -> list[dict[str, Any]]:
    """Every message sent so far, oldest first; ``ResourceError`` when the outbox cannot be read."""
    # requests (13 ms to import) only when the outbox is read: `wildrydes check` loads this
    # module with the account commands but reads no mail.
    import requests

    url = f"{_require_local(backend)}/_wildrydes/outbox"
    try:
        # The outbox answers only the learner who started the backend: the kit home's secret.
        response = requests.get(url, headers=secret.headers(), timeout=10)
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()
        return found
    except (requests.RequestException, ValueError) as e:
        down = unreachable.explain(e)
        if down is not None:  # nothing listens: the backend's own one line, not urllib3's
            raise down from None
        raise ResourceError(
            f"The local mailbox at {url} could not be read ({type(e).__name__}: {e}). Check "
            "that the embedded backend is running (`wildrydes local status`), or type the "
            "code in (wildrydes confirm EMAIL --code CODE)."
        ) from e


def latest_code(backend: Backend, email: str, *, wait_seconds: float = 0.0) -> str:
    """The newest code sent to ``email`` (waiting up to ``wait_seconds`` for one)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        for message in reversed(messages(backend)):
            if message["to"].lower() == email.lower():
                return str(message["code"])
        if time.monotonic() >= deadline:
            raise ResourceError(
                f"No message to {email} in the local mailbox ({mailbox_url(backend)}). "
                "Register first, or resend the code (wildrydes confirm EMAIL --resend)."
            )
        time.sleep(0.1)
