"""ListUsers' Filter, as the API Reference describes it (ListUsers, Filter): ``=`` and ``^=``,
a quoted value, the searchable standard attributes only, ``cognito:user_status``
case-insensitive and ``status`` Enabled/Disabled. Through boto3, in-process."""

from __future__ import annotations

import pytest
from cognito_helpers import cognito, confirmed, fails, new_pool, signed_up


def _names(pool_id: str, expression: str) -> set[str]:
    return {
        u["Username"] for u in cognito().list_users(UserPoolId=pool_id, Filter=expression)["Users"]
    }


def test_status_filters_and_the_case_of_the_user_status(service):
    pool_id, client_id = new_pool()
    rider, waiting = confirmed(client_id), signed_up(client_id)
    cognito().admin_disable_user(UserPoolId=pool_id, Username=rider)
    assert _names(pool_id, 'cognito:user_status = "confirmed"') == {rider}
    assert _names(pool_id, 'cognito:user_status = "Unconfirmed"') == {waiting}
    assert _names(pool_id, 'cognito:user_status ^= "unconf"') == {waiting}
    assert _names(pool_id, 'status = "Disabled"') == {rider}
    assert _names(pool_id, 'status = "Enabled"') == {waiting}
    assert _names(pool_id, f'username ^= "{rider[:12]}"') == {rider}
    assert _names(pool_id, "") == {rider, waiting}  # an empty filter lists everyone


@pytest.mark.parametrize(
    "expression",
    [
        "email = rider@example.com",  # unquoted
        'email = ""',  # empty value
        'email != "x"',  # not an operator ListUsers has
        'custom:team = "blue"',  # custom attributes are not searchable
        'locale = "en"',  # a standard attribute that is not searchable
    ],
)
def test_malformed_or_unsearchable_filters_are_refused_even_in_an_empty_pool(service, expression):
    pool_id, _ = new_pool()
    with fails("InvalidParameterException"):
        cognito().list_users(UserPoolId=pool_id, Filter=expression)
