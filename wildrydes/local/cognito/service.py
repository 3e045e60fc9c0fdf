"""The local Cognito user-pool service: the one object the HTTP front (or a test) calls.

Like Cognito (each rule cites where it comes from in the module that applies it):
- pools, app clients, users, groups, codes, the outbox, signing keys and sign-ins live in
  SQLite (:mod:`.store`), so a restart loses nothing and a token issued before it verifies;
- a password is never stored: only the SRP salt and verifier (USER_PASSWORD_AUTH and
  ChangePassword recompute the verifier to check one); codes and refresh tokens are hashed;
- USER_SRP_AUTH is real SRP-6a, so AWS's SDKs and Amplify sign in unchanged;
- lockout after repeated wrong passwords, a limit on wrong codes, code lifetimes, the app
  client's token validities (in Cognito's ranges), refresh token rotation, auth session
  validity, read and write attributes, the older flow names, PreventUserExistenceErrors;
- the pool's defaults, schema (types, constraints, custom and developer-only attributes),
  password policy, email-or-phone usernames, aliases, case-insensitive usernames, verify
  before update, admin-only sign-up and recovery, deletion protection, group roles in tokens;
- every operation is one transaction: an error leaves nothing half-written; every answer
  carries ``x-amzn-RequestId``.

Refused by name (InvalidParameterException, naming the setting), never stored and ignored:
MFA other than OFF, Lambda triggers (LambdaConfig), SMS (phone_number auto-verification or
verification before update, DesiredDeliveryMediums SMS), verification by link, advanced
security; operations the workshop does not use.

Accepted and kept, with no effect here (each listed by the operations that take it):
- ClientMetadata (most operations), ValidationData (SignUp, AdminCreateUser): Cognito hands
  them only to Lambda triggers, and none run;
- AnalyticsMetadata, UserContextData, ContextData (public and Admin* sign-in and account
  operations): for Pinpoint analytics and threat protection, which the local backend lacks;
- Session on InitiateAuth, AdminInitiateAuth and ConfirmSignUp: for choice-based sign-in
  (USER_AUTH), which is refused by name;
- ForceAliasCreation (ConfirmSignUp, AdminCreateUser): aliases are looked up but their
  uniqueness is not enforced;
- Create/UpdateUserPool: Policies.PasswordPolicy.TemporaryPasswordValidityDays and
  AdminCreateUserConfig.UnusedAccountValidityDays (a temporary password does not expire),
  PasswordPolicy.PasswordHistorySize, Policies.SignInPolicy,
  AdminCreateUserConfig.InviteMessageTemplate (invitations use Cognito's default words),
  EmailConfiguration (the outbox stands in for every sending account), the SMS settings
  (SmsConfiguration, SmsVerificationMessage, SmsAuthenticationMessage,
  VerificationMessageTemplate.SmsMessage, EmailMessageByLink, EmailSubjectByLink),
  DeviceConfiguration (no device tracking), EmailMfaConfiguration (MFA is off), UserPoolTier,
  AccountRecoverySetting's verified_phone_number (never chosen: codes go to the verified
  email, as Cognito falls back when a user has no verified phone);
- Create/UpdateUserPoolClient: the hosted UI and OAuth settings (SupportedIdentityProviders,
  CallbackURLs, LogoutURLs, DefaultRedirectURI, AllowedOAuthFlows, AllowedOAuthScopes,
  AllowedOAuthFlowsUserPoolClient: there is no domain or token endpoint),
  EnablePropagateAdditionalUserContextData, AnalyticsConfiguration.

Not like Cognito otherwise: no MFA, custom auth, Lambda triggers, hosted UI or SMS; the SRP
secret block is a random handle, not encrypted, and an SRP session in flight does not survive
a restart; the TIMESTAMP is checked for its format and the signature only; invitations (which
carry a temporary password) stay in memory only. Ours alone: the clock can be moved
(:mod:`.clock`), for the instructor's expiry demo.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from wildrydes.local.cognito import responses
from wildrydes.local.cognito.clock import Clock
from wildrydes.local.cognito.codes import CODE_LIFETIMES
from wildrydes.local.cognito.context import Context, Request
from wildrydes.local.cognito.exceptions import CognitoError, InternalErrorException
from wildrydes.local.cognito.limits import CodeRequests
from wildrydes.local.cognito.lookups import pool as find_pool
from wildrydes.local.cognito.operations import OPERATIONS
from wildrydes.local.cognito.outbox import Outbox
from wildrydes.local.cognito.sessions import Sessions
from wildrydes.local.cognito.signing import NewKey, PoolKeys, new_rsa_key
from wildrydes.local.cognito.store import FILE_NAME, Store

__all__ = [
    "PRUNE_EVERY_SECONDS",
    "TOKEN_GRACE_SECONDS",
    "LocalCognito",
]

PRUNE_EVERY_SECONDS = 60.0
TOKEN_GRACE_SECONDS = 24 * 3600  # an access token lives at most a day past its sign-in's end


class LocalCognito:
    """Answers Cognito's JSON operations from the store in ``home``.

    ``clock`` judges every lifetime (default: the wall clock, which the instructor may move);
    ``new_key`` makes the pools' RSA signing keys (default: a fresh key each time).
    """

    def __init__(
        self, home: Path, clock: Clock | None = None, new_key: NewKey = new_rsa_key
    ) -> None:
        self.store = Store(Path(home) / FILE_NAME)
        self.clock = clock or Clock()
        self.keys = PoolKeys(self.store, new_key)
        self.outbox = Outbox(self.store)
        self._context = Context(
            store=self.store,
            clock=self.clock,
            keys=self.keys,
            outbox=self.outbox,
            sessions=Sessions(self.clock),
            code_requests=CodeRequests(),  # Cognito's per-user limit on code requests
        )
        self._pruned = 0.0

    def handle(
        self, operation: str, body: bytes | dict[str, Any], region: str = "us-east-1"
    ) -> dict[str, Any]:
        """Answer ``operation`` (signed for ``region``); raises a CognitoError subclass."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        request = Request(operation, responses.parse(operation, raw), region)
        run = OPERATIONS[operation]
        with self.store.transaction():
            self._prune()
            return responses.shape(run(self._context, request))

    def answer(self, operation: str, body: bytes, region: str = "us-east-1") -> responses.Answer:
        """:meth:`handle`, answered as Cognito's JSON protocol answers: a result, or an error
        in AWS's format (a fault of ours too, as InternalErrorException, logged)."""
        try:
            return responses.render(self.handle(operation, body, region))
        except CognitoError as error:
            return responses.render_error(error)
        except Exception as error:  # noqa: BLE001 - a bug of ours still answers in AWS's format
            logging.getLogger(__name__).exception("%s failed", operation)
            return responses.render_error(
                InternalErrorException(
                    f"The local backend failed on {operation} ({type(error).__name__}); "
                    "its log has the details."
                )
            )

    def close(self) -> None:
        """Close the store (its file stays, for the next service on this home)."""
        self.store.close()

    def _prune(self) -> None:
        if time.monotonic() - self._pruned >= PRUNE_EVERY_SECONDS:
            self._pruned = time.monotonic()
            self.store.prune(
                self.clock.now(),
                code_lifetime=max(CODE_LIFETIMES.values()),
                token_grace=TOKEN_GRACE_SECONDS,
            )

    # -- well-known documents -------------------------------------------------------------
    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        find_pool(self.store, user_pool_id)
        return self.keys.jwks(user_pool_id)

    def issuer(self, user_pool_id: str) -> str:
        """The ``iss`` of the pool's tokens (raises ResourceNotFoundException when none)."""
        pool = find_pool(self.store, user_pool_id)
        return f"https://cognito-idp.{pool['region']}.amazonaws.com/{pool['id']}"

    def openid_configuration(self, user_pool_id: str, base_url: str) -> dict[str, Any]:
        pool = find_pool(self.store, user_pool_id)
        issuer = self.issuer(user_pool_id)
        return {
            "issuer": issuer,
            "jwks_uri": f"{base_url.rstrip('/')}/{pool['id']}/.well-known/jwks.json",
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": [
                "sub",
                "email",
                "email_verified",
                "cognito:username",
                "cognito:groups",
            ],
        }
