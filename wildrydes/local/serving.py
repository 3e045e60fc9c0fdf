"""Run the embedded backend: waitress serving the front, with limits on what one client can hold.

Why waitress (measured with ``benchmarks/server_limits.py``; the numbers are in the closing note
of issue 17): it reads requests in one event loop and hands a thread only a request that has
fully arrived, so idle or half-sent connections (a flood, a body that never comes) cost a
socket and a few KiB, not a thread; bodies past half a MiB are spooled to a temporary file
while they arrive, not kept in memory; and it has the limits built in: a connection limit, an
idle timeout, header and body size caps, and a 400 for a malformed ``Content-Length``. Werkzeug's
development server (used before) gives every connection a thread with no timeout.

The process runs with umask 077, so the store (``cognito.sqlite3`` and its ``-wal``/``-shm``)
and anything else it creates in the kit home are private to the learner from the start.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import resource
import sys
import threading
from collections.abc import Callable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server

from wildrydes.local import doors, records, sigv4
from wildrydes.local.credentials import KIT_SERVICE
from wildrydes.local.server import MAX_BODY_BYTES, EmbeddedBackend

__all__ = [
    "EXIT_PORT_TAKEN",
    "IDLE_TIMEOUT_SECONDS",
    "MAX_CONNECTIONS",
    "THREADS",
    "StartHook",
    "serve",
]

# The exit code of ``serve`` when its port is taken (EADDRINUSE's number on Linux): the
# starter then picks another port for a kit home that did not pin one.
EXIT_PORT_TAKEN = 98
# An idle connection (nothing received or sent, no request being answered) is closed after
# this long; waitress looks every CLEANUP_SECONDS, so it goes within 25 s.
IDLE_TIMEOUT_SECONDS = 20
CLEANUP_SECONDS = 5
# Open connections held at once. Each costs a file descriptor, so the soft limit on open
# files is raised to fit (a laptop's default of 256 or 1024 would not).
MAX_CONNECTIONS = 4000
_SPARE_FILES = 200  # the store, logs, moto's spooled objects
# Worker threads answer requests that have fully arrived; SRP's big-number maths holds the
# GIL anyway, so more threads would not answer faster.
THREADS = 8
MAX_HEADER_BYTES = 64 * 1024


class _Channel(HTTPChannel):  # waitress ships no type hints: HTTPChannel is Any here
    """waitress's connection, without one hang: an ``Expect: 100-continue`` request with no
    body.

    waitress 3.0 answers such a request with ``100 Continue`` and then marks it unfinished
    again, waiting for a body that never comes (boto3 sends the header on an empty PutObject).
    RFC 9110, section 10.1.1: a server "MAY omit sending a 100 (Continue) response if ... the
    framing indicates that there is no content", which is what this does.
    """

    def send_continue(self) -> None:
        request = self.request
        if request is not None and request.completed and request.body_rcv is None:
            request.expect_continue = False
            return
        super().send_continue()


def _connection_limit() -> int:
    """MAX_CONNECTIONS, after raising the soft limit on open files as far as it goes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + _SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(16, min(MAX_CONNECTIONS, soft - _SPARE_FILES))


#: Handed to serve() by the kit above: run once the backend is ready, in a thread of its own,
#: with the URL, ``pool_exists`` and ``send`` (a botocore ``before-send`` hook that answers a
#: request in-process: the restore then needs no socket or worker, and other clients' S3
#: requests wait until it is done).
StartHook = Callable[[str, Callable[[str], bool], Callable[..., Any]], object]


def _run_hook(on_start: StartHook, app: EmbeddedBackend, url: str) -> None:
    # What the first requests would otherwise wait for, S3's first (its requests wait for the
    # hook; Cognito's do not): the regions a signature may name (botocore's endpoint data,
    # ~15 ms), moto's S3 (~0.15 s: moto and Flask imported, S3's model loaded), the website
    # put back; then Cognito's API model (~20 ms), while the first S3 requests are answered.
    try:
        sigv4.valid_regions("s3")
        app.s3.warm()
        on_start(url, app.cognito.store.pool_exists, app.send_in_process)
    except Exception:  # noqa: BLE001 - a backend without its website still serves Cognito
        logging.getLogger(__name__).exception("the start-up hook failed")
    finally:
        app.s3_restored.set()
    try:
        for service in ("cognito-idp", KIT_SERVICE):
            sigv4.valid_regions(service)
        doors.public_cognito_operation("InitiateAuth")
    except Exception:  # noqa: BLE001 - a first request loads them itself (and says why not)
        logging.getLogger(__name__).exception("loading Cognito's model ahead failed")


def serve(
    port: int,
    host: str = "127.0.0.1",
    allowed_origins: tuple[str, ...] = (),
    *,
    on_start: StartHook | None = None,
    idle_timeout: float = IDLE_TIMEOUT_SECONDS,
) -> None:
    """Run the embedded backend in the foreground until interrupted; ``on_start``: see StartHook.

    Exits with :data:`EXIT_PORT_TAKEN` (after one line on stderr) when ``port`` is taken.
    ``idle_timeout`` closes idle connections sooner (tests).
    """
    os.umask(0o077)
    app = EmbeddedBackend(port=port, allowed_origins=allowed_origins)
    # The command line builds the backend with the cyclic collector paused (~40 ms of its
    # start); a server lives long, so it runs with the collector, and what the imports and
    # the build made, kept for the process's life, is frozen out of its passes.
    gc.freeze()
    gc.enable()
    try:
        server = create_server(
            app,
            host=host,
            port=port,
            ipv6=False,
            threads=THREADS,
            connection_limit=_connection_limit(),
            channel_timeout=idle_timeout,
            cleanup_interval=max(1.0, min(CLEANUP_SECONDS, idle_timeout / 2)),
            max_request_header_size=MAX_HEADER_BYTES,
            max_request_body_size=MAX_BODY_BYTES,
            asyncore_use_poll=True,  # select() stops at 1,024 descriptors
            # The proxy path reads X-Forwarded-Host/Proto, and only with the proxy's key.
            clear_untrusted_proxy_headers=False,
            ident="wildrydes-local",
        )
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            print(f"port {port} on {host} is taken", file=sys.stderr, flush=True)
            raise SystemExit(EXIT_PORT_TAKEN) from None
        raise
    server.channel_class = _Channel
    try:  # held until the process ends: `local stop` finds this backend through it
        records.hold(port)
    except BlockingIOError:
        print("another backend of this kit home is running", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    if on_start is not None:
        app.s3_restored.clear()  # before the first request: S3 waits for the restore
    thread.start()
    # Ready as soon as it listens: Cognito answers from its store at once; only S3 requests
    # wait for the start-up hook (moto keeps S3 in memory, so the website bucket is made again).
    app.ready.set()
    if on_start is not None:
        threading.Thread(
            target=_run_hook, args=(on_start, app, f"http://{host}:{port}"), name="restore"
        ).start()
    try:
        while thread.is_alive():
            thread.join(1.0)
    finally:
        server.close()
