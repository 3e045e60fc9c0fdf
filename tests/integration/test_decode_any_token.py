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
    assert "✓ signature" in out and "– audience   not run: no app client given" in out
    assert "– issuer     not run: no expected pool named" in out
    assert "– Verdict: every check that could be made passed; not checked: issuer, audience" in out
    assert out.count("Verdict") == 1 and err == ""  # the verdict once, on one stream
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
    assert "✗ issuer" in out and "✗ key" in out
    assert "✗ Verdict: NOT from the pool you expect" in out and err == ""
    # the kit's own pool's token is still checked against the kit's own client
    out, _ = run("decode", mine.id_token, "--use", "id", expect=0)
    assert f"aud is this app client ({kit.app_client_id})" in out


def test_a_token_whose_keys_cannot_be_fetched_says_what_was_not_checked(session, run):
    _, mine = session
    elsewhere = tokens.forge(mine.id_token, {"iss": "http://issuer.invalid/pool"})
    out, err = run("decode", elsewhere, expect=1)
    assert "– key, signature: not run, the token names no https issuer" in out
    assert out.count("names no https issuer") == 1 and err == ""


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
    assert "✗ format" in out and "not a JWT" in out and err == ""
    assert "keys" not in out  # nothing was fetched, so nothing is said about keys
    assert out.count("the token could not be decoded") == 1
    assert "✗ Verdict: NOT a JWT, so nothing else was checked" in out


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


# -- one clear verdict for each kind of token ---------------------------------------------------
def _hand_made(alg: str, iss: str) -> str:
    import time

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    claims = {"sub": "someone", "iss": iss, "iat": int(time.time()), "exp": int(time.time()) + 300}
    if alg == "HS256":
        return jwt.encode(claims, "a shared secret of thirty-two bytes!", algorithm="HS256")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "their-key"})


def _verdicts(out: str) -> list[str]:
    return [line for line in out.splitlines() if "Verdict:" in line]


def test_a_hand_made_hs256_token_is_not_a_cognito_token(session, run):
    out, err = run("decode", _hand_made("HS256", "https://example.auth0.com/"), expect=1)
    assert _verdicts(out) == [
        "✗ Verdict: NOT a Cognito token (issued by https://example.auth0.com/, signed with "
        "HS256): the kit checks user pool tokens; token is NOT valid (failed algorithm; not "
        "run: key, signature, issuer, audience, token_use)"
    ]
    assert "– key, signature: not run, signed with 'HS256', not RS256" in out
    assert "no signing keys" not in out and err == ""  # no keys were looked for
    assert "✓ key" not in out and "✓ signature" not in out  # never shown as passed
    # its registered claims get the standard's meaning, not Cognito's
    assert "issued at: when the issuer made this token" in out and "Cognito's" not in out


def test_an_rs256_token_from_an_unknown_issuer_says_so_once(session, run):
    # .example never resolves (RFC 2606): the keys cannot be fetched, online or not.
    out, err = run("decode", _hand_made("RS256", "https://login.unknown.example/"), expect=1)
    assert len(_verdicts(out)) == 1 and "NOT a Cognito token" in _verdicts(out)[0]
    assert out.count("login.unknown.example/.well-known/jwks.json") == 1  # the error once
    assert "– key, signature: not run, no signing keys to check with" in out
    assert "✓ key" not in out and "✓ signature" not in out and err == ""


def test_expired_and_forged_tokens_get_their_own_verdicts(session):
    kit, mine = session
    pool = kit.expected_pool()
    exp = tokens.decode(mine.id_token).claims["exp"]
    expired = tokens.inspect(mine.id_token, pool, client_id=kit.app_client_id, now=exp + 61)
    assert expired.summary() == "EXPIRED, otherwise as issued; token is NOT valid: failed expiry"
    forged = tokens.inspect(
        tokens.forge(mine.id_token, {"cognito:groups": ["admins"]}),
        pool,
        client_id=kit.app_client_id,
    )
    assert forged.summary().startswith("FORGED or damaged") and forged.verification.failed == [
        "signature"
    ]
    assert str(forged).count("Verdict") == 1
    html = forged.checks_html()
    assert html.index("FORGED") < html.index("<table")  # the verdict first, then the checks
