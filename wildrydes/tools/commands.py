"""What each ``wildrydes`` subcommand does, printed for a terminal or as JSON.

The embedded backend (``local start|stop|status|serve|reset``), the workspace, module 1,
``up``/``status``/``down``, and the learner's account and token steps.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from wildrydes import accounts, launch, ride_api, state, tokens, userpool, validation
from wildrydes.accounts import PASSWORD_ENV
from wildrydes.backend import connect
from wildrydes.errors import ConfigurationError, WildRydesError
from wildrydes.kit import Kit, current
from wildrydes.local import process, secret
from wildrydes.local.cognito.store import FILE_NAME, check_file
from wildrydes.local.reset import plan, reset
from wildrydes.policy import PasswordPolicy, check_rules, missing_rules
from wildrydes.tools import serve, workspace

__all__ = [
    "cmd_api",
    "cmd_check",
    "cmd_confirm",
    "cmd_decode",
    "cmd_down",
    "cmd_local",
    "cmd_module1",
    "cmd_register",
    "cmd_ride",
    "cmd_signin",
    "cmd_status",
    "cmd_up",
    "cmd_workspace",
]


def _print(result: Any, as_json: bool) -> None:
    if as_json:
        data = result.as_json() if hasattr(result, "as_json") else result
        print(json.dumps(data, indent=2, sort_keys=True))
    else:  # local pages as links that let the reader's browser in once (never in --json)
        print(secret.with_person_links(result))


def cmd_local(args: argparse.Namespace) -> int:
    if args.action == "serve":
        return serve.serve_foreground(args)
    if args.action == "start":
        check_file(state.kit_home() / FILE_NAME)  # say what is wrong here, not only in the log
        print(process.start(args.port, tuple(args.allow_origin or ())).url)
        return 0
    if args.action == "stop":
        print("stopped" if process.stop() else "the embedded backend was not running")
        return 0
    if args.action == "reset":
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
    _print(report, args.json)
    return 0


def cmd_module1(args: argparse.Namespace) -> int:
    _print(
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
    _print(report, args.json)
    return 0 if report.ok else 1


def cmd_down(args: argparse.Namespace) -> int:
    _print(launch.down(args.backend, region=args.region), args.json)
    return 0


def cmd_api(args: argparse.Namespace) -> int:
    run = {"up": ride_api.up, "status": ride_api.status, "down": ride_api.down}[args.action]
    report = run(args.backend, region=args.region)
    _print(report, args.json)
    return 0 if report.ok else 1


# -- accounts and tokens -----------------------------------------------------------------------
def _password(*, twice: bool, policy: PasswordPolicy | None = None) -> tuple[str, str | None]:
    """The password from $WILDRYDES_PASSWORD, else a hidden prompt; never an argument.

    Returns the password and, when it was typed at a prompt with ``twice``, the second typing.
    With the pool's ``policy`` a typed password that misses a rule, or a second typing that
    does not match, prints the checklist (or says so) and asks again; nothing refused is kept.
    """
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env, None
    if not sys.stdin.isatty():
        raise ConfigurationError(
            f"No password: set {PASSWORD_ENV}, or run this in a terminal to be asked for "
            "it (a password is never a command-line argument)."
        )
    prompt = "Password: "
    for _attempt in range(_TRIES):
        password = getpass.getpass(prompt)
        if policy is not None and missing_rules(password, policy):
            print("That password misses a rule of the pool's policy:", file=sys.stderr)
            for rule, ok in check_rules(password, policy):
                print(f"  {'✓' if ok else '✗'} {rule}", file=sys.stderr)
            prompt = "Another password, meeting every rule: "
            continue
        if not twice:
            return password, None
        again = getpass.getpass("Password again: ")
        if policy is None or again == password:
            return password, again
        print("The two passwords do not match; type both again.", file=sys.stderr)
        prompt = "Password: "
    raise ConfigurationError(
        f"{_TRIES} tries without a password the pool accepts, so none was kept: run the same "
        "command again."
    )


_TRIES = 5


def _kit(args: argparse.Namespace) -> Kit:
    return current(args.backend, region=args.region)


def cmd_register(args: argparse.Namespace) -> int:
    kit = _kit(args)
    password, again = _password(twice=True, policy=accounts.read_policy(kit))
    print(accounts.register(kit, args.email, password, confirm_password=again))
    how = "--mailbox" if kit.backend.kind == "local" else "--code CODE (from the email)"
    print(f"Next: wildrydes confirm {args.email} {how}")
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
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


def cmd_signin(args: argparse.Namespace) -> int:
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


def cmd_decode(args: argparse.Namespace) -> int:
    token = args.token
    if token in (None, "-"):
        if sys.stdin.isatty():
            print("Paste the token, then press Ctrl-D:", file=sys.stderr)
        token = sys.stdin.read()
    token = token.strip()
    kit = _kit_for_token(args, token)
    if kit is None:  # any other token (another pool, real AWS, no pool yet): its own issuer
        return _inspect(args, token)
    # The kit's own pool's token: its pool and app client, and the same one verdict.
    inspection = tokens.inspect(
        token, kit.expected_pool(), client_id=kit.app_client_id, expected_use=args.use
    )
    _print(inspection.as_json() if args.json else inspection, args.json)
    return 0 if inspection.ok else 1  # the verdict is printed once, with the checks


def _kit_for_token(args: argparse.Namespace, token: str) -> Kit | None:
    """The kit, when the token is from the kit's own pool (checked against its app client)."""
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
    if args.user_pool_id and args.user_pool_id != pool:
        return None  # checked against the pool asked for, not the kit's
    return _kit(args)


def _expected_pool(args: argparse.Namespace) -> tokens.ExpectedPool | None:
    """The pool named with --user-pool-id, with its JWKS URL on the backend in use."""
    if not args.user_pool_id:
        return None
    backend = connect(args.backend, args.region, start=False)
    endpoint = backend.service_url("cognito-idp") if backend.kind == "aws" else None
    url = tokens.jwks_url(backend.region, args.user_pool_id, endpoint) if endpoint else None
    return tokens.ExpectedPool(backend.region, args.user_pool_id, jwks_url=url)


def _inspect(args: argparse.Namespace, token: str) -> int:
    inspection = tokens.inspect(
        token, _expected_pool(args), client_id=args.client_id, expected_use=args.use
    )
    _print(inspection.as_json() if args.json else inspection, args.json)
    return 0 if inspection.ok else 1  # the verdict is printed once, with the checks


def cmd_check(args: argparse.Namespace) -> int:
    password = os.environ.get(PASSWORD_ENV) if args.email else None
    report = validation.check(
        args.backend, region=args.region, bucket=args.bucket, email=args.email, password=password
    )
    _print(report, args.json)
    return 0 if report.ok else 1


def cmd_ride(args: argparse.Namespace) -> int:
    """Sign in, then ask module 3's ride API for a unicorn with the chosen token."""
    kit = _kit(args)
    password, _ = _password(twice=False)
    session = accounts.sign_in(kit, args.email, password)
    sent = {"id": session.id_token, "access": session.access_token}[args.token]
    answer = ride_api.request_ride(ride_api.invoke_url(kit.backend), sent)
    if args.json:
        _print({"status": answer.status, "body": answer.body, "check": answer.check}, True)
    else:
        print(answer)
        if answer.unicorn:
            print(f"{answer.unicorn} is on the way for {answer.body.get('Rider')}.")
    return 0 if answer.status == 201 else 1
