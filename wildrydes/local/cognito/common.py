"""What every part of the local Cognito shares: the store, the clock, keys, outbox, lookups.

The operation classes (:mod:`.pools`, :mod:`.users`, :mod:`.auth`) each hold one
:class:`Shared` (composition, not mixins) and read and write only through it and its store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from datetime import datetime, timezone
from typing import Any

from wildrydes import srp
from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.limits import CodeRequests
from wildrydes.local.cognito.outbox import Outbox
from wildrydes.local.cognito.signing import PoolKeys
from wildrydes.local.cognito.store import Store
from wildrydes.policy import PasswordPolicy, cognito_messages

__all__ = [
    "CODE_ATTEMPTS",
    "CODE_LIFETIMES",
    "READ_ONLY",
    "RESERVED_CLAIMS",
    "STANDARD_ATTRIBUTES",
    "Clock",
    "Shared",
    "attribute_dict",
    "mask_email",
    "utc",
]

# Code lifetimes (developer guide, "Signing up and confirming user accounts": a sign-up
# confirmation code is valid for 24 hours; "Recovering user accounts": a forgot-password code
# is valid for 1 hour; attribute verification codes, like sign-up codes, 24 hours).
CODE_LIFETIMES = {"signup": 24 * 3600, "forgot": 3600, "verify:email": 24 * 3600}
# Wrong codes: after this many, the code is spent and Cognito answers LimitExceededException.
CODE_ATTEMPTS = 5
# Cognito's standard attributes (developer guide, "Working with user attributes").
STANDARD_ATTRIBUTES = (
    "sub",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
)
# Attributes the service sets itself; a client may never write them (they are claims).
READ_ONLY = frozenset({"sub", "identities"})
# Claims a token carries that no attribute may shadow (besides `cognito:*`).
RESERVED_CLAIMS = frozenset(
    {
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "jti",
        "origin_jti",
        "event_id",
        "token_use",
        "client_id",
        "username",
        "scope",
        "nbf",
        "at_hash",
        "nonce",
        "identities",
    }
)
# An email address: one "@", something before it, a dotted domain after it, no spaces or
# control characters. Looser than RFC 5322 on purpose: Cognito accepts internationalized
# local parts, so only what cannot be an address at all (`not-an-email`) is refused.
_EMAIL = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f.]+(\.[^@\s\x00-\x1f.]+)+$")


class Clock:
    """Wall-clock time plus an offset tests can move forward over HTTP."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> float:
        self.offset += seconds
        return self.offset


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def mask_email(email: str) -> str:
    """Cognito's masked destination: ``r***@e***``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


class Shared:
    """The store, clock, keys and outbox, and the lookups and checks every operation needs."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.keys = PoolKeys(store)
        self.outbox = Outbox(store)
        self.code_requests = CodeRequests()  # Cognito's per-user limit on code requests
        self.region = "us-east-1"  # the region the current request was signed for

    # -- lookups -------------------------------------------------------------------------
    def pool(self, pool_id: str) -> dict[str, Any]:
        pool = self.store.pool(pool_id)
        if pool is None:
            raise e.ResourceNotFoundException(f"User pool {pool_id} does not exist.")
        return pool

    def client(self, client_id: str, pool_id: str | None = None) -> dict[str, Any]:
        client = self.store.client(client_id)
        if client is None or (pool_id is not None and client["pool_id"] != pool_id):
            raise e.ResourceNotFoundException(f"User pool client {client_id} does not exist.")
        return client

    def user(
        self, pool_id: str, username: str, missing: str = "User does not exist."
    ) -> dict[str, Any]:
        user = self.store.user(pool_id, username)
        if user is None:
            raise e.UserNotFoundException(missing)
        return user

    def public_user(
        self,
        client: dict[str, Any],
        username: str,
        missing: str = "User does not exist.",
        hidden: e.CognitoError | None = None,
    ) -> dict[str, Any]:
        """A user named in a public (client) operation.

        With PreventUserExistenceErrors ENABLED on the client, an unknown user is answered
        as if it existed: ``hidden`` (default: a wrong password) instead of
        UserNotFoundException (developer guide, "Managing error responses").
        """
        user = self.store.user(client["pool_id"], username)
        if user is None:
            if client["config"].get("PreventUserExistenceErrors") == "ENABLED":
                raise hidden or e.NotAuthorizedException(e.INCORRECT)
            raise e.UserNotFoundException(missing)
        return user

    @staticmethod
    def check_secret_hash(client: dict[str, Any], username: str, given: str | None) -> None:
        """A client with a secret needs SECRET_HASH = Base64(HMAC-SHA256(secret, username +
        client id)) on every public call naming a user (developer guide, "Computing secret
        hash values")."""
        secret = client["config"].get("ClientSecret")
        if not secret:
            return
        if not given:
            raise e.NotAuthorizedException(
                f"Client {client['id']} is configured with secret but SECRET_HASH was not received"
            )
        digest = hmac.new(
            secret.encode(), (username + client["id"]).encode(), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), given):
            raise e.NotAuthorizedException(
                f"Unable to verify secret hash for client {client['id']}"
            )

    # -- passwords -----------------------------------------------------------------------
    def check_policy(self, pool: dict[str, Any], password: str) -> None:
        problems = cognito_messages(
            password, PasswordPolicy.from_pool(pool["config"].get("Policies"))
        )
        if problems:
            raise e.InvalidPasswordException(problems[0])

    @staticmethod
    def verifier(pool_id: str, username: str, password: str) -> dict[str, str]:
        """What is stored instead of the password: the SRP salt and verifier (hex)."""
        made = srp.make_verifier(pool_id, username, password)
        return {"salt": made.salt_hex, "verifier": format(made.verifier, "x")}

    @staticmethod
    def password_matches(user: dict[str, Any], password: str) -> bool:
        """Recompute the verifier from ``password`` with the stored salt and compare."""
        again = srp.make_verifier(user["pool_id"], user["username"], password, user["salt"])
        return secrets.compare_digest(format(again.verifier, "x"), user["verifier"])

    # -- attributes ----------------------------------------------------------------------
    def schema_names(self, pool: dict[str, Any]) -> set[str]:
        names = set(STANDARD_ATTRIBUTES)
        for item in pool["config"].get("Schema") or []:
            name = item.get("Name", "")
            if name not in STANDARD_ATTRIBUTES:
                names.add(f"custom:{name.removeprefix('custom:')}")
        return names

    def required_names(self, pool: dict[str, Any]) -> list[str]:
        return [
            item["Name"]
            for item in pool["config"].get("Schema") or []
            if item.get("Required") and item.get("Name") in STANDARD_ATTRIBUTES
        ]

    def check_attributes(
        self, pool: dict[str, Any], attributes: dict[str, str], *, admin: bool = False
    ) -> None:
        """Refuse attributes outside the pool's schema, reserved names and a bad email.

        Cognito refuses unknown attributes with "Attribute does not exist in the schema."
        and read-only ones (sub) as not writable; `*_verified` flags only an administrator
        may set (API Reference, UpdateUserAttributes / AdminUpdateUserAttributes).
        """
        known = self.schema_names(pool)
        for name, value in attributes.items():
            if (
                name not in known
                or name.startswith("cognito:")
                or (name in RESERVED_CLAIMS and name != "sub")
            ):
                raise e.InvalidParameterException(
                    f"Attributes did not conform to the schema: {name}: "
                    "Attribute does not exist in the schema."
                )
            if name in READ_ONLY:
                raise e.InvalidParameterException(f"Cannot modify the non-mutable attribute {name}")
            if name.endswith("_verified") and not admin:
                raise e.InvalidParameterException(f"Cannot modify the non-mutable attribute {name}")
            if name.endswith("_verified") and value not in ("true", "false"):
                raise e.InvalidParameterException(
                    f"Attributes did not conform to the schema: {name}: Value must be true or false"
                )
            if len(value) > 2048:
                raise e.InvalidParameterException(
                    f"Attributes did not conform to the schema: {name}: "
                    "String must be no longer than 2048 characters"
                )
            if name == "email" and not _EMAIL.match(value):
                raise e.InvalidParameterException("Invalid email address format.")

    # -- codes ---------------------------------------------------------------------------
    def send_code(
        self,
        pool: dict[str, Any],
        username: str,
        to: str,
        purpose: str,
        *,
        subject: str = "Your verification code",
        body: str | None = None,
    ) -> dict[str, str]:
        """Make a 6-digit code, keep its hash, and put it in the outbox."""
        code = f"{secrets.randbelow(10**6):06d}"
        now = self.clock.now()
        self.store.put_code(pool["id"], username, purpose, code, now)
        self.outbox.send(
            to=to,
            code=code,
            user_pool_id=pool["id"],
            username=username,
            now=utc(now),
            subject=subject,
            body=body.replace("{####}", code) if body else None,
        )
        return {"Destination": mask_email(to), "DeliveryMedium": "EMAIL", "AttributeName": "email"}

    def use_code(self, pool_id: str, username: str, purpose: str, code: str) -> None:
        """Accept ``code`` once, within its lifetime and attempt limit; raise otherwise."""
        row = self.store.code(pool_id, username, purpose)
        if row is None:
            raise e.CodeMismatchException("Invalid verification code provided, please try again.")
        if row["attempts"] >= CODE_ATTEMPTS:  # until a new code is sent
            raise e.LimitExceededException("Attempt limit exceeded, please try after some time.")
        if self.clock.now() - row["sent_at"] > CODE_LIFETIMES[purpose]:
            raise e.ExpiredCodeException("Invalid code provided, please request a code again.")
        if not self.store.code_matches(row, code):
            self.store.code_attempt_failed(pool_id, username, purpose)
            self.store.keep()  # the failed attempt counts even though the operation fails
            if row["attempts"] + 1 >= CODE_ATTEMPTS:
                raise e.LimitExceededException(
                    "Attempt limit exceeded, please try after some time."
                )
            raise e.CodeMismatchException("Invalid verification code provided, please try again.")
        self.store.drop_code(pool_id, username, purpose)

    # -- shaping -------------------------------------------------------------------------
    def attribute_list(self, pool_id: str, username: str) -> list[dict[str, str]]:
        return [
            {"Name": k, "Value": v} for k, v in self.store.attributes(pool_id, username).items()
        ]

    def user_type(self, user: dict[str, Any], attributes_key: str = "Attributes") -> dict[str, Any]:
        return {
            "Username": user["username"],
            attributes_key: self.attribute_list(user["pool_id"], user["username"]),
            "UserCreateDate": user["created"],
            "UserLastModifiedDate": user["modified"],
            "Enabled": bool(user["enabled"]),
            "UserStatus": user["status"],
        }


def attribute_dict(items: list[dict[str, str]] | None) -> dict[str, str]:
    """``[{"Name": n, "Value": v}, ...]`` as ``{n: v}`` (validated by responses.py)."""
    return {item["Name"]: item.get("Value", "") for item in items or []}
