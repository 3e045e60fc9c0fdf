"""The hub's launcher tiles and their supervisor: the kit under ``<base_url>/wildrydes/``.

On JupyterHub, Binder or Codespaces the learner's browser reaches JupyterLab and nothing
else. jupyter-server-proxy, a dependency of the kit, reads the ``jupyter_serverproxy_servers``
entry points that pyproject.toml declares (:func:`website_server` and :func:`mailbox_server`),
so installing the kit is enough: JupyterLab's launcher shows "Wild Rydes website" and "Local
mailbox", and ``<base_url>/wildrydes/<path>`` reaches ``http://127.0.0.1:<port>/<path>`` on the
embedded backend, ``<port>`` being the kit home's own (:mod:`wildrydes.local.ports`), read when
the Jupyter server loads the entries. The website's pages reach Cognito through the same
prefix, because config.js names the endpoint relative to the page (``../``).

Each Jupyter server makes a proxy key of its own (:mod:`wildrydes.local.proxied`), which the
proxy adds to every request it forwards, together with Jupyter's own credentials blanked
(``Authorization``, ``Cookie``): jupyter-server-proxy copies the browser's headers as they are.

The proxy starts ``python -m wildrydes.tools.hub --port P`` on first use (:func:`main`): it starts
the embedded backend unless it runs (the backend outlives it, as it outlives kernels), starts
it again if it dies, and ends with its Jupyter server. An explicit ``wildrydes local stop`` (or
``local reset``) is obeyed: the backend stays stopped until ``wildrydes local start``, a
notebook, or a page through the proxy asks for it again.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

from wildrydes import launch
from wildrydes.backend import connect
from wildrydes.links import PREFIX
from wildrydes.local import process, proxied, records

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
    """The kit home's port: where its backend runs, or will run (chosen now if need be)."""
    return process.own_port()


@cache
def _proxy_key() -> str:
    """One key per Jupyter server process, shared by both launcher entries."""
    return proxied.new_key()


def _request_headers() -> dict[str, str]:
    """What the proxy adds to every request it forwards (called by it per request).

    This Jupyter server's key, and Jupyter's own credentials blanked: jupyter-server-proxy
    copies the browser's request, token and session cookies included, and the backend has no
    business seeing them (the front drops them too). A page asking after an explicit stop
    starts the backend again.
    """
    if records.stopped_explicitly():
        try:
            process.start()
        except Exception:  # noqa: BLE001 - the proxy then shows its own error page
            logging.getLogger(__name__).exception("could not start the embedded backend")
    return {proxied.HEADER: _proxy_key(), "Authorization": "", "Cookie": ""}


def _server(title: str, path: str) -> dict[str, Any]:
    return {
        "command": [sys.executable, "-m", "wildrydes.tools.hub", "--port", "{port}"],
        "port": _port(),
        "timeout": 60,
        "absolute_url": False,
        "request_headers_override": _request_headers,
        "new_browser_tab": True,
        "launcher_entry": {
            "title": title,
            "path_info": f"{PREFIX}/{path}",
            "icon_path": str(ICON),
            # JupyterLab's launcher draws an entry's icon URL only in the kernel categories
            # (Notebook, Console); in "Other" it draws the command's icon, which
            # jupyter-server-proxy's command has none of, so the tiles were blank. "Notebook"
            # is jupyter-server-proxy's own default category for launcher entries.
            "category": "Notebook",
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
def main(argv: list[str] | None = None) -> int:
    """Start the embedded backend unless it runs and make sure the website bucket is there,
    then stay while the Jupyter server that started this runs: start the backend again if it
    dies, never after an explicit ``wildrydes local stop``."""
    parser = argparse.ArgumentParser(prog="python -m wildrydes.tools.hub")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--poll-seconds", type=float, default=1.0)
    args = parser.parse_args(argv)
    port, poll_seconds = args.port, args.poll_seconds
    jupyter = os.getppid()  # jupyter-server-proxy's Jupyter server
    running = process.status() or process.start(port)
    if port is not None and running.port != port:
        print(
            f"wildrydes.hub: the backend runs on port {running.port}, but this Jupyter server "
            f"proxies port {port}; restart JupyterLab so that it reads the new port.",
            file=sys.stderr,
            flush=True,
        )
    # The site is there even when the tile is opened before any notebook ran (it then says
    # the user pool is not configured yet, until notebook 03 or `wildrydes up`).
    backend = connect("local")
    launch.prepare_bucket(backend, None)
    print(json.dumps({"backend": running.url, "proxied_as": f"/{PREFIX}/"}), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while os.getppid() == jupyter:  # reparented: the Jupyter server has ended
            time.sleep(poll_seconds)
            if process.status() is None and not records.stopped_explicitly():
                process.start(port)
    except KeyboardInterrupt:
        pass
    finally:
        if os.getppid() != jupyter:
            proxied.remove_key(jupyter)
    return 0


if __name__ == "__main__":
    sys.exit(main())
