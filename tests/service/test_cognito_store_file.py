"""What the local Cognito's file keeps, in-process: codes across a restart, and no password.

A restart here is a new service on the same kit home while the old one is left unclosed, as a
crash leaves it (nothing checkpointed out of the write-ahead log). kill -9 of the real backend
process is tests/integration/test_cognito_store.py.
"""

from __future__ import annotations

import contextlib
import sqlite3

from cognito_helpers import (
    code_for,
    cognito,
    confirmed,
    new_pool,
    password_sign_in,
    signed_up,
)


def test_codes_survive_a_restart(service):
    pool_id, client_id = new_pool("codes")
    username = signed_up(client_id)
    code = code_for(username)
    service.restart()
    cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    assert (
        cognito().admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"
    )


def test_the_database_holds_no_password(service):
    pool_id, client_id = new_pool("nopass")
    username = confirmed(client_id, password="Unique-Secret-Pass-4417")
    token = password_sign_in(client_id, username, "Unique-Secret-Pass-4417")["AccessToken"]
    cognito().change_password(
        AccessToken=token,
        PreviousPassword="Unique-Secret-Pass-4417",
        ProposedPassword="Other-Unique-Pass-9931",
    )
    service.close()  # checkpoint the WAL into the file; then read every byte of both
    files = [p for p in service.home.iterdir() if p.name.startswith("cognito.sqlite3")]
    assert files
    data = b"".join(p.read_bytes() for p in files)
    for secret in ("Unique-Secret-Pass-4417", "Other-Unique-Pass-9931"):
        assert secret.encode() not in data
        assert secret.encode("utf-16-le") not in data
    # closing(): `with` a connection only commits; 3.13 warns of one left unclosed
    with (
        contextlib.closing(sqlite3.connect(service.home / "cognito.sqlite3")) as db,
        db,
    ):
        (verifier,) = db.execute(
            "SELECT verifier FROM users WHERE username = ?", (username,)
        ).fetchone()
    assert len(verifier) > 100  # an SRP verifier is what is kept instead
