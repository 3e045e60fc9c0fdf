"""Sign-in for the embedded Cognito: SRP, password flows, new passwords, tokens, sign-out.

A mixin of :class:`wildrydes.local.cognito.LocalCognito`, which supplies the clock, the keys,
the lock and the pool, client and user lookups; see that module's docstring for what is like
Cognito and what is not.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass

from moto.cognitoidp.models import UserStatus

from wildrydes import srp
from wildrydes.local.awserror import INCORRECT, CognitoError
from wildrydes.local.signing import issue_tokens
from wildrydes.policy import PasswordPolicy, cognito_messages

SRP_SESSION_SECONDS = 180
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
# Operations authorized by the user's access token: checked here (revoked? expired?), then
# answered by moto.
ACCESS_TOKEN_CHECKED = frozenset({"GetUser", "UpdateUserAttributes", "DeleteUserAttributes",
                                  "ChangePassword", "DeleteUser"})
_TIMESTAMP = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$"
)


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
class _PasswordSession:
    """A NEW_PASSWORD_REQUIRED challenge waiting for its answer."""

    user_pool_id: str
    client_id: str
    username: str
    started: float


class SignIn:
    """InitiateAuth, RespondToAuthChallenge (and their Admin forms), GlobalSignOut.

    Uses what LocalCognito provides: ``clock``, ``keys``, ``pool()``, ``_client()``,
    ``_user()`` and ``_backends()``.
    """

    def _init_sign_in(self) -> None:
        self._sessions: dict[str, _SrpSession] = {}
        self._password_sessions: dict[str, _PasswordSession] = {}
        self._verifiers: dict[tuple[str, str, str], srp.Verifier] = {}
        self._auth_times: dict[str, int] = {}  # refresh token -> time of the password sign-in
        self._access_expiry: dict[str, int] = {}  # access token -> its exp claim
        self._revoked: set[str] = set()  # access tokens that a sign-out ended
        self._origins: dict[str, str] = {}  # access token -> origin_jti of its refresh token

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
        try:
            a_value = int(params["SRP_A"], 16)
        except ValueError:
            a_value = 0
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
        if body.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            return self._new_password(pool, client, body)
        if body.get("ChallengeName") != "PASSWORD_VERIFIER":
            return None
        answer = body.get("ChallengeResponses") or {}
        session = self._sessions.pop(answer.get("PASSWORD_CLAIM_SECRET_BLOCK", ""), None)
        if (session is None or session.user_pool_id != pool.id
                or session.client_id != client.id
                or self.clock.now() - session.started > SRP_SESSION_SECONDS
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
        if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
            return self._new_password_challenge(pool, client, user)
        refresh_token = base64.urlsafe_b64encode(secrets.token_bytes(96)).decode().rstrip("=")
        origin_jti = str(uuid.uuid4())
        pool.refresh_tokens[refresh_token] = (client.id, user.username, origin_jti)
        now = int(self.clock.now())
        self._auth_times[refresh_token] = now
        result = self._mint(pool, client, user, origin_jti, auth_time=now)
        result["AuthenticationResult"]["RefreshToken"] = refresh_token
        return result

    # -- NEW_PASSWORD_REQUIRED (users an administrator made with a temporary password) -------
    def _new_password_challenge(self, pool, client, user):
        handle = base64.b64encode(secrets.token_bytes(48)).decode()
        self._password_sessions[handle] = _PasswordSession(pool.id, client.id, user.username,
                                                           self.clock.now())
        attributes = {k: v for k, v in user.attribute_lookup.items() if k != "sub"}
        return {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": handle,
                "ChallengeParameters": {"USER_ID_FOR_SRP": user.username,
                                        "requiredAttributes": "[]",
                                        "userAttributes": json.dumps(attributes)}}

    def _new_password(self, pool, client, body):
        answer = body.get("ChallengeResponses") or {}
        session = self._password_sessions.get(body.get("Session") or "")
        if (session is None or session.user_pool_id != pool.id
                or session.client_id != client.id
                or self.clock.now() - session.started > SRP_SESSION_SECONDS
                or answer.get("USERNAME") != session.username):
            raise CognitoError("NotAuthorizedException",
                               "Invalid session for the user, session is expired.")
        new_password = answer.get("NEW_PASSWORD")
        if not new_password:
            raise CognitoError("InvalidParameterException",
                               "Missing required parameter NEW_PASSWORD")
        problems = cognito_messages(
            new_password, PasswordPolicy.from_pool(pool.extended_config.get("Policies")))
        if problems:  # the session stays usable for another try
            raise CognitoError("InvalidPasswordException", problems[0])
        del self._password_sessions[body["Session"]]
        user = self._user(pool, session.username)
        user.password = new_password
        user.status = UserStatus.CONFIRMED
        return self._signed_in(pool, client, user)

    def _mint(self, pool, client, user, origin_jti: str, auth_time: int):
        tokens = issue_tokens(self.keys, region=pool.region, user_pool_id=pool.id,
                              client_id=client.id, username=user.username,
                              attributes=dict(user.attribute_lookup), origin_jti=origin_jti,
                              auth_time=auth_time, now=int(self.clock.now()))
        pool.access_tokens[tokens.access_token] = (client.id, user.username)
        self._origins[tokens.access_token] = origin_jti
        self._access_expiry[tokens.access_token] = int(self.clock.now()) + tokens.expires_in
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
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        # Like Cognito, auth_time stays the time of the sign-in this refresh token came from.
        auth_time = self._auth_times.get(token, int(self.clock.now()))
        return self._mint(pool, client, user, origin_jti, auth_time=auth_time)

    # -- access tokens and sign-out ---------------------------------------------------------
    def _live_access_token(self, token: str):
        """The pool that issued ``token``, if it is neither revoked nor expired."""
        if token in self._revoked:
            raise CognitoError("NotAuthorizedException", "Access Token has been revoked")
        for backend in self._backends():
            for pool in backend.user_pools.values():
                if token in pool.access_tokens:
                    expiry = self._access_expiry.get(token)
                    if expiry is not None and self.clock.now() >= expiry:
                        raise CognitoError("NotAuthorizedException", "Access Token has expired")
                    return pool
        raise CognitoError("NotAuthorizedException", "Invalid Access Token")

    def _sign_out(self, pool, username: str) -> None:
        """Revoke every refresh and access token ``username`` holds in ``pool``."""
        self._revoked.update(token for token, (_, holder) in pool.access_tokens.items()
                             if holder == username)
        pool.sign_out(username)

    def op_GlobalSignOut(self, body):
        token = body.get("AccessToken", "")
        pool = self._live_access_token(token)
        self._sign_out(pool, pool.access_tokens[token][1])
        return {}

    def op_RevokeToken(self, body):
        """Revoke one refresh token and the access tokens it produced (the SDK's sign-out)."""
        pool, client = self._client(body["ClientId"])
        entry = pool.refresh_tokens.get(body.get("Token", ""))
        if entry is not None:
            client_id, _, origin_jti = entry
            if client_id != client.id:
                raise CognitoError("UnauthorizedException",
                                   "The token was not issued to this app client.")
            pool.refresh_tokens[body["Token"]] = None
            self._revoked.update(t for t, o in self._origins.items() if o == origin_jti)
        return {}

    def op_AdminUserGlobalSignOut(self, body):
        pool = self.pool(body["UserPoolId"])
        self._sign_out(pool, self._user(pool, body["Username"]).username)
        return {}
