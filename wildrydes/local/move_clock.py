"""Move the embedded backend's clock from outside it: the instructor's expiry demo (local only).

The local Cognito judges code lifetimes, lockouts and token expiry by its own clock
(:mod:`wildrydes.local.cognito.clock`). Moving it an hour on makes a freshly issued access token
expired at the backend's own user APIs, so an instructor can show the refusal without waiting
and without a token lifetime Cognito would refuse. AWS's clock cannot be moved: this is ours.
The route answers only a request signed with the kit home's key.
"""

from __future__ import annotations

import json

import requests

from wildrydes.errors import ConfigurationError
from wildrydes.local.credentials import sign_request

__all__ = [
    "advance_clock",
]


def advance_clock(endpoint_url: str, seconds: float, timeout: float = 10) -> float:
    """Move the clock of the embedded backend at ``endpoint_url`` ``seconds`` on (back, if
    negative); returns how far it is now from the real time, in seconds."""
    url = f"{endpoint_url.rstrip('/')}/_wildrydes/clock"
    body = json.dumps({"advance_seconds": seconds}).encode()
    headers = sign_request("POST", url, body, headers={"Content-Type": "application/json"})
    response = requests.post(url, data=body, headers=headers, timeout=timeout)
    if response.status_code != 200:
        raise ConfigurationError(
            f"The embedded backend at {endpoint_url} did not move its clock "
            f"({response.status_code}: {response.text[:200]}). Is it this kit home's backend? "
            "`wildrydes local status` shows which one runs."
        )
    return float(response.json()["offset_seconds"])
