"""Sign-in: SRP and password flows, new-password challenges, tokens, refresh and sign-out.

Each ``op_<Operation>`` takes the validated request body and returns the response body.
SRP and NEW_PASSWORD_REQUIRED sessions live in memory for 3 minutes (a restart in the middle
of a sign-in means starting that sign-in again); everything else is in the store.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from wildrydes import srp
from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.common import Shared
from wildrydes.local.cognito.pools import validity_seconds
from wildrydes.local.cognito.signing import issue_tokens

__all__ = [
    "ATTEMPTS_EXCEEDED",
    "DEFAULT_FLOWS",
    "LOCKOUT_AFTER",
    "LOCKOUT_MAX_SECONDS",
    "SESSION_SECONDS",
    "Auth",
]

SESSION_SECONDS = 180  # an SRP or new-password session answers within 3 minutes, once
# Cognito's app client default when ExplicitAuthFlows is not set (API Reference,
# CreateUserPoolClient, ExplicitAuthFlows).
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
# Lockout (developer guide, "Authentication flows" -> "Lockout behavior for failed sign-in
# attempts"): after 5 failed password attempts the user is locked out for 1 second, and the
# lockout doubles with each further failure up to about 15 minutes; attempts while locked out
# get "Password attempts exceeded" and do not lengthen it: for n failures, 2^(n-5) seconds.
# The count goes back to 0 after a successful sign-in once a lockout has passed, or after 15
# consecutive minutes without an attempt at any time after a lockout.
LOCKOUT_AFTER = 5
LOCKOUT_MAX_SECONDS = 15 * 60
LOCKOUT_RESET_SECONDS = 15 * 60
ATTEMPTS_EXCEEDED = "Password attempts exceeded"
_TIMESTAMP = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$"
)


@dataclass
class _Session:
    kind: str  # "srp" or "new_password"
    pool_id: str
    client_id: str
    username: str
    started: float
    a_value: int = 0
    b_value: int = 0
    big_b: int = 0
    verifier: int = 0


class Auth:
    def __init__(self, shared: Shared) -> None:
        self.s = shared
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    # -- sessions ------------------------------------------------------------------------
    def _open(self, session: _Session) -> str:
        handle = base64.b64encode(secrets.token_bytes(48)).decode()
        cutoff = self.s.clock.now() - SESSION_SECONDS
        with self._lock:
            for old in [h for h, s in self._sessions.items() if s.started < cutoff]:
                del self._sessions[old]
            self._sessions[handle] = session
        return handle

    def _take(self, handle: str, kind: str, pool_id: str, client_id: str) -> _Session | None:
        with self._lock:
            session = self._sessions.get(handle)
            if (
                session is None
                or session.kind != kind
                or session.pool_id != pool_id
                or session.client_id != client_id
            ):
                return None
            if kind == "srp":  # a secret block answers once, right or wrong
                del self._sessions[handle]
        if self.s.clock.now() - session.started > SESSION_SECONDS:
            return None
        return session

    # -- passwords and lockout -----------------------------------------------------------
    def _not_locked(self, user: dict[str, Any]) -> None:
        if user["locked_until"] > self.s.clock.now():
            raise e.NotAuthorizedException(ATTEMPTS_EXCEEDED)

    def _failed(self, user: dict[str, Any]) -> None:
        failures = user["failed_attempts"]
        if (
            failures >= LOCKOUT_AFTER
            and self.s.clock.now() - user["locked_until"] >= LOCKOUT_RESET_SECONDS
        ):
            failures = 0  # quiet for 15 minutes after the lockout: back to the start
        failures += 1
        locked_until = 0.0
        if failures >= LOCKOUT_AFTER:
            locked_until = self.s.clock.now() + min(
                2 ** (failures - LOCKOUT_AFTER), LOCKOUT_MAX_SECONDS
            )
        self.s.store.update_user(
            user["pool_id"], user["username"], failed_attempts=failures, locked_until=locked_until
        )
        self.s.store.keep()
        raise e.NotAuthorizedException(e.INCORRECT)

    def _succeeded(self, user: dict[str, Any]) -> None:
        if user["failed_attempts"]:
            self.s.store.update_user(
                user["pool_id"], user["username"], failed_attempts=0, locked_until=0
            )

    def check_password(self, user: dict[str, Any], password: str) -> None:
        self._not_locked(user)
        if not self.s.password_matches(user, password):
            self._failed(user)
        self._succeeded(user)

    # -- InitiateAuth --------------------------------------------------------------------
    def op_InitiateAuth(self, body):
        client = self.s.client(body["ClientId"])
        flow = body["AuthFlow"]
        if flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            raise e.InvalidParameterException(f"Initiate Auth method not supported: {flow}")
        return self._initiate(client, flow, body.get("AuthParameters") or {})

    def op_AdminInitiateAuth(self, body):
        self.s.pool(body["UserPoolId"])
        client = self.s.client(body["ClientId"], body["UserPoolId"])
        flow, params = body["AuthFlow"], body.get("AuthParameters") or {}
        if flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            self._require_flow(client, "ALLOW_ADMIN_USER_PASSWORD_AUTH", flow)
            return self._password_sign_in(client, params)
        return self._initiate(client, flow, params)

    @staticmethod
    def _require_flow(client: dict[str, Any], allow: str, flow: str) -> None:
        if allow not in (client["config"].get("ExplicitAuthFlows") or DEFAULT_FLOWS):
            raise e.InvalidParameterException(f"{flow} flow not enabled for this client")

    def _initiate(self, client: dict[str, Any], flow: str, params: dict[str, str]):
        if flow == "USER_SRP_AUTH":
            self._require_flow(client, "ALLOW_USER_SRP_AUTH", flow)
            return self._srp_challenge(client, params)
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            self._require_flow(client, "ALLOW_REFRESH_TOKEN_AUTH", flow)
            return self.refresh(client, _param(params, "REFRESH_TOKEN"))
        if flow == "USER_PASSWORD_AUTH":
            self._require_flow(client, "ALLOW_USER_PASSWORD_AUTH", flow)
            return self._password_sign_in(client, params)
        raise e.InvalidParameterException(
            f"The local backend does not do the {flow} flow; it does USER_SRP_AUTH, "
            "USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH and ADMIN_USER_PASSWORD_AUTH."
        )

    def _srp_challenge(self, client: dict[str, Any], params: dict[str, str]):
        username = _param(params, "USERNAME")
        srp_a = _param(params, "SRP_A")
        self.s.check_secret_hash(client, username, params.get("SECRET_HASH"))
        user = self.s.public_user(client, username)
        self._not_locked(user)
        try:
            a_value = int(srp_a, 16)
        except ValueError:
            a_value = 0
        if a_value % srp.N == 0:
            raise e.InvalidParameterException("SRP_A is not valid")
        verifier = int(user["verifier"], 16)
        b_value, big_b = srp.server_ephemeral(verifier)
        handle = self._open(
            _Session(
                "srp",
                client["pool_id"],
                client["id"],
                user["username"],
                self.s.clock.now(),
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

    def _password_sign_in(self, client: dict[str, Any], params: dict[str, str]):
        username = _param(params, "USERNAME")
        self.s.check_secret_hash(client, username, params.get("SECRET_HASH"))
        user = self.s.public_user(client, username)
        self.check_password(user, _param(params, "PASSWORD"))
        return self._signed_in(client, user)

    # -- RespondToAuthChallenge ----------------------------------------------------------
    def op_RespondToAuthChallenge(self, body):
        return self._respond(self.s.client(body["ClientId"]), body)

    def op_AdminRespondToAuthChallenge(self, body):
        self.s.pool(body["UserPoolId"])
        return self._respond(self.s.client(body["ClientId"], body["UserPoolId"]), body)

    def _respond(self, client: dict[str, Any], body: dict[str, Any]):
        name = body["ChallengeName"]
        answer = body.get("ChallengeResponses") or {}
        if name == "NEW_PASSWORD_REQUIRED":
            return self._new_password(client, body.get("Session") or "", answer)
        if name != "PASSWORD_VERIFIER":
            raise e.InvalidParameterException(
                f"The local backend does not do the {name} challenge."
            )
        block = answer.get("PASSWORD_CLAIM_SECRET_BLOCK", "")
        session = self._take(block, "srp", client["pool_id"], client["id"])
        if (
            session is None
            or answer.get("USERNAME") != session.username
            or not _TIMESTAMP.match(answer.get("TIMESTAMP", ""))
        ):
            raise e.NotAuthorizedException(e.INCORRECT)
        self.s.check_secret_hash(client, session.username, answer.get("SECRET_HASH"))
        user = self.s.user(client["pool_id"], session.username)
        self._not_locked(user)
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
            self._failed(user)
        self._succeeded(user)
        return self._signed_in(client, user)

    def _signed_in(self, client: dict[str, Any], user: dict[str, Any]):
        """The password was right: tell its status, or issue tokens."""
        if user["status"] == "UNCONFIRMED":
            raise e.UserNotConfirmedException("User is not confirmed.")
        if not user["enabled"]:
            raise e.NotAuthorizedException("User is disabled.")
        if user["status"] == "RESET_REQUIRED":
            raise e.PasswordResetRequiredException("Password reset required for the user")
        if user["status"] == "FORCE_CHANGE_PASSWORD":
            handle = self._open(
                _Session(
                    "new_password",
                    client["pool_id"],
                    client["id"],
                    user["username"],
                    self.s.clock.now(),
                )
            )
            attributes = {
                k: v
                for k, v in self.s.store.attributes(user["pool_id"], user["username"]).items()
                if k != "sub"
            }
            missing = [
                f"userAttributes.{name}"
                for name in self.s.required_names(self.s.pool(user["pool_id"]))
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
        refresh_token = base64.urlsafe_b64encode(secrets.token_bytes(96)).decode().rstrip("=")
        origin_jti = str(uuid.uuid4())
        now = int(self.s.clock.now())
        self.s.store.add_refresh_token(
            refresh_token,
            pool_id=user["pool_id"],
            client_id=client["id"],
            username=user["username"],
            origin_jti=origin_jti,
            auth_time=now,
            expires_at=now + validity_seconds(client, "RefreshToken"),
        )
        result = self._mint(client, user, origin_jti, auth_time=now)
        result["AuthenticationResult"]["RefreshToken"] = refresh_token
        return result

    def _new_password(self, client: dict[str, Any], handle: str, answer: dict[str, Any]):
        session = self._take(handle, "new_password", client["pool_id"], client["id"])
        if session is None or answer.get("USERNAME") != session.username:
            raise e.NotAuthorizedException("Invalid session for the user, session is expired.")
        new_password = answer.get("NEW_PASSWORD")
        if not new_password:
            raise e.InvalidParameterException("Missing required parameter NEW_PASSWORD")
        pool = self.s.pool(client["pool_id"])
        self.s.check_policy(pool, new_password)
        given = {
            k.removeprefix("userAttributes."): v
            for k, v in answer.items()
            if k.startswith("userAttributes.")
        }
        self.s.check_attributes(pool, given)
        self.s.store.set_attributes(client["pool_id"], session.username, given)
        with self._lock:  # the session stays usable for another try until it succeeds
            self._sessions.pop(handle, None)
        self.s.store.update_user(
            client["pool_id"],
            session.username,
            status="CONFIRMED",
            modified=self.s.clock.now(),
            **self.s.verifier(client["pool_id"], session.username, new_password),
        )
        return self._signed_in(client, self.s.user(client["pool_id"], session.username))

    # -- tokens --------------------------------------------------------------------------
    def _mint(self, client: dict[str, Any], user: dict[str, Any], origin_jti: str, auth_time: int):
        pool = self.s.pool(user["pool_id"])
        groups = [g["name"] for g in self.s.store.groups_of(pool["id"], user["username"])]
        tokens = issue_tokens(
            self.s.keys,
            region=pool["region"],
            user_pool_id=pool["id"],
            client_id=client["id"],
            username=user["username"],
            attributes=self.s.store.attributes(pool["id"], user["username"]),
            groups=groups,
            origin_jti=origin_jti,
            auth_time=auth_time,
            now=int(self.s.clock.now()),
            access_seconds=validity_seconds(client, "AccessToken"),
            id_seconds=validity_seconds(client, "IdToken"),
        )
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": {
                "AccessToken": tokens.access_token,
                "ExpiresIn": tokens.expires_in,
                "TokenType": "Bearer",
                "IdToken": tokens.id_token,
            },
        }

    def refresh(self, client: dict[str, Any], token: str):
        row = self.s.store.refresh_token(token)
        if row is None or row["client_id"] != client["id"]:
            raise e.NotAuthorizedException("Invalid Refresh Token")
        if row["revoked"]:
            raise e.NotAuthorizedException("Refresh Token has been revoked")
        if row["expires_at"] <= self.s.clock.now():
            raise e.NotAuthorizedException("Refresh Token has expired")
        user = self.s.user(row["pool_id"], row["username"])
        if not user["enabled"]:
            raise e.NotAuthorizedException("User is disabled.")
        # Like Cognito, auth_time stays the time of the sign-in this refresh token came from.
        return self._mint(client, user, row["origin_jti"], auth_time=row["auth_time"])

    def op_GetTokensFromRefreshToken(self, body):
        """Amplify JS v6's refresh (API Reference, GetTokensFromRefreshToken); no rotation."""
        result = self.refresh(self.s.client(body["ClientId"]), body["RefreshToken"])
        return {"AuthenticationResult": result["AuthenticationResult"]}

    def access_user(self, token: str) -> dict[str, Any]:
        """The user an access token belongs to, if it is ours, live, and not revoked."""
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
            pool_id = str(claims.get("iss", "")).rpartition("/")[2]
            if self.s.store.pool(pool_id) is None or claims.get("token_use") != "access":
                raise e.NotAuthorizedException("Invalid Access Token")
            claims = self.s.keys.read_access_token(pool_id, token)
        except jwt.PyJWTError as error:
            raise e.NotAuthorizedException("Invalid Access Token") from error
        user = self.s.store.user(pool_id, str(claims.get("username")))
        if user is None:
            raise e.UserNotFoundException("User does not exist.")
        sign_in = self.s.store.sign_in_of(str(claims.get("origin_jti")))
        if sign_in is None:
            raise e.NotAuthorizedException("Invalid Access Token")
        if sign_in["revoked"]:
            raise e.NotAuthorizedException("Access Token has been revoked")
        if self.s.clock.now() >= float(claims.get("exp", 0)):
            raise e.NotAuthorizedException("Access Token has expired")
        if not user["enabled"]:
            raise e.NotAuthorizedException("User is disabled.")
        return user

    # -- sign-out ------------------------------------------------------------------------
    def op_GlobalSignOut(self, body):
        user = self.access_user(body["AccessToken"])
        self.s.store.revoke_user(user["pool_id"], user["username"])
        return {}

    def op_AdminUserGlobalSignOut(self, body):
        self.s.pool(body["UserPoolId"])
        user = self.s.user(body["UserPoolId"], body["Username"])
        self.s.store.revoke_user(user["pool_id"], user["username"])
        return {}

    def op_RevokeToken(self, body):
        """Revoke one refresh token and the access tokens it produced (the SDK's sign-out)."""
        client = self.s.client(body["ClientId"])
        row = self.s.store.refresh_token(body["Token"])
        if row is not None:
            if row["client_id"] != client["id"]:
                raise e.UnauthorizedException("The token was not issued to this app client.")
            self.s.store.revoke(row["origin_jti"])
        return {}


def _param(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not value:
        raise e.InvalidParameterException(f"Missing required parameter {name}")
    return str(value)
