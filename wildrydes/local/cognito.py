"""Cognito fidelity: the user-facing operations moto does not do the way Cognito does.

moto stays the engine for users, pools and clients; this layer answers the operations below
itself, reading and writing moto's models in the same process, and passes every other
operation through unchanged.

Like Cognito:
- USER_SRP_AUTH is real SRP-6a: the PASSWORD_VERIFIER challenge comes from a verifier
  derived from the user's password, and a wrong password, signature, secret block or
  timestamp gets NotAuthorizedException "Incorrect username or password."; a secret block
  answers once, within 3 minutes; USER_ID_FOR_SRP is the username, so AWS's own SDKs
  (amazon-cognito-identity-js, pycognito) can answer it. The password is checked before
  the user's status, so only the right password learns "User is not confirmed.".
- A user an administrator made with a temporary password (FORCE_CHANGE_PASSWORD) gets the
  NEW_PASSWORD_REQUIRED challenge, and the new password must meet the policy.
- SignUp sends a 6-digit code to the local outbox and reports EMAIL delivery to a masked
  address; ConfirmSignUp accepts only the newest code, once, for 24 hours.
- Password-policy and "User already exists" errors are worded as Cognito words them.
- Tokens carry Cognito's claim sets; id and access tokens are signed with two different keys
  of the pool's own, both published at /<pool_id>/.well-known/jwks.json.
- REFRESH_TOKEN_AUTH keeps the refresh token, origin_jti and auth_time of the sign-in.
  GlobalSignOut / AdminUserGlobalSignOut revoke the user's refresh and access tokens; GetUser
  and the other access-token operations refuse a revoked or expired access token.

Not like Cognito (yet): no MFA, no custom auth or Lambda triggers, no hosted UI, no
PreventUserExistenceErrors (unknown users get UserNotFoundException), no rate limits, the
secret block is not encrypted (it is a random handle), the TIMESTAMP is checked for its
format and the signature only (not against the clock), and everything lives in memory:
stopping the backend forgets every pool.
"""

from __future__ import annotations

import hmac
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID

from wildrydes.local.awserror import INCORRECT, CognitoError
from wildrydes.local.outbox import Outbox
from wildrydes.local.signin import ACCESS_TOKEN_CHECKED, SignIn
from wildrydes.local.signing import PoolKeys
from wildrydes.policy import PasswordPolicy, cognito_messages

__all__ = ["INCORRECT", "Clock", "CognitoError", "LocalCognito", "mask_email"]

CODE_LIFETIME_SECONDS = 24 * 3600


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
class LocalCognito(SignIn):
    outbox: Outbox = field(default_factory=Outbox)
    clock: Clock = field(default_factory=Clock)
    keys: PoolKeys = field(default_factory=PoolKeys)
    account_id: str = DEFAULT_ACCOUNT_ID

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._request_region = "us-east-1"
        self._codes: dict[tuple[str, str], _Code] = {}
        self._init_sign_in()

    # -- dispatch ------------------------------------------------------------------------
    def handles(self, operation: str) -> bool:
        return hasattr(self, f"op_{operation}") or operation in ACCESS_TOKEN_CHECKED

    def handle(self, operation: str, body: dict[str, Any],
               region: str = "us-east-1") -> dict[str, Any] | None:
        """Answer ``operation`` (signed for ``region``); None means moto answers it instead."""
        with self._lock:
            self._request_region = region
            if operation in ACCESS_TOKEN_CHECKED:
                self._live_access_token(body.get("AccessToken", ""))
                return None
            return getattr(self, f"op_{operation}")(body)

    # -- pools ---------------------------------------------------------------------------
    def op_CreateUserPool(self, body):
        """moto makes the pool; its id gets Cognito's shape: ``<region>_`` + 9 letters/digits."""
        backend = cognitoidp_backends[self.account_id][self._request_region]
        settings = dict(body)
        pool = backend.create_user_pool(settings.pop("PoolName"), settings)
        del backend.user_pools[pool.id]
        while True:
            new_id = f"{pool.region}_" + "".join(
                secrets.choice(string.ascii_letters + string.digits) for _ in range(9))
            if new_id not in backend.user_pools:
                break
        pool.arn = pool.arn.removesuffix(pool.id) + new_id
        pool.id = new_id
        backend.user_pools[new_id] = pool
        return {"UserPool": pool.to_json(extended=True)}

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
