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
from email.utils import parsedate_to_datetime
from typing import Any

import botocore.exceptions

from wildrydes import accounts, launch, state, tokens, website
from wildrydes.backend import Backend, connect
from wildrydes.errors import WildRydesError
from wildrydes.launch import Kit, Report

__all__ = ["MAX_CLOCK_SKEW_SECONDS", "check"]

#: Cognito refuses an SRP timestamp and browsers mistrust tokens when clocks disagree by more.
MAX_CLOCK_SKEW_SECONDS = 60
_RUN_UP = "run `wildrydes up` (or notebook 03)"

Checks = dict[str, tuple[bool, str]]


_AWS_ERRORS = (botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError)


def _code(e: Exception) -> str:
    if isinstance(e, botocore.exceptions.ClientError):
        return str(e.response.get("Error", {}).get("Code", ""))
    return "not a valid id"


def _config_checks(checks: Checks, config: website.SiteConfig | None, bucket: str,
                   record: dict[str, Any], backend: Backend) -> None:
    if config is None:
        checks["config.js"] = (False, f"there is no js/config.js in bucket {bucket}: {_RUN_UP}")
        return
    if not config.configured:
        if not record.get("user_pool_id"):  # nothing to name yet: the pool is what is missing
            checks["config.js"] = (False, f"js/config.js in bucket {bucket} is not filled in "
                                          "yet, because there is no user pool and app client "
                                          "to name: `wildrydes up` (or notebooks 01-03) makes "
                                          "them and fills it in")
            return
        checks["config.js"] = (False, f"js/config.js in bucket {bucket} is not filled in "
                                      f"(userPoolId, userPoolClientId, region): {_RUN_UP}")
        return
    wrong = [f"{name} is {seen!r} but the kit's is {made!r}"
             for name, seen, made in (("userPoolId", config.user_pool_id,
                                       record.get("user_pool_id")),
                                      ("userPoolClientId", config.client_id,
                                       record.get("app_client_id")))
             if made and seen != made]
    checks["config.js"] = ((False, "; ".join(wrong) + f": {_RUN_UP}") if wrong else
                           (True, f"names user pool {config.user_pool_id} and app client "
                                  f"{config.client_id}"))
    pool_region = config.user_pool_id.split("_", 1)[0]
    if pool_region != config.region:
        checks["region"] = (False, f"config.js says region {config.region!r}, but the user pool "
                                   f"id {config.user_pool_id} is in {pool_region}: set region "
                                   f"to {pool_region!r} ({_RUN_UP})")
    elif pool_region != backend.region:
        checks["region"] = (False, f"the user pool is in {pool_region} but the kit works in "
                                   f"{backend.region}: set AWS_REGION={pool_region}")
    else:
        checks["region"] = (True, f"{pool_region}, in config.js and in the user pool id")


def _pool_checks(checks: Checks, cognito: Any, pool_id: str, client_id: str) -> bool:
    """The user pool and its app client; True when both exist."""
    try:
        cognito.describe_user_pool(UserPoolId=pool_id)
    except _AWS_ERRORS as e:
        checks["user pool"] = (False, (
            f"{pool_id} is missing (the embedded backend was reset, or it was deleted): "
            "`wildrydes up` (or notebooks 01-03) makes it again"
            if _code(e) == "ResourceNotFoundException" else
            f"{pool_id} cannot be read ({_code(e)}): {_RUN_UP}"))
        return False
    checks["user pool"] = (True, f"{pool_id} exists")
    try:
        client = cognito.describe_user_pool_client(UserPoolId=pool_id,
                                                   ClientId=client_id)["UserPoolClient"]
    except _AWS_ERRORS as e:
        checks["app client"] = (False, f"{client_id} is not a client of {pool_id} "
                                       f"({_code(e)}): {_RUN_UP}")
        return False
    flows = client.get("ExplicitAuthFlows") or []
    # No flows listed, or only legacy names, means Cognito's defaults, which include SRP.
    srp_allowed = ("ALLOW_USER_SRP_AUTH" in flows
                   or not any(f.startswith("ALLOW_") for f in flows))
    problems = []
    if client.get("ClientSecret"):
        problems.append("it has a client secret, which a browser cannot keep (make a client "
                        "without one)")
    if not srp_allowed:
        problems.append("it does not allow ALLOW_USER_SRP_AUTH (add it)")
    checks["app client"] = ((False, f"{client_id}: " + "; ".join(problems) + f"; or {_RUN_UP}")
                            if problems else
                            (True, f"{client_id} has no secret and allows SRP sign-in"))
    return True


def _user_check(checks: Checks, cognito: Any, pool_id: str, email: str) -> None:
    try:
        username = accounts.username_for(email)
        user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    except WildRydesError as e:
        checks["user"] = (False, str(e))
        return
    except botocore.exceptions.ClientError as e:
        if _code(e) == "UserNotFoundException":
            checks["user"] = (False, f"no user {username} in {pool_id}: register {email} "
                                     "(wildrydes register EMAIL, or the website's register page)")
        else:
            checks["user"] = (False, f"{username} cannot be read ({_code(e)})")
        return
    status = user["UserStatus"]
    advice = {
        "UNCONFIRMED": f"confirm it with the emailed code (wildrydes confirm {email} --code "
                       "CODE) or as admin (--admin)",
        "FORCE_CHANGE_PASSWORD": "it was created in the console with a temporary password; "
                                 "register through the website instead",
        "RESET_REQUIRED": "reset its password in the Cognito console",
    }
    checks["user"] = ((True, f"{username} exists and is confirmed") if status == "CONFIRMED"
                      else (False, f"{username} is {status}: "
                                   + advice.get(status, "confirm it before signing in")))


def _skew_words(skew: float) -> str:
    side = "ahead of" if skew < 0 else "behind"
    return f"this machine's clock is {abs(skew):.0f} s {side}"


def _clock_check(checks: Checks, cognito: Any, pool_id: str, clock: Callable[[], float]) -> None:
    """Compare this machine's clock with the Date header of a Cognito response."""
    before = clock()
    response = cognito.describe_user_pool(UserPoolId=pool_id)
    after = clock()
    date = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    if not date:
        checks["clock"] = (False, "Cognito's answer had no Date header to compare with")
        return
    server = parsedate_to_datetime(date).timestamp()
    skew = server - (before + after) / 2  # > 0: this machine is behind
    # The Date header counts whole seconds, and the answer took (after - before) to come.
    slack = 1 + (after - before) / 2
    if abs(skew) <= MAX_CLOCK_SKEW_SECONDS + slack:
        checks["clock"] = (True, f"within {abs(skew):.0f} s of Cognito's clock")
    else:
        checks["clock"] = (False, f"{_skew_words(skew)} Cognito's: turn on automatic time "
                                  "setting (NTP); sign-in fails and tokens look expired or "
                                  "not yet valid")


def _sign_in_checks(checks: Checks, kit: Kit, email: str, password: str,
                    clock: Callable[[], float]) -> None:
    try:
        session = accounts.sign_in(kit, email, password)
    except WildRydesError as e:
        checks["sign-in"] = (False, str(e))
        return
    received = clock()
    verification = accounts.verify_token(kit, session.id_token, "id", now=received)
    checks["sign-in"] = ((True, "SRP sign-in works and the id token passes every check")
                         if verification.ok else
                         (False, "the id token fails: " + "; ".join(
                             str(c) for c in verification.checks if not c.ok)))
    iat = tokens.decode(session.id_token).claims.get("iat")
    if not isinstance(iat, int | float):
        checks["token iat"] = (False, "the id token has no iat to compare with")
        return
    skew = iat - received
    checks["token iat"] = (
        (True, f"the id token was issued {abs(skew):.0f} s from this machine's time")
        if abs(skew) <= MAX_CLOCK_SKEW_SECONDS + 1 else
        (False, f"the id token's iat is {abs(skew):.0f} s from this machine's time "
                f"({_skew_words(skew)} the user pool's): turn on automatic time setting (NTP)"))


def check(kind: str | None = None, *, region: str | None = None, bucket: str | None = None,
          email: str | None = None, password: str | None = None,
          clock: Callable[[], float] = time.time) -> Report:
    """Validate the implementation the way the website uses it; one check per usual mistake.

    ``email`` adds the user checks; ``email`` and ``password`` add a real SRP sign-in (not
    signed out afterwards: a global sign-out would end the learner's browser session too).
    ``clock`` is this machine's clock (a test can skew it).
    """
    backend = connect(kind, region)
    record = state.load(backend.state_key)
    bucket = launch.choose_bucket(backend, bucket)
    checks: Checks = {}
    config = None
    try:
        config = website.read_config_js(backend.client("s3"), bucket)
    except botocore.exceptions.ClientError as e:
        if _code(e) == "NoSuchBucket":
            where = (f"the website bucket {bucket} is missing (the embedded backend was reset): "
                     "`wildrydes module1` (or notebook 00) makes it again, `wildrydes up` "
                     "makes everything" if backend.kind == "local" else
                     f"there is no bucket {bucket}: check the bucket name from module 1 "
                     "(--bucket, WILDRYDES_BUCKET)")
        else:
            where = ("check the bucket name from module 1 and that your credentials may read "
                     "it")
        checks["config.js"] = (False, f"cannot read it from bucket {bucket} ({_code(e)}): "
                                      f"{where}")
    if "config.js" not in checks:
        _config_checks(checks, config, bucket, record, backend)
    pool_id = (config.user_pool_id if config and config.user_pool_id
               else record.get("user_pool_id", ""))
    client_id = (config.client_id if config and config.client_id
                 else record.get("app_client_id", ""))
    values = {"backend": backend.kind, "region": backend.region, "bucket": bucket,
              "website_url": website.website_url(backend, bucket) + "index.html",
              "user_pool_id": pool_id or None, "app_client_id": client_id or None,
              "email": email}
    if not pool_id or not client_id:
        checks["user pool"] = (False, "there is no user pool and app client yet (none made, "
                                      "or `wildrydes down` removed them): `wildrydes up` (or "
                                      "notebooks 01-03) makes them")
        return Report("Module 2 implementation check", values, checks)
    cognito = backend.client("cognito-idp")
    pool_ok = _pool_checks(checks, cognito, pool_id, client_id)
    if pool_ok:
        _clock_check(checks, cognito, pool_id, clock)
    if pool_ok and email:
        _user_check(checks, cognito, pool_id, email)
    if pool_ok and email and password and checks["user"][0]:
        _sign_in_checks(checks, Kit(backend, bucket, pool_id, client_id), email, password, clock)
    return Report("Module 2 implementation check", values, checks)
