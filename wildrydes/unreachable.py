"""A backend that does not answer, said in one line with the next step, wherever it happens.

botocore and requests raise their own connection errors (with a screen of traceback) when
nothing listens at the endpoint: the embedded backend was stopped (`wildrydes local stop`), its
process ended (a crash, a closed laptop), or the network is down. :func:`explain` turns any of
them into a :class:`~wildrydes.errors.BackendUnreachable` that names the URL and what to do next;
the notebooks' error display (:mod:`wildrydes.notebook.tracebacks`), the forms and the CLI all
use it, so the learner reads the same sentence in each.

It never starts the backend itself. A stopped backend may have been stopped on purpose (`local
reset` needs it stopped), so starting it again is the learner's act: `wildrydes local start`,
or a notebook's first cell (``nb.workshop()`` starts it, which is safe: pools, users and codes
are kept on disk and a restart loses nothing).
"""

from __future__ import annotations

import os
import sys
import urllib.parse

import botocore.exceptions

from wildrydes.errors import BackendUnreachable

__all__ = ["connection_errors", "explain"]

_BOTOCORE_ERRORS: tuple[type[Exception], ...] = (
    botocore.exceptions.EndpointConnectionError,
    botocore.exceptions.ConnectionClosedError,
)


def connection_errors() -> tuple[type[Exception], ...]:
    """What botocore and requests raise when nothing answers at the endpoint (for ``except``).

    requests's error only once requests is imported (nothing else raises it), so a command that
    never uses requests, `wildrydes up`, does not import it for this.
    """
    requests = sys.modules.get("requests")
    return _BOTOCORE_ERRORS + ((requests.ConnectionError,) if requests is not None else ())


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _url(error: BaseException) -> str | None:
    url = getattr(error, "kwargs", {}).get("endpoint_url") or getattr(
        getattr(error, "request", None), "url", None
    )
    return str(url) if url else None


def _is_local(url: str | None) -> bool:
    """The embedded backend: chosen (``WILDRYDES_BACKEND``, local by default) and on loopback.
    An AWS-compatible endpoint on loopback (``AWS_ENDPOINT_URL``) is the aws backend's."""
    if (os.environ.get("WILDRYDES_BACKEND") or "local").strip().lower() != "local":
        return False
    if url:
        host = urllib.parse.urlsplit(url).hostname or ""
        return host in _LOOPBACK or host.endswith(".localhost")
    return True


def explain(error: BaseException, *, where: str = "notebook") -> BackendUnreachable | None:
    """The kit's one-line account of a connection error, or None for any other error.

    ``where``: "notebook" (the next step is a cell) or "cli" (the next step is a command).
    """
    if isinstance(error, BackendUnreachable):
        return error
    if not isinstance(error, connection_errors()):
        return None
    url = _url(error)
    again = "run this cell again" if where == "notebook" else "run the same command again"
    if _is_local(url):
        base = urllib.parse.urlsplit(url)._replace(path="", query="").geturl() if url else ""
        said = (
            f"The embedded backend{' at ' + base if base else ''} does not answer: it was "
            "stopped, or its process ended (a crash, a closed laptop)."
        )
        start = (
            "`wildrydes local start` in a terminal, or this notebook's first cells (they start it)"
            if where == "notebook"
            else "`wildrydes local start`"
        )
        hint = (
            f"start it with {start}, then {again}. Nothing is lost: pools, users and codes are "
            "kept on disk."
        )
    else:
        said = f"Cannot reach {url or 'AWS'}: no answer."
        hint = f"check the network, AWS_REGION and AWS_ENDPOINT_URL, then {again}."
    return BackendUnreachable(said, hint=hint, code="BackendUnreachable")
