"""Attribute values as Cognito takes them: E.164 phone numbers, booleans in any case, and no
code for a pool that does not verify email automatically. Through boto3, in-process; each
rule cites its page."""

from __future__ import annotations

import uuid

import pytest
from cognito_helpers import (
    PASSWORD,
    code_for,
    cognito,
    confirmed,
    email,
    fails,
    new_pool,
    outbox,
    password_sign_in,
    username_of,
)


@pytest.mark.parametrize("number", ["0400000000", "+61 400 000 000", "+0400000000", "+"])
def test_phone_numbers_must_be_e164(service, number):
    """Developer guide, "Working with user attributes": phone numbers follow E.164
    (+12065551212); Cognito answers "Invalid phone number format." otherwise."""
    pool_id, client_id = new_pool()
    with fails("InvalidParameterException", "Invalid phone number format."):
        cognito().sign_up(
            ClientId=client_id,
            Username=f"phone-{uuid.uuid4().hex[:6]}",
            Password=PASSWORD,
            UserAttributes=[{"Name": "phone_number", "Value": number}],
        )


def test_an_e164_number_and_a_capitalised_boolean_are_kept(service):
    """AdminUpdateUserAttributes takes ``"True"`` for a verified flag, stored as ``true``."""
    pool_id, _ = new_pool()
    address = email()
    username = username_of(address)
    cognito().admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": address},
            {"Name": "email_verified", "Value": "True"},
            {"Name": "phone_number", "Value": "+61400000000"},
        ],
        MessageAction="SUPPRESS",
    )
    attributes = {
        a["Name"]: a["Value"]
        for a in cognito().admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    }
    assert attributes["email_verified"] == "true"
    assert attributes["phone_number"] == "+61400000000"


def test_sign_up_without_auto_verification_sends_no_code(service):
    """Developer guide, "Signing up and confirming user accounts": without
    AutoVerifiedAttributes no code goes out; SignUp answers no CodeDeliveryDetails and the
    user waits for an administrator to confirm them."""
    pool_id = cognito().create_user_pool(PoolName=f"plain-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    client_id = cognito().create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    address = email()
    answer = cognito().sign_up(
        ClientId=client_id,
        Username=username_of(address),
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    assert answer["UserConfirmed"] is False and "CodeDeliveryDetails" not in answer
    assert not [m for m in outbox() if m["to"] == address]
    with fails(
        "InvalidParameterException", "Cannot resend codes. Auto verification not turned on."
    ):
        cognito().resend_confirmation_code(ClientId=client_id, Username=username_of(address))


def test_with_verify_before_update_the_old_email_stays_until_the_new_one_is_confirmed(service):
    """API Reference, UserAttributeUpdateSettingsType (AttributesRequireVerificationBeforeUpdate):
    "Amazon Cognito doesn't change the value of the attribute until your user responds to the
    verification message and confirms the new value" (VerifyUserAttribute)."""
    pool_id, client_id = new_pool()
    cognito().update_user_pool(
        UserPoolId=pool_id,
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]

    def mine() -> dict[str, str]:
        return {
            a["Name"]: a["Value"] for a in cognito().get_user(AccessToken=token)["UserAttributes"]
        }

    before = mine()
    new_address = email("moved")
    answer = cognito().update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": new_address}]
    )
    assert answer["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    assert mine()["email"] == before["email"] and mine()["email_verified"] == "true"
    code = [m for m in outbox() if m["to"] == new_address][-1]["code"]
    cognito().verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    assert mine()["email"] == new_address and mine()["email_verified"] == "true"
    assert code_for(username)  # the sign-up code went to the first address


def test_without_verify_before_update_the_email_changes_at_once_unverified(service):
    _, client_id = new_pool()
    token = password_sign_in(client_id, confirmed(client_id))["AccessToken"]
    new_address = email("moved")
    cognito().update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": new_address}]
    )
    attributes = {
        a["Name"]: a["Value"] for a in cognito().get_user(AccessToken=token)["UserAttributes"]
    }
    assert attributes["email"] == new_address and attributes["email_verified"] == "false"
