"""What Cognito puts in a signed-in user's tokens beyond the basics, checked through boto3
against an in-process service (tests/service/conftest.py); each rule cites its page."""

from __future__ import annotations

import jwt
from cognito_helpers import cognito, confirmed, new_pool, password_sign_in

ROLE = "arn:aws:iam::123456789012:role/{}"


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _group(pool_id: str, name: str, username: str, **settings) -> None:
    cognito().create_group(UserPoolId=pool_id, GroupName=name, **settings)
    cognito().admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=name)


def test_group_roles_appear_in_the_id_token_with_the_lowest_precedence_preferred(service):
    """API Reference, GroupType (Precedence) and CreateGroup (RoleArn): the roles of a user's
    groups are ``cognito:roles``; the group with the lowest Precedence gives
    ``cognito:preferred_role``; a group without a role adds none."""
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    _group(pool_id, "riders", username, RoleArn=ROLE.format("rider"), Precedence=5)
    _group(pool_id, "admins", username, RoleArn=ROLE.format("admin"), Precedence=1)
    _group(pool_id, "unranked", username, RoleArn=ROLE.format("unranked"))
    _group(pool_id, "no-role", username, Precedence=0)
    tokens = password_sign_in(client_id, username)
    id_claims, access = _claims(tokens["IdToken"]), _claims(tokens["AccessToken"])
    assert sorted(id_claims["cognito:roles"]) == sorted(
        ROLE.format(n) for n in ("rider", "admin", "unranked")
    )
    assert id_claims["cognito:preferred_role"] == ROLE.format("admin")
    assert "cognito:roles" not in access and "cognito:preferred_role" not in access
    assert sorted(access["cognito:groups"]) == ["admins", "no-role", "riders", "unranked"]


def test_a_tie_between_different_roles_leaves_no_preferred_role(service):
    """API Reference, GroupType: "If the two groups have different role ARNs, the
    cognito:preferred_role claim isn't set in users' tokens." """
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    _group(pool_id, "a", username, RoleArn=ROLE.format("a"), Precedence=2)
    _group(pool_id, "b", username, RoleArn=ROLE.format("b"), Precedence=2)
    id_claims = _claims(password_sign_in(client_id, username)["IdToken"])
    assert len(id_claims["cognito:roles"]) == 2
    assert "cognito:preferred_role" not in id_claims


def test_a_user_without_groups_has_no_role_claims(service):
    _, client_id = new_pool()
    id_claims = _claims(password_sign_in(client_id, confirmed(client_id))["IdToken"])
    assert not {"cognito:roles", "cognito:preferred_role", "cognito:groups"} & set(id_claims)
