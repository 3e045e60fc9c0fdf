"""The local Cognito's store on its own: transactions, pruning, hashing (no server needed)."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from wildrydes.local.cognito.store import SCHEMA_VERSION, Store, StoreError


@pytest.fixture
def store(tmp_path):
    made = Store(tmp_path / "cognito.sqlite3")
    yield made
    made.close()


def _pool(store: Store, pool_id: str = "us-east-1_Abcdefghi") -> str:
    store.add_pool(
        {
            "id": pool_id,
            "region": "us-east-1",
            "name": "p",
            "config": {},
            "tags": {},
            "created": 0.0,
            "modified": 0.0,
        }
    )
    return pool_id


def _user(store: Store, pool_id: str, username: str = "rider") -> None:
    store.add_user(
        {
            "pool_id": pool_id,
            "username": username,
            "sub": f"sub-{username}",
            "status": "CONFIRMED",
            "enabled": True,
            "salt": "00",
            "verifier": "01",
            "created": 0.0,
            "modified": 0.0,
        },
        {"email": "r@example.com"},
    )


def test_schema_version_and_wal(store):
    # closing(): `with` a connection only commits; 3.13 warns of one left unclosed
    with contextlib.closing(sqlite3.connect(store.path)) as db, db:
        assert db.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_failed_transaction_leaves_nothing(store):
    pool_id = _pool(store)
    with pytest.raises(RuntimeError), store.transaction():
        _user(store, pool_id)
        raise RuntimeError("the operation failed half-way")
    assert store.user(pool_id, "rider") is None
    assert store.attributes(pool_id, "rider") == {}


def test_keep_commits_a_failed_attempt(store):
    pool_id = _pool(store)
    _user(store, pool_id)
    with pytest.raises(RuntimeError), store.transaction():
        store.update_user(pool_id, "rider", failed_attempts=1)
        store.keep()
        raise RuntimeError("wrong password")
    assert store.user(pool_id, "rider")["failed_attempts"] == 1


def test_codes_and_refresh_tokens_are_stored_as_hashes(store):
    pool_id = _pool(store)
    _user(store, pool_id)
    store.put_code(pool_id, "rider", "signup", "123456", sent_at=10.0)
    store.add_refresh_token(
        "refresh-secret-value",
        pool_id=pool_id,
        client_id="c",
        username="rider",
        origin_jti="o",
        auth_time=0,
        expires_at=100.0,
    )
    data = store.path.read_bytes() + store.path.with_name("cognito.sqlite3-wal").read_bytes()
    assert b"123456" not in data and b"refresh-secret-value" not in data
    row = store.code(pool_id, "rider", "signup")
    assert store.code_matches(row, "123456") and not store.code_matches(row, "654321")
    assert store.refresh_token("refresh-secret-value")["origin_jti"] == "o"


def test_prune_forgets_old_codes_and_ended_sign_ins(store):
    pool_id = _pool(store)
    _user(store, pool_id)
    store.put_code(pool_id, "rider", "signup", "123456", sent_at=0.0)
    store.add_refresh_token(
        "t",
        pool_id=pool_id,
        client_id="c",
        username="rider",
        origin_jti="o",
        auth_time=0,
        expires_at=50.0,
    )
    store.prune(now=100.0, code_lifetime=200.0, token_grace=10.0)
    assert store.code(pool_id, "rider", "signup") is not None
    assert store.refresh_token("t") is None  # ended 50 s ago, past the 10 s grace
    store.prune(now=300.0, code_lifetime=200.0, token_grace=10.0)
    assert store.code(pool_id, "rider", "signup") is None


def test_outbox_keeps_only_the_newest(store):
    for i in range(12):
        store.add_message(
            {
                "to": "r@example.com",
                "subject": "s",
                "body": "b",
                "code": str(i),
                "sent_at": "2026-01-01T00:00:00+00:00",
                "user_pool_id": "p",
                "username": "rider",
            },
            keep=5,
        )
    assert [m["code"] for m in store.messages()] == ["7", "8", "9", "10", "11"]


def test_deleting_a_pool_deletes_what_is_in_it(store):
    pool_id = _pool(store)
    _user(store, pool_id)
    store.put_code(pool_id, "rider", "signup", "123456", sent_at=0.0)
    store.delete_pool(pool_id)
    assert store.counts()["users"] == 0 and store.counts()["codes"] == 0


def test_damaged_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "cognito.sqlite3"
    path.write_bytes(b"\x00garbage" * 512)
    with pytest.raises(StoreError, match="is damaged") as refused:
        Store(path)
    assert str(path) in str(refused.value)
    assert path.read_bytes() == b"\x00garbage" * 512


def test_a_first_version_file_is_migrated_forward_and_keeps_its_sign_ins(tmp_path):
    """The schema has a version and forward migrations (sqlite-utils' habit): a file made at
    version 1, before refresh token rotation, opens with its rows and the new columns."""
    from wildrydes.local.cognito.database import MIGRATIONS

    path = tmp_path / "cognito.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute(
        "INSERT INTO pools (id, region, name, config, tags, created, modified) "
        "VALUES ('us-east-1_Abcdefghi', 'us-east-1', 'p', '{}', '{}', 0, 0)"
    )
    db.commit()
    db.close()
    store = Store(path)
    try:
        _user(store, "us-east-1_Abcdefghi")
        store.add_refresh_token(
            "tok",
            pool_id="us-east-1_Abcdefghi",
            client_id="c",
            username="rider",
            origin_jti="o",
            auth_time=0,
            expires_at=10.0,
        )
        store.rotate_refresh_token("o", "tok2", previous_until=5.0)
        assert store.refresh_token("tok")["rotated_out"] is True
        assert store.refresh_token("tok2")["rotated_out"] is False
    finally:
        store.close()
    with contextlib.closing(sqlite3.connect(path)) as again:
        assert again.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
    assert SCHEMA_VERSION == 3
    with contextlib.closing(sqlite3.connect(path)) as again:
        columns = {row[1] for row in again.execute("PRAGMA table_info(codes)")}
    assert "pending" in columns
