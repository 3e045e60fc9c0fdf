"""Password recovery refused in Cognito's order. Through boto3, in-process; each rule cites its
API Reference page."""

from __future__ import annotations

from cognito_helpers import cognito, confirmed, fails, new_pool, signed_up


def test_admin_only_recovery_refuses_forgot_password(service):
    """API Reference, RecoveryOptionType (``admin_only``): users cannot reset their own
    password; ForgotPassword is NotAuthorizedException, for a known user and an unknown one."""
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    cognito().update_user_pool(
        UserPoolId=pool_id,
        AutoVerifiedAttributes=["email"],
        AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]},
    )
    for name in (username, "nobody-at-example.com"):
        with fails("NotAuthorizedException"):
            cognito().forgot_password(ClientId=client_id, Username=name)


def test_admin_reset_of_a_disabled_or_unconfirmed_user_is_not_authorized(service):
    """API Reference, AdminResetUserPassword (Errors): NotAuthorizedException for a user who
    cannot be reset, before the missing verified address would be reported."""
    pool_id, client_id = new_pool()
    disabled = confirmed(client_id)
    cognito().admin_disable_user(UserPoolId=pool_id, Username=disabled)
    with fails("NotAuthorizedException", "User is disabled."):
        cognito().admin_reset_user_password(UserPoolId=pool_id, Username=disabled)
    waiting = signed_up(client_id)  # its email is not verified either
    with fails("NotAuthorizedException", "User password cannot be reset in the current state."):
        cognito().admin_reset_user_password(UserPoolId=pool_id, Username=waiting)
