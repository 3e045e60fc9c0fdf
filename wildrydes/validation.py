"""``wildrydes check``: the workshop's "Implementation Validation", plus the usual mistakes.

Each check reads what the website and Cognito really hold, and fails with what to do next:
config.js in the bucket names the pool and the app client, the region in the pool id is
config.js's region, the app client has no secret and allows SRP, the user exists and is
confirmed, this machine's clock agrees with AWS's, and a sign-in gets a valid id token whose
``iat`` agrees with this machine's clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import botocore.exceptions

from wildrydes import accounts, iam, launch, state, tokens, userpool, website
from wildrydes.backend import Backend, connect
from wildrydes.errors import WildRydesError
from wildrydes.kit import Kit
from wildrydes.verdicts import Check, Report

__all__ = ["MAX_CLOCK_SKEW_SECONDS", "check"]

#: Cognito refuses an SRP timestamp and browsers mistrust tokens when clocks disagree by more.
MAX_CLOCK_SKEW_SECONDS = 60
_RUN_UP = "run `wildrydes up` (or notebook 03)"


_AWS_ERRORS = (botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError)


def _code(e: Exception) -> str:
    if isinstance(e, botocore.exceptions.ClientError):
        return str(e.response.get("Error", {}).get("Code", ""))
    return "not a valid id"


def _denied(e: Exception, backend: Backend, bucket: str | None = None) -> str | None:
    """On aws, an AccessDenied as the missing action and the statement to add, else None."""
    if backend.kind != "aws" or not isinstance(e, botocore.exceptions.ClientError):
        return None
    return iam.denied_hint(e, bucket=bucket, region=backend.region)


def _config_checks(
    config: website.SiteConfig | None, bucket: str, record: dict[str, Any], backend: Backend
) -> list[Check]:
    if config is None:
        return [Check("config.js", False, f"there is no js/config.js in bucket {bucket}", _RUN_UP)]
    if not config.configured:
        if not record.get("user_pool_id"):  # nothing to name yet: the pool is what is missing
            return [
                Check(
                    "config.js",
                    False,
                    f"js/config.js in bucket {bucket} is not filled in yet, because there is no "
                    "user pool and app client to name",
                    "`wildrydes up` (or notebooks 01-03) makes them and fills it in",
                )
            ]
        return [
            Check(
                "config.js",
                False,
                f"js/config.js in bucket {bucket} is not filled in "
                "(userPoolId, userPoolClientId, region)",
                _RUN_UP,
            )
        ]
    wrong = [
        f"{name} is {seen!r} but the kit's is {made!r}"
        for name, seen, made in (
            ("userPoolId", config.user_pool_id, record.get("user_pool_id")),
            ("userPoolClientId", config.client_id, record.get("app_client_id")),
        )
        if made and seen != made
    ]
    names = (
        Check("config.js", False, "; ".join(wrong), _RUN_UP)
        if wrong
        else Check(
            "config.js",
            True,
            f"names user pool {config.user_pool_id} and app client {config.client_id}",
        )
    )
    pool_region = config.user_pool_id.split("_", 1)[0]
    if pool_region != config.region:
        region = Check(
            "region",
            False,
            f"config.js says region {config.region!r}, but the "
            f"user pool id {config.user_pool_id} is in "
            f"{pool_region}",
            f"set region to {pool_region!r} ({_RUN_UP})",
        )
    elif pool_region != backend.region:
        region = Check(
            "region",
            False,
            f"the user pool is in {pool_region} but the kit works in {backend.region}",
            f"set AWS_REGION={pool_region}",
        )
    else:
        region = Check("region", True, f"{pool_region}, in config.js and in the user pool id")
    return [names, region]


@dataclass(frozen=True)
class _TimedAnswer:
    """A Cognito answer with this machine's clock read just before and just after it."""

    response: dict[str, Any]
    before: float
    after: float


def _pool_checks(
    checks: list[Check],
    backend: Backend,
    pool_id: str,
    client_id: str,
    clock: Callable[[], float],
) -> _TimedAnswer | None:
    """The user pool and its app client, by the rules ``status`` uses.

    Returns the pool's DescribeUserPool answer, timed for the clock check, when both exist."""
    cognito = backend.client("cognito-idp")
    try:
        before = clock()
        response = cognito.describe_user_pool(UserPoolId=pool_id)
        answer = _TimedAnswer(response, before, clock())
        pool = response["UserPool"]
    except _AWS_ERRORS as e:
        denied = _denied(e, backend)
        if denied:
            checks.append(Check("user pool", False, f"{pool_id} cannot be read", denied))
            return None
        checks.append(
            Check(
                "user pool",
                False,
                f"{pool_id} is missing (the embedded backend was reset, or it was deleted)",
                "`wildrydes up` (or notebooks 01-03) makes it again",
            )
            if _code(e) == "ResourceNotFoundException"
            else userpool.pool_check(None, f"{pool_id} cannot be read ({_code(e)})")
        )
        return None
    checks.append(userpool.pool_check(pool, ""))
    try:
        client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
            "UserPoolClient"
        ]
    except _AWS_ERRORS as e:
        denied = _denied(e, backend)
        checks.append(
            Check("app client", False, f"{client_id} cannot be read", denied)
            if denied
            else userpool.app_client_check(
                None, f"{client_id} is not a client of {pool_id} ({_code(e)})"
            )
        )
        return None
    checks.append(userpool.app_client_check(client, ""))
    return answer


def _user_check(backend: Backend, pool_id: str, email: str) -> Check:
    cognito = backend.client("cognito-idp")
    try:
        username = accounts.username_for(email)
        user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    except WildRydesError as e:
        return Check("user", False, str(e))
    except botocore.exceptions.ClientError as e:
        if _code(e) == "UserNotFoundException":
            return Check(
                "user",
                False,
                f"no user {username} in {pool_id}",
                f"register {email} (wildrydes register EMAIL, or the website's register page)",
            )
        denied = _denied(e, backend)
        if denied:
            return Check("user", False, f"{username} cannot be read", denied)
        return Check("user", False, f"{username} cannot be read ({_code(e)})")
    status = user["UserStatus"]
    advice = {
        "UNCONFIRMED": f"confirm it with the emailed code (wildrydes confirm {email} --code "
        "CODE) or as admin (--admin)",
        # API Reference, AdminCreateUser / AdminSetUserPassword: a temporary password leads to
        # the NEW_PASSWORD_REQUIRED challenge at sign-in; Permanent=true ends it.
        "FORCE_CHANGE_PASSWORD": "an administrator created it with a temporary password: sign "
        "in with that and choose a new one (the NEW_PASSWORD_REQUIRED challenge), or an "
        "administrator sets one with `aws cognito-idp admin-set-user-password --permanent`",
        # API Reference, AdminResetUserPassword: the reset itself sets RESET_REQUIRED and sends
        # a reset code; ForgotPassword/ConfirmForgotPassword or AdminSetUserPassword ends it.
        "RESET_REQUIRED": "an administrator reset its password: choose a new one with the "
        "emailed reset code (forgot password), or an administrator sets one with "
        "`aws cognito-idp admin-set-user-password --permanent`",
    }
    if status == "CONFIRMED":
        return Check("user", True, f"{username} exists and is confirmed")
    return Check(
        "user", False, f"{username} is {status}", advice.get(status, "confirm it before signing in")
    )


def _skew_words(skew: float) -> str:
    side = "ahead of" if skew < 0 else "behind"
    return f"this machine's clock is {abs(skew):.0f} s {side}"


_NTP = "turn on automatic time setting (NTP)"


def _clock_check(answer: _TimedAnswer) -> Check:
    """Compare this machine's clock with the Date header of a Cognito response."""
    before, after = answer.before, answer.after
    date = answer.response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    if not date:
        return Check("clock", False, "Cognito's answer had no Date header to compare with")
    server = parsedate_to_datetime(date).timestamp()
    skew = server - (before + after) / 2  # > 0: this machine is behind
    # The Date header counts whole seconds, and the answer took (after - before) to come.
    slack = 1 + (after - before) / 2
    if abs(skew) <= MAX_CLOCK_SKEW_SECONDS + slack:
        return Check("clock", True, f"within {abs(skew):.0f} s of Cognito's clock")
    return Check(
        "clock",
        False,
        f"{_skew_words(skew)} Cognito's",
        f"{_NTP}; sign-in fails and tokens look expired or not yet valid",
    )


def _sign_in_checks(kit: Kit, email: str, password: str, clock: Callable[[], float]) -> list[Check]:
    try:
        session = accounts.sign_in(kit, email, password)
    except WildRydesError as e:
        return [Check("sign-in", False, str(e))]
    received = clock()
    verification = accounts.verify_token(kit, session.id_token, "id", now=received)
    sign_in = (
        Check("sign-in", True, "SRP sign-in works and the id token passes every check")
        if verification.ok
        else Check(
            "sign-in",
            False,
            "the id token fails: " + "; ".join(str(c) for c in verification.checks if not c.ok),
        )
    )
    iat = tokens.decode(session.id_token).claims.get("iat")
    if not isinstance(iat, int | float):
        return [sign_in, Check("token iat", False, "the id token has no iat to compare with")]
    skew = iat - received
    if abs(skew) <= MAX_CLOCK_SKEW_SECONDS + 1:
        return [
            sign_in,
            Check(
                "token iat",
                True,
                f"the id token was issued {abs(skew):.0f} s from this machine's time",
            ),
        ]
    return [
        sign_in,
        Check(
            "token iat",
            False,
            f"the id token's iat is {abs(skew):.0f} s from "
            f"this machine's time ({_skew_words(skew)} the "
            "user pool's)",
            _NTP,
        ),
    ]


def check(
    kind: str | None = None,
    *,
    region: str | None = None,
    bucket: str | None = None,
    email: str | None = None,
    password: str | None = None,
    clock: Callable[[], float] = time.time,
) -> Report:
    """Validate the implementation the way the website uses it; one check per usual mistake.

    ``email`` adds the user checks; ``email`` and ``password`` add a real SRP sign-in (not
    signed out afterwards: a global sign-out would end the learner's browser session too).
    ``clock`` is this machine's clock (a test can skew it).
    """
    backend = connect(kind, region)
    record = state.load(backend.state_key)
    bucket = launch.choose_bucket(backend, bucket)
    checks: list[Check] = []
    config = None
    try:
        config = website.read_config_js(backend.client("s3"), bucket, denied_is_missing=False)
    except botocore.exceptions.ClientError as e:
        denied = _denied(e, backend, bucket)
        if denied:
            # Without s3:ListBucket a missing object is denied too (GetObject, Permissions).
            where = denied + (
                " (without s3:ListBucket, AWS also answers AccessDenied for a config.js that "
                "is not there)"
                if iam.action_for(getattr(e, "operation_name", "")) == "s3:GetObject"
                else ""
            )
        elif _code(e) == "NoSuchBucket":
            where = (
                f"the website bucket {bucket} is missing (the embedded backend was reset): "
                "`wildrydes module1` (or notebook 00) makes it again, `wildrydes up` "
                "makes everything"
                if backend.kind == "local"
                else f"there is no bucket {bucket}: check the bucket name from module 1 "
                "(--bucket, WILDRYDES_BUCKET)"
            )
        else:
            where = "check the bucket name from module 1 and that your credentials may read it"
        checks.append(
            Check("config.js", False, f"cannot read it from bucket {bucket} ({_code(e)})", where)
        )
    if not checks:
        checks += _config_checks(config, bucket, record, backend)
    pool_id = (
        config.user_pool_id if config and config.user_pool_id else record.get("user_pool_id", "")
    )
    client_id = config.client_id if config and config.client_id else record.get("app_client_id", "")
    values = {
        "backend": backend.kind,
        "region": backend.region,
        "bucket": bucket,
        "website_url": website.website_url(backend, bucket) + "index.html",
        "user_pool_id": pool_id or None,
        "app_client_id": client_id or None,
        "email": email,
    }
    report = Report("Module 2 implementation check", values, checks)
    if not pool_id or not client_id:
        checks.append(
            Check(
                "user pool",
                False,
                "there is no user pool and app client yet (none made, or `wildrydes down` "
                "removed them)",
                "`wildrydes up` (or notebooks 01-03) makes them",
            )
        )
        return report
    answer = _pool_checks(checks, backend, pool_id, client_id, clock)
    if answer is None:
        return report
    checks.append(_clock_check(answer))  # the pool's own answer: no second call to time
    if email:
        checks.append(_user_check(backend, pool_id, email))
    if email and password and report["user"].ok:
        checks += _sign_in_checks(Kit(backend, bucket, pool_id, client_id), email, password, clock)
    return report
