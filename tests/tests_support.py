"""Small helpers shared by the test folders (importable because tests/ is on sys.path)."""

from __future__ import annotations

from wildrydes.local.process import free_port

__all__ = ["advance_clock", "free_port"]


def advance_clock(endpoint_url: str, seconds: float):
    """Move the embedded backend's clock forward (a kit route: signed with the home's key)."""
    import json

    import requests

    from wildrydes.local.credentials import sign_request

    url = f"{endpoint_url}/_wildrydes/clock"
    body = json.dumps({"advance_seconds": seconds}).encode()
    headers = sign_request("POST", url, body, headers={"Content-Type": "application/json"})
    response = requests.post(url, data=body, headers=headers, timeout=10)
    response.raise_for_status()
    return response
