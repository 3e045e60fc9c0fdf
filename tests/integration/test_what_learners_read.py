"""Sentences the notebooks, the decoder and the website say, held against the embedded backend.

Each test names the sentence it holds and its source. The facts that hold on real AWS too are
shared flows in ``tests/account_flows.py`` (signed-out tokens still pass an offline check, an
administrator's confirmation leaves the email unverified, ...); these need the local backend
(a second pool made freely, its clock) or are about what the kit itself sends.
"""

from __future__ import annotations

import boto3
import pytest
import tests_support
from account_flows import PASSWORD, make_rider, raises_auth

from wildrydes import accounts, tokens, userpool, website
from wildrydes import notebook as nb
from wildrydes.backend import Backend
from wildrydes.kit import Kit, current
from wildrydes.tools import cli


@pytest.fixture
def kit(launched):
    return current()


def _client(kit: Kit) -> dict:
    return kit.backend.client("cognito-idp").describe_user_pool_client(
        UserPoolId=kit.user_pool_id, ClientId=kit.app_client_id
    )["UserPoolClient"]


@pytest.fixture
def own_client(kit):
    """A second app client in the kit's pool, so changing its settings disturbs no one."""
    cognito = kit.backend.client("cognito-idp")
    made = cognito.create_user_pool_client(
        UserPoolId=kit.user_pool_id,
        ClientName="SettingsUnderTest",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
        AuthSessionValidity=7,
        RefreshTokenValidity=2,
        TokenValidityUnits={"RefreshToken": "days"},
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=False,
    )["UserPoolClient"]
    yield Kit(kit.backend, kit.bucket, kit.user_pool_id, made["ClientId"])
    cognito.delete_user_pool_client(UserPoolId=kit.user_pool_id, ClientId=made["ClientId"])


KEPT = {
    "AuthSessionValidity": 7,
    "RefreshTokenValidity": 2,
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": False,
}


# -- UpdateUserPoolClient resets what it is not given (API Reference) -----------------------------
def test_short_token_lifetimes_keep_every_other_setting_of_the_app_client(own_client):
    cognito = own_client.backend.client("cognito-idp")
    lifetimes = userpool.set_token_lifetimes(
        cognito, own_client.user_pool_id, own_client.app_client_id, 5
    )
    assert lifetimes == {"id_token": "5 minutes", "access_token": "5 minutes"}
    after = _client(own_client)
    assert {k: after.get(k) for k in KEPT} == KEPT
    assert after["TokenValidityUnits"]["RefreshToken"] == "days"
    assert after["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]


def test_repairing_the_app_clients_flows_keeps_every_other_setting(kit):
    cognito = kit.backend.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="RepairUnderTest")["UserPool"]["Id"]
    try:
        made = cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName=userpool.CLIENT_NAME,
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],  # no refresh: the kit adds it
            **{k: v for k, v in KEPT.items()},
            TokenValidityUnits={"RefreshToken": "days"},
        )["UserPoolClient"]
        found = userpool.create_app_client(cognito, pool)
        assert found.id == made["ClientId"] and not found.created
        after = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=found.id)
        after = after["UserPoolClient"]
        assert sorted(after["ExplicitAuthFlows"]) == sorted(userpool.AUTH_FLOWS)
        assert {k: after.get(k) for k in KEPT} == KEPT
    finally:
        cognito.delete_user_pool(UserPoolId=pool)


def test_the_refresh_tokens_lifetime_is_the_app_clients_not_a_fixed_30_days(own_client, kit):
    # Developer Guide, "Refresh tokens": 30 days by default, the client's setting otherwise.
    mine = userpool.token_validities(_client(own_client))
    assert str(mine["refresh_token"]) == "2 days"
    assert "valid 2 days from sign-in" in tokens.refresh_token_summary(
        "opaque", str(mine["refresh_token"])
    )
    default = userpool.token_validities(_client(kit))
    assert str(default["id_token"]) == "1 hour (Cognito's default)"
    assert str(default["refresh_token"]).startswith("30 days")  # AWS reports 30 when unset


# -- item 6: the decoder checks against the pool you expect -------------------------------------
def test_the_decoder_refuses_another_pools_token_when_told_which_pool_to_expect(kit):
    # Developer Guide, "Verifying JSON web tokens": the issuer must match *your* pool and the
    # keys come from your pool's JWKS; RFC 8725 section 3.8.
    _, mine = make_rider(kit)
    expect = kit.expected_pool()
    assert tokens.inspect(mine.id_token, expect, client_id=kit.app_client_id).ok
    with nb.token_from_another_pool(kit.backend) as theirs:
        other_pool = tokens.decode(theirs.id_token).claims["iss"].rsplit("/", 1)[1]
        assert other_pool != kit.user_pool_id
        # Unpinned: its signature matches its own pool's keys, which proves nothing about who.
        loose = tokens.inspect(theirs.id_token)
        assert loose.verification["signature"].ok
        assert loose.verification["issuer"] in loose.not_checked
        assert not loose.ok
        assert loose.summary() == (
            "every check that could be made passed; not checked: issuer, audience"
        )
        # Pinned to the kit's pool: the issuer and the key fail.
        pinned = tokens.inspect(theirs.id_token, expect, client_id=kit.app_client_id)
        assert not pinned.ok
        failed = [c.name for c in pinned.verification.checks if not c.ok]
        assert {"key", "issuer", "audience"} <= set(failed)
        assert "not by this pool" in pinned.verification["issuer"].detail
        assert "not in this pool's JWKS" in pinned.verification["key"].detail
        assert pinned.keys is not None and pinned.keys.url == kit.jwks_url
    # the demo's pool is gone again
    names = [
        p["Name"]
        for p in kit.backend.client("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]
    ]
    assert "WildRydesDemoAnotherPool" not in names


def test_the_cli_decoder_exits_0_only_for_a_token_of_the_pool_it_expects(kit, capsys):
    _, mine = make_rider(kit)

    def decode(*args: str) -> tuple[int, str]:
        code = cli.main(["decode", *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out + err

    with nb.token_from_another_pool(kit.backend) as theirs:
        code, said = decode(theirs.id_token)  # no pool named: never valid
        assert code == 1 and "no expected pool named" in said
        code, said = decode(theirs.id_token, "--user-pool-id", kit.user_pool_id)
        assert code == 1 and "not by this pool" in said
    code, said = decode(
        mine.id_token, "--user-pool-id", kit.user_pool_id, "--client-id", kit.app_client_id
    )
    assert code == 0 and "all 8 checks passed" in said


# -- iss is a claim; the JWKS URL is HTTPS on AWS -----------------------------------------------
def test_iss_names_aws_although_the_local_backend_signed_the_token(kit):
    # Notebook 06: the local backend writes Cognito's issuer form while signing on 127.0.0.1,
    # so iss is only text; the keys of the pool you expect decide.
    _, session = make_rider(kit)
    iss = tokens.decode(session.id_token).claims["iss"]
    assert iss == f"https://cognito-idp.us-east-1.amazonaws.com/{kit.user_pool_id}"
    assert kit.jwks_url.startswith("http://127.0.0.1:")
    # On AWS the keys are at the issuer's HTTPS URL (Developer Guide, "Verifying JSON web
    # tokens").
    assert tokens.jwks_url("eu-west-1", "eu-west-1_AbC123") == (
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json"
    )


def test_the_s3_website_of_module_1_is_plain_http_on_aws(monkeypatch):
    # S3 User Guide, "Website endpoints": they do not support HTTPS (notebook 05's caveat).
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    aws = Backend("aws", "eu-west-1", session=boto3.Session(region_name="eu-west-1"))
    assert website.website_url(aws, "my-site") == (
        "http://my-site.s3-website-eu-west-1.amazonaws.com/"
    )


# -- the lockout's words (Developer Guide, lockout behavior) ------------------------------------
def test_a_locked_out_rider_is_told_about_the_lockout_not_about_case(fresh_backend):
    from wildrydes import launch

    launch.up()
    kit = current()
    email, _ = make_rider(kit)
    wrong = raises_auth("NotAuthorizedException", "case-sensitive")
    for _ in range(5):
        wrong(accounts.sign_in, kit, email, "Wrong-Password-1")
    error = raises_auth("NotAuthorizedException", "15 minutes", "1 second")(
        accounts.sign_in, kit, email, PASSWORD
    )
    assert error.said == "Password attempts exceeded"
    assert "case-sensitive" not in str(error) and "a minute" not in str(error)
    tests_support.advance_clock(kit.backend.endpoint_url, 2)
    assert accounts.sign_in(kit, email, PASSWORD).id_token


# -- the kit's own rule, labelled as such -------------------------------------------------------
def test_kits_rule_a_resent_code_retires_the_older_ones_and_the_sentence_says_whose(kit):
    # Cognito documents no such rule (reports conflict); the kit's backend has it, and what the
    # learner reads says so.
    from account_flows import new_email

    from wildrydes import mailbox

    email = new_email()
    accounts.register(kit, email, PASSWORD)
    first = mailbox.latest_code(kit.backend, email)
    sent = accounts.resend_code(kit, email)
    assert "the kit’s local backend" in sent and "does not document" in sent
    raises_auth("CodeMismatchException")(accounts.confirm, kit, email, first)
