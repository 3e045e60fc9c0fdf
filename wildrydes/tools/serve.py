"""``wildrydes local serve``: the embedded backend in the foreground, started fast.

``wildrydes local start`` runs ``python -m wildrydes local serve`` in the background and waits
until it answers, so this process's start is every start's wait. It therefore imports the
server and nothing of the kit's client side (``python -m wildrydes`` comes here before the
command line's parser): the backend answers as soon as it listens, and the start-up hook,
:func:`restore_website`, loads boto3 and the kit in a thread of its own while S3 requests
wait for it (see :mod:`wildrydes.local.serving`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from wildrydes.local import process

__all__ = ["add_options", "main", "restore_website", "serve_foreground"]


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``wildrydes local`` (``--port``, ``--allow-origin``, ...)."""
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument(
        "--allow-origin",
        action="append",
        metavar="URL",
        help="let a web page of yours on this origin call the backend "
        "(e.g. http://localhost:5173); repeat for more",
    )
    # `serve` only: close idle connections sooner than the server's 20 s (tests).
    parser.add_argument("--idle-timeout", type=float, default=20.0, help=argparse.SUPPRESS)


def restore_website(
    endpoint_url: str, pool_exists: Callable[[str], bool], send: Callable[..., Any] | None = None
) -> str | None:
    """At the embedded backend's start: put back what moto's S3 (in memory) forgot.

    The hook this command hands the server. Cognito's pools and users come back from the
    store on their own; the recorded website bucket is made again from ``website/``, and
    ``js/config.js`` from the kit's state when ``pool_exists(pool_id)`` says the recorded pool
    is still there. ``send``: the server's in-process answer to each request (a botocore
    ``before-send`` hook), else over HTTP. Returns the bucket's name, or None if none is
    recorded.
    """
    from wildrydes import state

    record = state.load("local")
    bucket = record.get("bucket")
    if not bucket:  # a new kit home: nothing to put back, nothing more to import
        return None
    # Imported here, in the hook's thread, after the backend answers: botocore and the kit's
    # launch code take about 0.2 s to import, which every start used to wait for.
    from wildrydes import launch, website
    from wildrydes.backend import local_backend

    backend = local_backend(endpoint_url)
    s3 = backend.client("s3")
    if send is not None:
        s3.meta.events.register("before-send.s3", send)
    try:
        website.ensure_local_bucket(backend, s3, bucket)
        pool_id, client_id = record.get("user_pool_id"), record.get("app_client_id")
        if pool_id and client_id and pool_exists(pool_id):
            config = launch.site_config_for(backend, pool_id, client_id)
            website.put_config_js(s3, bucket, config)
    finally:
        if send is not None:
            s3.meta.events.unregister("before-send.s3", send)
    logging.getLogger(__name__).info("restored website bucket %s", bucket)
    return str(bucket)


def serve_foreground(args: argparse.Namespace) -> int:
    """Serve until interrupted, on ``--port`` or this kit home's own port."""
    from wildrydes.local.serving import serve

    port = args.port or process.own_port()
    origins = tuple(args.allow_origin or ())
    print(
        f"embedded backend serving on http://{process.HOST}:{port} (Ctrl-C stops it)",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        serve(
            port,
            allowed_origins=origins,
            on_start=restore_website,
            idle_timeout=args.idle_timeout,
        )
    return 0


def main(argv: list[str]) -> int:
    """``python -m wildrydes local serve [options]`` without the command line's imports."""
    parser = argparse.ArgumentParser(prog="wildrydes local serve")
    add_options(parser)
    return serve_foreground(parser.parse_args(argv))
