"""The ``wildrydes`` command: its arguments, and how each run ends (exit code, one line).

What each subcommand does is :mod:`wildrydes.tools.commands` (and, imported when one of them
runs, :mod:`wildrydes.tools.account_commands`); this module parses the command
line (a password is never an argument, and an unexpected one is not echoed) and turns the kit's
errors, an unreachable backend and AWS's refusals into one line with the next step.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.exceptions

from wildrydes import iam, messages, unreachable
from wildrydes.backend import collector_paused
from wildrydes.errors import WildRydesError
from wildrydes.policy import PASSWORD_ENV
from wildrydes.tools import commands, serve

__all__ = [
    "build_parser",
    "connection_hint",
    "main",
]


def _backend_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--backend",
        choices=["local", "aws"],
        default=None,
        help="default: $WILDRYDES_BACKEND, else local",
    )
    command.add_argument("--region", default=None)


def _add_account_commands(sub: Any) -> None:
    register = sub.add_parser(
        "register",
        help=f"register EMAIL like the website (password from ${PASSWORD_ENV} or a hidden prompt)",
    )
    register.add_argument("email")
    register.set_defaults(run=_later("cmd_register"))

    confirm = sub.add_parser("confirm", help="confirm EMAIL's registration")
    confirm.add_argument("email")
    how = confirm.add_mutually_exclusive_group(required=True)
    how.add_argument("--code", help="the code from the email")
    how.add_argument(
        "--mailbox",
        action="store_true",
        help="use the newest code in the local mailbox (local backend)",
    )
    how.add_argument(
        "--admin", action="store_true", help="confirm as an administrator, like the console does"
    )
    how.add_argument("--resend", action="store_true", help="send a new code")
    confirm.set_defaults(run=_later("cmd_confirm"))

    signin = sub.add_parser(
        "signin", help=f"sign in with SRP (password from ${PASSWORD_ENV} or a hidden prompt)"
    )
    signin.add_argument("email")
    signin.add_argument(
        "--json",
        action="store_true",
        help="print id_token, access_token and expires_in (never the refresh token)",
    )
    signin.set_defaults(run=_later("cmd_signin"))

    decode = sub.add_parser(
        "decode",
        help="decode any JWT and check it against the user pool it must come from (the kit's "
        "own, or --user-pool-id); exit 0 only if every check passes",
    )
    decode.add_argument(
        "token",
        nargs="?",
        default=None,
        help="the id or access token; '-' or nothing reads standard input",
    )
    decode.add_argument(
        "--use", choices=["id", "access"], default=None, help="the token_use the token must have"
    )
    decode.add_argument(
        "--client-id",
        default=None,
        help="the app client the token must be for (any pool's token; the "
        "kit's own pool's tokens are checked against its client)",
    )
    decode.add_argument(
        "--user-pool-id",
        default=None,
        help="the user pool the token must come from: its issuer and its keys (without it, "
        "another pool's token is checked against its own keys and the issuer is not checked)",
    )
    decode.add_argument("--json", action="store_true", help="machine-readable output")
    decode.set_defaults(run=_later("cmd_decode"))

    check = sub.add_parser(
        "check",
        help="validate the implementation: config.js, pool, client, user, clock "
        f"(and a sign-in when ${PASSWORD_ENV} is set)",
    )
    check.add_argument("--email", default=None, help="the user to check")
    check.add_argument("--bucket", default=None, help="the website bucket from module 1")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.set_defaults(run=_later("cmd_check"))

    ride = sub.add_parser(
        "ride",
        help="sign in as EMAIL and request a unicorn from module 3's ride API "
        f"(password from ${PASSWORD_ENV} or a hidden prompt)",
    )
    ride.add_argument("email")
    ride.add_argument(
        "--token",
        choices=["id", "access"],
        default="id",
        help="the token sent in the Authorization header (module 3 sends the id token)",
    )
    ride.add_argument("--json", action="store_true", help="machine-readable output")
    ride.set_defaults(run=_later("cmd_ride"))

    for command in (register, confirm, signin, decode, check, ride):
        _backend_options(command)


def _later(name: str) -> Callable[[argparse.Namespace], int]:
    """An account, token, check or ride-API command, imported when it runs: those modules bring
    pyjwt, cryptography and requests (about 50 ms), which up, status and down never use."""

    def run(args: argparse.Namespace) -> int:
        from wildrydes.tools import account_commands

        command: Callable[[argparse.Namespace], int] = getattr(account_commands, name)
        return command(args)

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wildrydes",
        description="Wild Rydes module 2: Amazon Cognito user pools, on the embedded local "
        "AWS (default) or on real AWS (WILDRYDES_BACKEND=aws).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    local = sub.add_parser("local", help="the embedded AWS on 127.0.0.1")
    local.add_argument(
        "action",
        choices=["start", "stop", "status", "serve", "reset"],
        help="reset forgets every pool, user and message (stop the backend first)",
    )
    serve.add_options(local)
    local.set_defaults(run=commands.cmd_local)

    workspace = sub.add_parser(
        "workspace",
        help="copy the notebooks into workspace/ (gitignored), where JupyterLab "
        "saves your outputs; your copies are never overwritten",
    )
    workspace.add_argument("--dir", type=Path, default=None, help="default: workspace/")
    workspace.add_argument(
        "--refresh",
        action="append",
        metavar="NOTEBOOK",
        help="copy this notebook again, replacing yours; repeat for more",
    )
    workspace.set_defaults(run=commands.cmd_workspace)

    for name, run, helptext in (
        (
            "module1",
            commands.cmd_module1,
            "module 1 only: the website bucket with the site (notebooks "
            "01-03 then make the pool, client and config.js)",
        ),
        ("up", commands.cmd_up, "bucket, user pool, app client and config.js (idempotent)"),
        ("status", commands.cmd_status, "what exists and whether each piece checks out"),
        ("down", commands.cmd_down, "remove what `up` made, and nothing else"),
    ):
        command = sub.add_parser(name, help=helptext)
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("--backend", choices=["local", "aws"], default=None)
        command.add_argument("--region", default=None)
        if name == "up":
            command.add_argument(
                "--token-minutes",
                type=int,
                default=None,
                metavar="N",
                help="id and access tokens last N minutes (5-1440; Cognito's "
                "default is 60), for a live expiry demo",
            )
        if name in ("up", "module1"):
            command.add_argument(
                "--bucket", default=None, help="the website bucket from module 1 (aws backend)"
            )
        if name == "module1":
            command.add_argument(
                "--site-url",
                default=None,
                help="aws: your site is hosted elsewhere (Amplify Console) at this URL; "
                "`wildrydes up` then prints the config.js to commit",
            )
        command.set_defaults(run=run)
    api = sub.add_parser(
        "api",
        help="module 3's ride API: up (local: its invoke URL into config.js; aws: a REST API "
        "with a Cognito authorizer), status, down",
    )
    api.add_argument("action", choices=["up", "status", "down"])
    api.add_argument("--json", action="store_true", help="machine-readable output")
    _backend_options(api)
    api.set_defaults(run=_later("cmd_api"))
    _add_account_commands(sub)
    return parser


def connection_hint(error: Exception) -> str:
    """One line for a backend that does not answer, with what to do next."""
    explained = unreachable.explain(error, where="cli")
    return str(explained) if explained else str(error)


def main(argv: list[str] | None = None) -> int:
    with collector_paused():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args, unexpected = parser.parse_known_args(argv)
    if unexpected:
        # Not echoed: a learner who types the password as an argument must not see it printed.
        parser.error(
            f"{len(unexpected)} unexpected argument(s), not shown in case one is a "
            f"password. A password is never an argument: set {PASSWORD_ENV} or "
            "type it at the hidden prompt."
        )
    try:
        code: int = args.run(args)
        return code
    except WildRydesError as e:
        print(f"wildrydes: {e}", file=sys.stderr)
        return 2
    except unreachable.connection_errors() as e:
        print(f"wildrydes: {connection_hint(e)}", file=sys.stderr)
        return 2
    except botocore.exceptions.ClientError as e:
        kind = getattr(args, "backend", None) or os.environ.get("WILDRYDES_BACKEND") or "local"
        bucket = getattr(args, "bucket", None) or os.environ.get("WILDRYDES_BUCKET")
        denied = (
            iam.denied_hint(e, bucket=bucket, region=getattr(args, "region", None))
            if kind.strip().lower() == "aws"
            else None
        )
        print(f"wildrydes: {denied or messages.client_error_hint(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("wildrydes: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - a bug: a short traceback to report, not a screen
        frames = traceback.format_exception(type(e), e, e.__traceback__, limit=-3, chain=False)
        print("".join(frames).rstrip(), file=sys.stderr)
        print(
            "wildrydes: unexpected error (not one the kit expects); the lines above are what "
            "to report.",
            file=sys.stderr,
        )
        return 3
