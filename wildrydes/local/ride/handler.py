"""Module 3's ``RequestUnicorn``: a pickup location in, a unicorn on its way out.

It is handed the event API Gateway's Lambda proxy integration builds, so it reads the rider
the way module 3's function does: ``requestContext.authorizer.claims['cognito:username']``,
put there by the authorizer from a token it verified. A ``Rider`` (or anything else) in the
body is never read: who rides is whoever the token says.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wildrydes.local.ride.fleet import Unicorn, dispatch

__all__ = ["ETA", "Answer", "request_unicorn"]

ETA = "30 seconds"  # what module 3 promises every rider


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def _pickup(body: str | None) -> tuple[float, float] | str:
    """(latitude, longitude) from module 3's request body, or what is wrong with it."""
    try:
        request = json.loads(body or "")
        location = request["PickupLocation"]
        latitude, longitude = float(location["Latitude"]), float(location["Longitude"])
    except (ValueError, TypeError, KeyError):
        return (
            'The body must be JSON: {"PickupLocation": {"Latitude": <number>, "Longitude": '
            "<number>}}, as module 3's ride page sends it."
        )
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return "Latitude and Longitude must be finite numbers."
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return "Latitude must be within -90..90 and Longitude within -180..180."
    return latitude, longitude


def request_unicorn(event: Mapping[str, Any], choose: Callable[[], Unicorn] = dispatch) -> Answer:
    """Answer ``POST /ride`` as module 3 does: 201 with the ride, the unicorn and the rider."""
    authorizer = event.get("requestContext", {}).get("authorizer")
    if not authorizer or "cognito:username" not in authorizer.get("claims", {}):
        # Module 3 answers the same when the method has no authorizer in front of it.
        return Answer(500, {"Error": "Authorization not configured", "Reference": _reference()})
    rider = authorizer["claims"]["cognito:username"]
    pickup = _pickup(event.get("body"))
    if isinstance(pickup, str):
        return Answer(400, {"Error": pickup, "Reference": _reference()})
    unicorn = choose()
    return Answer(
        201,
        {
            "RideId": _reference(),
            "Unicorn": unicorn.as_json(),
            "UnicornName": unicorn.name,
            "Eta": ETA,
            "Rider": rider,
        },
    )


def _reference() -> str:
    """A ride's id (or an error's reference): 16 random bytes, URL-safe, as module 3 makes it."""
    return secrets.token_urlsafe(16)
