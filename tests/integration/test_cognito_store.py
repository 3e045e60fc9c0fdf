"""The local Cognito remembers: kill -9 and restart lose nothing; a damaged or newer database
is refused, never overwritten; `wildrydes local reset` forgets. These need the real process;
what the store keeps and never keeps (codes across a restart, no password in the file) is
tests/service/test_cognito_store_file.py, in-process."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jwt
import requests
from cognito_helpers import (
    PASSWORD,
    cognito,
    confirmed,
    endpoint,
    fails,
    new_pool,
    outbox,
    srp_sign_in,
)
from tests_support import free_port

from wildrydes.local import process, records


def _home() -> Path:
    return Path(os.environ["WILDRYDES_HOME"])


def _kill_hard(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    for _ in range(200):
        if not records.alive(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"backend {pid} still alive after SIGKILL")


def _verify(token: str, pool_id: str, client_id: str) -> dict:
    keys = requests.get(f"{endpoint()}/{pool_id}/.well-known/jwks.json", timeout=10).json()
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWK(next(k for k in keys["keys"] if k["kid"] == kid))
    return jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        audience=client_id,
        issuer=f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}",
    )


def test_kill_9_and_restart_loses_nothing(fresh_backend):
    pool_id, client_id = new_pool("restart")
    username = confirmed(client_id)
    before = srp_sign_in(pool_id, client_id, username)
    messages = outbox()
    _kill_hard(fresh_backend.pid)
    process.start()
    assert cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]["Id"] == pool_id
    assert (
        cognito().admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"
    )
    assert outbox() == messages  # the mailbox came back too
    claims = _verify(before["IdToken"], pool_id, client_id)  # signed before the restart
    assert claims["cognito:username"] == username
    assert cognito().get_user(AccessToken=before["AccessToken"])["Username"] == username
    after = srp_sign_in(pool_id, client_id, username, PASSWORD)  # same user, same password
    assert _verify(after["IdToken"], pool_id, client_id)["sub"] == claims["sub"]
    refreshed = cognito().get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=before["RefreshToken"]
    )["AuthenticationResult"]
    assert _verify(refreshed["IdToken"], pool_id, client_id)["sub"] == claims["sub"]


def _start_fails_naming(home: Path, words: str) -> None:
    try:
        process.start()
    except Exception as error:  # noqa: BLE001 - the kit's ConfigurationError, checked below
        assert "exited while starting" in str(error)
    else:
        raise AssertionError("the backend started on a database it cannot use")
    log = (home / "local.log").read_text()
    assert str(home / "cognito.sqlite3") in log and words in log


def test_damaged_database_is_refused_and_kept(tmp_path, monkeypatch, local_backend):
    home = tmp_path / "damaged"
    home.mkdir()
    monkeypatch.setenv("WILDRYDES_HOME", str(home))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(free_port()))
    garbage = b"this is not a database " * 100
    (home / "cognito.sqlite3").write_bytes(garbage)
    _start_fails_naming(home, "is damaged")
    started = _cli("local", "start")
    assert started.returncode == 2
    assert str(home / "cognito.sqlite3") in started.stderr and "is damaged" in started.stderr
    assert "wildrydes local reset" in started.stderr
    assert (home / "cognito.sqlite3").read_bytes() == garbage


def test_newer_database_is_refused_and_kept(tmp_path, monkeypatch, local_backend):
    home = tmp_path / "newer"
    home.mkdir()
    monkeypatch.setenv("WILDRYDES_HOME", str(home))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(free_port()))
    # closing(): `with` a connection only commits; 3.13 warns of one left unclosed
    with (
        contextlib.closing(sqlite3.connect(home / "cognito.sqlite3")) as db,
        db,
    ):
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        db.execute("INSERT INTO schema_version VALUES (99)")
    before = (home / "cognito.sqlite3").read_bytes()
    _start_fails_naming(home, "newer than this kit's")
    assert "newer than this kit's" in _cli("local", "start").stderr
    assert (home / "cognito.sqlite3").read_bytes() == before


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wildrydes", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def test_reset_refuses_while_running_then_says_what_it_deletes(fresh_backend):
    pool_id, client_id = new_pool("reset")
    confirmed(client_id)
    refused = _cli("local", "reset")
    assert refused.returncode == 2 and "wildrydes local stop" in refused.stderr
    assert cognito().describe_user_pool(UserPoolId=pool_id)
    process.stop()
    done = _cli("local", "reset")
    assert done.returncode == 0, done.stderr
    assert "cognito.sqlite3" in done.stdout and "1 users" in done.stdout
    assert not (_home() / "cognito.sqlite3").exists()
    process.start()
    with fails("ResourceNotFoundException"):
        cognito().describe_user_pool(UserPoolId=pool_id)


def test_website_bucket_is_restored_at_start(fresh_backend):
    from wildrydes import launch

    kit = launch.up()
    url, pool_id = kit.values["website_url"], kit.values["user_pool_id"]
    assert requests.get(url, timeout=10).status_code == 200
    _kill_hard(fresh_backend.pid)
    process.start()
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()
    config = requests.get(url.replace("index.html", "js/config.js"), timeout=10)
    assert config.status_code == 200 and pool_id in config.text
