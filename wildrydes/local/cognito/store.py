"""The local Cognito's SQLite store: with :mod:`database`, the only code that speaks SQL.

The connection discipline, the schema and its migrations are
:mod:`~wildrydes.local.cognito.database`; this module is the rows. Parameters are always bound,
never formatted into SQL.

What is kept: pools, app clients, users (SRP salt and verifier; never a password), attributes,
groups and memberships, codes (hashed), the outbox, signing keys (PEM), refresh tokens
(hashed; a revoked one is a revocation, kept until it would have expired).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from wildrydes.local.cognito.database import (  # re-exported: the store's callers need them
    FILE_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    Database,
    StoreError,
    check_file,
)

__all__ = [
    "FILE_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Store",
    "StoreError",
    "check_file",
    "token_hash",
]


def token_hash(secret: str) -> str:
    """How codes and refresh tokens are stored: their SHA-256, never the value."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Store(Database):
    """The rows the local Cognito keeps in its SQLite file."""

    # -- pools and clients ---------------------------------------------------------------
    def add_pool(self, pool: dict[str, Any]) -> None:
        self._write(
            "INSERT INTO pools VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                pool["id"],
                pool["region"],
                pool["name"],
                json.dumps(pool["config"]),
                json.dumps(pool["tags"]),
                pool["created"],
                pool["modified"],
            ),
        )

    def pool(self, pool_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM pools WHERE id = ?", (pool_id,))
        return _decoded(row, "config", "tags")

    def pool_exists(self, pool_id: str) -> bool:
        return self._one("SELECT 1 AS found FROM pools WHERE id = ?", (pool_id,)) is not None

    def pools(self) -> list[dict[str, Any]]:
        return [
            _decoded(r, "config", "tags")
            for r in self._all("SELECT * FROM pools ORDER BY created, id")
        ]

    def save_pool(self, pool: dict[str, Any]) -> None:
        self._write(
            "UPDATE pools SET config = ?, tags = ?, modified = ? WHERE id = ?",
            (json.dumps(pool["config"]), json.dumps(pool["tags"]), pool["modified"], pool["id"]),
        )

    def delete_pool(self, pool_id: str) -> None:
        """The pool and everything in it (clients, users, groups, codes, keys, sign-ins)."""
        self._write("DELETE FROM pools WHERE id = ?", (pool_id,))  # foreign keys cascade

    def add_client(self, client: dict[str, Any]) -> None:
        self._write(
            "INSERT INTO clients VALUES (?, ?, ?, ?, ?)",
            (
                client["id"],
                client["pool_id"],
                json.dumps(client["config"]),
                client["created"],
                client["modified"],
            ),
        )

    def client(self, client_id: str) -> dict[str, Any] | None:
        return _decoded(self._one("SELECT * FROM clients WHERE id = ?", (client_id,)), "config")

    def clients(self, pool_id: str) -> list[dict[str, Any]]:
        return [
            _decoded(r, "config")
            for r in self._all(
                "SELECT * FROM clients WHERE pool_id = ? ORDER BY created, id", (pool_id,)
            )
        ]

    def save_client(self, client: dict[str, Any]) -> None:
        self._write(
            "UPDATE clients SET config = ?, modified = ? WHERE id = ?",
            (json.dumps(client["config"]), client["modified"], client["id"]),
        )

    def delete_client(self, client_id: str) -> None:
        self._write("DELETE FROM clients WHERE id = ?", (client_id,))

    # -- users and attributes ------------------------------------------------------------
    def add_user(self, user: dict[str, Any], attributes: dict[str, str]) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO users (pool_id, username, sub, status, enabled, salt, verifier, "
                "created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user["pool_id"],
                    user["username"],
                    user["sub"],
                    user["status"],
                    int(user["enabled"]),
                    user["salt"],
                    user["verifier"],
                    user["created"],
                    user["modified"],
                ),
            )
            self.set_attributes(user["pool_id"], user["username"], attributes)

    def user(self, pool_id: str, username: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT * FROM users WHERE pool_id = ? AND username = ?", (pool_id, username)
        )

    def user_by_attribute(self, pool_id: str, name: str, value: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT users.* FROM users JOIN attributes USING (pool_id, username) "
            "WHERE users.pool_id = ? AND attributes.name = ? AND attributes.value = ?",
            (pool_id, name, value),
        )

    def users(self, pool_id: str) -> list[dict[str, Any]]:
        return self._all(
            "SELECT * FROM users WHERE pool_id = ? ORDER BY created, username", (pool_id,)
        )

    def count_users(self, pool_id: str) -> int:
        return self._one("SELECT count(*) AS n FROM users WHERE pool_id = ?", (pool_id,))["n"]

    def update_user(
        self,
        pool_id: str,
        username: str,
        *,
        status: str | None = None,
        enabled: bool | None = None,
        salt: str | None = None,
        verifier: str | None = None,
        modified: float | None = None,
        failed_attempts: int | None = None,
        locked_until: float | None = None,
    ) -> None:
        """Change the given fields of a user; None leaves a field as it is."""
        self._write(
            "UPDATE users SET status = coalesce(?, status), enabled = coalesce(?, enabled), "
            "salt = coalesce(?, salt), verifier = coalesce(?, verifier), "
            "modified = coalesce(?, modified), "
            "failed_attempts = coalesce(?, failed_attempts), "
            "locked_until = coalesce(?, locked_until) WHERE pool_id = ? AND username = ?",
            (
                status,
                None if enabled is None else int(enabled),
                salt,
                verifier,
                modified,
                failed_attempts,
                locked_until,
                pool_id,
                username,
            ),
        )

    def delete_user(self, pool_id: str, username: str) -> None:
        self._write("DELETE FROM users WHERE pool_id = ? AND username = ?", (pool_id, username))

    def attributes(self, pool_id: str, username: str) -> dict[str, str]:
        rows = self._all(
            "SELECT name, value FROM attributes WHERE pool_id = ? AND username = ? ORDER BY rowid",
            (pool_id, username),
        )
        return {r["name"]: r["value"] for r in rows}

    def set_attributes(self, pool_id: str, username: str, values: dict[str, str]) -> None:
        with self.transaction():
            self._db.executemany(
                "INSERT INTO attributes VALUES (?, ?, ?, ?) ON CONFLICT (pool_id, username, "
                "name) DO UPDATE SET value = excluded.value",
                [(pool_id, username, k, v) for k, v in values.items()],
            )

    def delete_attributes(self, pool_id: str, username: str, names: list[str]) -> None:
        with self.transaction():
            self._db.executemany(
                "DELETE FROM attributes WHERE pool_id = ? AND username = ? AND name = ?",
                [(pool_id, username, n) for n in names],
            )

    # -- groups --------------------------------------------------------------------------
    def add_group(self, group: dict[str, Any]) -> None:
        self._write(
            "INSERT INTO groups VALUES (?, ?, ?, ?, ?)",
            (
                group["pool_id"],
                group["name"],
                json.dumps(group["config"]),
                group["created"],
                group["modified"],
            ),
        )

    def group(self, pool_id: str, name: str) -> dict[str, Any] | None:
        return _decoded(
            self._one("SELECT * FROM groups WHERE pool_id = ? AND name = ?", (pool_id, name)),
            "config",
        )

    def groups(self, pool_id: str) -> list[dict[str, Any]]:
        return [
            _decoded(r, "config")
            for r in self._all("SELECT * FROM groups WHERE pool_id = ? ORDER BY name", (pool_id,))
        ]

    def delete_group(self, pool_id: str, name: str) -> None:
        self._write("DELETE FROM groups WHERE pool_id = ? AND name = ?", (pool_id, name))

    def add_member(self, pool_id: str, group: str, username: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO memberships VALUES (?, ?, ?)", (pool_id, group, username)
        )

    def remove_member(self, pool_id: str, group: str, username: str) -> None:
        self._write(
            "DELETE FROM memberships WHERE pool_id = ? AND group_name = ? AND username = ?",
            (pool_id, group, username),
        )

    def groups_of(self, pool_id: str, username: str) -> list[dict[str, Any]]:
        return [
            _decoded(r, "config")
            for r in self._all(
                "SELECT groups.* FROM groups JOIN memberships ON memberships.pool_id = "
                "groups.pool_id AND memberships.group_name = groups.name WHERE "
                "groups.pool_id = ? AND memberships.username = ? ORDER BY groups.name",
                (pool_id, username),
            )
        ]

    def members(self, pool_id: str, group: str) -> list[dict[str, Any]]:
        return self._all(
            "SELECT users.* FROM users JOIN memberships USING (pool_id, username) "
            "WHERE users.pool_id = ? AND memberships.group_name = ? ORDER BY users.username",
            (pool_id, group),
        )

    # -- codes ---------------------------------------------------------------------------
    def put_code(
        self, pool_id: str, username: str, purpose: str, code: str, sent_at: float
    ) -> None:
        """Remember ``code`` (hashed) as the only live one for this user and purpose."""
        self._write(
            "INSERT INTO codes VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (pool_id, username, "
            "purpose) DO UPDATE SET code_hash = excluded.code_hash, sent_at = "
            "excluded.sent_at, attempts = 0",
            (pool_id, username, purpose, token_hash(f"{pool_id}|{username}|{code}"), sent_at),
        )

    def code(self, pool_id: str, username: str, purpose: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT * FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?",
            (pool_id, username, purpose),
        )

    @staticmethod
    def code_matches(row: dict[str, Any], code: str) -> bool:
        expected = token_hash(f"{row['pool_id']}|{row['username']}|{code}")
        return hmac.compare_digest(expected, row["code_hash"])

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
        return rows

    # -- signing keys --------------------------------------------------------------------
    def signing_keys(self, pool_id: str) -> dict[str, tuple[str, str]]:
        rows = self._all("SELECT use, kid, pem FROM signing_keys WHERE pool_id = ?", (pool_id,))
        return {r["use"]: (r["kid"], r["pem"]) for r in rows}

    def add_signing_key(self, pool_id: str, use: str, kid: str, pem: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO signing_keys VALUES (?, ?, ?, ?)", (pool_id, use, kid, pem)
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
            "INSERT INTO refresh_tokens VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            (token_hash(token), pool_id, client_id, username, origin_jti, auth_time, expires_at),
        )

    def refresh_token(self, token: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM refresh_tokens WHERE token_hash = ?", (token_hash(token),))

    def sign_in_of(self, origin_jti: str) -> dict[str, Any] | None:
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
        return dict(row)


def _decoded(row: dict[str, Any] | None, *columns: str) -> dict[str, Any] | None:
    if row is not None:
        for column in columns:
            row[column] = json.loads(row[column])
    return row
