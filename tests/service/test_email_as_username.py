"""UsernameAttributes: the email address as the username, as the developer guide's
"Customizing sign-in attributes" describes it. Through boto3 and real SRP, in-process."""

from __future__ import annotations

import uuid

import jwt
from cognito_helpers import (
    FLOWS,
    PASSWORD,
    cognito,
    email,
    fails,
    outbox,
    password_sign_in,
    srp_sign_in,
)


def _email_pool() -> tuple[str, str]:
    pool_id = cognito().create_user_pool(
        PoolName=f"by-email-{uuid.uuid4().hex[:6]}",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
    )["UserPool"]["Id"]
    client_id = cognito().create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def _signed_up(client_id: str, address: str) -> str:
    sub = cognito().sign_up(ClientId=client_id, Username=address, Password=PASSWORD)["UserSub"]
    code = [m for m in outbox() if m["to"] == address][-1]["code"]
    cognito().confirm_sign_up(ClientId=client_id, Username=address, ConfirmationCode=code)
    return sub


def test_the_address_signs_up_and_in_while_the_username_is_a_uuid(service):
    pool_id, client_id = _email_pool()
    address = email()
    sub = _signed_up(client_id, address)
    user = cognito().admin_get_user(UserPoolId=pool_id, Username=address)
    assert user["Username"] == sub and str(uuid.UUID(sub)) == sub
    assert {"Name": "email", "Value": address} in user["UserAttributes"]
    claims = jwt.decode(
        srp_sign_in(pool_id, client_id, address)["IdToken"], options={"verify_signature": False}
    )
    assert claims["cognito:username"] == sub and claims["email"] == address
    assert password_sign_in(client_id, address)["AccessToken"]


def test_a_username_that_is_not_an_address_and_a_taken_address_are_refused(service):
    _, client_id = _email_pool()
    with fails("InvalidParameterException", "Username should be an email."):
        cognito().sign_up(ClientId=client_id, Username="rider", Password=PASSWORD)
    first, second = email("first"), email("second")
    _signed_up(client_id, first)
    with fails("UsernameExistsException", "An account with the given email already exists."):
        cognito().sign_up(ClientId=client_id, Username=first, Password=PASSWORD)
    _signed_up(client_id, second)
    token = password_sign_in(client_id, second)["AccessToken"]
    with fails("AliasExistsException", "An account with the given email already exists."):
        cognito().update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "email", "Value": first}]
        )


def test_a_case_insensitive_pool_finds_a_user_in_any_case(service):
    """API Reference, UsernameConfigurationType: with CaseSensitive false, "Rider" and
    "rider" are the same user, and the second sign-up is UsernameExistsException."""
    pool_id = cognito().create_user_pool(
        PoolName=f"nocase-{uuid.uuid4().hex[:6]}",
        UsernameConfiguration={"CaseSensitive": False},
    )["UserPool"]["Id"]
    client_id = cognito().create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    cognito().sign_up(ClientId=client_id, Username="Rider", Password=PASSWORD)
    assert cognito().admin_get_user(UserPoolId=pool_id, Username="rider")["Username"] == "Rider"
    with fails("UsernameExistsException"):
        cognito().sign_up(ClientId=client_id, Username="RIDER", Password=PASSWORD)


def test_a_verified_email_alias_signs_in(service):
    """Developer guide, "Customizing sign-in attributes" (AliasAttributes): a user signs in
    with the username or with a verified email; an unverified one is no alias."""
    pool_id = cognito().create_user_pool(
        PoolName=f"alias-{uuid.uuid4().hex[:6]}",
        AliasAttributes=["email"],
        AutoVerifiedAttributes=["email"],
    )["UserPool"]["Id"]
    client_id = cognito().create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    address = email()
    cognito().sign_up(
        ClientId=client_id,
        Username="rider",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    with fails("UserNotFoundException"):  # not verified yet: no alias
        password_sign_in(client_id, address)
    code = [m for m in outbox() if m["to"] == address][-1]["code"]
    cognito().confirm_sign_up(ClientId=client_id, Username="rider", ConfirmationCode=code)
    claims = jwt.decode(
        password_sign_in(client_id, address)["IdToken"], options={"verify_signature": False}
    )
    assert claims["cognito:username"] == "rider"
