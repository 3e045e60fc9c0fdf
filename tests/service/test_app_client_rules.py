"""An app client's settings, checked and honoured as Cognito checks and honours them.

Each test cites the page of the Amazon Cognito API Reference or developer guide its rule is
from; calls go through boto3 to an in-process service (tests/service/conftest.py).
"""

from __future__ import annotations

import jwt
import pytest
from cognito_helpers import (
    PASSWORD,
    advance_clock,
    cognito,
    confirmed,
    fails,
    new_pool,
    password_sign_in,
    srp_sign_in,
)

from wildrydes import srp


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


# -- refresh token rotation (API Reference, RefreshTokenRotationType; developer guide,
# "Refresh tokens") ---------------------------------------------------------------------------
ROTATION = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 30}


def _refresh(client_id: str, token: str) -> dict:
    return cognito().get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)[
        "AuthenticationResult"
    ]


def test_rotation_is_accepted_returned_and_checked(service):
    pool_id, client_id = new_pool(RefreshTokenRotation=ROTATION)
    described = cognito().describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"]["RefreshTokenRotation"] == ROTATION
    with fails("InvalidParameterException"):  # Valid Range: 0 to 60
        cognito().update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=client_id,
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 61},
        )
    with fails("InvalidParameterException"):  # Valid Values: ENABLED | DISABLED
        cognito().update_user_pool_client(
            UserPoolId=pool_id, ClientId=client_id, RefreshTokenRotation={"Feature": "ON"}
        )


def test_with_rotation_the_old_refresh_token_stops_after_the_grace_period(service):
    """A new refresh token with each refresh; the one it replaced works for
    RetryGracePeriodSeconds more (a client's retry), then is refused; the sign-in's expiry
    stays counted from the sign-in."""
    _, client_id = new_pool(RefreshTokenRotation=ROTATION)
    first = password_sign_in(client_id, confirmed(client_id))["RefreshToken"]
    second = _refresh(client_id, first)["RefreshToken"]
    assert second and second != first
    advance_clock(29)
    retried = _refresh(client_id, first)["RefreshToken"]  # a retry inside the grace period
    assert retried not in (first, second)
    advance_clock(2)
    with fails("NotAuthorizedException", "Invalid Refresh Token"):
        _refresh(client_id, first)
    third = _refresh(client_id, retried)["RefreshToken"]
    advance_clock(30 * 86400)
    with fails("NotAuthorizedException", "Refresh Token has expired"):
        _refresh(client_id, third)


def test_with_rotation_refresh_token_auth_is_refused_and_without_it_nothing_rotates(service):
    """Developer guide, "Refresh tokens": "You can't authenticate with REFRESH_TOKEN_AUTH in app
    clients with refresh token rotation enabled"; without rotation no new refresh token."""
    _, rotating = new_pool(RefreshTokenRotation={"Feature": "ENABLED"})
    token = password_sign_in(rotating, confirmed(rotating))["RefreshToken"]
    with fails("InvalidParameterException"):
        cognito().initiate_auth(
            ClientId=rotating,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": token},
        )
    assert _refresh(rotating, token)["RefreshToken"]
    with fails("NotAuthorizedException", "Invalid Refresh Token"):  # no grace period: 0
        _refresh(rotating, token)
    _, plain = new_pool()
    token = password_sign_in(plain, confirmed(plain))["RefreshToken"]
    assert "RefreshToken" not in _refresh(plain, token)
    assert _refresh(plain, token)["AccessToken"]


# -- the older ExplicitAuthFlows names (API Reference, CreateUserPoolClient, ExplicitAuthFlows)
def test_the_older_flow_names_are_honoured(service):
    """USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH enable what their ALLOW_ names enable; SRP and
    refresh stay allowed, as they always were for such clients."""
    pool_id, client_id = new_pool()
    older = cognito().create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="older",
        ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"],
    )["UserPoolClient"]
    assert older["ExplicitAuthFlows"] == ["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"]
    username = confirmed(client_id)
    tokens = password_sign_in(older["ClientId"], username)
    assert cognito().admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=older["ClientId"],
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["IdToken"]
    assert srp_sign_in(pool_id, older["ClientId"], username)["IdToken"]
    assert cognito().initiate_auth(
        ClientId=older["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]["AccessToken"]


def test_custom_auth_only_allows_no_password_flow_and_mixing_is_refused(service):
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    custom_only = cognito().create_user_pool_client(
        UserPoolId=pool_id, ClientName="custom", ExplicitAuthFlows=["CUSTOM_AUTH_FLOW_ONLY"]
    )["UserPoolClient"]["ClientId"]
    with fails("InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client"):
        srp_sign_in(pool_id, custom_only, username)
    with fails("InvalidParameterException"):
        cognito().create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="mixed",
            ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
        )
    with fails("InvalidParameterException"):
        cognito().create_user_pool_client(
            UserPoolId=pool_id, ClientName="unknown", ExplicitAuthFlows=["ALLOW_EVERYTHING"]
        )


# -- sessions, revocation and the client secret (API Reference, CreateUserPoolClient,
# RevokeToken, GetTokensFromRefreshToken) ------------------------------------------------------
def test_auth_session_validity_is_checked_and_honoured(service):
    """AuthSessionValidity: 3 to 15 minutes for an SRP challenge to be answered."""
    pool_id, client_id = new_pool(AuthSessionValidity=10)
    with fails("InvalidParameterException"):
        cognito().update_user_pool_client(
            UserPoolId=pool_id, ClientId=client_id, AuthSessionValidity=16
        )
    username = confirmed(client_id)
    a = srp.new_ephemeral_a()
    challenge = cognito().initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters=srp.auth_parameters(username, srp.compute_A(a)),
    )["ChallengeParameters"]
    advance_clock(5 * 60)  # past the 3-minute default, inside this client's 10 minutes
    assert cognito().respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.client_response(pool_id, PASSWORD, a, challenge),
    )["AuthenticationResult"]["IdToken"]


def test_revocation_off_and_a_missing_client_secret_are_refused(service):
    pool_id, client_id = new_pool(EnableTokenRevocation=False)
    token = password_sign_in(client_id, confirmed(client_id))["RefreshToken"]
    with fails("UnsupportedOperationException"):
        cognito().revoke_token(ClientId=client_id, Token=token)
    secret_client = cognito().create_user_pool_client(
        UserPoolId=pool_id, ClientName="secret", GenerateSecret=True
    )["UserPoolClient"]
    with fails("NotAuthorizedException"):
        cognito().revoke_token(ClientId=secret_client["ClientId"], Token=token)
    with fails("NotAuthorizedException"):
        cognito().get_tokens_from_refresh_token(
            ClientId=secret_client["ClientId"], RefreshToken=token
        )
    cognito().revoke_token(  # the right secret: an unknown token is no error (RFC 7009)
        ClientId=secret_client["ClientId"],
        Token="not-a-token",
        ClientSecret=secret_client["ClientSecret"],
    )


def test_read_and_write_attributes_limit_what_a_client_sees_and_changes(service):
    """API Reference, CreateUserPoolClient: ReadAttributes and WriteAttributes (unset: all)."""
    pool_id, client_id = new_pool()
    limited = cognito().create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="limited",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email"],
        WriteAttributes=["name"],
    )["UserPoolClient"]["ClientId"]
    username = confirmed(client_id)
    cognito().admin_update_user_attributes(
        UserPoolId=pool_id, Username=username, UserAttributes=[{"Name": "name", "Value": "R"}]
    )
    tokens = password_sign_in(limited, username)
    shown = {
        a["Name"] for a in cognito().get_user(AccessToken=tokens["AccessToken"])["UserAttributes"]
    }
    assert shown == {"sub", "email"}
    assert "name" not in _claims(tokens["IdToken"]) and "email" in _claims(tokens["IdToken"])
    cognito().update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": "name", "Value": "S"}]
    )
    with fails("NotAuthorizedException", "A client attempted to write unauthorized attribute"):
        cognito().update_user_attributes(
            AccessToken=tokens["AccessToken"],
            UserAttributes=[{"Name": "custom:team", "Value": "blue"}],
        )
