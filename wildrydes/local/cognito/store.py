"""The local Cognito's SQLite store: the one object through which the service reads and writes.

With :mod:`.database` (the connection discipline, the schema and its migrations) and
:mod:`.directory` (pools, app clients, users, groups), the only code that speaks SQL. This module
adds codes, the outbox, signing keys and sign-ins. Every INSERT names its columns; parameters
are always bound, never formatted into SQL.

What is kept: pools, app clients, users (SRP salt and verifier; never a password), attributes,
groups and memberships, codes (hashed), the outbox, signing keys (PEM), refresh tokens
(hashed; a revoked one is a revocation, kept until it would have expired).
"""

from __future__ import annotations

import hashlib
import hmac

from wildrydes.local.cognito.database import (  # re-exported: the store's callers need them
    FILE_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    Row,
    StoreError,
    check_file,
)
from wildrydes.local.cognito.directory import Directory

__all__ = [
    "FILE_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Row",
    "Store",
    "StoreError",
    "check_file",
    "token_hash",
]


def token_hash(secret: str) -> str:
    """How codes and refresh tokens are stored: their SHA-256, never the value."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Store(Directory):
    """The rows the local Cognito keeps in its SQLite file: the directory, and what follows."""

    def user(self, pool_id: str, username: str) -> Row | None:
        """The user named ``username``: by username (in any case, for a pool whose
        UsernameConfiguration has CaseSensitive false: API Reference, UsernameConfigurationType;
        ASCII letters only), or, in a pool that signs in with an email address or phone number
        (UsernameAttributes, :mod:`.usernames`), by that address."""
        found = super().user(pool_id, username)
        pool = self.pool(pool_id) if found is None else None
        if pool is not None:
            if (pool["config"].get("UsernameConfiguration") or {}).get("CaseSensitive") is False:
                found = self.user_ignoring_case(pool_id, username)
            for name in pool["config"].get("UsernameAttributes") or []:
                if found is not None:
                    break
                found = self.user_by_attribute(pool_id, str(name), username)
            for name in pool["config"].get("AliasAttributes") or []:
                if found is not None:
                    break
                found = self._alias(pool_id, str(name), username)
        return found

    def _alias(self, pool_id: str, name: str, value: str) -> Row | None:
        """A sign-in alias (AliasAttributes; developer guide, "Customizing sign-in
        attributes"): an email or phone number counts only once verified."""
        found = self.user_by_attribute(pool_id, name, value)
        if found is None or name not in ("email", "phone_number"):
            return found
        verified = self.attributes(pool_id, found["username"]).get(f"{name}_verified")
        return found if verified == "true" else None

    # -- codes ---------------------------------------------------------------------------
    def put_code(
        self,
        pool_id: str,
        username: str,
        purpose: str,
        code: str,
        sent_at: float,
        pending: str | None = None,
    ) -> None:
        """Remember ``code`` (hashed) as the only live one for this user and purpose, with the
        value it will confirm, if any (``pending``)."""
        self._write(
            "INSERT INTO codes (pool_id, username, purpose, code_hash, sent_at, attempts, "
            "pending) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (pool_id, username, purpose) "
            "DO UPDATE SET code_hash = excluded.code_hash, sent_at = excluded.sent_at, "
            "attempts = 0, pending = excluded.pending",
            (
                pool_id,
                username,
                purpose,
                token_hash(f"{pool_id}|{username}|{code}"),
                sent_at,
                pending,
            ),
        )

    def code(self, pool_id: str, username: str, purpose: str) -> Row | None:
        return self._one(
            "SELECT * FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?",
            (pool_id, username, purpose),
        )

    @staticmethod
    def code_matches(row: Row, code: str) -> bool:
        expected = token_hash(f"{row['pool_id']}|{row['username']}|{code}")
        return hmac.compare_digest(expected, str(row["code_hash"]))

    def code_attempt_failed(self, pool_id: str, username: str, purpose: str) -> None:
        self._write(
            "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = ? AND "
            "username = ? AND purpose = ?",
            (pool_id, username, purpose),
        )

    def drop_code(self, pool_id: str, username: str, purpose: str) -> None:
        self._write(
            "DELETE FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?",
            (pool_id, username, purpose),
        )

    # -- the outbox ----------------------------------------------------------------------
    def add_message(self, message: dict[str, str], keep: int) -> None:
        """Append a message, then keep only the newest ``keep`` of them."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO outbox (to_address, subject, body, code, sent_at, user_pool_id, "
                "username) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    message["to"],
                    message["subject"],
                    message["body"],
                    message["code"],
                    message["sent_at"],
                    message["user_pool_id"],
                    message["username"],
                ),
            )
            self._db.execute(
                "DELETE FROM outbox WHERE id <= (SELECT max(id) FROM outbox) - ?", (keep,)
            )

    def messages(self) -> list[dict[str, str]]:
        rows = self._all(
            "SELECT to_address AS 'to', subject, body, code, sent_at, "
            "user_pool_id, username FROM outbox ORDER BY id"
        )
        return [{k: str(v) for k, v in r.items()} for r in rows]

    # -- signing keys --------------------------------------------------------------------
    def signing_keys(self, pool_id: str) -> dict[str, tuple[str, str]]:
        rows = self._all("SELECT use, kid, pem FROM signing_keys WHERE pool_id = ?", (pool_id,))
        return {str(r["use"]): (str(r["kid"]), str(r["pem"])) for r in rows}

    def add_signing_key(self, pool_id: str, use: str, kid: str, pem: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO signing_keys (pool_id, use, kid, pem) VALUES (?, ?, ?, ?)",
            (pool_id, use, kid, pem),
        )

    # -- refresh tokens and revocations --------------------------------------------------
    def add_refresh_token(
        self,
        token: str,
        *,
        pool_id: str,
        client_id: str,
        username: str,
        origin_jti: str,
        auth_time: int,
        expires_at: float,
    ) -> None:
        self._write(
            "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, username, origin_jti, "
            "auth_time, expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            (token_hash(token), pool_id, client_id, username, origin_jti, auth_time, expires_at),
        )

    def refresh_token(self, token: str) -> Row | None:
        """The sign-in ``token`` belongs to: its current refresh token, or the one it replaced
        (then ``rotated_out`` is true; whether that is still usable is the caller's call)."""
        hashed = token_hash(token)
        row = self._one(
            "SELECT * FROM refresh_tokens WHERE token_hash = ? OR previous_hash = ?",
            (hashed, hashed),
        )
        if row is not None:
            row["rotated_out"] = row["token_hash"] != hashed
        return row

    def rotate_refresh_token(self, origin_jti: str, new_token: str, previous_until: float) -> None:
        """Refresh token rotation: ``new_token`` is the sign-in's refresh token from now on; the
        one it replaces stays usable until ``previous_until``."""
        self._write(
            "UPDATE refresh_tokens SET previous_hash = token_hash, token_hash = ?, "
            "previous_until = ? WHERE origin_jti = ?",
            (token_hash(new_token), previous_until, origin_jti),
        )

    def replace_refresh_token(self, origin_jti: str, new_token: str) -> None:
        """A retry with the replaced token inside its grace period: a newer refresh token; the
        replaced one keeps its grace period."""
        self._write(
            "UPDATE refresh_tokens SET token_hash = ? WHERE origin_jti = ?",
            (token_hash(new_token), origin_jti),
        )

    def sign_in_of(self, origin_jti: str) -> Row | None:
        return self._one("SELECT * FROM refresh_tokens WHERE origin_jti = ?", (origin_jti,))

    def revoke(self, origin_jti: str) -> None:
        self._write("UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ?", (origin_jti,))

    def revoke_user(self, pool_id: str, username: str) -> None:
        self._write(
            "UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username = ?",
            (pool_id, username),
        )

    # -- pruning -------------------------------------------------------------------------
    def prune(self, now: float, *, code_lifetime: float, token_grace: float) -> None:
        """Forget codes past their lifetime and sign-ins whose tokens can no longer be used."""
        with self.transaction():
            self._db.execute("DELETE FROM codes WHERE sent_at < ?", (now - code_lifetime,))
            self._db.execute(
                "DELETE FROM refresh_tokens WHERE expires_at < ?", (now - token_grace,)
            )

    def counts(self) -> dict[str, int]:
        """How many rows each kind of thing has (what `wildrydes local reset` reports)."""
        row = self._one(
            "SELECT (SELECT count(*) FROM pools) AS pools, "
            "(SELECT count(*) FROM clients) AS clients, (SELECT count(*) FROM users) AS users, "
            "(SELECT count(*) FROM groups) AS groups, (SELECT count(*) FROM codes) AS codes, "
            "(SELECT count(*) FROM outbox) AS messages, "
            "(SELECT count(*) FROM refresh_tokens) AS sign_ins"
        )
        return {k: int(v) for k, v in (row or {}).items()}
