"""The user directory's rows: user pools, app clients, users, attributes, groups (SQL).

With :mod:`.database` (the connection, schema and migrations) and :mod:`.store` (codes, the
outbox, signing keys, sign-ins), the only code that speaks SQL. Every INSERT names its columns;
parameters are always bound, never formatted into SQL.
"""

from __future__ import annotations

import json

from wildrydes.local.cognito.database import Database, Row

__all__ = [
    "Directory",
]


class Directory(Database):
    """Pools, app clients, users and their attributes, groups and memberships."""

    # -- pools and clients ---------------------------------------------------------------
    def add_pool(self, pool: Row) -> None:
        self._write(
            "INSERT INTO pools (id, region, name, config, tags, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
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

    def pool(self, pool_id: str) -> Row | None:
        row = self._one("SELECT * FROM pools WHERE id = ?", (pool_id,))
        return _decoded(row, "config", "tags")

    def pool_exists(self, pool_id: str) -> bool:
        return self._one("SELECT 1 AS found FROM pools WHERE id = ?", (pool_id,)) is not None

    def pools(self) -> list[Row]:
        return [
            _decoded_row(r, "config", "tags")
            for r in self._all("SELECT * FROM pools ORDER BY created, id")
        ]

    def save_pool(self, pool: Row) -> None:
        self._write(
            "UPDATE pools SET config = ?, tags = ?, modified = ? WHERE id = ?",
            (json.dumps(pool["config"]), json.dumps(pool["tags"]), pool["modified"], pool["id"]),
        )

    def delete_pool(self, pool_id: str) -> None:
        """The pool and everything in it (clients, users, groups, codes, keys, sign-ins)."""
        self._write("DELETE FROM pools WHERE id = ?", (pool_id,))  # foreign keys cascade

    def add_client(self, client: Row) -> None:
        self._write(
            "INSERT INTO clients (id, pool_id, config, created, modified) VALUES (?, ?, ?, ?, ?)",
            (
                client["id"],
                client["pool_id"],
                json.dumps(client["config"]),
                client["created"],
                client["modified"],
            ),
        )

    def client(self, client_id: str) -> Row | None:
        return _decoded(self._one("SELECT * FROM clients WHERE id = ?", (client_id,)), "config")

    def clients(self, pool_id: str) -> list[Row]:
        return [
            _decoded_row(r, "config")
            for r in self._all(
                "SELECT * FROM clients WHERE pool_id = ? ORDER BY created, id", (pool_id,)
            )
        ]

    def save_client(self, client: Row) -> None:
        self._write(
            "UPDATE clients SET config = ?, modified = ? WHERE id = ?",
            (json.dumps(client["config"]), client["modified"], client["id"]),
        )

    def delete_client(self, client_id: str) -> None:
        self._write("DELETE FROM clients WHERE id = ?", (client_id,))

    # -- users and attributes ------------------------------------------------------------
    def add_user(self, user: Row, attributes: dict[str, str]) -> None:
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

    def user(self, pool_id: str, username: str) -> Row | None:
        return self._one(
            "SELECT * FROM users WHERE pool_id = ? AND username = ?", (pool_id, username)
        )

    def user_ignoring_case(self, pool_id: str, username: str) -> Row | None:
        return self._one(
            "SELECT * FROM users WHERE pool_id = ? AND username = ? COLLATE NOCASE",
            (pool_id, username),
        )

    def user_by_attribute(self, pool_id: str, name: str, value: str) -> Row | None:
        return self._one(
            "SELECT users.* FROM users JOIN attributes USING (pool_id, username) "
            "WHERE users.pool_id = ? AND attributes.name = ? AND attributes.value = ?",
            (pool_id, name, value),
        )

    def users(self, pool_id: str) -> list[Row]:
        return self._all(
            "SELECT * FROM users WHERE pool_id = ? ORDER BY created, username", (pool_id,)
        )

    def count_users(self, pool_id: str) -> int:
        row = self._one("SELECT count(*) AS n FROM users WHERE pool_id = ?", (pool_id,))
        return int(row["n"]) if row else 0

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
        return {str(r["name"]): str(r["value"]) for r in rows}

    def set_attributes(self, pool_id: str, username: str, values: dict[str, str]) -> None:
        self._write_many(
            "INSERT INTO attributes (pool_id, username, name, value) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (pool_id, username, name) DO UPDATE SET value = excluded.value",
            [(pool_id, username, k, v) for k, v in values.items()],
        )

    def delete_attributes(self, pool_id: str, username: str, names: list[str]) -> None:
        self._write_many(
            "DELETE FROM attributes WHERE pool_id = ? AND username = ? AND name = ?",
            [(pool_id, username, n) for n in names],
        )

    # -- groups --------------------------------------------------------------------------
    def add_group(self, group: Row) -> None:
        self._write(
            "INSERT INTO groups (pool_id, name, config, created, modified) VALUES (?, ?, ?, ?, ?)",
            (
                group["pool_id"],
                group["name"],
                json.dumps(group["config"]),
                group["created"],
                group["modified"],
            ),
        )

    def save_group(self, group: Row) -> None:
        self._write(
            "UPDATE groups SET config = ?, modified = ? WHERE pool_id = ? AND name = ?",
            (json.dumps(group["config"]), group["modified"], group["pool_id"], group["name"]),
        )

    def group(self, pool_id: str, name: str) -> Row | None:
        return _decoded(
            self._one("SELECT * FROM groups WHERE pool_id = ? AND name = ?", (pool_id, name)),
            "config",
        )

    def groups(self, pool_id: str) -> list[Row]:
        return [
            _decoded_row(r, "config")
            for r in self._all("SELECT * FROM groups WHERE pool_id = ? ORDER BY name", (pool_id,))
        ]

    def delete_group(self, pool_id: str, name: str) -> None:
        self._write("DELETE FROM groups WHERE pool_id = ? AND name = ?", (pool_id, name))

    def add_member(self, pool_id: str, group: str, username: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO memberships (pool_id, group_name, username) VALUES (?, ?, ?)",
            (pool_id, group, username),
        )

    def remove_member(self, pool_id: str, group: str, username: str) -> None:
        self._write(
            "DELETE FROM memberships WHERE pool_id = ? AND group_name = ? AND username = ?",
            (pool_id, group, username),
        )

    def groups_of(self, pool_id: str, username: str) -> list[Row]:
        return [
            _decoded_row(r, "config")
            for r in self._all(
                "SELECT groups.* FROM groups JOIN memberships ON memberships.pool_id = "
                "groups.pool_id AND memberships.group_name = groups.name WHERE "
                "groups.pool_id = ? AND memberships.username = ? ORDER BY groups.name",
                (pool_id, username),
            )
        ]

    def members(self, pool_id: str, group: str) -> list[Row]:
        return self._all(
            "SELECT users.* FROM users JOIN memberships USING (pool_id, username) "
            "WHERE users.pool_id = ? AND memberships.group_name = ? ORDER BY users.username",
            (pool_id, group),
        )


def _decoded(row: Row | None, *columns: str) -> Row | None:
    """``row`` with its JSON ``columns`` decoded (None stays None)."""
    return None if row is None else _decoded_row(row, *columns)


def _decoded_row(row: Row, *columns: str) -> Row:
    for column in columns:
        row[column] = json.loads(row[column])
    return row
