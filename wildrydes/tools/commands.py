"""What the infrastructure subcommands of ``wildrydes`` do, printed for a terminal or as JSON.

The embedded backend (``local start|stop|status|serve|reset``), the workspace, module 1 and
``up``/``status``/``down``. The learner's account and token steps, ``check`` and the ride API
are :mod:`wildrydes.tools.account_commands`, which the command line imports only when one of
them runs (they bring pyjwt, cryptography and requests, which ``up`` never needs).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from wildrydes import launch, state, userpool
from wildrydes.backend import connect
from wildrydes.local import process, secret
from wildrydes.tools import serve, workspace

__all__ = [
    "cmd_down",
    "cmd_local",
    "cmd_module1",
    "cmd_status",
    "cmd_up",
    "cmd_workspace",
    "print_result",
]


def print_result(result: Any, as_json: bool) -> None:
    if as_json:
        data = result.as_json() if hasattr(result, "as_json") else result
        print(json.dumps(data, indent=2, sort_keys=True))
    else:  # local pages as links that let the reader's browser in once (never in --json)
        print(secret.with_person_links(result))


def cmd_local(args: argparse.Namespace) -> int:
    if args.action == "serve":
        return serve.serve_foreground(args)
    if args.action == "start":
        # The store's modules (with pyjwt, for its signing keys) only for start and reset:
        # every other command would import them for nothing.
        from wildrydes.local.cognito.store import FILE_NAME, check_file

        check_file(state.kit_home() / FILE_NAME)  # say what is wrong here, not only in the log
        print(process.start(args.port, tuple(args.allow_origin or ())).url)
        return 0
    if args.action == "stop":
        print("stopped" if process.stop() else "the embedded backend was not running")
        return 0
    if args.action == "reset":
        from wildrydes.local.reset import plan, reset

        if not plan():
            print("nothing to forget: the local Cognito has no data in this kit home")
            return 0
        if process.status() is None:
            print("deleting:")
        for line in reset():
            print(f"  {line}")
        print("the local Cognito starts empty next time (`wildrydes up` makes the pool again)")
        return 0
    running = process.status()
    print(running if running else "the embedded backend is not running")
    return 0 if running else 3


def cmd_up(args: argparse.Namespace) -> int:
    report = launch.up(args.backend, bucket=args.bucket, region=args.region)
    if args.token_minutes is not None:  # short lifetimes, for a live expiry demo
        lifetimes = userpool.set_token_lifetimes(
            connect(args.backend, args.region).client("cognito-idp"),
            report.values["user_pool_id"],
            report.values["app_client_id"],
            args.token_minutes,
        )
        report.values["token_lifetimes"] = (
            f"id {lifetimes['id_token']}, access {lifetimes['access_token']}"
        )
    print_result(report, args.json)
    return 0


def cmd_module1(args: argparse.Namespace) -> int:
    print_result(
        launch.module1(
            args.backend, bucket=args.bucket, region=args.region, site_url=args.site_url
        ),
        args.json,
    )
    return 0


def cmd_workspace(args: argparse.Namespace) -> int:
    target = args.dir or workspace.WORKSPACE_DIR
    print(workspace.describe(target, workspace.prepare(target, refresh=tuple(args.refresh or ()))))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    report = launch.status(args.backend, region=args.region)
    print_result(report, args.json)
    return 0 if report.ok else 1


def cmd_down(args: argparse.Namespace) -> int:
    print_result(launch.down(args.backend, region=args.region), args.json)
    return 0
