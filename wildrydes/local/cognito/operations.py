"""The table of operations: each Cognito operation the service does, and the function doing it.

One explicit entry per operation (no lookup by attribute name). Adding an operation means a
function in the module of its concern, a line here, and its request members in
:mod:`.fields`; a unit test checks the two tables name the same operations.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from wildrydes.local.cognito import (
    admin_users,
    clients,
    groups,
    pools,
    recovery,
    self_service,
    sign_in,
    signup,
    tokens,
)
from wildrydes.local.cognito.context import Operation

__all__ = [
    "OPERATIONS",
]

OPERATIONS: Mapping[str, Operation] = MappingProxyType(
    {
        # user pools and tags
        "CreateUserPool": pools.create_user_pool,
        "DescribeUserPool": pools.describe_user_pool,
        "ListUserPools": pools.list_user_pools,
        "UpdateUserPool": pools.update_user_pool,
        "DeleteUserPool": pools.delete_user_pool,
        "GetUserPoolMfaConfig": pools.get_user_pool_mfa_config,
        "AddCustomAttributes": pools.add_custom_attributes,
        "TagResource": pools.tag_resource,
        "UntagResource": pools.untag_resource,
        "ListTagsForResource": pools.list_tags_for_resource,
        # app clients
        "CreateUserPoolClient": clients.create_user_pool_client,
        "DescribeUserPoolClient": clients.describe_user_pool_client,
        "ListUserPoolClients": clients.list_user_pool_clients,
        "UpdateUserPoolClient": clients.update_user_pool_client,
        "DeleteUserPoolClient": clients.delete_user_pool_client,
        # signing up
        "SignUp": signup.sign_up,
        "ConfirmSignUp": signup.confirm_sign_up,
        "ResendConfirmationCode": signup.resend_confirmation_code,
        # signing in
        "InitiateAuth": sign_in.initiate_auth,
        "AdminInitiateAuth": sign_in.admin_initiate_auth,
        "RespondToAuthChallenge": sign_in.respond_to_auth_challenge,
        "AdminRespondToAuthChallenge": sign_in.admin_respond_to_auth_challenge,
        # tokens after sign-in
        "GetTokensFromRefreshToken": tokens.get_tokens_from_refresh_token,
        "GlobalSignOut": tokens.global_sign_out,
        "AdminUserGlobalSignOut": tokens.admin_user_global_sign_out,
        "RevokeToken": tokens.revoke_token,
        # the signed-in user's own account
        "GetUser": self_service.get_user,
        "UpdateUserAttributes": self_service.update_user_attributes,
        "DeleteUserAttributes": self_service.delete_user_attributes,
        "GetUserAttributeVerificationCode": self_service.get_user_attribute_verification_code,
        "VerifyUserAttribute": self_service.verify_user_attribute,
        "ChangePassword": self_service.change_password,
        "DeleteUser": self_service.delete_user,
        # forgotten passwords
        "ForgotPassword": recovery.forgot_password,
        "ConfirmForgotPassword": recovery.confirm_forgot_password,
        # administrators
        "AdminCreateUser": admin_users.admin_create_user,
        "AdminGetUser": admin_users.admin_get_user,
        "AdminConfirmSignUp": admin_users.admin_confirm_sign_up,
        "AdminSetUserPassword": admin_users.admin_set_user_password,
        "AdminResetUserPassword": admin_users.admin_reset_user_password,
        "AdminEnableUser": admin_users.admin_enable_user,
        "AdminDisableUser": admin_users.admin_disable_user,
        "AdminDeleteUser": admin_users.admin_delete_user,
        "AdminUpdateUserAttributes": admin_users.admin_update_user_attributes,
        "AdminDeleteUserAttributes": admin_users.admin_delete_user_attributes,
        "ListUsers": admin_users.list_users,
        # groups
        "CreateGroup": groups.create_group,
        "GetGroup": groups.get_group,
        "ListGroups": groups.list_groups,
        "UpdateGroup": groups.update_group,
        "DeleteGroup": groups.delete_group,
        "AdminAddUserToGroup": groups.admin_add_user_to_group,
        "AdminRemoveUserFromGroup": groups.admin_remove_user_from_group,
        "AdminListGroupsForUser": groups.admin_list_groups_for_user,
        "ListUsersInGroup": groups.list_users_in_group,
    }
)
