"""Notebook 07's site walk: each page of the website as a browser gets it, and a walk in Chromium.

The walk itself is :mod:`wildrydes.notebook.screenshots`; this module turns it, and the pages'
HTTP answers, into results a notebook shows and a test asserts on.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import requests

from wildrydes import accounts, links, render, website
from wildrydes.errors import ConfigurationError
from wildrydes.notebook import screenshots
from wildrydes.notebook.password_prompt import known_secrets, password
from wildrydes.notebook.prerequisites import Workshop
from wildrydes.notebook.screenshots import PAGES
from wildrydes.render import escape as _e

__all__ = [
    "PAGES",
    "BrowserCheck",
    "SiteCheck",
    "browser_email",
    "browser_journey",
    "website_pages",
]


@dataclass(frozen=True)
class SiteCheck:
    """Each page of the website with the HTTP status it answered, and config.js's values."""

    base_url: str
    statuses: dict[str, int | str]
    cognito_config: dict[str, Any]

    @property
    def ok(self) -> bool:
        return all(status == 200 for status in self.statuses.values())

    def __str__(self) -> str:
        return "\n".join(f"{page}: {status}" for page, status in self.statuses.items())

    def _repr_html_(self) -> str:
        rows = [
            [
                render.link(self.base_url + page, page),
                render.mark(status == 200, str(status), str(status)),
            ]
            for page, status in self.statuses.items()
        ]
        rows.append(
            [
                render.link(f"{self.base_url}js/config.js", "js/config.js"),
                render.code(json.dumps(self.cognito_config)),
            ]
        )
        return render.table(["page", "answer"], rows, "The website, as your browser gets it")


def website_pages(ws: Workshop) -> SiteCheck:
    """Fetch each page of the website and its config.js, the way a browser does."""
    base = ws.website_url
    statuses: dict[str, int | str] = {}
    for page in PAGES:
        try:
            statuses[page] = requests.get(base + page, timeout=10).status_code
        except requests.RequestException as e:
            statuses[page] = type(e).__name__
    config = website.fetch_config_js(base)
    return SiteCheck(base, statuses, config.as_js_object()["cognito"])


def browser_email(email: str) -> str:
    """The address the browser walk registers on local: ``rider+browser@example.com``."""
    local, _, domain = email.partition("@")
    return f"{local}+browser@{domain}"


@dataclass
class BrowserCheck:
    """The website walked in headless Chromium: a PNG per step and the token the ride page showed.

    Without a browser (or with ``enabled=False``) it holds only the links and why.
    """

    website_url: str
    mailbox_url: str | None = None
    email: str | None = None
    shots: dict[str, bytes] = field(default_factory=dict, repr=False)
    id_token: str | None = field(default=None, repr=False)
    note: str = ""

    def __str__(self) -> str:
        if self.shots:
            return (
                f"Walked {self.website_url} as {self.email}: "
                f"{', '.join(self.shots)}; the ride page showed a token."
            )
        return (
            f"No browser walk ({self.note}); open "
            f"{links.link(self.website_url)}index.html yourself."
        )

    def _repr_html_(self) -> str:
        parts = []
        if self.shots:
            parts.append(
                f"<p>{render.mark(True, 'done')} Walked the website in headless Chromium as "
                f"{render.code(self.email)}: {_e(', '.join(self.shots))}.</p>"
            )
            # One page per row at the output's full width, so the words on each page can be read.
            parts += [render.figure(png, name, wide=True) for name, png in self.shots.items()]
        else:
            parts.append(f"<p>ℹ️ No screenshots: {_e(self.note)}</p>")
        # Through Jupyter's proxy when the kernel runs under a Jupyter server (laptop or hub).
        items = "".join(
            f"<li>{render.link(links.link(self.website_url + p), p)}</li>" for p in PAGES
        )
        parts.append(f"<p>The pages, to try yourself:</p><ul>{items}</ul>")
        if self.mailbox_url:
            parts.append(
                "<p>Codes the website sends arrive in the "
                f"{render.link(links.link(self.mailbox_url), 'local mailbox')}.</p>"
            )
        return "".join(parts)


def _no_code(email: str) -> str:
    raise ConfigurationError(
        f"{email} needs the code Cognito emailed; on AWS the browser walk signs in a rider "
        "who is confirmed already (run notebook 04 first)."
    )


def _walk_password(ws: Workshop, rider: str) -> str:
    """The password of the local walk's own rider: the learner's when this kernel knows it
    (``WILDRYDES_PASSWORD``, or typed here), else one made up for this walk, for a rider made
    afresh (an earlier walk's rider, registered with a password no one here knows, is deleted
    first, with AdminDeleteUser). The learner's own password is never needed for it."""
    known = known_secrets()
    if known:
        return known[0]
    if ws.user_pool_id:
        with contextlib.suppress(ws.cognito.exceptions.UserNotFoundException):
            ws.cognito.admin_delete_user(
                UserPoolId=ws.user_pool_id, Username=accounts.username_for(rider)
            )
    return secrets.token_urlsafe(18) + "aA1!"  # meets the workshop pool's policy


def browser_journey(
    ws: Workshop, email: str, typed: str | None = None, *, enabled: bool = True
) -> BrowserCheck:
    """Register, verify, sign in and ride on the real website in headless Chromium.

    Uses :func:`wildrydes.notebook.screenshots.journey`. On local the walk registers a fresh address
    (``browser_email(email)``) so every page appears, with the learner's password when this
    kernel knows it, else one of its own; on AWS it signs in ``email`` (asking for its password
    when needed), which must be confirmed already. Without Chromium or Playwright it says why
    and shows links.
    """
    local = ws.backend.kind == "local"
    check = BrowserCheck(
        ws.website_url, f"{ws.backend.endpoint_url}/_wildrydes/mailbox" if local else None
    )
    if not enabled:
        check.note = "the browser walk is turned off (screenshots = False)"
        return check
    rider = browser_email(email) if local else email
    if typed is None:
        typed = _walk_password(ws, rider) if local else password()
    try:
        walk = screenshots.journey(ws.website_url, rider, typed, code=None if local else _no_code)
    except ConfigurationError as e:  # no Chromium or Playwright here: links instead
        check.note = str(e)
        return check
    check.email, check.shots, check.id_token = rider, dict(walk.shots), walk.id_token
    return check
