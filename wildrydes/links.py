"""Links to the embedded backend's pages that work on a laptop and on a hub alike.

Under a Jupyter server (a laptop's JupyterLab, JupyterHub, Binder) the learner's browser may
reach only Jupyter's own URL; jupyter-server-proxy then serves the backend under
``<jupyter base_url>/wildrydes/`` (the entries :mod:`wildrydes.tools.hub` declares), and a
link shown in a notebook goes through it. Elsewhere a link is the backend's own URL.
"""

from __future__ import annotations

import functools
import json
import os
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["PREFIX", "browser_url", "for_browser", "jupyter_base_url", "link", "proxied_path"]

PREFIX = "wildrydes"  # the proxy's name: <base_url>/wildrydes/


def jupyter_base_url() -> str | None:
    """The base URL of the Jupyter server running this kernel (ends with ``/``), or None.

    JupyterHub (and Binder) tell kernels with ``JUPYTERHUB_SERVICE_PREFIX``; a plain
    ``jupyter lab`` is found by the kernel's parent process id, in the file every Jupyter server
    writes into Jupyter's runtime folder (``jpserver-<pid>.json``, with its ``base_url``: what
    ``jupyter server list`` reads). None outside Jupyter (a terminal) and under papermill, whose
    kernels' parent is not a server.
    """
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if prefix:
        return prefix if prefix.endswith("/") else prefix + "/"
    parent = os.environ.get("JPY_PARENT_PID")
    if not parent or not parent.isdigit():
        return None
    return _server_base_url(parent)


@functools.lru_cache(maxsize=4)
def _server_base_url(pid: str) -> str | None:
    # Read directly: importing jupyter_server to list its servers took a second of every
    # notebook's first cell (papermill's kernels too), and a kernel's server never changes.
    try:  # jupyter_core comes with every Jupyter kernel (JPY_PARENT_PID is set by one)
        from jupyter_core.paths import jupyter_runtime_dir

        info = json.loads((Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json").read_text())
    except (ImportError, OSError, ValueError):
        return None
    base = info.get("base_url") if isinstance(info, dict) else None
    return base if isinstance(base, str) and base else ("/" if isinstance(info, dict) else None)


def proxied_path(path: str, base_url: str | None = None) -> str | None:
    """``<base_url>wildrydes/<path>``: a link that works in the learner's JupyterLab page."""
    base = base_url if base_url is not None else jupyter_base_url()
    if base is None:
        return None
    return f"{base.rstrip('/')}/{PREFIX}/{urllib.parse.quote(path.lstrip('/'))}"


def link(direct_url: str, base_url: str | None = None) -> str:
    """The link to show for a page of the embedded backend: through Jupyter's proxy when this
    runs under a Jupyter server (laptop or hub), else the backend's own URL."""
    parsed = urllib.parse.urlsplit(direct_url)
    if parsed.hostname not in ("127.0.0.1", "localhost"):
        return direct_url  # AWS, or another endpoint: the browser reaches it itself
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return proxied_path(path, base_url) or direct_url


def browser_url(direct_url: str) -> str:
    """The URL to print for a person (the CLI, a terminal on a hub): :func:`link`, made absolute
    with the hub's public address when JupyterHub names it (``JUPYTERHUB_PUBLIC_URL``, set by
    JupyterHub 4.1 and later when its ``public_url`` is configured), else rooted at the hub's
    own address (``/user/<name>/wildrydes/...``, to open in the browser tab of JupyterLab)."""
    shown = link(direct_url)
    public = os.environ.get("JUPYTERHUB_PUBLIC_URL")
    if shown.startswith("/") and public:
        return urllib.parse.urljoin(public, shown)
    return shown


#: The values a report shows that are pages of the embedded backend, for a person to open.
_PAGES = ("website_url", "mailbox_url")


def for_browser(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a report's values with its pages' URLs as a person's browser reaches them (on a
    hub, through Jupyter's proxy); the originals stay where the kit keeps them (the state)."""
    return {
        k: browser_url(v) if k in _PAGES and isinstance(v, str) else v for k, v in values.items()
    }
