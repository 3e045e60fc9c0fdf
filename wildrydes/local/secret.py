"""The kit home's secret: what the kit's own routes (outbox, mailbox, health) ask a caller for.

Those routes are not AWS APIs, so no AWS rule says who may read them; the codes in the outbox
are enough to take over an account (ForgotPassword, then the code). Only the learner holds the
secret: it lives in ``local-secret`` in the kit home (0600 in a 0700 folder), which another
user of the machine cannot read. It reaches the backend three ways:

- **tools** (the kit's own clients, tests) send it in the :data:`HEADER` header;
- **a person** clicks a link the kit prints (``wildrydes status``) that carries it once, as
  ``?secret=``; the backend answers with a cookie and a redirect to the same page without it,
  the way Jupyter's ``?token=`` links work. The cookie holds an HMAC of the secret, not the
  secret, and is ``HttpOnly``, ``SameSite=Strict`` and scoped to ``/_wildrydes/``;
- **Jupyter's proxy** (hubs, and JupyterLab on a laptop) needs neither: the proxy
  authenticated the learner and adds its own key (:mod:`wildrydes.local.proxied`).

The secret is never written into a notebook's output, the state file or a log: notebooks show
links through Jupyter's proxy instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import urllib.parse
from pathlib import Path
from typing import Any

from wildrydes.errors import ConfigurationError
from wildrydes.home import create_private, kit_home

__all__ = [
    "COOKIE_MAX_AGE_SECONDS",
    "FILE_NAME",
    "HEADER",
    "QUERY",
    "cookie_name",
    "cookie_value",
    "headers",
    "load",
    "person_link",
    "with_person_links",
]

FILE_NAME = "local-secret"
HEADER = "X-WildRydes-Secret"
QUERY = "secret"
COOKIE_MAX_AGE_SECONDS = 7 * 24 * 3600
LOGIN_PATH = "/_wildrydes/login"


def load(home: Path | None = None) -> str:
    """The home's secret, made on first use (atomically, so racing processes agree)."""
    path = (home or kit_home()) / FILE_NAME
    try:
        value = path.read_text().strip()
    except FileNotFoundError:
        made = secrets.token_urlsafe(32)
        try:
            if create_private(path, made):
                return made
            value = path.read_text().strip()  # another process made it a moment ago
        except OSError as e:
            raise ConfigurationError(
                f"Cannot write the local backend's secret {path}: {e.strerror}. Make the kit "
                "home writable (or point WILDRYDES_HOME at a writable folder), and free some "
                "disk space."
            ) from e
    except OSError as e:
        raise ConfigurationError(
            f"Cannot read the local backend's secret {path}: {e.strerror}. Make it yours "
            f"(`chmod 600 {path}`), or delete it and restart the backend "
            "(`wildrydes local stop`, then `wildrydes local start`)."
        ) from e
    if len(value) < 32:
        raise ConfigurationError(
            f"The local backend's secret {path} is damaged (too short). Stop the backend "
            "(`wildrydes local stop`), delete that file, and start again: a new one is made."
        )
    return value


def headers(home: Path | None = None) -> dict[str, str]:
    """The header the kit's own clients send to the kit's routes."""
    return {HEADER: load(home)}


def cookie_name(port: int) -> str:
    """One cookie per backend: browsers send a host's cookies to all its ports."""
    return f"wildrydes-{port}"


def cookie_value(secret: str) -> str:
    """What the cookie holds: an HMAC of the secret, so the cookie is not the secret."""
    return hmac.new(secret.encode(), b"wildrydes mailbox cookie", hashlib.sha256).hexdigest()


def person_link(url: str, home: Path | None = None) -> str:
    """A link a person clicks once to reach ``url`` on the backend with the cookie set.

    A kit route (``/_wildrydes/mailbox``) carries the secret itself; any other page (the
    website) goes through ``/_wildrydes/login``, which sets the cookie and redirects there, so
    the website's own link to the mailbox works afterwards too.
    """
    parts = urllib.parse.urlsplit(url)
    secret = load(home)
    if parts.path.startswith("/_wildrydes/"):
        query = urllib.parse.urlencode([*urllib.parse.parse_qsl(parts.query), (QUERY, secret)])
        return urllib.parse.urlunsplit(parts._replace(query=query))
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    query = urllib.parse.urlencode([(QUERY, secret), ("next", target)])
    return urllib.parse.urlunsplit(parts._replace(path=LOGIN_PATH, query=query))


def with_person_links(result: Any) -> Any:
    """A report whose local ``website_url`` and ``mailbox_url`` are :func:`person_link`s.

    For a person at a terminal (``wildrydes status``): the secret is in those links, so this is
    never applied to ``--json`` output, the state file or a notebook.
    """
    values = getattr(result, "values", None)
    if not isinstance(values, dict) or values.get("backend") != "local":
        return result
    keys = ("website_url", "mailbox_url")
    links = {k: person_link(values[k]) for k in keys if values.get(k)}
    return dataclasses.replace(result, values={**values, **links})
