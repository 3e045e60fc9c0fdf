"""The local Cognito's SQLite file: the connection discipline, the schema and its migrations.

One file, ``$WILDRYDES_HOME/cognito.sqlite3``, in WAL mode. Connection discipline, stated
once: a :class:`Database` opens ONE connection (autocommit mode, so transactions are explicit)
and every statement runs while holding its lock; ``transaction()`` is the only way to write and
is re-entrant, so a whole Cognito operation is one transaction: it commits at the end, or rolls
back when the operation raises, unless the operation asked to ``keep()`` what it wrote (a
failed sign-in attempt still counts).

``MIGRATIONS[i]`` takes the schema from version i to version i + 1; opening a file applies the
ones it lacks, and refuses a file a newer kit made.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from wildrydes.errors import ConfigurationError

__all__ = [
    "FILE_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Database",
    "Row",
    "StoreError",
    "check_file",
    "damaged",
    "too_new",
]

FILE_NAME = "cognito.sqlite3"
Row = dict[str, Any]  # one row, by column name
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
    # 1 -> 2: refresh token rotation. A rotated sign-in keeps its row (its origin_jti, its
    # expiry); the token it replaced stays usable until previous_until (the grace period).
    """
    ALTER TABLE refresh_tokens ADD COLUMN previous_hash TEXT;
    ALTER TABLE refresh_tokens ADD COLUMN previous_until REAL NOT NULL DEFAULT 0;
    CREATE INDEX refresh_by_previous ON refresh_tokens (previous_hash);
    """,
    # 2 -> 3: verify before update. A code may carry the value it confirms (a new email
    # address the user has not verified yet, kept out of the user's attributes till then).
    """
    ALTER TABLE codes ADD COLUMN pending TEXT;
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
            found = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
            version = (
                int(db.execute("SELECT version FROM schema_version").fetchone()[0]) if found else 0
            )
        finally:
            db.close()
    except sqlite3.DatabaseError as e:
        raise damaged(path, e) from e
    if version > SCHEMA_VERSION:
        raise too_new(path, version)


def damaged(path: Path, error: Exception) -> StoreError:
    return StoreError(
        f"The local Cognito database {path} is damaged ({error}). It was left as it is. "
        "Move it aside to keep it, or run `wildrydes local reset` to start empty."
    )


def too_new(path: Path, version: int) -> StoreError:
    return StoreError(
        f"The local Cognito database {path} has schema version {version}, newer than "
        f"this kit's ({SCHEMA_VERSION}). It was left as it is. Update the kit, or run "
        "`wildrydes local reset` to start empty."
    )


class Database:
    """One SQLite file, opened the one way the local Cognito uses it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._depth = 0
        self._keep = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as e:
            raise damaged(self.path, e) from e
        try:
            self._db.row_factory = sqlite3.Row
            self._check_version()  # before anything writes, even the journal mode
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except BaseException as e:
            # A file the store refuses (damaged, newer) is left closed, not to the collector:
            # Python 3.13 reports a connection it finalises unclosed as a ResourceWarning.
            self._db.close()
            if isinstance(e, sqlite3.DatabaseError):
                raise damaged(self.path, e) from e
            raise

    # -- schema --------------------------------------------------------------------------
    def _version(self) -> int | None:
        if (
            self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
            is None
        ):
            return None
        row = self._db.execute("SELECT version FROM schema_version").fetchone()
        return int(row["version"]) if row else 0

    def _check_version(self) -> None:
        version = self._version()
        if version is not None and version > SCHEMA_VERSION:
            raise too_new(self.path, version)

    def _migrate(self) -> None:
        with self.transaction():
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = self._db.execute("SELECT version FROM schema_version").fetchone()
            version = int(row["version"]) if row else 0
            for script in MIGRATIONS[version:]:
                for statement in filter(str.strip, script.split(";")):
                    self._db.execute(statement)
            if row is None:
                self._db.execute(
                    "INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,)
                )
            else:
                self._db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- the one way to write ------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside run as one transaction (re-entrant: the outermost commits)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth, self._keep = 1, False
            try:
                yield
            except BaseException:
                self._db.execute("COMMIT" if self._keep else "ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def keep(self) -> None:
        """Commit this transaction's writes even though the operation is about to fail."""
        self._keep = True

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            return [dict(r) for r in self._db.execute(sql, params).fetchall()]

    def _one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _write(self, sql: str, params: Sequence[object] = ()) -> int:
        with self.transaction():
            return self._db.execute(sql, params).rowcount

    def _write_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self.transaction():
            self._db.executemany(sql, rows)
