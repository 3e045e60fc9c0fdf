"""The hub's launcher tiles and their supervisor: the kit under ``<base_url>/wildrydes/``.

On JupyterHub, Binder or Codespaces the learner's browser reaches JupyterLab and nothing
else. jupyter-server-proxy, a dependency of the kit, reads the ``jupyter_serverproxy_servers``
entry points that pyproject.toml declares (:func:`website_server` and :func:`mailbox_server`),
so installing the kit is enough: JupyterLab's launcher shows "Wild Rydes website" and "Local
mailbox", and ``<base_url>/wildrydes/<path>`` reaches ``http://127.0.0.1:<port>/<path>`` on the
embedded backend. The website's pages reach Cognito through the same prefix, because
config.js names the endpoint relative to the page (``../``).

The proxy starts ``python -m wildrydes.tools.hub`` on first use: it starts the embedded backend if
no notebook has yet (the backend outlives it, as it outlives kernels) and stays while the
backend runs. Each Jupyter server launch makes a new proxy key (see
:mod:`wildrydes.local.proxied`), which the proxy adds to the requests it forwards.
"""

from __future__ import annotations

import json
import os
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

from wildrydes import launch
from wildrydes.backend import connect
from wildrydes.links import PREFIX
from wildrydes.local import process, proxied

__all__ = [
    "ICON",
    "MAILBOX_TITLE",
    "WEBSITE_TITLE",
    "mailbox_server",
    "main",
    "website_server",
]

ICON = Path(__file__).resolve().parent / "hub_icon.svg"
WEBSITE_TITLE = "Wild Rydes website"
MAILBOX_TITLE = "Local mailbox"


def _port() -> int:
    return int(os.environ.get("WILDRYDES_LOCAL_PORT") or process.DEFAULT_PORT)


@cache
def _proxy_key() -> str:
    """One key per Jupyter server process, shared by both launcher entries."""
    return proxied.new_key()


def _server(title: str, path: str) -> dict[str, Any]:
    return {
        "command": [sys.executable, "-m", "wildrydes.tools.hub"],
        "port": _port(),
        "timeout": 60,
        "absolute_url": False,
        "request_headers_override": {proxied.HEADER: _proxy_key()},
        "new_browser_tab": True,
        "launcher_entry": {
            "title": title,
            "path_info": f"{PREFIX}/{path}",
            "icon_path": str(ICON),
            "category": "Other",
        },
    }


def website_server() -> dict[str, Any]:
    """jupyter-server-proxy's settings for ``<base_url>/wildrydes/``: the website tile."""
    return _server(WEBSITE_TITLE, f"{launch.LOCAL_BUCKET}/index.html")


def mailbox_server() -> dict[str, Any]:
    """The "Local mailbox" tile: the same backend, opened at ``/_wildrydes/mailbox``.

    Served at ``<base_url>/wildrydes-mailbox/`` too, but the tile opens the page under
    ``<base_url>/wildrydes/`` so the mailbox and the website share one prefix.
    """
    return _server(MAILBOX_TITLE, "_wildrydes/mailbox")


# -- the process jupyter-server-proxy supervises -----------------------------------------------
def main(poll_seconds: float = 2.0) -> int:
    """Start the embedded backend unless it runs and make sure the website bucket is there,
    then stay (restarting the backend if it is stopped while JupyterLab proxies to it)."""
    running = process.status() or process.start()
    # The site is there even when the tile is opened before any notebook ran (it then says
    # the user pool is not configured yet, until notebook 03 or `wildrydes up`).
    backend = connect("local")
    launch.prepare_bucket(backend, None)
    print(json.dumps({"backend": running.url, "proxied_as": f"/{PREFIX}/"}), flush=True)
    try:
        while True:
            time.sleep(poll_seconds)
            if process.status() is None:
                process.start()
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
