"""Cognito fidelity: the user-facing operations moto does not do the way Cognito does.

moto stays the engine for users, pools and clients; this layer answers the operations below
itself, reading and writing moto's models in the same process, and passes every other
operation through unchanged.

Like Cognito:
- USER_SRP_AUTH is real SRP-6a: the PASSWORD_VERIFIER challenge comes from a verifier
  derived from the user's password, and a wrong password, signature, secret block or
  timestamp gets NotAuthorizedException "Incorrect username or password.";
  USER_ID_FOR_SRP is the username, so AWS's own SDKs can answer it.
- SignUp sends a 6-digit code to the local outbox and reports EMAIL delivery to a masked
  address; ConfirmSignUp accepts only the newest code, once, for 24 hours.
- Password-policy and "User already exists" errors are worded as Cognito words them.
- Tokens carry Cognito's claim sets and are signed with a key of the pool's own, published
  at /<pool_id>/.well-known/jwks.json.

Not like Cognito (yet): no MFA, no custom auth or Lambda triggers, no hosted UI, no
PreventUserExistenceErrors (unknown users get UserNotFoundException), no rate limits, the
secret block is not encrypted (it is a random handle), and everything lives in memory:
stopping the backend forgets every pool.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID

from wildrydes import srp
from wildrydes.local.outbox import Outbox
from wildrydes.local.signing import PoolKeys, issue_tokens
from wildrydes.policy import PasswordPolicy, cognito_messages

CODE_LIFETIME_SECONDS = 24 * 3600
SRP_SESSION_SECONDS = 180
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
_TIMESTAMP = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9]|[12][0-9]|3[01]) [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$"
)
INCORRECT = "Incorrect username or password."


class CognitoError(Exception):
    """An error answered the way Cognito answers it: ``__type`` and ``message``."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class Clock:
    """Wall-clock time plus an offset tests can move forward over HTTP."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset


@dataclass
class _Code:
    code: str
    sent_at: float


@dataclass
class _SrpSession:
    user_pool_id: str
    client_id: str
    username: str
    a_value: int
    b_value: int
    big_b: int
    verifier: int
    started: float


@dataclass
class LocalCognito:
    outbox: Outbox = field(default_factory=Outbox)
    clock: Clock = field(default_factory=Clock)
    keys: PoolKeys = field(default_factory=PoolKeys)
    account_id: str = DEFAULT_ACCOUNT_ID

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._codes: dict[tuple[str, str], _Code] = {}
        self._sessions: dict[str, _SrpSession] = {}
        self._verifiers: dict[tuple[str, str, str], srp.Verifier] = {}

    # -- dispatch ------------------------------------------------------------------------
    def handles(self, operation: str) -> bool:
        return hasattr(self, f"op_{operation}")

    def handle(self, operation: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """Answer ``operation``; None means moto answers it instead."""
        with self._lock:
            return getattr(self, f"op_{operation}")(body)

    # -- lookups -------------------------------------------------------------------------
    def _backends(self):
        return cognitoidp_backends[self.account_id].values()

    def pool(self, user_pool_id: str):
        for backend in self._backends():
            if user_pool_id in backend.user_pools:
                return backend.user_pools[user_pool_id]
        raise CognitoError("ResourceNotFoundException",
                           f"User pool {user_pool_id} does not exist.")

    def _client(self, client_id: str):
        for backend in self._backends():
            for pool in backend.user_pools.values():
                if client_id in pool.clients:
                    return pool, pool.clients[client_id]
        raise CognitoError("ResourceNotFoundException",
                           f"User pool client {client_id} does not exist.")

    @staticmethod
    def _user(pool, username: str, missing: str = "User does not exist.") -> CognitoIdpUser:
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", missing)
        return user

    # -- sign-up and confirmation ---------------------------------------------------------
    def op_SignUp(self, body):
        pool, client = self._client(body["ClientId"])
        username, password = body["Username"], body["Password"]
        attributes = {a["Name"]: a["Value"] for a in body.get("UserAttributes") or []}
        if pool._get_user(username) is not None:
            raise CognitoError("UsernameExistsException", "User already exists")
        problems = cognito_messages(
            password, PasswordPolicy.from_pool(pool.extended_config.get("Policies")))
        if problems:
            raise CognitoError("InvalidPasswordException", problems[0])
        for name, attribute in pool.schema_attributes.items():
            if attribute.required and name not in attributes and name != "sub":
                raise CognitoError(
                    "InvalidParameterException",
                    f"Attributes did not conform to the schema: {name}: "
                    "The attribute is required")
        user = CognitoIdpUser(pool.id, username, password, UserStatus.UNCONFIRMED,
                              [{"Name": k, "Value": v} for k, v in attributes.items()])
        pool.users[user.username] = user
        result = {"UserConfirmed": False, "UserSub": user.id}
        delivery = self._send_code(pool, user)
        if delivery:
            result["CodeDeliveryDetails"] = delivery
        return result

    def _send_code(self, pool, user) -> dict[str, str] | None:
        email = user.attribute_lookup.get("email")
        if not email:
            return None
        code = f"{secrets.randbelow(10**6):06d}"
        now = self.clock.now()
        self._codes[(pool.id, user.username)] = _Code(code, now)
        self.outbox.send(to=email, code=code, user_pool_id=pool.id, username=user.username,
                         now=_utc(now))
        return {"Destination": mask_email(email), "DeliveryMedium": "EMAIL",
                "AttributeName": "email"}

    def op_ConfirmSignUp(self, body):
        pool, _ = self._client(body["ClientId"])
        user = self._user(pool, body["Username"], "Username/client id combination not found.")
        if user.status == "CONFIRMED":
            raise CognitoError("NotAuthorizedException",
                               "User cannot be confirmed. Current status is CONFIRMED")
        sent = self._codes.get((pool.id, user.username))
        if sent is None or not hmac.compare_digest(sent.code, str(body["ConfirmationCode"])):
            raise CognitoError("CodeMismatchException",
                               "Invalid verification code provided, please try again.")
        if self.clock.now() - sent.sent_at > CODE_LIFETIME_SECONDS:
            raise CognitoError("ExpiredCodeException",
                               "Invalid code provided, please request a code again.")
        del self._codes[(pool.id, user.username)]
        user.status = UserStatus.CONFIRMED
        if "email" in pool.extended_config.get("AutoVerifiedAttributes", []):
            user.update_attributes([{"Name": "email_verified", "Value": "true"}])
        return {}

    def op_ResendConfirmationCode(self, body):
        pool, _ = self._client(body["ClientId"])
        user = self._user(pool, body["Username"], "Username/client id combination not found.")
        if user.status == "CONFIRMED":
            raise CognitoError("InvalidParameterException", "User is already confirmed.")
        delivery = self._send_code(pool, user)
        return {"CodeDeliveryDetails": delivery} if delivery else {}

    # -- sign-in ------------------------------------------------------------------------
    def op_InitiateAuth(self, body):
        pool, client = self._client(body["ClientId"])
        return self._initiate(pool, client, body["AuthFlow"], body.get("AuthParameters") or {})

    def op_AdminInitiateAuth(self, body):
        pool = self.pool(body["UserPoolId"])
        _, client = self._client(body["ClientId"])
        flow = body["AuthFlow"]
        if flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            self._require_flow(client, "ALLOW_ADMIN_USER_PASSWORD_AUTH", flow)
            return self._password_sign_in(pool, client, body.get("AuthParameters") or {})
        return self._initiate(pool, client, flow, body.get("AuthParameters") or {})

    @staticmethod
    def _require_flow(client, allow: str, flow: str) -> None:
        flows = client.extended_config.get("ExplicitAuthFlows") or DEFAULT_FLOWS
        if allow not in flows:
            raise CognitoError("InvalidParameterException",
                               f"{flow} flow not enabled for this client")

    def _initiate(self, pool, client, flow: str, params: dict[str, str]):
        if flow == "USER_SRP_AUTH":
            self._require_flow(client, "ALLOW_USER_SRP_AUTH", flow)
            return self._srp_challenge(pool, client, params)
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            self._require_flow(client, "ALLOW_REFRESH_TOKEN_AUTH", flow)
            return self._refresh(pool, client, params)
        if flow == "USER_PASSWORD_AUTH":
            self._require_flow(client, "ALLOW_USER_PASSWORD_AUTH", flow)
            return self._password_sign_in(pool, client, params)
        return None

    def _verifier(self, pool, user) -> srp.Verifier:
        key = (pool.id, user.username, user.password or "")
        if key not in self._verifiers:
            self._verifiers[key] = srp.make_verifier(pool.id, user.username, user.password or "")
        return self._verifiers[key]

    def _srp_challenge(self, pool, client, params):
        username = params.get("USERNAME")
        if not username or not params.get("SRP_A"):
            raise CognitoError("InvalidParameterException", "Missing required parameter SRP_A"
                               if username else "Missing required parameter USERNAME")
        user = self._user(pool, username)
        a_value = int(params["SRP_A"], 16)
        if a_value % srp.N == 0:
            raise CognitoError("InvalidParameterException", "SRP_A is not valid")
        verifier = self._verifier(pool, user)
        b_value, big_b = srp.server_ephemeral(verifier.verifier)
        handle = base64.b64encode(secrets.token_bytes(48)).decode()
        self._expire_sessions()
        self._sessions[handle] = _SrpSession(pool.id, client.id, user.username, a_value,
                                             b_value, big_b, verifier.verifier,
                                             self.clock.now())
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": verifier.salt_hex,
                "SRP_B": format(big_b, "x"),
                "SECRET_BLOCK": handle,
                "USER_ID_FOR_SRP": user.username,
                "USERNAME": user.username,
            },
        }

    def _expire_sessions(self) -> None:
        cutoff = self.clock.now() - SRP_SESSION_SECONDS
        for handle in [h for h, s in self._sessions.items() if s.started < cutoff]:
            del self._sessions[handle]

    def op_RespondToAuthChallenge(self, body):
        pool, client = self._client(body["ClientId"])
        return self._respond(pool, client, body)

    def op_AdminRespondToAuthChallenge(self, body):
        pool = self.pool(body["UserPoolId"])
        _, client = self._client(body["ClientId"])
        return self._respond(pool, client, body)

    def _respond(self, pool, client, body):
        if body.get("ChallengeName") != "PASSWORD_VERIFIER":
            return None
        answer = body.get("ChallengeResponses") or {}
        session = self._sessions.pop(answer.get("PASSWORD_CLAIM_SECRET_BLOCK", ""), None)
        if (session is None or session.user_pool_id != pool.id
                or session.client_id != client.id
                or answer.get("USERNAME") != session.username
                or not _TIMESTAMP.match(answer.get("TIMESTAMP", ""))):
            raise CognitoError("NotAuthorizedException", INCORRECT)
        try:
            key = srp.server_session_key(session.a_value, session.big_b, session.b_value,
                                         session.verifier)
        except srp.SrpError as e:
            raise CognitoError("NotAuthorizedException", INCORRECT) from e
        if not srp.verify_claim(key, pool.id, session.username,
                                answer["PASSWORD_CLAIM_SECRET_BLOCK"], answer["TIMESTAMP"],
                                answer.get("PASSWORD_CLAIM_SIGNATURE", "")):
            raise CognitoError("NotAuthorizedException", INCORRECT)
        user = self._user(pool, session.username)
        return self._signed_in(pool, client, user)

    def _password_sign_in(self, pool, client, params):
        user = self._user(pool, params.get("USERNAME", ""))
        if not hmac.compare_digest((user.password or "").encode(),
                                   params.get("PASSWORD", "").encode()):
            raise CognitoError("NotAuthorizedException", INCORRECT)
        return self._signed_in(pool, client, user)

    def _signed_in(self, pool, client, user):
        if user.status == "UNCONFIRMED":
            raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        refresh_token = base64.urlsafe_b64encode(secrets.token_bytes(96)).decode().rstrip("=")
        origin_jti = str(uuid.uuid4())
        pool.refresh_tokens[refresh_token] = (client.id, user.username, origin_jti)
        now = int(self.clock.now())
        result = self._mint(pool, client, user, origin_jti, auth_time=now)
        result["AuthenticationResult"]["RefreshToken"] = refresh_token
        return result

    def _mint(self, pool, client, user, origin_jti: str, auth_time: int):
        tokens = issue_tokens(self.keys, region=pool.region, user_pool_id=pool.id,
                              client_id=client.id, username=user.username,
                              attributes=dict(user.attribute_lookup), origin_jti=origin_jti,
                              auth_time=auth_time, now=int(self.clock.now()))
        pool.access_tokens[tokens.access_token] = (client.id, user.username)
        pool.id_tokens[tokens.id_token] = (client.id, user.username)
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": {
                "AccessToken": tokens.access_token,
                "ExpiresIn": tokens.expires_in,
                "TokenType": "Bearer",
                "IdToken": tokens.id_token,
            },
        }

    def _refresh(self, pool, client, params):
        token = params.get("REFRESH_TOKEN", "")
        if token not in pool.refresh_tokens:
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        entry = pool.refresh_tokens[token]
        if entry is None:
            raise CognitoError("NotAuthorizedException", "Refresh Token has been revoked")
        client_id, username, origin_jti = entry
        if client_id != client.id:
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        user = self._user(pool, username)
        return self._mint(pool, client, user, origin_jti, auth_time=int(self.clock.now()))

    # -- well-known documents -------------------------------------------------------------
    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        self.pool(user_pool_id)
        return self.keys.jwks(user_pool_id)

    def openid_configuration(self, user_pool_id: str, base_url: str) -> dict[str, Any]:
        pool = self.pool(user_pool_id)
        issuer = f"https://cognito-idp.{pool.region}.amazonaws.com/{pool.id}"
        return {
            "issuer": issuer,
            "jwks_uri": f"{base_url.rstrip('/')}/{pool.id}/.well-known/jwks.json",
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "claims_supported": ["sub", "email", "email_verified", "cognito:username"],
        }


def mask_email(email: str) -> str:
    """Cognito's masked destination: ``r***@e***``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)
