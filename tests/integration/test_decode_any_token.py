"""`wildrydes decode` and `tokens.inspect` take any JWT, with or without a pool.

The tokens are real: signed by the embedded backend's Cognito for a user of a pool that the
kit's state does or does not remember. Without an expected pool the keys are found from the
token's ``iss`` (the local backend answers for Cognito's issuer form) and the issuer is not
checked, so such a token is never called valid; with ``--user-pool-id`` the keys and the
issuer are that pool's. Nothing here reaches the internet: the tokens whose issuer cannot be
fetched name a non-https issuer.
"""

from __future__ import annotations

import pytest

from wildrydes import accounts, launch, state, tokens
from wildrydes import notebook as nb
from wildrydes.backend import connect
from wildrydes.kit import Kit, current
from wildrydes.tools import cli

PASSWORD = "Any!Token2024"


@pytest.fixture
def session(fresh_backend, monkeypatch):
    launch.up()
    kit = current()
    email = "instructor@example.com"
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, from_mailbox=True)
    return kit, accounts.sign_in(kit, email, PASSWORD)


@pytest.fixture
def no_pool_remembered(session):
    """The kit's state forgets its pool and client: as on a machine where `up` never ran."""
    key = connect(start=False).state_key
    record = state.load(key)
    state.save(
        key,
        {
            k: v
            for k, v in record.items()
            if k not in ("user_pool_id", "user_pool_arn", "app_client_id")
        },
    )
    return session


@pytest.fixture
def run(monkeypatch, capsys):
    def run(*args: str, expect: int, stdin: str | None = None) -> tuple[str, str]:
        if stdin is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        assert code == expect, out + err
        assert "Traceback" not in out + err
        return out, err

    return run


def test_without_a_pool_the_keys_come_from_the_tokens_issuer(no_pool_remembered, run):
    kit, session = no_pool_remembered
    out, err = run("decode", session.id_token, expect=1)
    assert f"keys from the local backend: {kit.backend.endpoint_url}/{kit.user_pool_id}/" in out
    assert "✓ signature" in out and "- audience   not checked" in out
    assert "- issuer     not checked: no expected pool named" in out
    assert "every check that could be made passed; not checked: issuer, audience" in out
    assert err.startswith("wildrydes: could not be checked: issuer (no expected pool named")
    out, _ = run(
        "decode",
        "-",
        "--client-id",
        kit.app_client_id,
        "--user-pool-id",
        kit.user_pool_id,
        expect=0,
        stdin=session.access_token + "\n",
    )
    assert "token is valid: all 8 checks passed" in out


def test_an_edited_claim_fails_the_signature_live(no_pool_remembered):
    kit, session = no_pool_remembered
    forged = tokens.forge(session.id_token, {"email": "someone.else@example.com"})
    assert tokens.decode(forged).claims["email"] == "someone.else@example.com"
    inspection = tokens.inspect(forged, client_id=kit.app_client_id)
    assert inspection.verification["signature"].ok is False
    assert inspection.verification["format"].ok and inspection.verification["expiry"].ok
    assert "failed signature" in inspection.summary()
    assert tokens.inspect(session.id_token, kit.expected_pool(), client_id=kit.app_client_id).ok


def test_a_token_of_another_pool_is_checked_against_that_pool(session, run):
    kit, mine = session
    cognito = kit.backend.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="Elsewhere")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="other",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    other = Kit(kit.backend, kit.bucket, pool, client)
    accounts.register(other, "other@example.com", PASSWORD)
    accounts.confirm(other, "other@example.com", admin=True)
    theirs = accounts.sign_in(other, "other@example.com", PASSWORD)
    out, _ = run("decode", theirs.id_token, "--client-id", client, "--user-pool-id", pool, expect=0)
    assert f"/{pool}/.well-known/jwks.json" in out and "all 8 checks passed" in out
    # named as the pool to expect, the kit's own pool refuses it
    out, err = run("decode", theirs.id_token, "--user-pool-id", kit.user_pool_id, expect=1)
    assert "✗ issuer" in out and "key" in err
    # the kit's own pool's token is still checked against the kit's own client
    out, _ = run("decode", mine.id_token, "--use", "id", expect=0)
    assert f"aud is this app client ({kit.app_client_id})" in out


def test_a_token_whose_keys_cannot_be_fetched_says_what_was_not_checked(session, run):
    _, mine = session
    elsewhere = tokens.forge(mine.id_token, {"iss": "http://issuer.invalid/pool"})
    out, err = run("decode", elsewhere, expect=1)
    assert "- key" in out and "names no https issuer" in out
    assert "signature" in err and "not checked" in out


def test_expiry_is_checked_with_the_backends_clock(no_pool_remembered):
    kit, session = no_pool_remembered
    inspection = tokens.inspect(
        session.id_token,
        client_id=kit.app_client_id,
        now=tokens.decode(session.id_token).claims["exp"] + 1,
    )
    assert inspection.verification["expiry"].ok is False


def test_garbage_is_not_a_jwt_and_nothing_else_is_checked(run):
    out, err = run("decode", "abc.def", expect=1)
    assert "✗ format" in out and "not a JWT" in err


def test_jwks_candidates_map_cognitos_issuer_to_the_local_backend():
    iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
    assert tokens.jwks_candidates(iss, "http://127.0.0.1:4590") == [
        ("http://127.0.0.1:4590/eu-west-1_AbC123/.well-known/jwks.json", "the local backend"),
        (f"{iss}/.well-known/jwks.json", "the issuer"),
    ]
    assert tokens.jwks_candidates(iss, None) == [(f"{iss}/.well-known/jwks.json", "the issuer")]
    assert tokens.jwks_candidates("http://plain.example/x", "http://127.0.0.1:1") == []


def test_up_with_short_token_lifetimes_for_an_expiry_demo(session, run):
    kit, _ = session
    out, _ = run("up", "--token-minutes", "5", expect=0)
    assert "token_lifetimes  id 5 minutes, access 5 minutes" in out
    cognito = kit.backend.client("cognito-idp")
    client = cognito.describe_user_pool_client(
        UserPoolId=kit.user_pool_id, ClientId=kit.app_client_id
    )["UserPoolClient"]
    assert sorted(client["ExplicitAuthFlows"]) == [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
    ]  # kept
    fresh = accounts.sign_in(kit, "instructor@example.com", PASSWORD)
    claims = tokens.decode(fresh.id_token).claims
    assert claims["exp"] - claims["iat"] == 300 and fresh.expires_in == 300
    _, err = run("up", "--token-minutes", "2", expect=2)
    assert "from 5 to 1440" in err and "Next step:" in err


def test_users_table_and_the_admins_group_claim(session):
    kit, _ = session
    cognito = kit.backend.client("cognito-idp")
    accounts.register(kit, "waiting@example.com", PASSWORD)
    assert nb.add_to_group(cognito, kit.user_pool_id, "instructor-at-example.com")
    assert not nb.add_to_group(cognito, kit.user_pool_id, "instructor-at-example.com")
    table = nb.users_table(cognito, kit.user_pool_id)
    rows = {r.username: r for r in table.rows}
    assert rows["instructor-at-example.com"].groups == ["admins"]
    assert rows["instructor-at-example.com"].email_verified is True
    assert rows["waiting-at-example.com"].status == "UNCONFIRMED"
    assert "✗ UNCONFIRMED" in table._repr_html_() and "not verified" in table._repr_html_()
    again = accounts.sign_in(kit, "instructor@example.com", PASSWORD)
    assert tokens.decode(again.id_token).claims["cognito:groups"] == ["admins"]
