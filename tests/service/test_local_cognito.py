"""The local Cognito in-process: every behaviour a learner relies on, worded as AWS words it.

Each test has a service of its own (tests/service/conftest.py) holding the pool and app client
``wildrydes up`` makes (``workshop_pool``), and talks to it through boto3 the way notebooks do,
answered without a socket; tests that move the clock move the test's own. What only HTTP shows
(routes, well-known documents, the network) is tests/integration/test_cognito_http.py.
"""

from __future__ import annotations

import base64
import re
import uuid
from datetime import datetime

import jwt
import pytest
from cognito_helpers import (
    INCORRECT,
    PASSWORD,
    advance_clock,
    cognito,
    email,
    fails,
    jwks,
    outbox,
    username_of,
)

from wildrydes import srp, userpool

ID_CLAIMS = {
    "sub",
    "aud",
    "email",
    "email_verified",
    "cognito:username",
    "token_use",
    "auth_time",
    "iss",
    "exp",
    "iat",
    "jti",
    "origin_jti",
    "event_id",
}
# Cognito's access tokens carry event_id too (AWS's documented example access token has it).
ACCESS_CLAIMS = {
    "sub",
    "client_id",
    "username",
    "scope",
    "token_use",
    "auth_time",
    "iss",
    "exp",
    "iat",
    "jti",
    "origin_jti",
    "event_id",
}


# -- helpers ---------------------------------------------------------------------------------
# The service tests' helpers (tests/cognito_helpers.py), under this module's older names.
_cognito, _email, _username, _fails = cognito, email, username_of, fails
_outbox, _advance_clock = outbox, advance_clock


def _ids(workshop_pool: tuple[str, str]) -> tuple[str, str]:
    return workshop_pool


def _code_for(username: str) -> str:
    codes = [m["code"] for m in _outbox() if m["username"] == username]
    assert codes, f"no message for {username} in the outbox"
    return codes[-1]


def _sign_up(
    client_id: str, email: str | None = None, password: str = PASSWORD, username: str | None = None
) -> tuple[str, dict]:
    email = email or _email()
    username = username or _username(email)
    result = _cognito().sign_up(
        ClientId=client_id,
        Username=username,
        Password=password,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    return username, result


def _confirmed_user(workshop_pool, password: str = PASSWORD) -> str:
    _, client_id = _ids(workshop_pool)
    username, _ = _sign_up(client_id, password=password)
    _cognito().confirm_sign_up(
        ClientId=client_id, Username=username, ConfirmationCode=_code_for(username)
    )
    return username


def _challenge(client_id: str, username: str) -> tuple[int, dict]:
    a = srp.new_ephemeral_a()
    result = _cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters=srp.auth_parameters(username, srp.compute_A(a)),
    )
    assert result["ChallengeName"] == "PASSWORD_VERIFIER"
    return a, result["ChallengeParameters"]


def _answer(client_id: str, answer: dict) -> dict:
    return _cognito().respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
    )


def _srp_sign_in(workshop_pool, username: str, password: str = PASSWORD) -> dict:
    pool_id, client_id = _ids(workshop_pool)
    a, challenge = _challenge(client_id, username)
    answer = srp.client_response(pool_id, password, a, challenge)
    return _answer(client_id, answer)["AuthenticationResult"]


def _new_pool(name: str) -> tuple[str, str]:
    """A pool with the workshop's settings (not named like the kit's) and an SRP app client."""
    cognito = _cognito()
    pool_id = cognito.create_user_pool(
        PoolName=name,
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": userpool.WORKSHOP_POLICY.as_api()},
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}
        ],
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{name}-client",
        GenerateSecret=False,
        ExplicitAuthFlows=userpool.AUTH_FLOWS,
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def _issuer(pool_id: str) -> str:
    return f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"


def _signing_key(token: str, pool_id: str) -> jwt.PyJWK:
    """The key of the pool's JWKS whose kid the token names (as PyJWKClient picks it)."""
    kid = jwt.get_unverified_header(token).get("kid")
    for key in jwt.PyJWKSet.from_dict(jwks(pool_id)).keys:
        if key.key_id == kid:
            return key
    raise jwt.PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')


# -- sign-up and the outbox ------------------------------------------------------------------
@pytest.mark.parametrize("region", ["us-east-1", "eu-west-2"])
def test_pool_ids_have_cognitos_shape_and_work_everywhere(service, region):
    cognito = _cognito(region)
    pool = cognito.create_user_pool(PoolName=f"shape-{uuid.uuid4().hex[:6]}")["UserPool"]
    assert re.fullmatch(rf"{region}_[0-9A-Za-z]{{9}}", pool["Id"]), pool["Id"]
    assert pool["Arn"].endswith(f":{region}:123456789012:userpool/{pool['Id']}")
    assert cognito.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Name"] == pool["Name"]
    client = cognito.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c")
    assert client["UserPoolClient"]["UserPoolId"] == pool["Id"]
    cognito.delete_user_pool(UserPoolId=pool["Id"])
    ids = [p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]]
    assert pool["Id"] not in ids


def test_sign_up_reports_masked_email_delivery(workshop_pool):
    _, client_id = _ids(workshop_pool)
    email = _email("alice")
    username, result = _sign_up(client_id, email)
    assert result["UserConfirmed"] is False
    assert re.fullmatch(r"[0-9a-f-]{36}", result["UserSub"])
    assert result["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    user = _cognito().admin_get_user(UserPoolId=_ids(workshop_pool)[0], Username=username)
    assert user["UserStatus"] == "UNCONFIRMED"


def test_outbox_holds_each_code_with_every_field_oldest_first(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    first, _ = _sign_up(client_id)
    second, _ = _sign_up(client_id)
    messages = _outbox()
    mine = [m for m in messages if m["username"] in (first, second)]
    assert [m["username"] for m in mine] == [first, second]
    for message in mine:
        assert set(message) >= {
            "to",
            "subject",
            "body",
            "code",
            "sent_at",
            "user_pool_id",
            "username",
        }
        assert re.fullmatch(r"\d{6}", message["code"])
        assert message["code"] in message["body"]
        assert message["subject"]
        assert message["to"] == message["username"].replace("-at-", "@")
        assert message["user_pool_id"] == pool_id
        assert datetime.fromisoformat(message["sent_at"]).utcoffset().total_seconds() == 0
    assert mine[0]["sent_at"] <= mine[1]["sent_at"]
    assert messages.index(mine[0]) < messages.index(mine[1])


# -- confirmation ----------------------------------------------------------------------------
def test_wrong_code_is_a_mismatch(workshop_pool):
    _, client_id = _ids(workshop_pool)
    username, _ = _sign_up(client_id)
    right = _code_for(username)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    with _fails("CodeMismatchException", "Invalid verification code provided, please try again."):
        _cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=wrong)


def test_right_code_confirms_once(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username, _ = _sign_up(client_id)
    code = _code_for(username)
    _cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    user = _cognito().admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email_verified"] == "true"
    with _fails("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"):
        _cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)


def test_resend_sends_a_new_code_and_the_old_one_stops_working(workshop_pool):
    _, client_id = _ids(workshop_pool)
    username, _ = _sign_up(client_id)
    old = _code_for(username)
    result = _cognito().resend_confirmation_code(ClientId=client_id, Username=username)
    assert result["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    new = _code_for(username)
    assert len([m for m in _outbox() if m["username"] == username]) == 2
    if old != new:  # one chance in a million that the new code is the same number
        with _fails("CodeMismatchException"):
            _cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=old)
    _cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=new)
    with _fails("InvalidParameterException", "User is already confirmed."):
        _cognito().resend_confirmation_code(ClientId=client_id, Username=username)


def test_code_of_another_user_is_refused(workshop_pool):
    _, client_id = _ids(workshop_pool)
    mine, _ = _sign_up(client_id)
    theirs, _ = _sign_up(client_id)
    if _code_for(mine) == _code_for(theirs):
        pytest.skip("both users drew the same code (one chance in a million)")
    with _fails("CodeMismatchException"):
        _cognito().confirm_sign_up(
            ClientId=client_id, Username=mine, ConfirmationCode=_code_for(theirs)
        )


def test_confirming_an_unknown_user(workshop_pool):
    _, client_id = _ids(workshop_pool)
    with _fails("UserNotFoundException", "Username/client id combination not found."):
        _cognito().confirm_sign_up(
            ClientId=client_id, Username=_username(_email()), ConfirmationCode="123456"
        )


def test_admin_confirm_sign_up_still_works(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username, _ = _sign_up(client_id)
    _cognito().admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    user = _cognito().admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"
    assert _srp_sign_in(workshop_pool, username)["IdToken"]


def test_codes_expire_after_24_hours(service):
    _, client_id = _new_pool("ExpiryTest")
    early, _ = _sign_up(client_id)
    late, _ = _sign_up(client_id)
    _advance_clock(24 * 3600 - 60)
    _cognito().confirm_sign_up(
        ClientId=client_id, Username=early, ConfirmationCode=_code_for(early)
    )
    _advance_clock(120)
    with _fails("ExpiredCodeException", "Invalid code provided, please request a code again."):
        _cognito().confirm_sign_up(
            ClientId=client_id, Username=late, ConfirmationCode=_code_for(late)
        )
    _cognito().resend_confirmation_code(ClientId=client_id, Username=late)
    _cognito().confirm_sign_up(ClientId=client_id, Username=late, ConfirmationCode=_code_for(late))


# -- password policy and duplicates ----------------------------------------------------------
@pytest.mark.parametrize(
    "password, rule",
    [
        ("Sh0rt-x", "Password not long enough"),
        ("no-upper-case-9", "Password must have uppercase characters"),
        ("NO-LOWER-CASE-9", "Password must have lowercase characters"),
        ("No-Numbers-Here", "Password must have numeric characters"),
        ("NoSymbolsHere9", "Password must have symbol characters"),
    ],
)
def test_password_policy_rules_are_worded_like_cognito(workshop_pool, password, rule):
    _, client_id = _ids(workshop_pool)
    email = _email()
    with _fails("InvalidPasswordException", f"Password did not conform with policy: {rule}"):
        _sign_up(client_id, email, password=password)
    assert not [m for m in _outbox() if m["to"] == email]


def test_user_already_exists(workshop_pool):
    _, client_id = _ids(workshop_pool)
    email = _email()
    _sign_up(client_id, email)
    with _fails("UsernameExistsException", "User already exists"):
        _sign_up(client_id, email)


# -- SRP sign-in -----------------------------------------------------------------------------
def test_srp_challenge_has_every_parameter(workshop_pool):
    _, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    _, challenge = _challenge(client_id, username)
    assert set(challenge) == {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"}
    assert challenge["USER_ID_FOR_SRP"] == username == challenge["USERNAME"]
    assert 0 < int(challenge["SRP_B"], 16) < srp.N
    assert int(challenge["SALT"], 16) > 0
    assert base64.b64decode(challenge["SECRET_BLOCK"], validate=True)


def test_srp_sign_in_returns_tokens(workshop_pool):
    result = _srp_sign_in(workshop_pool, _confirmed_user(workshop_pool))
    assert set(result) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken", "RefreshToken"}
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600


def test_srp_unknown_user(workshop_pool):
    _, client_id = _ids(workshop_pool)
    with _fails("UserNotFoundException", "User does not exist."):
        _challenge(client_id, _username(_email("nobody")))


def test_srp_unconfirmed_user_is_told_after_the_password_proof(workshop_pool):
    _, client_id = _ids(workshop_pool)
    username, _ = _sign_up(client_id)
    with _fails("UserNotConfirmedException", "User is not confirmed."):
        _srp_sign_in(workshop_pool, username)
    with _fails("NotAuthorizedException", INCORRECT):
        _srp_sign_in(workshop_pool, username, "Wrong-Password-1")


def _wrong_password(pool_id, a, challenge):
    return srp.client_response(pool_id, "Correct-Horse-8", a, challenge)


def _tampered_signature(pool_id, a, challenge):
    answer = srp.client_response(pool_id, PASSWORD, a, challenge)
    raw = bytearray(base64.b64decode(answer["PASSWORD_CLAIM_SIGNATURE"]))
    raw[0] ^= 1
    return {**answer, "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(bytes(raw)).decode()}


def _tampered_secret_block(pool_id, a, challenge):
    raw = bytearray(base64.b64decode(challenge["SECRET_BLOCK"]))
    raw[-1] ^= 1
    forged = {**challenge, "SECRET_BLOCK": base64.b64encode(bytes(raw)).decode()}
    return srp.client_response(pool_id, PASSWORD, a, forged)  # signed over the forged block


def _iso_timestamp(pool_id, a, challenge):
    return srp.client_response(pool_id, PASSWORD, a, challenge, timestamp="2026-11-05T09:03:01Z")


def _zero_padded_day(pool_id, a, challenge):
    return srp.client_response(
        pool_id, PASSWORD, a, challenge, timestamp="Thu Nov 05 09:03:01 UTC 2026"
    )


def _other_timestamp_than_signed(pool_id, a, challenge):
    answer = srp.client_response(
        pool_id, PASSWORD, a, challenge, timestamp="Thu Nov 5 09:03:01 UTC 2026"
    )
    return {**answer, "TIMESTAMP": "Thu Nov 5 09:03:02 UTC 2026"}


@pytest.mark.parametrize(
    "forge",
    [
        _wrong_password,
        _tampered_signature,
        _tampered_secret_block,
        _iso_timestamp,
        _zero_padded_day,
        _other_timestamp_than_signed,
    ],
)
def test_srp_forged_answers_are_refused(workshop_pool, forge):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    a, challenge = _challenge(client_id, username)
    with _fails("NotAuthorizedException", INCORRECT):
        _answer(client_id, forge(pool_id, a, challenge))


def test_srp_secret_block_cannot_be_replayed(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    a, challenge = _challenge(client_id, username)
    answer = srp.client_response(pool_id, PASSWORD, a, challenge)
    assert _answer(client_id, answer)["AuthenticationResult"]["IdToken"]
    with _fails("NotAuthorizedException", INCORRECT):
        _answer(client_id, answer)


def test_srp_answer_for_another_user_is_refused(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    mine, theirs = _confirmed_user(workshop_pool), _confirmed_user(workshop_pool)
    a, challenge = _challenge(client_id, mine)
    swapped = {**challenge, "USER_ID_FOR_SRP": theirs, "USERNAME": theirs}
    with _fails("NotAuthorizedException", INCORRECT):
        _answer(client_id, srp.client_response(pool_id, PASSWORD, a, swapped))


def test_srp_session_lasts_three_minutes(service):
    pool_id, client_id = _new_pool("SessionTest")
    username, _ = _sign_up(client_id)
    _cognito().admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    a, challenge = _challenge(client_id, username)
    _advance_clock(181)
    with _fails("NotAuthorizedException"):
        _answer(client_id, srp.client_response(pool_id, PASSWORD, a, challenge))


@pytest.mark.parametrize("srp_a", ["0", srp.pad_hex(srp.N), "not-hex"])
def test_srp_a_that_is_zero_mod_n_or_not_hex_is_refused(workshop_pool, srp_a):
    _, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    with _fails("InvalidParameterException"):
        _cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": username, "SRP_A": srp_a},
        )


def test_admin_initiate_and_respond_with_srp(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    cognito = _cognito()

    def attempt(password):
        a = srp.new_ephemeral_a()
        challenge = cognito.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters=srp.auth_parameters(username, srp.compute_A(a)),
        )
        assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
        answer = srp.client_response(pool_id, password, a, challenge["ChallengeParameters"])
        return cognito.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=answer,
        )

    tokens = attempt(PASSWORD)["AuthenticationResult"]
    assert (
        jwt.decode(tokens["IdToken"], options={"verify_signature": False})["cognito:username"]
        == username
    )
    with _fails("NotAuthorizedException", INCORRECT):
        attempt("Wrong-Password-1")


def test_password_flows_need_the_client_to_allow_them(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    cognito = _cognito()
    with _fails("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
    other = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="password-flows-test",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    try:
        plain = cognito.initiate_auth(
            ClientId=other,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
        admin = cognito.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=other,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
        for result in (plain, admin):
            claims = jwt.decode(
                result["AuthenticationResult"]["AccessToken"], options={"verify_signature": False}
            )
            assert claims["client_id"] == other
        with _fails("NotAuthorizedException", INCORRECT):
            cognito.initiate_auth(
                ClientId=other,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": "Wrong-Password-1"},
            )
    finally:
        cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=other)


def test_temporary_password_must_be_changed_first(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    cognito = _cognito()
    username = _username(_email("admin-made"))
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword="Temporary-Pass-1",
        MessageAction="SUPPRESS",
    )
    a, challenge = _challenge(client_id, username)
    result = _answer(client_id, srp.client_response(pool_id, "Temporary-Pass-1", a, challenge))
    assert result["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert "AuthenticationResult" not in result
    assert result["ChallengeParameters"]["USER_ID_FOR_SRP"] == username

    def new_password(password: str, session: str = result["Session"]):
        return cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": password},
        )

    with _fails(
        "InvalidPasswordException", "Password did not conform with policy: Password not long enough"
    ):
        new_password("Sh0rt-x")
    with _fails("NotAuthorizedException"):
        new_password(PASSWORD, session="made-up-session-" * 3)
    tokens = new_password(PASSWORD)["AuthenticationResult"]
    assert _verified(tokens["IdToken"], pool_id, audience=client_id)["cognito:username"] == username
    assert (
        cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"
    )
    assert _srp_sign_in(workshop_pool, username)["IdToken"]
    with _fails("NotAuthorizedException", INCORRECT):
        _srp_sign_in(workshop_pool, username, "Temporary-Pass-1")


def test_disabled_user_cannot_sign_in_or_refresh(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    tokens = _srp_sign_in(workshop_pool, username)
    _cognito().admin_disable_user(UserPoolId=pool_id, Username=username)
    with _fails("NotAuthorizedException", "User is disabled."):
        _srp_sign_in(workshop_pool, username)
    with _fails("NotAuthorizedException", "User is disabled."):
        _cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


# -- tokens ----------------------------------------------------------------------------------
def _verified(token: str, pool_id: str, **kwargs) -> dict:
    key = _signing_key(token, pool_id)
    return jwt.decode(token, key, algorithms=["RS256"], issuer=_issuer(pool_id), **kwargs)


def test_id_token_claims_and_signature(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    result = _srp_sign_in(workshop_pool, username)
    claims = _verified(result["IdToken"], pool_id, audience=client_id)
    assert set(claims) == ID_CLAIMS
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == username
    assert claims["email"] == username.replace("-at-", "@")
    assert claims["email_verified"] is True
    assert claims["exp"] - claims["iat"] == 3600
    user = _cognito().admin_get_user(UserPoolId=pool_id, Username=username)
    assert claims["sub"] == {a["Name"]: a["Value"] for a in user["UserAttributes"]}["sub"]


def test_access_token_claims_and_signature(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    result = _srp_sign_in(workshop_pool, username)
    claims = _verified(result["AccessToken"], pool_id)
    assert set(claims) == ACCESS_CLAIMS
    assert claims["token_use"] == "access"
    assert claims["client_id"] == client_id
    assert claims["username"] == username
    assert claims["scope"] == "aws.cognito.signin.user.admin"
    id_claims = jwt.decode(result["IdToken"], options={"verify_signature": False})
    assert claims["sub"] == id_claims["sub"]
    assert claims["origin_jti"] == id_claims["origin_jti"]
    assert claims["jti"] != id_claims["jti"]
    with pytest.raises(jwt.InvalidAudienceError):
        _verified(result["IdToken"], pool_id, audience="someone-elses-client")


def test_id_and_access_tokens_are_signed_with_different_keys(workshop_pool):
    # Like Cognito: the pool's JWKS has two keys, and the two tokens of a session
    # carry different kids, so code that takes "the first key" fails here as on AWS.
    pool_id, _ = _ids(workshop_pool)
    result = _srp_sign_in(workshop_pool, _confirmed_user(workshop_pool))
    key_set = jwks(pool_id)
    kids = {k["kid"] for k in key_set["keys"]}
    assert len(kids) == 2
    assert all(
        k["kty"] == "RSA" and k["alg"] == "RS256" and k["use"] == "sig" and set(k) >= {"n", "e"}
        for k in key_set["keys"]
    )
    id_kid = jwt.get_unverified_header(result["IdToken"])["kid"]
    access_kid = jwt.get_unverified_header(result["AccessToken"])["kid"]
    assert {id_kid, access_kid} == kids


def test_each_pool_signs_with_its_own_keys(service):
    pool_a, client_a = _new_pool("KeysA")
    pool_b, _ = _new_pool("KeysB")
    username, _ = _sign_up(client_a)
    _cognito().admin_confirm_sign_up(UserPoolId=pool_a, Username=username)
    a, challenge = _challenge(client_a, username)
    tokens = _answer(client_a, srp.client_response(pool_a, PASSWORD, a, challenge))[
        "AuthenticationResult"
    ]
    assert _verified(tokens["IdToken"], pool_a, audience=client_a)["token_use"] == "id"
    jwks_b = jwks(pool_b)
    jwks_a = jwks(pool_a)
    assert not {k["n"] for k in jwks_a["keys"]} & {k["n"] for k in jwks_b["keys"]}
    with pytest.raises(jwt.PyJWKClientError):
        _signing_key(tokens["IdToken"], pool_b)
    for key in jwt.PyJWKSet.from_dict(jwks_b).keys:
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(tokens["IdToken"], key, algorithms=["RS256"], audience=client_a)


def test_get_user_with_our_access_token(workshop_pool):
    username = _confirmed_user(workshop_pool)
    result = _srp_sign_in(workshop_pool, username)
    user = _cognito().get_user(AccessToken=result["AccessToken"])
    assert user["Username"] == username
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == username.replace("-at-", "@")


def test_refresh_gives_new_tokens_from_the_same_sign_in(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    first = _srp_sign_in(workshop_pool, _confirmed_user(workshop_pool))
    refreshed = _cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed  # Cognito keeps the refresh token unless rotating
    old = jwt.decode(first["IdToken"], options={"verify_signature": False})
    new = _verified(refreshed["IdToken"], pool_id, audience=client_id)
    assert new["jti"] != old["jti"]
    assert new["origin_jti"] == old["origin_jti"]
    assert new["sub"] == old["sub"]
    assert _verified(refreshed["AccessToken"], pool_id)["token_use"] == "access"


def test_refresh_after_the_tokens_expired_keeps_auth_time(service):
    pool_id, client_id = _new_pool("RefreshLater")
    username, _ = _sign_up(client_id)
    _cognito().admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    a, challenge = _challenge(client_id, username)
    first = _answer(client_id, srp.client_response(pool_id, PASSWORD, a, challenge))[
        "AuthenticationResult"
    ]
    _advance_clock(2 * 3600)
    refreshed = _cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )["AuthenticationResult"]
    old = jwt.decode(first["IdToken"], options={"verify_signature": False})
    new = jwt.decode(refreshed["IdToken"], options={"verify_signature": False})
    assert new["auth_time"] == old["auth_time"]  # the time of the password sign-in
    assert new["iat"] - old["iat"] >= 2 * 3600
    assert _cognito().get_user(AccessToken=refreshed["AccessToken"])["Username"] == username


def test_refresh_token_of_nobody_is_refused(workshop_pool):
    _, client_id = _ids(workshop_pool)
    with _fails("NotAuthorizedException", "Invalid Refresh Token"):
        _cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": "made-up"},
        )


def test_global_sign_out_revokes_refresh_and_access_tokens(workshop_pool):
    _, client_id = _ids(workshop_pool)
    result = _srp_sign_in(workshop_pool, _confirmed_user(workshop_pool))
    _cognito().global_sign_out(AccessToken=result["AccessToken"])
    with _fails("NotAuthorizedException", "Refresh Token has been revoked"):
        _cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
        )
    with _fails("NotAuthorizedException", "Access Token has been revoked"):
        _cognito().get_user(AccessToken=result["AccessToken"])


def test_revoke_token_ends_that_sign_in_only(workshop_pool):
    _, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    revoked, other = _srp_sign_in(workshop_pool, username), _srp_sign_in(workshop_pool, username)
    _cognito().revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    with _fails("NotAuthorizedException", "Refresh Token has been revoked"):
        _cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": revoked["RefreshToken"]},
        )
    with _fails("NotAuthorizedException", "Access Token has been revoked"):
        _cognito().get_user(AccessToken=revoked["AccessToken"])
    assert _cognito().get_user(AccessToken=other["AccessToken"])["Username"] == username
    _cognito().revoke_token(Token="not-a-token", ClientId=client_id)  # RFC 7009: no error


def test_admin_global_sign_out_revokes_every_session_of_the_user(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    username = _confirmed_user(workshop_pool)
    one, two = _srp_sign_in(workshop_pool, username), _srp_sign_in(workshop_pool, username)
    bystander = _srp_sign_in(workshop_pool, _confirmed_user(workshop_pool))
    _cognito().admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
    for tokens in (one, two):
        with _fails("NotAuthorizedException", "Refresh Token has been revoked"):
            _cognito().initiate_auth(
                ClientId=client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
            )
        with _fails("NotAuthorizedException", "Access Token has been revoked"):
            _cognito().get_user(AccessToken=tokens["AccessToken"])
    assert _cognito().get_user(AccessToken=bystander["AccessToken"])["Username"] != username


def test_made_up_access_token_is_invalid(workshop_pool):
    with _fails("NotAuthorizedException", "Invalid Access Token"):
        _cognito().get_user(AccessToken="not-a-token")


def test_expired_access_token_is_refused(service):
    pool_id, client_id = _new_pool("TokenExpiry")
    username, _ = _sign_up(client_id)
    _cognito().admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    a, challenge = _challenge(client_id, username)
    tokens = _answer(client_id, srp.client_response(pool_id, PASSWORD, a, challenge))[
        "AuthenticationResult"
    ]
    _advance_clock(3601)
    with _fails("NotAuthorizedException", "Access Token has expired"):
        _cognito().get_user(AccessToken=tokens["AccessToken"])


def test_id_token_carries_the_users_other_attributes(workshop_pool):
    pool_id, client_id = _ids(workshop_pool)
    email = _email("named")
    cognito = _cognito()
    cognito.sign_up(
        ClientId=client_id,
        Username=_username(email),
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "name", "Value": "Rosie <b>Rider</b>"},
        ],
    )
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=_username(email))
    claims = jwt.decode(
        _srp_sign_in(workshop_pool, _username(email))["IdToken"],
        options={"verify_signature": False},
    )
    assert claims["name"] == "Rosie <b>Rider</b>"
    assert claims["email"] == email and claims["email_verified"] is False
