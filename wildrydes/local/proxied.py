"""Requests that reach the embedded backend through Jupyter's proxy (jupyter-server-proxy).

On a hub the learner's browser reaches only JupyterLab, which serves the backend under
``<base_url>/wildrydes/``. jupyter-server-proxy copies the browser's request headers as they
are: ``Host`` is the hub's name (``hub.example.org``, or ``127.0.0.1:8888`` on a laptop),
``Origin`` (on POSTs) the page's origin, which is the hub's; it adds ``X-Forwarded-Prefix``
(``/user/learner/wildrydes``) and whatever the server's ``request_headers_override`` names.
A hub in front (JupyterHub's proxy) may add ``X-Forwarded-Proto`` and ``X-Forwarded-Host``.

So the backend cannot tell the proxy's forwarding from DNS rebinding or a foreign page by
Host and Origin alone. Each Jupyter server that loads the kit's proxy entries
(:mod:`wildrydes.tools.hub`) therefore makes a random key of its own, keeps it in the kit home as
``proxy-keys/<its pid>`` (0600 in 0700 folders) and has the proxy add it as :data:`HEADER` to
every request it forwards, after Jupyter has authenticated the user. A second JupyterLab on
the same kit home makes a second key and leaves the first one's alone; a key counts only while
the Jupyter server that made it runs. Only a request carrying a live key is taken as
forwarded, and even then its Origin must be the page's own origin as the proxy saw it (scheme
and Host): a page on another site that makes the learner's browser call the hub's proxy gets
the key added too, but not a matching Origin. Without a key the backend's own Host and Origin
rules hold unchanged.

The proxy also forwards Jupyter's own credentials (its ``Authorization`` header, its cookies);
the hub's entries blank them and the front drops them from every forwarded request, so they
never reach the website, S3 or Cognito (jupyter-server-proxy's issue 590 discusses the same
exposure).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Collection, Mapping
from pathlib import Path

from werkzeug.datastructures import Headers

from wildrydes.home import kit_home, write_private
from wildrydes.local import records

__all__ = [
    "HEADER",
    "KEYS_DIR",
    "forwarded_origin",
    "live_keys",
    "new_key",
    "remove_key",
]

HEADER = "X-WildRydes-Proxy-Key"
KEYS_DIR = "proxy-keys"
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def new_key(home: Path | None = None, owner: int | None = None) -> str:
    """A fresh key for the Jupyter server ``owner`` (this process by default), kept in the
    kit home (0600) until :func:`remove_key` or until that process ends."""
    owner = owner or os.getpid()
    folder = (home or kit_home()) / KEYS_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    key = secrets.token_urlsafe(32)
    # Atomic: the backend never reads half a key.
    record = {"key": key, "started": records.start_time(owner)}
    write_private(folder / str(owner), json.dumps(record))
    return key


def remove_key(owner: int, home: Path | None = None) -> None:
    """Forget the key of the Jupyter server ``owner`` (it has ended)."""
    with contextlib.suppress(OSError):
        ((home or kit_home()) / KEYS_DIR / str(owner)).unlink()


def live_keys(home: Path | None = None) -> list[str]:
    """The keys of the Jupyter servers that still run; stale ones are deleted."""
    folder = (home or kit_home()) / KEYS_DIR
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    keys = []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        owner = int(entry.name)
        try:
            record = json.loads(entry.read_text())
            key, started = str(record["key"]), record.get("started")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        reused = started is not None and records.start_time(owner) not in (None, started)
        if not records.alive(owner) or reused:
            remove_key(owner, folder.parent)
            continue
        if key:
            keys.append(key)
    return keys


def forwarded_origin(headers: Mapping[str, str] | Headers, keys: Collection[str]) -> str | None:
    """The page origin the authenticated proxy vouches for, or None if not forwarded by it.

    ``headers`` are the request's; ``keys`` are :func:`live_keys`. The origin is the scheme
    (``X-Forwarded-Proto``, else http) and host (``X-Forwarded-Host``, else ``Host``) the
    browser used to reach Jupyter.
    """
    given = (headers.get(HEADER) or "").encode()
    if not given or not any(hmac.compare_digest(given, key.encode()) for key in keys):
        return None
    host = (headers.get("X-Forwarded-Host") or headers.get("Host") or "").split(",")[0].strip()
    scheme = (headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip().lower()
    if not _HOST.match(host) or scheme not in ("http", "https"):
        return None
    return f"{scheme}://{host.lower()}"
