"""The local Cognito user-pool service: one object the HTTP front calls.

Like Cognito (each rule cites where it comes from in the module that applies it):
- pools, app clients, users, groups, codes, the outbox, signing keys and sign-ins live in
  SQLite (:mod:`.store`), so a restart loses nothing and a token issued before it verifies;
- a password is never stored: only the SRP salt and verifier (USER_PASSWORD_AUTH and
  ChangePassword recompute the verifier to check one); codes and refresh tokens are hashed;
- USER_SRP_AUTH is real SRP-6a, so AWS's SDKs and Amplify sign in unchanged;
- lockout after repeated wrong passwords, a limit on wrong codes, code lifetimes, the app
  client's token validities, attribute schema and email checks, PreventUserExistenceErrors;
- every operation is one transaction: an error leaves nothing half-written.

Not like Cognito: no MFA, custom auth, Lambda triggers, hosted UI, SMS, aliases
(UsernameAttributes) or app client secrets; the SRP secret block is a random handle, not
encrypted, and an SRP session in flight does not survive a restart; the TIMESTAMP is
checked for its format and the signature only; invitations (which carry a temporary
password) stay in memory only; operations the workshop does not use are refused by name.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from wildrydes.local.cognito import responses
from wildrydes.local.cognito.auth import Auth
from wildrydes.local.cognito.common import CODE_LIFETIMES, Clock, Shared
from wildrydes.local.cognito.pools import Pools
from wildrydes.local.cognito.store import FILE_NAME, Store
from wildrydes.local.cognito.users import Users

__all__ = [
    "PRUNE_EVERY_SECONDS",
    "TOKEN_GRACE_SECONDS",
    "LocalCognito",
]

PRUNE_EVERY_SECONDS = 60.0
TOKEN_GRACE_SECONDS = 24 * 3600  # an access token lives at most a day past its sign-in's end


class LocalCognito:
    """Answers Cognito's JSON operations from the store in ``home``."""

    def __init__(self, home: Path, clock: Clock | None = None) -> None:
        self.store = Store(Path(home) / FILE_NAME)
        self.clock = clock or Clock()
        self._shared = Shared(self.store, self.clock)
        self.auth = Auth(self._shared)
        self._parts = (Pools(self._shared), Users(self._shared, self.auth), self.auth)
        self._pruned = 0.0

    @property
    def outbox(self):
        return self._shared.outbox

    def handle(
        self, operation: str, body: bytes | dict[str, Any], region: str = "us-east-1"
    ) -> dict[str, Any]:
        """Answer ``operation`` (signed for ``region``); raises a CognitoError subclass."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        request = responses.parse(operation, raw)
        method = next(
            getattr(part, f"op_{operation}")
            for part in self._parts
            if hasattr(part, f"op_{operation}")
        )
        with self.store.transaction():
            self._shared.region = region
            self._prune()
            return responses.shape(method(request))

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
        self._shared.pool(user_pool_id)
        return self._shared.keys.jwks(user_pool_id)

    def openid_configuration(self, user_pool_id: str, base_url: str) -> dict[str, Any]:
        pool = self._shared.pool(user_pool_id)
        issuer = f"https://cognito-idp.{pool['region']}.amazonaws.com/{pool['id']}"
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
