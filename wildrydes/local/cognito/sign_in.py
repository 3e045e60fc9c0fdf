"""Signing in: InitiateAuth and RespondToAuthChallenge, and their Admin* forms.

With SRP, a password, a refresh token, and the NEW_PASSWORD_REQUIRED challenge. Each
operation is a function ``(context, request) -> response body``, listed in :mod:`.operations`.
USER_SRP_AUTH is real SRP-6a (:mod:`wildrydes.srp`), so AWS's SDKs and
Amplify sign in unchanged; its sessions live in memory (:mod:`.sessions`).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from wildrydes import srp
from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.attributes import check_attributes, required_names
from wildrydes.local.cognito.client_settings import DEFAULT_FLOWS, allowed_flows, session_seconds
from wildrydes.local.cognito.context import Context, Request, Result
from wildrydes.local.cognito.issuing import refresh, rotates, sign_in_tokens
from wildrydes.local.cognito.lookups import check_secret_hash, hides_unknown_users, public_user
from wildrydes.local.cognito.lookups import client as find_client
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.lookups import user as find_user
from wildrydes.local.cognito.passwords import (
    check_password,
    check_policy,
    failed,
    not_locked,
    stored_verifier,
    succeeded,
)
from wildrydes.local.cognito.sessions import Session
from wildrydes.local.cognito.store import Row

__all__ = [
    "DEFAULT_FLOWS",
    "admin_initiate_auth",
    "admin_respond_to_auth_challenge",
    "initiate_auth",
    "respond_to_auth_challenge",
]

_ADMIN_FLOWS = ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH")
# The SDKs' TIMESTAMP: "Thu Nov 5 09:03:01 UTC 2026" (day not zero-padded).
_TIMESTAMP = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$"
)


def _param(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not value:
        raise e.InvalidParameterException(f"Missing required parameter {name}")
    return str(value)


def _require_flow(client: Row, allow: str, flow: str) -> None:
    if allow not in allowed_flows(client["config"]):
        raise e.InvalidParameterException(f"{flow} flow not enabled for this client")


# -- InitiateAuth ----------------------------------------------------------------------------
def initiate_auth(ctx: Context, request: Request) -> Result:
    client = find_client(ctx.store, request["ClientId"])
    flow = request["AuthFlow"]
    if flow in _ADMIN_FLOWS:
        raise e.InvalidParameterException(f"Initiate Auth method not supported: {flow}")
    return _initiate(ctx, client, flow, request.get("AuthParameters") or {})


def admin_initiate_auth(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    client = find_client(ctx.store, request["ClientId"], request["UserPoolId"])
    flow, params = request["AuthFlow"], request.get("AuthParameters") or {}
    if flow in _ADMIN_FLOWS:
        _require_flow(client, "ALLOW_ADMIN_USER_PASSWORD_AUTH", flow)
        return _password_sign_in(ctx, client, params)
    return _initiate(ctx, client, flow, params)


def _initiate(ctx: Context, client: Row, flow: str, params: Mapping[str, Any]) -> Result:
    if flow == "USER_SRP_AUTH":
        _require_flow(client, "ALLOW_USER_SRP_AUTH", flow)
        return _srp_challenge(ctx, client, params)
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        _require_flow(client, "ALLOW_REFRESH_TOKEN_AUTH", flow)
        if rotates(client):
            # Developer guide, "Refresh tokens": "You can't authenticate with
            # REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled."
            raise e.InvalidParameterException(
                f"{flow} is not allowed for an app client with refresh token rotation "
                "enabled; refresh with GetTokensFromRefreshToken."
            )
        return refresh(ctx, client, _param(params, "REFRESH_TOKEN"))
    if flow == "USER_PASSWORD_AUTH":
        _require_flow(client, "ALLOW_USER_PASSWORD_AUTH", flow)
        return _password_sign_in(ctx, client, params)
    raise e.InvalidParameterException(
        f"The local backend does not do the {flow} flow; it does USER_SRP_AUTH, "
        "USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH and ADMIN_USER_PASSWORD_AUTH."
    )


def _srp_challenge(ctx: Context, client: Row, params: Mapping[str, Any]) -> Result:
    username = _param(params, "USERNAME")
    srp_a = _param(params, "SRP_A")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    if ctx.store.user(client["pool_id"], username) is None and hides_unknown_users(client):
        user = _decoy(client, username)
    else:
        user = public_user(ctx.store, client, username)
        not_locked(ctx, user)
    try:
        a_value = int(srp_a, 16)
    except ValueError:
        a_value = 0
    if a_value % srp.N == 0:
        raise e.InvalidParameterException("SRP_A is not valid")
    verifier = int(user["verifier"], 16)
    b_value, big_b = srp.server_ephemeral(verifier)
    handle = ctx.sessions.open(
        Session(
            "srp",
            client["pool_id"],
            client["id"],
            user["username"],
            ctx.clock.now(),
            a_value,
            b_value,
            big_b,
            verifier,
        )
    )
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": user["salt"],
            "SRP_B": format(big_b, "x"),
            "SECRET_BLOCK": handle,
            "USER_ID_FOR_SRP": user["username"],
            "USERNAME": user["username"],
        },
    }


def _decoy(client: Row, username: str) -> Row:
    """A stand-in for a user who does not exist, when the client hides which users exist: the
    SRP challenge goes out as for a real user, and the answer fails at RespondToAuthChallenge
    with the wrong password's NotAuthorizedException (developer guide, "Managing error
    responses": with PreventUserExistenceErrors ENABLED, "Amazon Cognito returns a generic
    authentication failure response ... that doesn't indicate whether the user exists").
    The salt is the same on every try for that name, as a real user's is; the verifier is
    of a random password, so no answer can match it."""
    seed = hashlib.sha256(f"decoy|{client['pool_id']}|{username}".encode()).digest()[:16]
    salt = srp.pad_hex(int.from_bytes(seed, "big"))  # shaped as make_verifier shapes a salt
    made = srp.make_verifier(client["pool_id"], username, secrets.token_hex(32), salt)
    return {"username": username, "salt": made.salt_hex, "verifier": format(made.verifier, "x")}


def _password_sign_in(ctx: Context, client: Row, params: Mapping[str, Any]) -> Result:
    username = _param(params, "USERNAME")
    check_secret_hash(client, username, params.get("SECRET_HASH"))
    user = public_user(ctx.store, client, username)
    check_password(ctx, user, _param(params, "PASSWORD"))
    return _signed_in(ctx, client, user)


# -- RespondToAuthChallenge ------------------------------------------------------------------
def respond_to_auth_challenge(ctx: Context, request: Request) -> Result:
    return _respond(ctx, find_client(ctx.store, request["ClientId"]), request)


def admin_respond_to_auth_challenge(ctx: Context, request: Request) -> Result:
    find_pool(ctx.store, request["UserPoolId"])
    client = find_client(ctx.store, request["ClientId"], request["UserPoolId"])
    return _respond(ctx, client, request)


def _respond(ctx: Context, client: Row, request: Request) -> Result:
    name = request["ChallengeName"]
    answer = request.get("ChallengeResponses") or {}
    if name == "NEW_PASSWORD_REQUIRED":
        return _new_password(ctx, client, request.get("Session") or "", answer)
    if name != "PASSWORD_VERIFIER":
        raise e.InvalidParameterException(f"The local backend does not do the {name} challenge.")
    block = answer.get("PASSWORD_CLAIM_SECRET_BLOCK", "")
    session = ctx.sessions.take(
        block, "srp", client["pool_id"], client["id"], session_seconds(client["config"])
    )
    if (
        session is None
        or answer.get("USERNAME") != session.username
        or not _TIMESTAMP.match(answer.get("TIMESTAMP", ""))
    ):
        raise e.NotAuthorizedException(e.INCORRECT)
    check_secret_hash(client, session.username, answer.get("SECRET_HASH"))
    found = ctx.store.user(client["pool_id"], session.username)
    if found is None:  # the decoy's challenge (or a user deleted meanwhile): a wrong password
        raise e.NotAuthorizedException(e.INCORRECT)
    user = found
    not_locked(ctx, user)
    try:
        key = srp.server_session_key(
            session.a_value, session.big_b, session.b_value, session.verifier
        )
        good = srp.verify_claim(
            key,
            client["pool_id"],
            session.username,
            block,
            answer["TIMESTAMP"],
            answer.get("PASSWORD_CLAIM_SIGNATURE", ""),
        )
    except srp.SrpError:
        good = False
    if not good or session.verifier != int(user["verifier"], 16):
        failed(ctx, user)
    succeeded(ctx, user)
    return _signed_in(ctx, client, user)


def _signed_in(ctx: Context, client: Row, user: Row) -> Result:
    """The password was right: tell its status, or issue tokens."""
    if user["status"] == "UNCONFIRMED":
        raise e.UserNotConfirmedException("User is not confirmed.")
    if not user["enabled"]:
        raise e.NotAuthorizedException("User is disabled.")
    if user["status"] == "RESET_REQUIRED":
        raise e.PasswordResetRequiredException("Password reset required for the user")
    if user["status"] == "FORCE_CHANGE_PASSWORD":
        return _new_password_challenge(ctx, client, user)
    return sign_in_tokens(ctx, client, user)


def _new_password_challenge(ctx: Context, client: Row, user: Row) -> Result:
    """NEW_PASSWORD_REQUIRED, with the attributes the user has and the required ones missing."""
    handle = ctx.sessions.open(
        Session("new_password", client["pool_id"], client["id"], user["username"], ctx.clock.now())
    )
    attributes = {
        k: v
        for k, v in ctx.store.attributes(user["pool_id"], user["username"]).items()
        if k != "sub"
    }
    missing = [
        f"userAttributes.{name}"
        for name in required_names(find_pool(ctx.store, user["pool_id"]))
        if name not in attributes
    ]
    return {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": handle,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user["username"],
            "requiredAttributes": json.dumps(missing),
            "userAttributes": json.dumps(attributes),
        },
    }


def _new_password(ctx: Context, client: Row, handle: str, answer: Mapping[str, Any]) -> Result:
    session = ctx.sessions.take(
        handle, "new_password", client["pool_id"], client["id"], session_seconds(client["config"])
    )
    if session is None or answer.get("USERNAME") != session.username:
        raise e.NotAuthorizedException("Invalid session for the user, session is expired.")
    new_password = answer.get("NEW_PASSWORD")
    if not new_password:
        raise e.InvalidParameterException("Missing required parameter NEW_PASSWORD")
    pool = find_pool(ctx.store, client["pool_id"])
    check_policy(pool, new_password)
    given = {
        k.removeprefix("userAttributes."): v
        for k, v in answer.items()
        if k.startswith("userAttributes.")
    }
    check_attributes(pool, given)
    ctx.store.set_attributes(client["pool_id"], session.username, given)
    ctx.sessions.close(handle)  # the session stays usable for another try until it succeeds
    kept = stored_verifier(client["pool_id"], session.username, new_password)
    ctx.store.update_user(
        client["pool_id"],
        session.username,
        status="CONFIRMED",
        modified=ctx.clock.now(),
        salt=kept.salt,
        verifier=kept.verifier,
    )
    return _signed_in(ctx, client, find_user(ctx.store, client["pool_id"], session.username))
