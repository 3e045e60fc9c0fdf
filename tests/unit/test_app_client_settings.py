"""An update of the app client sends back every setting it has; its token lifetimes, read right.

API Reference, UpdateUserPoolClient: "If you don't provide a value for an attribute, Amazon
Cognito sets it to its default value." The kit's local backend does not keep every setting AWS
has (RefreshTokenRotation, for one), so the parameters are checked here, against the service
model boto3 ships, without a call.
"""

from __future__ import annotations

from datetime import datetime, timezone

import boto3
import pytest
from botocore.validate import validate_parameters

from wildrydes import userpool

# What DescribeUserPoolClient returns for a client with every setting in use.
DESCRIBED = {
    "UserPoolId": "us-east-1_AbC123",
    "ClientName": "WildRydesWebApp",
    "ClientId": "1example23456789",
    "ClientSecret": "not-sent-back",
    "LastModifiedDate": datetime(2026, 1, 2, tzinfo=timezone.utc),
    "CreationDate": datetime(2026, 1, 1, tzinfo=timezone.utc),
    "RefreshTokenValidity": 2,
    "AccessTokenValidity": 60,
    "IdTokenValidity": 60,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    "ReadAttributes": ["email"],
    "WriteAttributes": ["email"],
    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "SupportedIdentityProviders": ["COGNITO"],
    "CallbackURLs": ["https://example.com/callback"],
    "LogoutURLs": ["https://example.com/"],
    "DefaultRedirectURI": "https://example.com/callback",
    "AllowedOAuthFlows": ["code"],
    "AllowedOAuthScopes": ["openid"],
    "AllowedOAuthFlowsUserPoolClient": True,
    "AnalyticsConfiguration": {"ApplicationId": "abc", "UserDataShared": False},
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": True,
    "AuthSessionValidity": 7,
    "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
}
READ_ONLY = ("ClientSecret", "LastModifiedDate", "CreationDate")


@pytest.fixture(scope="module")
def cognito():
    return boto3.client("cognito-idp", region_name="us-east-1")  # no call is made


def test_an_update_sends_back_every_setting_the_update_accepts(cognito):
    params = userpool.client_update(cognito, DESCRIBED, IdTokenValidity=5)
    assert params["IdTokenValidity"] == 5
    for kept in (
        "AuthSessionValidity",
        "RefreshTokenRotation",
        "EnablePropagateAdditionalUserContextData",
        "AnalyticsConfiguration",
        "DefaultRedirectURI",
        "PreventUserExistenceErrors",
        "EnableTokenRevocation",
        "RefreshTokenValidity",
        "TokenValidityUnits",
    ):
        assert params[kept] == DESCRIBED[kept], kept
    assert not set(READ_ONLY) & set(params)
    model = cognito.meta.service_model.operation_model("UpdateUserPoolClient")
    validate_parameters(params, model.input_shape)  # raises if AWS would refuse the shape
    assert set(DESCRIBED) - set(params) == set(READ_ONLY)


def test_token_lifetimes_say_cognitos_defaults_when_the_client_sets_none():
    # API Reference, UserPoolClientType: id and access tokens one hour, refresh tokens 30 days.
    found = userpool.token_validities({})
    assert {k: str(v) for k, v in found.items()} == {
        "id_token": "1 hour (Cognito's default)",
        "access_token": "1 hour (Cognito's default)",
        "refresh_token": "30 days (Cognito's default)",
    }
    mine = userpool.token_validities(DESCRIBED)
    assert (str(mine["id_token"]), str(mine["refresh_token"])) == ("60 minutes", "2 days")
    # A unit given for another token does not leak: the id token's default unit is hours.
    assert str(userpool.token_validities({"IdTokenValidity": 3})["id_token"]) == "3 hours"
