"""Small operations learners' apps call: UpdateGroup, AdminDeleteUserAttributes and
GetUserPoolMfaConfig, through boto3 against an in-process service, each as its API Reference
page describes it."""

from __future__ import annotations

from cognito_helpers import cognito, confirmed, fails, new_pool


def test_update_group_changes_only_what_it_names(service):
    """API Reference, UpdateGroup: "updates any of the properties for precedence, IAM role, or
    description"."""
    pool_id, _ = new_pool()
    cognito().create_group(UserPoolId=pool_id, GroupName="riders", Description="d", Precedence=3)
    group = cognito().update_group(UserPoolId=pool_id, GroupName="riders", Precedence=1)["Group"]
    assert group["Precedence"] == 1 and group["Description"] == "d"
    assert cognito().get_group(UserPoolId=pool_id, GroupName="riders")["Group"]["Precedence"] == 1
    with fails("ResourceNotFoundException"):
        cognito().update_group(UserPoolId=pool_id, GroupName="nobody", Precedence=1)


def test_admin_delete_user_attributes_keeps_the_required_ones(service):
    """API Reference, AdminDeleteUserAttributes."""
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    cognito().admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "custom:team", "Value": "b"}],
    )
    cognito().admin_delete_user_attributes(
        UserPoolId=pool_id, Username=username, UserAttributeNames=["custom:team"]
    )
    names = {
        a["Name"]
        for a in cognito().admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    }
    assert "custom:team" not in names and "email" in names
    with fails("InvalidParameterException"):  # email is required in this pool
        cognito().admin_delete_user_attributes(
            UserPoolId=pool_id, Username=username, UserAttributeNames=["email"]
        )
    with fails("UserNotFoundException"):
        cognito().admin_delete_user_attributes(
            UserPoolId=pool_id, Username="nobody", UserAttributeNames=["name"]
        )


def test_mfa_is_off_and_said_so(service):
    """API Reference, GetUserPoolMfaConfig; the local backend has no MFA and refuses to store
    a setting it would not honour."""
    pool_id, _ = new_pool()
    assert cognito().get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OFF"
    with fails("InvalidParameterException"):
        cognito().update_user_pool(UserPoolId=pool_id, MfaConfiguration="ON")


def test_an_invitation_by_sms_is_refused_not_dropped(service):
    """API Reference, AdminCreateUser (DesiredDeliveryMediums): the local backend sends no SMS,
    so it says so instead of sending nothing."""
    pool_id, _ = new_pool()
    with fails("InvalidParameterException"):
        cognito().admin_create_user(
            UserPoolId=pool_id, Username="texted", DesiredDeliveryMediums=["SMS"]
        )
