"""The ``wildrydes`` command."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any

from wildrydes.errors import WildRydesError


def _print(result: Any, as_json: bool) -> None:
    if as_json:
        data = result.as_json() if hasattr(result, "as_json") else result
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print(result)


def _local(args: argparse.Namespace) -> int:
    from wildrydes.local import process

    if args.action == "serve":
        from wildrydes.local.server import serve

        port = args.port or process.DEFAULT_PORT
        print(f"embedded backend serving on http://{process.HOST}:{port} (Ctrl-C stops it)",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            serve(port)
        return 0
    if args.action == "start":
        print(process.start(args.port).url)
        return 0
    if args.action == "stop":
        print("stopped" if process.stop() else "the embedded backend was not running")
        return 0
    running = process.status()
    print(running if running else "the embedded backend is not running")
    return 0 if running else 3


def _up(args: argparse.Namespace) -> int:
    from wildrydes import launch

    _print(launch.up(args.backend, bucket=args.bucket, region=args.region), args.json)
    return 0


def _status(args: argparse.Namespace) -> int:
    from wildrydes import launch

    report = launch.status(args.backend, region=args.region)
    _print(report, args.json)
    return 0 if report.ok else 1


def _down(args: argparse.Namespace) -> int:
    from wildrydes import launch

    _print(launch.down(args.backend, region=args.region), args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wildrydes",
        description="Wild Rydes module 2: Amazon Cognito user pools, on the embedded local "
                    "AWS (default) or on real AWS (WILDRYDES_BACKEND=aws).")
    commands = parser.add_subparsers(dest="command", required=True)

    local = commands.add_parser("local", help="the embedded AWS on 127.0.0.1")
    local.add_argument("action", choices=["start", "stop", "status", "serve"])
    local.add_argument("--port", type=int, default=None)
    local.set_defaults(run=_local)

    for name, run, helptext in (
            ("up", _up, "bucket, user pool, app client and config.js (idempotent)"),
            ("status", _status, "what exists and whether each piece checks out"),
            ("down", _down, "remove what `up` made, and nothing else")):
        command = commands.add_parser(name, help=helptext)
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("--backend", choices=["local", "aws"], default=None)
        command.add_argument("--region", default=None)
        if name == "up":
            command.add_argument("--bucket", default=None,
                                 help="the website bucket from module 1 (aws backend)")
        command.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except WildRydesError as e:
        print(f"wildrydes: {e}", file=sys.stderr)
        return 2
