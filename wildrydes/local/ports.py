"""Which TCP port a kit home's embedded backend uses: one of its own, kept while it is free.

On a shared machine (a hub, a lab server) every learner's backend listens on the same
loopback, so one fixed port would give a backend to the first learner only. Each kit home
therefore gets a port of its own the first time its backend starts, records it in the home
(``local-port``), and keeps it as long as it is free; the running backend's port is also in
``local.json``, which every command, notebook and the hub's proxy entries read.
``WILDRYDES_LOCAL_PORT`` (or ``wildrydes local start --port``) pins one instead.

The first choice is 4590 (the port the README and the Codespaces configuration name); when it
is taken, a free port between 20000 and 32767: below Linux's range for outgoing connections
(32768-60999), so the kernel does not hand it to some client while the backend is stopped.

TCP rather than a Unix socket in the 0700 home (which jupyter-server-proxy could reach):
boto3, the AWS CLI, Amplify, the browser SDK and the learner's browser all speak TCP only, and
the backend's doors (the home's key and secret, the proxy key) already keep other users out.
"""

from __future__ import annotations

import errno
import os
import random
import socket

from wildrydes.errors import ConfigurationError
from wildrydes.home import kit_home, write_private

__all__ = [
    "FIRST_CHOICE",
    "HOST",
    "PORT_FILE",
    "choose",
    "is_free",
    "pinned",
    "recorded",
    "remember",
]

HOST = "127.0.0.1"
FIRST_CHOICE = 4590
PORT_FILE = "local-port"
_RANGE = (20000, 32767)
_TRIES = 50


def pinned() -> int | None:
    """The port ``WILDRYDES_LOCAL_PORT`` pins, or None."""
    text = (os.environ.get("WILDRYDES_LOCAL_PORT") or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigurationError(
            f"WILDRYDES_LOCAL_PORT={text!r} is not a TCP port. Set it to a number between 1024 "
            "and 65535, or unset it to let the kit home choose a port of its own."
        )
    return int(text)


def recorded() -> int | None:
    """The port this kit home used last, or None (never started, or the record is damaged)."""
    try:
        text = (kit_home() / PORT_FILE).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and 0 < int(text) < 65536 else None


def remember(port: int) -> None:
    """Record ``port`` as this kit home's own."""
    path = kit_home() / PORT_FILE
    if recorded() == port:
        return
    try:
        write_private(path, f"{port}\n")
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write {path}: {e.strerror}. Free some disk space or make the kit home "
            "writable, then start the backend again."
        ) from None


def is_free(port: int) -> bool:
    """Whether nothing listens on ``port`` of 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError as e:
            if e.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def choose(exclude: tuple[int, ...] = ()) -> int:
    """A free port for a kit home: 4590 if free, else one between 20000 and 32767."""
    candidates = [FIRST_CHOICE] + [random.randint(*_RANGE) for _ in range(_TRIES)]
    for port in candidates:
        if port not in exclude and is_free(port):
            return port
    with socket.socket() as s:  # a crowded machine: whatever the kernel hands out
        s.bind((HOST, 0))
        return int(s.getsockname()[1])
