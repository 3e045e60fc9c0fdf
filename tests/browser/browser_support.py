"""Helpers for the browser tests: pages under watch, the site's coordinates, riders, tokens."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "Unicorn-Ride1"
PAGES = ("index.html", "register.html", "verify.html", "signin.html", "ride.html")
INVOKE_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/prod"


def new_email(label: str = "rider") -> str:
    """A rider nobody has registered yet (the pool is shared by the whole session)."""
    return f"{label}-{uuid.uuid4().hex[:10]}@example.com"


def username(email: str) -> str:
    return email.replace("@", "-at-")


def shoot(page: Any, name: str) -> Path:
    """A full-page screenshot saved as tests/browser/artifacts/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_RESOURCE_STATUS = "Failed to load resource: the server responded with a status of {} ({})"
_REASONS = {
    400: "BAD REQUEST|Bad Request",
    401: "UNAUTHORIZED|Unauthorized",
    404: "NOT FOUND|Not Found",
}


def _failure_line(status: int | str) -> re.Pattern:
    """Chromium's console line for one failed request: an HTTP status, or a net:: error."""
    if isinstance(status, int):
        return re.compile(
            re.escape(_RESOURCE_STATUS.format(status, "@")).replace("@", f"(?:{_REASONS[status]})")
        )
    return re.compile(re.escape(f"Failed to load resource: net::{status}"))


class Watched:
    """A page plus everything that went wrong on it: script errors, console errors, requests."""

    def __init__(self, page: Any):
        self.page = page
        self.page_errors: list[str] = []
        self.console_errors: list[tuple[str, str]] = []  # (text, url of its source)
        self.requests: list[tuple[str, str]] = []  # (method, url)
        self.cognito_calls: list[tuple[str, dict]] = []  # (operation, request body)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._console)
        page.on("request", self._request)

    def _request(self, request: Any) -> None:
        self.requests.append((request.method, request.url))
        target = request.headers.get("x-amz-target", "")
        if target.startswith("AWSCognitoIdentityProviderService."):
            body = json.loads(request.post_data or "{}")
            self.cognito_calls.append((target.rsplit(".", 1)[1], body))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, (message.location or {}).get("url", "")))

    def errors(self, expected_failures: Iterable[tuple[int | str, str]] = ()) -> list[str]:
        """Every error, after removing exactly one console line per deliberately failing request.

        ``expected_failures``: (HTTP status or net:: error, request URL) pairs; each must appear
        exactly once, as Chromium's "Failed to load resource" line for that URL.
        """
        left = list(self.console_errors)
        problems = [f"pageerror: {e}" for e in self.page_errors]
        for status, url in expected_failures:
            pattern = _failure_line(status)
            match = next((m for m in left if pattern.fullmatch(m[0]) and m[1] == url), None)
            if match is None:
                problems.append(f"expected a failed request ({status}) to {url}: not seen")
            else:
                left.remove(match)
        problems += [f"console: {text} ({url})" for text, url in left]
        return problems

    def posts_to(self, url: str) -> list[str]:
        return [u for method, u in self.requests if method == "POST" and u.startswith(url)]


@dataclass(frozen=True)
class Site:
    """The launched website and the user pool behind it."""

    base: str  # ends with "/"
    endpoint: str  # the embedded backend, no trailing "/"
    bucket: str
    region: str
    user_pool_id: str
    client_id: str
    mailbox_url: str

    @property
    def cognito_url(self) -> str:
        """Where the SDK sends Cognito calls (config.js cognito.endpoint)."""
        return f"{self.endpoint}/"

    def url(self, page: str) -> str:
        return self.base + page


def latest_code(backend: Any, email: str) -> str:
    from wildrydes import mailbox

    return mailbox.latest_code(backend, email, wait_seconds=5)


def sign_in(w: Watched, site_base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page and wait for the ride page to show the token."""
    w.page.goto(f"{site_base}signin.html")
    w.page.fill("#emailInputSignin", email)
    w.page.fill("#passwordInputSignin", password)
    w.page.click("#signinForm button[type=submit]")
    w.page.wait_for_url(f"{site_base}ride.html")
    w.page.locator("#rideContent").wait_for(state="visible")


def verify_id_token(site: Site, token: str):
    """The token checked against the pool's JWKS, the way AWS documents it."""
    from wildrydes import tokens

    jwks = tokens.fetch_jwks(tokens.jwks_url(site.region, site.user_pool_id, site.endpoint))
    return tokens.verify(
        token,
        jwks=jwks,
        region=site.region,
        user_pool_id=site.user_pool_id,
        client_id=site.client_id,
        expected_use="id",
    )
