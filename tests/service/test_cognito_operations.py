"""The local Cognito's operations in-process: the account lifecycle, admin, groups, pools.

Each test has a service of its own (tests/service/conftest.py) and a pool in it; calls go
through boto3 as a client makes them, answered without a socket. The HTTP front's own part
(refusals by name, Server-Timing, concurrent requests) is tests/integration/test_cognito_http.py.
"""

from __future__ import annotations

import jwt
import pytest
from cognito_helpers import (
    INCORRECT,
    PASSWORD,
    advance_clock,
    code_for,
    cognito,
    confirmed,
    email,
    fails,
    new_pool,
    outbox,
    password_sign_in,
    signed_up,
    srp_sign_in,
    username_of,
)

NEW_PASSWORD = "Brand-New-Pass-7"


@pytest.fixture
def pool(service) -> tuple[str, str]:
    return new_pool()


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# -- forgotten passwords ---------------------------------------------------------------------
def test_forgot_password_sends_a_code_to_the_verified_email(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    details = cognito().forgot_password(ClientId=client_id, Username=username)[
        "CodeDeliveryDetails"
    ]
    assert details["DeliveryMedium"] == "EMAIL" and details["AttributeName"] == "email"
    code = code_for(username, "reset")
    wrong = "000000" if code != "000000" else "111111"
    with fails("CodeMismatchException"):
        cognito().confirm_forgot_password(
            ClientId=client_id, Username=username, ConfirmationCode=wrong, Password=NEW_PASSWORD
        )
    with fails(
        "InvalidPasswordException",
        "Password did not conform with policy: Password must have symbol characters",
    ):
        cognito().confirm_forgot_password(
            ClientId=client_id, Username=username, ConfirmationCode=code, Password="NoSymbols123"
        )
    cognito().confirm_forgot_password(
        ClientId=client_id, Username=username, ConfirmationCode=code, Password=NEW_PASSWORD
    )
    assert password_sign_in(client_id, username, NEW_PASSWORD)["AccessToken"]
    with fails("NotAuthorizedException", INCORRECT):
        password_sign_in(client_id, username, PASSWORD)
    # a used code is spent: no reset code is in force any more (API Reference,
    # ConfirmForgotPassword, Errors: ExpiredCodeException)
    with fails("ExpiredCodeException", "Invalid code provided, please request a code again."):
        cognito().confirm_forgot_password(
            ClientId=client_id, Username=username, ConfirmationCode=code, Password="Another-Pass-8"
        )


def test_forgot_password_needs_a_verified_email(pool):
    _, client_id = pool
    username = signed_up(client_id)  # never confirmed: its email is not verified
    with fails(
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email "
        "or phone_number",
    ):
        cognito().forgot_password(ClientId=client_id, Username=username)


def test_forgot_password_code_expires_after_an_hour(service):
    _, client_id = new_pool()
    username = confirmed(client_id)
    cognito().forgot_password(ClientId=client_id, Username=username)
    code = code_for(username, "reset")
    advance_clock(3601)
    with fails("ExpiredCodeException"):
        cognito().confirm_forgot_password(
            ClientId=client_id, Username=username, ConfirmationCode=code, Password=NEW_PASSWORD
        )


def test_wrong_codes_are_limited(pool):
    _, client_id = pool
    username = signed_up(client_id)
    code = code_for(username)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with fails("CodeMismatchException"):
            cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=wrong)
    with fails("LimitExceededException"):
        cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=wrong)
    with fails("LimitExceededException"):  # the right code no longer works either
        cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    # (boto3 retries LimitExceededException once, as it would against AWS; the count holds.)
    cognito().resend_confirmation_code(ClientId=client_id, Username=username)
    cognito().confirm_sign_up(
        ClientId=client_id, Username=username, ConfirmationCode=code_for(username)
    )


# -- lockout ---------------------------------------------------------------------------------
def test_repeated_wrong_passwords_lock_the_user_out_for_a_while(service):
    _, client_id = new_pool()
    username = confirmed(client_id)
    for _ in range(5):
        with fails("NotAuthorizedException", INCORRECT):
            password_sign_in(client_id, username, "Wrong-Password-1")
    with fails("NotAuthorizedException", "Password attempts exceeded"):
        password_sign_in(client_id, username, PASSWORD)  # even the right one, for now
    advance_clock(2)
    assert password_sign_in(client_id, username)["AccessToken"]


# -- the signed-in user ----------------------------------------------------------------------
def test_changed_email_is_unverified_until_its_code_comes_back(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    tokens = password_sign_in(client_id, username)
    new_address = email("moved")
    result = cognito().update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": "email", "Value": new_address}]
    )
    assert result["CodeDeliveryDetailsList"][0]["DeliveryMedium"] == "EMAIL"
    message = [m for m in outbox() if m["username"] == username][-1]
    assert message["to"] == new_address
    id_claims = _claims(password_sign_in(client_id, username)["IdToken"])
    assert id_claims["email"] == new_address and id_claims["email_verified"] is False
    with fails("CodeMismatchException"):
        cognito().verify_user_attribute(
            AccessToken=tokens["AccessToken"], AttributeName="email", Code="not-it"
        )
    cognito().verify_user_attribute(
        AccessToken=tokens["AccessToken"], AttributeName="email", Code=message["code"]
    )
    assert _claims(password_sign_in(client_id, username)["IdToken"])["email_verified"] is True


def test_attribute_verification_code_on_request(pool):
    _, client_id = pool
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]
    details = cognito().get_user_attribute_verification_code(
        AccessToken=token, AttributeName="email"
    )["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL"
    cognito().verify_user_attribute(
        AccessToken=token, AttributeName="email", Code=code_for(username)
    )


def test_change_password(pool):
    _, client_id = pool
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]
    with fails("NotAuthorizedException", INCORRECT):
        cognito().change_password(
            AccessToken=token, PreviousPassword="Wrong-Password-1", ProposedPassword=NEW_PASSWORD
        )
    with fails(
        "InvalidPasswordException", "Password did not conform with policy: Password not long enough"
    ):
        cognito().change_password(
            AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="Sh0rt!"
        )
    cognito().change_password(
        AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD
    )
    assert password_sign_in(client_id, username, NEW_PASSWORD)["IdToken"]


def test_delete_user(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]
    cognito().delete_user(AccessToken=token)
    with fails("UserNotFoundException"):
        cognito().admin_get_user(UserPoolId=pool_id, Username=username)
    with fails("UserNotFoundException"):
        cognito().get_user(AccessToken=token)


def test_get_tokens_from_refresh_token_and_revoke(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    tokens = srp_sign_in(pool_id, client_id, username)
    fresh = cognito().get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=tokens["RefreshToken"]
    )["AuthenticationResult"]
    assert _claims(fresh["IdToken"])["cognito:username"] == username
    assert cognito().get_user(AccessToken=fresh["AccessToken"])["Username"] == username
    cognito().revoke_token(ClientId=client_id, Token=tokens["RefreshToken"])
    with fails("NotAuthorizedException", "Refresh Token has been revoked"):
        cognito().get_tokens_from_refresh_token(
            ClientId=client_id, RefreshToken=tokens["RefreshToken"]
        )
    with fails("NotAuthorizedException", "Access Token has been revoked"):
        cognito().get_user(AccessToken=fresh["AccessToken"])


def test_refresh_tokens_expire_after_the_clients_validity(service):
    _, client_id = new_pool()
    username = confirmed(client_id)
    refresh = password_sign_in(client_id, username)["RefreshToken"]
    advance_clock(29 * 86400)
    assert cognito().get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=refresh)
    advance_clock(2 * 86400)
    with fails("NotAuthorizedException", "Refresh Token has expired"):
        cognito().get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=refresh)


def test_token_validity_follows_the_client_and_its_units(service):
    pool_id, client_id = new_pool(
        AccessTokenValidity=5,
        IdTokenValidity=2,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours"},
    )
    try:
        username = confirmed(client_id)
        result = password_sign_in(client_id, username)
        assert result["ExpiresIn"] == 300
        access, id_claims = _claims(result["AccessToken"]), _claims(result["IdToken"])
        assert access["exp"] - access["iat"] == 300
        assert id_claims["exp"] - id_claims["iat"] == 7200
    finally:
        cognito().delete_user_pool(UserPoolId=pool_id)


def test_prevent_user_existence_errors(service):
    pool_id, client_id = new_pool(PreventUserExistenceErrors="ENABLED")
    launched_client = cognito().create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="legacy",
        PreventUserExistenceErrors="LEGACY",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    try:
        with fails("NotAuthorizedException", INCORRECT):
            password_sign_in(client_id, "nobody-at-example.com")
        delivery = cognito().forgot_password(ClientId=client_id, Username="nobody-at-example.com")
        assert delivery["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
        assert not [m for m in outbox() if m["username"] == "nobody-at-example.com"]
        with fails("CodeMismatchException"):
            cognito().confirm_sign_up(
                ClientId=client_id, Username="nobody-at-example.com", ConfirmationCode="123456"
            )
        with fails("UserNotFoundException"):  # a client without the setting tells
            password_sign_in(launched_client, "nobody-at-example.com")
    finally:
        cognito().delete_user_pool(UserPoolId=pool_id)


# -- administrators --------------------------------------------------------------------------
def test_admin_create_user_sends_an_invitation_with_a_policy_temporary_password(pool):
    pool_id, client_id = pool
    address = email("invited")
    username = username_of(address)
    with fails("InvalidPasswordException"):
        cognito().admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            TemporaryPassword="weak",
            UserAttributes=[{"Name": "email", "Value": address}],
        )
    user = cognito().admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=[{"Name": "email", "Value": address}]
    )["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    invitation = [m for m in outbox() if m["username"] == username][-1]
    assert invitation["to"] == address and invitation["code"] in invitation["body"]
    result = cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": invitation["code"]},
    )
    assert result["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_admin_password_operations(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    cognito().admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=NEW_PASSWORD, Permanent=True
    )
    assert password_sign_in(client_id, username, NEW_PASSWORD)["IdToken"]
    cognito().admin_reset_user_password(UserPoolId=pool_id, Username=username)
    assert (
        cognito().admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]
        == "RESET_REQUIRED"
    )
    with fails("PasswordResetRequiredException"):
        password_sign_in(client_id, username, NEW_PASSWORD)
    cognito().confirm_forgot_password(
        ClientId=client_id,
        Username=username,
        ConfirmationCode=code_for(username, "reset"),
        Password=PASSWORD,
    )
    assert password_sign_in(client_id, username)["IdToken"]


def test_admin_enable_disable_delete_and_attributes(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    cognito().admin_disable_user(UserPoolId=pool_id, Username=username)
    with fails("NotAuthorizedException", "User is disabled."):
        password_sign_in(client_id, username)
    cognito().admin_enable_user(UserPoolId=pool_id, Username=username)
    cognito().admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "custom:team", "Value": "blue"}],
    )
    assert _claims(password_sign_in(client_id, username)["IdToken"])["custom:team"] == "blue"
    cognito().admin_delete_user(UserPoolId=pool_id, Username=username)
    with fails("UserNotFoundException"):
        cognito().admin_get_user(UserPoolId=pool_id, Username=username)


def test_admin_global_sign_out_and_admin_password_auth(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    tokens = cognito().admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    cognito().admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
    with fails("NotAuthorizedException", "Access Token has been revoked"):
        cognito().get_user(AccessToken=tokens["AccessToken"])


def test_list_users_with_cognitos_filter(pool):
    pool_id, client_id = pool
    first, second = confirmed(client_id), signed_up(client_id)
    found = cognito().list_users(UserPoolId=pool_id, Filter=f'username = "{first}"')["Users"]
    assert [u["Username"] for u in found] == [first]
    prefix = second.split("-")[0]
    found = cognito().list_users(UserPoolId=pool_id, Filter=f'email ^= "{prefix}"')["Users"]
    assert {u["Username"] for u in found} == {first, second}
    found = cognito().list_users(UserPoolId=pool_id, Filter='cognito:user_status = "UNCONFIRMED"')[
        "Users"
    ]
    assert [u["Username"] for u in found] == [second]
    with fails("InvalidParameterException", "Error while parsing filter."):
        cognito().list_users(UserPoolId=pool_id, Filter="email contains x")


# -- groups ----------------------------------------------------------------------------------
def test_groups_and_the_cognito_groups_claim(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    cognito().create_group(UserPoolId=pool_id, GroupName="riders", Description="all riders")
    with fails("GroupExistsException"):
        cognito().create_group(UserPoolId=pool_id, GroupName="riders")
    cognito().admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName="riders")
    assert (
        cognito().get_group(UserPoolId=pool_id, GroupName="riders")["Group"]["Description"]
        == "all riders"
    )
    assert [g["GroupName"] for g in cognito().list_groups(UserPoolId=pool_id)["Groups"]] == [
        "riders"
    ]
    assert [
        g["GroupName"]
        for g in cognito().admin_list_groups_for_user(UserPoolId=pool_id, Username=username)[
            "Groups"
        ]
    ] == ["riders"]
    assert [
        u["Username"]
        for u in cognito().list_users_in_group(UserPoolId=pool_id, GroupName="riders")["Users"]
    ] == [username]
    tokens = password_sign_in(client_id, username)
    assert _claims(tokens["IdToken"])["cognito:groups"] == ["riders"]
    assert _claims(tokens["AccessToken"])["cognito:groups"] == ["riders"]
    cognito().admin_remove_user_from_group(
        UserPoolId=pool_id, Username=username, GroupName="riders"
    )
    assert "cognito:groups" not in _claims(password_sign_in(client_id, username)["IdToken"])
    cognito().delete_group(UserPoolId=pool_id, GroupName="riders")
    with fails("ResourceNotFoundException"):
        cognito().get_group(UserPoolId=pool_id, GroupName="riders")


# -- pools, clients, tags --------------------------------------------------------------------
def test_pool_and_client_management(service):
    pool_id, client_id = new_pool("manage")
    described = cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Id"] == pool_id and described["Arn"].endswith(f"userpool/{pool_id}")
    assert pool_id in {p["Id"] for p in cognito().list_user_pools(MaxResults=60)["UserPools"]}
    cognito().update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=[])
    updated = cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert updated["AutoVerifiedAttributes"] == []
    # left out: back to Cognito's default policy (API Reference, UpdateUserPool)
    assert updated["Policies"]["PasswordPolicy"]["RequireSymbols"] is True
    assert any(a["Name"] == "custom:team" for a in updated["SchemaAttributes"])  # kept
    arn = described["Arn"]
    cognito().tag_resource(ResourceArn=arn, Tags={"team": "blue", "keep": "yes"})
    cognito().untag_resource(ResourceArn=arn, TagKeys=["keep"])
    assert cognito().list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "blue"}
    cognito().update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName="renamed")
    updated = cognito().describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]
    assert updated["ClientName"] == "renamed"
    assert "ExplicitAuthFlows" not in updated  # left out: back to Cognito's default
    with fails("InvalidParameterException"):  # ...which does not allow password sign-in
        password_sign_in(client_id, "anyone-at-example.com")
    assert [
        c["ClientId"]
        for c in cognito().list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
    ] == [client_id]
    cognito().delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    with fails("ResourceNotFoundException"):
        cognito().describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    cognito().delete_user_pool(UserPoolId=pool_id)
    with fails("ResourceNotFoundException", f"User pool {pool_id} does not exist."):
        cognito().describe_user_pool(UserPoolId=pool_id)


def test_client_with_a_secret_needs_the_secret_hash(service):
    import base64
    import hashlib
    import hmac

    pool_id, _ = new_pool("secret")
    try:
        client = cognito().create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="with-secret",
            GenerateSecret=True,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        )["UserPoolClient"]
        client_id, secret = client["ClientId"], client["ClientSecret"]
        address = email("secret")
        username = username_of(address)
        attributes = [{"Name": "email", "Value": address}]
        with fails(
            "NotAuthorizedException",
            f"Client {client_id} is configured with secret but SECRET_HASH was not received",
        ):
            cognito().sign_up(
                ClientId=client_id, Username=username, Password=PASSWORD, UserAttributes=attributes
            )
        with fails(
            "NotAuthorizedException", f"Unable to verify secret hash for client {client_id}"
        ):
            cognito().sign_up(
                ClientId=client_id,
                Username=username,
                Password=PASSWORD,
                UserAttributes=attributes,
                SecretHash="d3Jvbmc=",
            )
        right = base64.b64encode(
            hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
        ).decode()
        cognito().sign_up(
            ClientId=client_id,
            Username=username,
            Password=PASSWORD,
            UserAttributes=attributes,
            SecretHash=right,
        )
        cognito().admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
        tokens = cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD, "SECRET_HASH": right},
        )
        assert tokens["AuthenticationResult"]["AccessToken"]
    finally:
        cognito().delete_user_pool(UserPoolId=pool_id)


def test_lockout_doubles_with_each_further_failure(service):
    _, client_id = new_pool()
    username = confirmed(client_id)
    for _ in range(5):
        with fails("NotAuthorizedException", INCORRECT):
            password_sign_in(client_id, username, "Wrong-Password-1")
    advance_clock(1.5)  # past the first lockout (1 s): one more try is heard, and fails
    with fails("NotAuthorizedException", INCORRECT):
        password_sign_in(client_id, username, "Wrong-Password-1")
    advance_clock(1.5)  # past what the first lockout was, but not the second (2 s)
    with fails("NotAuthorizedException", "Password attempts exceeded"):
        password_sign_in(client_id, username)
    advance_clock(1)
    assert password_sign_in(client_id, username)["AccessToken"]


def test_fifteen_quiet_minutes_after_a_lockout_reset_the_count(service):
    _, client_id = new_pool()
    username = confirmed(client_id)
    for _ in range(6):  # five misses, then one more after the first lockout: 2 s now
        with fails("NotAuthorizedException", INCORRECT):
            password_sign_in(client_id, username, "Wrong-Password-1")
        advance_clock(1.5)
    advance_clock(16 * 60)  # nothing tried for 15 minutes after the lockout ended
    for _ in range(4):  # counted from 0 again: four misses lock nothing
        with fails("NotAuthorizedException", INCORRECT):
            password_sign_in(client_id, username, "Wrong-Password-1")
    assert password_sign_in(client_id, username)["AccessToken"]


def test_list_users_attributes_to_get(pool):
    pool_id, client_id = pool
    username = confirmed(client_id)
    found = cognito().list_users(
        UserPoolId=pool_id, AttributesToGet=["email"], Filter=f'username = "{username}"'
    )["Users"]
    assert [a["Name"] for a in found[0]["Attributes"]] == ["email"]
