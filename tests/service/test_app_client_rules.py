"""An app client's settings, checked and honoured as Cognito checks and honours them.

Each test cites the page of the Amazon Cognito API Reference or developer guide its rule is
from; calls go through boto3 to an in-process service (tests/service/conftest.py).
"""

from __future__ import annotations

import jwt
import pytest
from cognito_helpers import advance_clock, cognito, confirmed, fails, new_pool, password_sign_in


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# API Reference, TokenValidityUnitsType: access and id tokens "can range from five minutes to one
# day", refresh tokens "from 60 minutes to 10 years"; Cognito answers "Invalid range for token
# validity." otherwise.
@pytest.mark.parametrize(
    "settings",
    [
        {"AccessTokenValidity": 1, "TokenValidityUnits": {"AccessToken": "minutes"}},
        {"IdTokenValidity": 299, "TokenValidityUnits": {"IdToken": "seconds"}},
        {"IdTokenValidity": 25},  # hours, the default unit
        {"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}},
        {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},
        {"RefreshTokenValidity": 3651},  # days, the default unit
    ],
)
def test_token_validities_outside_cognitos_ranges_are_refused(service, settings):
    pool_id, client_id = new_pool()
    with fails("InvalidParameterException", "Invalid range for token validity."):
        cognito().create_user_pool_client(UserPoolId=pool_id, ClientName="short", **settings)
    with fails("InvalidParameterException", "Invalid range for token validity."):
        cognito().update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, **settings)


def test_the_ends_of_each_range_are_accepted_and_a_wrong_unit_is_refused(service):
    pool_id, _ = new_pool()
    client = cognito().create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="edges",
        AccessTokenValidity=300,
        IdTokenValidity=1,
        RefreshTokenValidity=60,
        TokenValidityUnits={"AccessToken": "seconds", "IdToken": "days", "RefreshToken": "minutes"},
    )["UserPoolClient"]
    assert client["AccessTokenValidity"] == 300 and client["RefreshTokenValidity"] == 60
    with fails(
        "InvalidParameterException",
        "1 validation error detected: Value 'weeks' at 'tokenValidityUnits.idToken' failed to "
        "satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]",
    ):
        cognito().create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="weeks",
            IdTokenValidity=1,
            TokenValidityUnits={"IdToken": "weeks"},
        )


def test_the_expiry_demo_moves_the_clock_past_a_five_minute_token(service):
    """The instructor's demo: the shortest lifetime Cognito allows, then the backend's clock
    (local only) moved past it; the service's own user APIs refuse the expired access token."""
    _, client_id = new_pool(
        AccessTokenValidity=5,
        IdTokenValidity=5,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes"},
    )
    tokens = password_sign_in(client_id, confirmed(client_id))
    assert _claims(tokens["IdToken"])["exp"] - _claims(tokens["IdToken"])["iat"] == 300
    assert cognito().get_user(AccessToken=tokens["AccessToken"])["Username"]
    advance_clock(301)
    with fails("NotAuthorizedException", "Access Token has expired"):
        cognito().get_user(AccessToken=tokens["AccessToken"])
