"""The local Cognito's SQLite schema: its version, its forward migrations, and a read-only check.

``MIGRATIONS[i]`` takes the schema from version i to version i + 1; ``Store`` applies the ones
a file lacks, and refuses a file a newer kit made.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from wildrydes.errors import ConfigurationError

__all__ = [
    "FILE_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "StoreError",
    "check_file",
    "damaged",
    "too_new",
]

FILE_NAME = "cognito.sqlite3"
_FOREIGN = "REFERENCES users(pool_id, username) ON DELETE CASCADE ON UPDATE CASCADE"
MIGRATIONS: tuple[str, ...] = (
    f"""
    CREATE TABLE pools (id TEXT PRIMARY KEY, region TEXT NOT NULL, name TEXT NOT NULL,
        config TEXT NOT NULL, tags TEXT NOT NULL, created REAL NOT NULL, modified REAL NOT NULL);
    CREATE TABLE clients (id TEXT PRIMARY KEY,
        pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        config TEXT NOT NULL, created REAL NOT NULL, modified REAL NOT NULL);
    CREATE TABLE users (pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        username TEXT NOT NULL, sub TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
        enabled INTEGER NOT NULL, salt TEXT NOT NULL, verifier TEXT NOT NULL,
        created REAL NOT NULL, modified REAL NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (pool_id, username));
    CREATE TABLE attributes (pool_id TEXT NOT NULL, username TEXT NOT NULL, name TEXT NOT NULL,
        value TEXT NOT NULL, PRIMARY KEY (pool_id, username, name),
        FOREIGN KEY (pool_id, username) {_FOREIGN});
    CREATE INDEX attributes_by_value ON attributes (pool_id, name, value);
    CREATE TABLE groups (pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        name TEXT NOT NULL, config TEXT NOT NULL, created REAL NOT NULL,
        modified REAL NOT NULL, PRIMARY KEY (pool_id, name));
    CREATE TABLE memberships (pool_id TEXT NOT NULL, group_name TEXT NOT NULL,
        username TEXT NOT NULL, PRIMARY KEY (pool_id, group_name, username),
        FOREIGN KEY (pool_id, group_name) REFERENCES groups(pool_id, name) ON DELETE CASCADE,
        FOREIGN KEY (pool_id, username) {_FOREIGN});
    CREATE TABLE codes (pool_id TEXT NOT NULL, username TEXT NOT NULL, purpose TEXT NOT NULL,
        code_hash TEXT NOT NULL, sent_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (pool_id, username, purpose), FOREIGN KEY (pool_id, username) {_FOREIGN});
    CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, to_address TEXT NOT NULL,
        subject TEXT NOT NULL, body TEXT NOT NULL, code TEXT NOT NULL, sent_at TEXT NOT NULL,
        user_pool_id TEXT NOT NULL, username TEXT NOT NULL);
    CREATE TABLE signing_keys (pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        use TEXT NOT NULL, kid TEXT NOT NULL, pem TEXT NOT NULL, PRIMARY KEY (pool_id, use));
    CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, pool_id TEXT NOT NULL,
        client_id TEXT NOT NULL, username TEXT NOT NULL, origin_jti TEXT NOT NULL UNIQUE,
        auth_time INTEGER NOT NULL, expires_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
        FOREIGN KEY (pool_id, username) {_FOREIGN});
    CREATE INDEX refresh_by_user ON refresh_tokens (pool_id, username);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(ConfigurationError):
    """The database file cannot be used as it is (damaged, or made by a newer kit)."""


def check_file(path: Path) -> None:
    """Raise StoreError if the database at ``path`` is damaged or newer; opens it read-only."""
    if not Path(path).exists():
        return
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'schema_version'").fetchone()
            version = db.execute("SELECT version FROM schema_version").fetchone()[0] \
                if found else 0
        finally:
            db.close()
    except sqlite3.DatabaseError as e:
        raise damaged(path, e) from e
    if version > SCHEMA_VERSION:
        raise too_new(path, version)


def damaged(path: Path, error: Exception) -> StoreError:
    return StoreError(
        f"The local Cognito database {path} is damaged ({error}). It was left as it is. "
        "Move it aside to keep it, or run `wildrydes local reset` to start empty.")


def too_new(path: Path, version: int) -> StoreError:
    return StoreError(
        f"The local Cognito database {path} has schema version {version}, newer than "
        f"this kit's ({SCHEMA_VERSION}). It was left as it is. Update the kit, or run "
        "`wildrydes local reset` to start empty.")
