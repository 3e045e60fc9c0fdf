"""The local Cognito's clock: wall-clock time plus an offset the instructor can move.

Code lifetimes, lockouts, SRP sessions and token expiry are all judged by this clock, never by
``time.time()`` directly. Moving it forward is a deliberate feature of the local backend only
(AWS's clock cannot be moved): the instructor's expiry demo moves it an hour on and shows a
token being refused as expired, without waiting and without a token lifetime Cognito would
refuse. Over HTTP it is ``POST /_wildrydes/clock`` with ``{"advance_seconds": N}``, signed with
the kit home's key (service ``wildrydes``); :func:`wildrydes.local.move_clock.advance_clock`
sends it. Tests that call the service in-process hand it a clock of their own instead.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

__all__ = [
    "Clock",
    "utc",
]


class Clock:
    """Wall-clock time plus an offset (seconds) that :meth:`advance` moves."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        """The service's time, in seconds since the epoch."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` on (back, if negative); returns the offset now."""
        self.offset += seconds
        return self.offset


def utc(epoch: float) -> datetime:
    """``epoch`` seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc)
