"""Requests that reach the embedded backend through Jupyter's proxy (jupyter-server-proxy).

On a hub the learner's browser reaches only JupyterLab, which serves the backend under
``<base_url>/wildrydes/``. jupyter-server-proxy copies the browser's request headers as they
are: ``Host`` is the hub's name (``hub.example.org``, or ``127.0.0.1:8888`` on a laptop),
``Origin`` (on POSTs) the page's origin, which is the hub's; it adds ``X-Forwarded-Prefix``
(``/user/learner/wildrydes``) and whatever the server's ``request_headers_override`` names.
A hub in front (JupyterHub's proxy) may add ``X-Forwarded-Proto`` and ``X-Forwarded-Host``.

So the backend cannot tell the proxy's forwarding from DNS rebinding or a foreign page by
Host and Origin alone. The kit's proxy entry point (:mod:`wildrydes.tools.hub`) therefore makes a
random key per Jupyter server launch, keeps it in the kit home (mode 0600) and has the proxy
add it as :data:`HEADER` to every request it forwards, after Jupyter has authenticated the
user. Only a request carrying that key is taken as forwarded, and even then its Origin must
be the page's own origin as the proxy saw it (scheme and Host): a page on another site that
makes the learner's browser call the hub's proxy gets the key added too, but not a matching
Origin. Nothing else is loosened: without the key the backend's own Host and Origin rules
hold unchanged.

:func:`forwarded_origin` is what the backend's front (:mod:`wildrydes.local.server`) calls
before its own Host and Origin rules (:mod:`wildrydes.local.doors`).
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from wildrydes.state import kit_home

__all__ = ["HEADER", "KEY_FILE", "forwarded_origin", "load_key", "new_key"]

HEADER = "X-WildRydes-Proxy-Key"
KEY_FILE = "proxy-key"
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def new_key(home: Path | None = None) -> str:
    """A fresh key for this Jupyter server launch, written to the kit home (mode 0600)."""
    home = home or kit_home()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path = home / KEY_FILE
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    os.replace(temporary, path)  # atomic: the backend never reads half a key
    return key


def load_key(home: Path | None = None) -> str | None:
    """The current launch's key, or None when no Jupyter proxy has been set up."""
    try:
        key = ((home or kit_home()) / KEY_FILE).read_text().strip()
    except OSError:
        return None
    return key or None


def forwarded_origin(headers: Mapping[str, str], key: str | None) -> str | None:
    """The page origin the authenticated proxy vouches for, or None if not forwarded by it.

    ``headers`` are the request's; ``key`` is :func:`load_key`'s. The origin is the scheme
    (``X-Forwarded-Proto``, else http) and host (``X-Forwarded-Host``, else ``Host``) the
    browser used to reach Jupyter.
    """
    given = headers.get(HEADER) or ""
    if not key or not given or not hmac.compare_digest(given.encode(), key.encode()):
        return None
    host = (headers.get("X-Forwarded-Host") or headers.get("Host") or "").split(",")[0].strip()
    scheme = (headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip().lower()
    if not _HOST.match(host) or scheme not in ("http", "https"):
        return None
    return f"{scheme}://{host.lower()}"
