"""The learner's account and token steps of ``wildrydes``, ``check`` and the ride API.

Imported by the command line only when one of these runs (:mod:`wildrydes.tools.cli`): they
bring pyjwt, cryptography and requests, which ``up``, ``status`` and ``down`` never need.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from wildrydes import accounts, ride_api, state, tokens, validation
from wildrydes.backend import connect
from wildrydes.errors import ConfigurationError, WildRydesError
from wildrydes.kit import Kit, current
from wildrydes.policy import PASSWORD_ENV, PasswordPolicy, check_rules, missing_rules
from wildrydes.tools.commands import print_result

__all__ = [
    "cmd_api",
    "cmd_check",
    "cmd_confirm",
    "cmd_decode",
    "cmd_register",
    "cmd_ride",
    "cmd_signin",
]


def cmd_api(args: argparse.Namespace) -> int:
    run = {"up": ride_api.up, "status": ride_api.status, "down": ride_api.down}[args.action]
    report = run(args.backend, region=args.region)
    print_result(report, args.json)
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
        print_result(session, True)
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
    print_result(inspection.as_json() if args.json else inspection, args.json)
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
    print_result(inspection.as_json() if args.json else inspection, args.json)
    return 0 if inspection.ok else 1  # the verdict is printed once, with the checks


def cmd_check(args: argparse.Namespace) -> int:
    password = os.environ.get(PASSWORD_ENV) if args.email else None
    report = validation.check(
        args.backend, region=args.region, bucket=args.bucket, email=args.email, password=password
    )
    print_result(report, args.json)
    return 0 if report.ok else 1


def cmd_ride(args: argparse.Namespace) -> int:
    """Sign in, then ask module 3's ride API for a unicorn with the chosen token."""
    kit = _kit(args)
    password, _ = _password(twice=False)
    session = accounts.sign_in(kit, args.email, password)
    sent = {"id": session.id_token, "access": session.access_token}[args.token]
    answer = ride_api.request_ride(ride_api.invoke_url(kit.backend), sent)
    if args.json:
        print_result({"status": answer.status, "body": answer.body, "check": answer.check}, True)
    else:
        print(answer)
        if answer.unicorn:
            print(f"{answer.unicorn} is on the way for {answer.body.get('Rider')}.")
    return 0 if answer.status == 201 else 1
