"""The ``wildrydes`` command."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from wildrydes.accounts import PASSWORD_ENV
from wildrydes.errors import ConfigurationError, WildRydesError

__all__ = [
    "build_parser",
    "connection_hint",
    "main",
]


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

        port = args.port or int(os.environ.get("WILDRYDES_LOCAL_PORT", process.DEFAULT_PORT))
        origins = tuple(args.allow_origin or ())
        print(
            f"embedded backend serving on http://{process.HOST}:{port} (Ctrl-C stops it)",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            serve(port, allowed_origins=origins)
        return 0
    if args.action == "start":
        from wildrydes.local.cognito.store import FILE_NAME, check_file
        from wildrydes.state import kit_home

        check_file(kit_home() / FILE_NAME)  # say what is wrong here, not only in the log
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


def _up(args: argparse.Namespace) -> int:
    from wildrydes import launch

    report = launch.up(args.backend, bucket=args.bucket, region=args.region)
    if args.token_minutes is not None:  # short lifetimes, for a live expiry demo
        from wildrydes import userpool
        from wildrydes.backend import connect

        lifetimes = userpool.set_token_lifetimes(
            connect(args.backend, args.region).client("cognito-idp"),
            report.values["user_pool_id"],
            report.values["app_client_id"],
            args.token_minutes,
        )
        report.values["token_lifetimes"] = (
            f"id {lifetimes['id_token']}, access {lifetimes['access_token']}"
        )
    _print(report, args.json)
    return 0


def _module1(args: argparse.Namespace) -> int:
    from wildrydes import launch

    _print(launch.module1(args.backend, bucket=args.bucket, region=args.region), args.json)
    return 0


def _workspace(args: argparse.Namespace) -> int:
    from wildrydes.tools import workspace

    target = args.dir or workspace.WORKSPACE_DIR
    print(workspace.describe(target, workspace.prepare(target, refresh=tuple(args.refresh or ()))))
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


# -- accounts and tokens -----------------------------------------------------------------------
def _password(*, twice: bool) -> tuple[str, str | None]:
    """The password from $WILDRYDES_PASSWORD, else a hidden prompt; never an argument.

    Returns the password and, when it was typed at a prompt with ``twice``, the second typing.
    """
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env, None
    if not sys.stdin.isatty():
        raise ConfigurationError(
            f"No password: set {PASSWORD_ENV}, or run this in a terminal to be asked for "
            "it (a password is never a command-line argument)."
        )
    password = getpass.getpass("Password: ")
    return password, (getpass.getpass("Password again: ") if twice else None)


def _kit(args: argparse.Namespace):
    from wildrydes import kit

    return kit.current(args.backend, region=args.region)


def _register(args: argparse.Namespace) -> int:
    from wildrydes import accounts

    kit = _kit(args)
    password, again = _password(twice=True)
    print(accounts.register(kit, args.email, password, confirm_password=again))
    how = "--mailbox" if kit.backend.kind == "local" else "--code CODE (from the email)"
    print(f"Next: wildrydes confirm {args.email} {how}")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    from wildrydes import accounts

    kit = _kit(args)
    if args.resend:
        print(accounts.resend_code(kit, args.email))
    else:
        print(
            accounts.confirm(
                kit, args.email, args.code, admin=args.admin, from_mailbox=args.mailbox
            )
        )
    return 0


def _signin(args: argparse.Namespace) -> int:
    from wildrydes import accounts

    kit = _kit(args)
    password, _ = _password(twice=False)
    session = accounts.sign_in(kit, args.email, password)
    if args.json:
        _print(session, True)
    else:
        print(session)
        print("Id token (the auth token; look inside with `wildrydes decode`):")
        print(session.id_token)
    return 0


def _decode(args: argparse.Namespace) -> int:
    from wildrydes import accounts

    token = args.token
    if token in (None, "-"):
        if sys.stdin.isatty():
            print("Paste the token, then press Ctrl-D:", file=sys.stderr)
        token = sys.stdin.read()
    token = token.strip()
    kit = _kit_for_token(args, token)
    if kit is None:  # any other token (another pool, real AWS, no pool yet): its own issuer
        return _inspect(args, token)
    verification = accounts.verify_token(kit, token, args.use)
    if args.json:
        _print(verification.as_json(), True)
    else:
        if verification.token is not None:
            print(verification.token)
            print()
        print("Checks")
        print(verification)
    if verification.ok:
        return 0
    failed = [c for c in verification.checks if not c.ok]
    print(
        f"wildrydes: the token is NOT valid; failed checks: {', '.join(c.name for c in failed)}",
        file=sys.stderr,
    )
    for c in failed:
        if not c.detail.startswith("not checked"):
            print(f"  {c.name}: {c.detail}", file=sys.stderr)
    return 1


def _kit_for_token(args: argparse.Namespace, token: str):
    """The kit, when the token is from the kit's own pool (checked against its app client)."""
    from wildrydes import state, tokens
    from wildrydes.backend import connect

    try:
        iss = str(tokens.decode(token).claims.get("iss") or "")
    except WildRydesError:
        iss = ""
    try:
        record = state.load(connect(args.backend, args.region, start=False).state_key)
    except WildRydesError:
        return None
    pool, client = record.get("user_pool_id"), record.get("app_client_id")
    if not (pool and client and iss.endswith("/" + pool)) or args.client_id:
        return None
    return _kit(args)


def _inspect(args: argparse.Namespace, token: str) -> int:
    from wildrydes import tokens

    inspection = tokens.inspect(token, client_id=args.client_id, expected_use=args.use)
    _print(inspection.as_json() if args.json else inspection, args.json)
    if inspection.ok:
        return 0
    unchecked = inspection.not_checked
    failed = [c for c in inspection.verification.checks if not c.ok and c not in unchecked]
    if failed:
        print(
            "wildrydes: the token is NOT valid; failed checks: "
            f"{', '.join(c.name for c in failed)}",
            file=sys.stderr,
        )
        for c in failed:
            print(f"  {c.name}: {c.detail}", file=sys.stderr)
    if unchecked and not failed:
        print(
            "wildrydes: could not be checked: "
            + "; ".join(
                f"{c.name} ({c.detail.removeprefix(tokens.NOT_CHECKED)})" for c in unchecked
            ),
            file=sys.stderr,
        )
    return 1


def _check(args: argparse.Namespace) -> int:
    from wildrydes.validation import check

    password = os.environ.get(PASSWORD_ENV) if args.email else None
    report = check(
        args.backend, region=args.region, bucket=args.bucket, email=args.email, password=password
    )
    _print(report, args.json)
    return 0 if report.ok else 1


def _backend_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--backend",
        choices=["local", "aws"],
        default=None,
        help="default: $WILDRYDES_BACKEND, else local",
    )
    command.add_argument("--region", default=None)


def _add_account_commands(commands: Any) -> None:
    register = commands.add_parser(
        "register",
        help=f"register EMAIL like the website (password from ${PASSWORD_ENV} or a hidden prompt)",
    )
    register.add_argument("email")
    register.set_defaults(run=_register)

    confirm = commands.add_parser("confirm", help="confirm EMAIL's registration")
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
    confirm.set_defaults(run=_confirm)

    signin = commands.add_parser(
        "signin", help=f"sign in with SRP (password from ${PASSWORD_ENV} or a hidden prompt)"
    )
    signin.add_argument("email")
    signin.add_argument(
        "--json",
        action="store_true",
        help="print id_token, access_token and expires_in (never the refresh token)",
    )
    signin.set_defaults(run=_signin)

    decode = commands.add_parser(
        "decode",
        help="decode any JWT (no pool needed) and verify it against the keys its "
        "issuer publishes; exit 0 only if every check passes",
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
    decode.add_argument("--json", action="store_true", help="machine-readable output")
    decode.set_defaults(run=_decode)

    check = commands.add_parser(
        "check",
        help="validate the implementation: config.js, pool, client, user, clock "
        f"(and a sign-in when ${PASSWORD_ENV} is set)",
    )
    check.add_argument("--email", default=None, help="the user to check")
    check.add_argument("--bucket", default=None, help="the website bucket from module 1")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.set_defaults(run=_check)

    for command in (register, confirm, signin, decode, check):
        _backend_options(command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wildrydes",
        description="Wild Rydes module 2: Amazon Cognito user pools, on the embedded local "
        "AWS (default) or on real AWS (WILDRYDES_BACKEND=aws).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    local = commands.add_parser("local", help="the embedded AWS on 127.0.0.1")
    local.add_argument(
        "action",
        choices=["start", "stop", "status", "serve", "reset"],
        help="reset forgets every pool, user and message (stop the backend first)",
    )
    local.add_argument("--port", type=int, default=None)
    local.add_argument(
        "--allow-origin",
        action="append",
        metavar="URL",
        help="let a web page of yours on this origin call the backend "
        "(e.g. http://localhost:5173); repeat for more",
    )
    local.set_defaults(run=_local)

    workspace = commands.add_parser(
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
    workspace.set_defaults(run=_workspace)

    for name, run, helptext in (
        (
            "module1",
            _module1,
            "module 1 only: the website bucket with the site (notebooks "
            "01-03 then make the pool, client and config.js)",
        ),
        ("up", _up, "bucket, user pool, app client and config.js (idempotent)"),
        ("status", _status, "what exists and whether each piece checks out"),
        ("down", _down, "remove what `up` made, and nothing else"),
    ):
        command = commands.add_parser(name, help=helptext)
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
        command.set_defaults(run=run)
    _add_account_commands(commands)
    return parser


def _connection_errors() -> tuple[type[Exception], ...]:
    import botocore.exceptions
    import requests

    return (
        botocore.exceptions.EndpointConnectionError,
        botocore.exceptions.ConnectionClosedError,
        requests.ConnectionError,
    )


def _client_errors() -> tuple[type[Exception], ...]:
    import botocore.exceptions

    return (botocore.exceptions.ClientError,)


def connection_hint(error: Exception) -> str:
    """One line for a backend that does not answer, with what to do next."""
    url = (
        getattr(error, "kwargs", {}).get("endpoint_url")
        or getattr(getattr(error, "request", None), "url", None)
        or "the backend"
    )
    if (os.environ.get("WILDRYDES_BACKEND") or "local").strip().lower() == "local":
        return (
            f"the embedded backend at {url} does not answer. Start it with `wildrydes "
            "local start` (`wildrydes local status` says whether it runs)."
        )
    return (
        f"cannot reach {url}: check the network, AWS_REGION and AWS_ENDPOINT_URL, then "
        "run the same command again."
    )


def main(argv: list[str] | None = None) -> int:
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
        return args.run(args)
    except WildRydesError as e:
        print(f"wildrydes: {e}", file=sys.stderr)
        return 2
    except _connection_errors() as e:
        print(f"wildrydes: {connection_hint(e)}", file=sys.stderr)
        return 2
    except _client_errors() as e:
        from wildrydes import messages

        print(f"wildrydes: {messages.client_error_hint(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("wildrydes: interrupted", file=sys.stderr)
        return 130
