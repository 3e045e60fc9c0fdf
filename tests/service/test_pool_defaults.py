"""A user pool's settings as DescribeUserPool shows them: the defaults Cognito fills in, and
the settings it honours. Through boto3 against an in-process service; each rule cites its page.
"""

from __future__ import annotations

import uuid

import pytest
from cognito_helpers import PASSWORD, cognito, email, fails, new_pool, outbox, username_of


def _bare_pool(**settings) -> str:
    return cognito().create_user_pool(PoolName=f"bare-{uuid.uuid4().hex[:6]}", **settings)[
        "UserPool"
    ]["Id"]


def test_describe_user_pool_fills_in_cognitos_defaults(service):
    """API Reference: PasswordPolicyType (8 characters, all four classes without Policies;
    TemporaryPasswordValidityDays 7), AdminCreateUserConfigType, EmailConfigurationType
    (COGNITO_DEFAULT), VerificationMessageTemplateType (CONFIRM_WITH_CODE), CreateUserPool
    (DeletionProtection INACTIVE)."""
    described = cognito().describe_user_pool(UserPoolId=_bare_pool())["UserPool"]
    assert described["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    assert described["AdminCreateUserConfig"] == {
        "AllowAdminCreateUserOnly": False,
        "UnusedAccountValidityDays": 7,
    }
    assert described["EmailConfiguration"] == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    assert described["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert described["DeletionProtection"] == "INACTIVE"
    assert described["MfaConfiguration"] == "OFF"


def test_a_given_password_policy_gets_the_temporary_password_validity(service):
    policy = {"MinimumLength": 10, "RequireUppercase": False}
    described = cognito().describe_user_pool(
        UserPoolId=_bare_pool(Policies={"PasswordPolicy": policy})
    )["UserPool"]
    assert described["Policies"]["PasswordPolicy"] == {**policy, "TemporaryPasswordValidityDays": 7}


def test_the_default_policy_is_enforced_not_a_length_check_alone(service):
    """Developer guide, "Adding user pool password requirements": a pool made without a policy
    has the default one (all four character classes)."""
    pool_id = _bare_pool(AutoVerifiedAttributes=["email"])
    client_id = cognito().create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    with fails(
        "InvalidPasswordException",
        "Password did not conform with policy: Password must have symbol characters",
    ):
        cognito().sign_up(ClientId=client_id, Username="weak", Password="Lowercase1")


def test_the_verification_template_words_the_code_and_fills_the_older_members(service):
    """VerificationMessageTemplateType (EmailMessage, EmailSubject) and CreateUserPool's older
    EmailVerificationMessage/EmailVerificationSubject, which DescribeUserPool mirrors."""
    pool_id = _bare_pool(
        AutoVerifiedAttributes=["email"],
        VerificationMessageTemplate={
            "EmailMessage": "Ride code {####}",
            "EmailSubject": "Your ride code",
        },
    )
    described = cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["EmailVerificationMessage"] == "Ride code {####}"
    assert described["EmailVerificationSubject"] == "Your ride code"
    client_id = cognito().create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    address = email()
    cognito().sign_up(
        ClientId=client_id,
        Username=username_of(address),
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    sent = [m for m in outbox() if m["to"] == address][-1]
    assert sent["subject"] == "Your ride code" and sent["body"] == f"Ride code {sent['code']}"


def test_admin_only_sign_up_and_deletion_protection_are_honoured(service):
    """AdminCreateUserConfigType ("When true, only administrators can create new user
    profiles") and CreateUserPool's DeletionProtection."""
    pool_id, client_id = new_pool()
    cognito().update_user_pool(
        UserPoolId=pool_id,
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        DeletionProtection="ACTIVE",
    )
    with fails("NotAuthorizedException", "SignUp is not permitted for this user pool"):
        cognito().sign_up(ClientId=client_id, Username="someone", Password=PASSWORD)
    with fails("InvalidParameterException"):
        cognito().delete_user_pool(UserPoolId=pool_id)
    cognito().update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    cognito().delete_user_pool(UserPoolId=pool_id)


@pytest.mark.parametrize(
    "settings",
    [
        {"LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
        {"AutoVerifiedAttributes": ["phone_number"]},
        {"VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_LINK"}},
        {"UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"}},
        {"MfaConfiguration": "OPTIONAL"},
    ],
)
def test_settings_the_local_backend_cannot_honour_are_refused_not_ignored(service, settings):
    """What the service would otherwise store and ignore (Lambda triggers, SMS, links, threat
    protection, MFA) is refused with InvalidParameterException, naming the setting."""
    with fails("InvalidParameterException"):
        _bare_pool(**settings)
