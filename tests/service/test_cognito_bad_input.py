"""Bad input to the local Cognito: each gets Cognito's error, and nothing is stored.

Requests go as raw bodies (no SDK validation in the way), the way any client could send them,
to a service of the test's own, in-process; each answer is what the wire would carry.
"""

from __future__ import annotations

import pytest
from cognito_helpers import (
    PASSWORD,
    advance_clock,
    code_for,
    cognito,
    confirmed,
    email,
    fails,
    new_pool,
    password_sign_in,
    post,
    username_of,
)


@pytest.fixture
def pool(service) -> tuple[str, str]:
    return new_pool("bad-input")


def _sign_up_body(client_id: str, username: str, **changes) -> dict:
    body = {
        "ClientId": client_id,
        "Username": username,
        "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": username.replace("-at-", "@")}],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


_VALIDATION = "1 validation error detected: Value "
BAD_SIGN_UPS = {
    "username not a string": ({"Username": 42}, "InvalidParameterException", _VALIDATION),
    "password not a string": ({"Password": ["x"]}, "InvalidParameterException", _VALIDATION),
    "attributes not a list": (
        {"UserAttributes": {"email": "a@b.co"}},
        "InvalidParameterException",
        _VALIDATION,
    ),
    "attribute without a name": (
        {"UserAttributes": [{"Value": "x"}]},
        "InvalidParameterException",
        _VALIDATION,
    ),
    "missing password": (
        {"Password": None},
        "InvalidParameterException",
        "1 validation error detected: Value null at 'password'",
    ),
    "missing client id": (
        {"ClientId": None},
        "InvalidParameterException",
        "1 validation error detected: Value null at 'clientId'",
    ),
    "unknown attribute": (
        {"UserAttributes": [{"Name": "favourite", "Value": "x"}]},
        "InvalidParameterException",
        "Attributes did not conform to the schema: favourite",
    ),
    "unknown custom attribute": (
        {"UserAttributes": [{"Name": "custom:nope", "Value": "x"}]},
        "InvalidParameterException",
        "Attributes did not conform to the schema: custom:nope",
    ),
    "claim as attribute": (
        {"UserAttributes": [{"Name": "cognito:groups", "Value": "admin"}]},
        "InvalidParameterException",
        "Attributes did not conform to the schema: cognito:groups",
    ),
    "sub as attribute": (
        {"UserAttributes": [{"Name": "sub", "Value": "mine"}]},
        "InvalidParameterException",
        "Cannot modify the non-mutable",
    ),
    "verified flag by the user": (
        {
            "UserAttributes": [
                {"Name": "email", "Value": "a@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ]
        },
        "InvalidParameterException",
        "Cannot modify the non-mutable attribute email_verified",
    ),
    "not an email": (
        {"UserAttributes": [{"Name": "email", "Value": "not-an-email"}]},
        "InvalidParameterException",
        "Invalid email address format.",
    ),
    "over-long username": (
        {"Username": "u" * 129},
        "InvalidParameterException",
        "1 validation error detected: Value at 'username' failed to "
        "satisfy constraint: Member must have length less than or equal "
        "to 128",
    ),
    "over-long password": (
        {"Password": "Aa1!" * 65},
        "InvalidParameterException",
        "1 validation error detected: Value at 'password' failed to "
        "satisfy constraint: Member must have length less than or equal "
        "to 256",
    ),
    "NUL in username": ({"Username": "rider\x00x"}, "InvalidParameterException", _VALIDATION),
    "NUL in password": (
        {"Password": "Correct-Horse-9\x00"},
        "InvalidParameterException",
        _VALIDATION,
    ),
    "lone surrogate in attribute": (
        {"UserAttributes": [{"Name": "email", "Value": "a\ud800@example.com"}]},
        "InvalidParameterException",
        _VALIDATION,
    ),
    "weak password": (
        {"Password": "password"},
        "InvalidPasswordException",
        "Password did not conform with policy",
    ),
    "unknown client": (
        {"ClientId": "nosuchclient123"},
        "ResourceNotFoundException",
        "User pool client nosuchclient123 does not exist.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SIGN_UPS), ids=list(BAD_SIGN_UPS))
def test_bad_sign_up_gets_cognitos_error_and_stores_nothing(pool, case):
    pool_id, client_id = pool
    changes, code, words = BAD_SIGN_UPS[case]
    username = username_of(email("bad"))
    body = _sign_up_body(client_id, username, **changes)
    response = post("SignUp", body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["__type"] == code and error["message"].startswith(words), error
    assert PASSWORD not in response.text and "Aa1!Aa1!" not in response.text
    stored = [u["Username"] for u in cognito().list_users(UserPoolId=pool_id)["Users"]]
    assert username not in stored and body.get("Username") not in stored


def test_lone_surrogate_as_raw_json_escape(pool):
    _, client_id = pool
    raw = (
        b'{"ClientId": "%s", "Username": "rider-\\udc00", "Password": "Correct-Horse-9"}'
        % client_id.encode()
    )
    error = post("SignUp", raw).json()
    assert error["__type"] == "InvalidParameterException"


def test_body_that_is_not_an_object(pool):
    for raw in (b"[1, 2]", b'"text"', b"\xff\xfe"):
        assert post("SignUp", raw).json()["__type"] == "InvalidParameterException"


def test_unknown_pool_on_admin_operations(pool):
    with fails("ResourceNotFoundException", "User pool us-east-1_NoSuchPol does not exist."):
        cognito().admin_get_user(UserPoolId="us-east-1_NoSuchPol", Username="x")
    with fails("ResourceNotFoundException"):
        cognito().list_users(UserPoolId="us-east-1_NoSuchPol")


def test_wrong_and_reused_confirmation_codes(pool):
    pool_id, client_id = pool
    username = username_of(email())
    post("SignUp", _sign_up_body(client_id, username)).raise_for_status()
    code = code_for(username)
    with fails("CodeMismatchException"):
        cognito().confirm_sign_up(
            ClientId=client_id, Username=username, ConfirmationCode="not-the-code"
        )
    assert (
        cognito().admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]
        == "UNCONFIRMED"
    )
    cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    with fails("NotAuthorizedException"):  # reused: the user is confirmed already
        cognito().confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)


def test_locked_out_user_changes_nothing(service):
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    for _ in range(5):
        with fails("NotAuthorizedException"):
            password_sign_in(client_id, username, "Wrong-Password-1")
    with fails("NotAuthorizedException", "Password attempts exceeded"):
        cognito().admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )


TOKEN_OPERATIONS = {
    "GetUser": {},
    "UpdateUserAttributes": {"UserAttributes": [{"Name": "custom:team", "Value": "red"}]},
    "DeleteUserAttributes": {"UserAttributeNames": ["custom:team"]},
    "GetUserAttributeVerificationCode": {"AttributeName": "email"},
    "VerifyUserAttribute": {"AttributeName": "email", "Code": "123456"},
    "ChangePassword": {"PreviousPassword": PASSWORD, "ProposedPassword": "Brand-New-Pass-7"},
    "GlobalSignOut": {},
    "DeleteUser": {},
}


@pytest.mark.parametrize("operation", list(TOKEN_OPERATIONS))
def test_revoked_access_token_is_refused_everywhere(pool, operation):
    pool_id, client_id = pool
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]
    cognito().admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
    error = post(operation, {"AccessToken": token, **TOKEN_OPERATIONS[operation]}).json()
    assert error == {"__type": "NotAuthorizedException", "message": "Access Token has been revoked"}
    assert cognito().admin_get_user(UserPoolId=pool_id, Username=username)["Username"]
    assert password_sign_in(client_id, username)["AccessToken"]  # the password is unchanged


@pytest.mark.parametrize("operation", list(TOKEN_OPERATIONS))
def test_expired_access_token_is_refused_everywhere(service, operation):
    pool_id, client_id = new_pool()
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]
    advance_clock(3601)
    error = post(operation, {"AccessToken": token, **TOKEN_OPERATIONS[operation]}).json()
    assert error == {"__type": "NotAuthorizedException", "message": "Access Token has expired"}
    assert password_sign_in(client_id, username)["AccessToken"]


@pytest.mark.parametrize("operation", list(TOKEN_OPERATIONS))
def test_forged_access_token_is_refused_everywhere(pool, operation):
    _, client_id = pool
    username = confirmed(client_id)
    token = password_sign_in(client_id, username)["AccessToken"]
    head, body, signature = token.split(".")
    forged = f"{head}.{body}.{signature[::-1]}"
    error = post(operation, {"AccessToken": forged, **TOKEN_OPERATIONS[operation]}).json()
    assert error == {"__type": "NotAuthorizedException", "message": "Invalid Access Token"}


def _wrong_type_cases(pool_id: str, client_id: str) -> dict[str, tuple[str, dict]]:
    return {
        "InitiateAuth ClientId number": (
            "InitiateAuth",
            {"ClientId": 7, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {}},
        ),
        "InitiateAuth AuthParameters list": (
            "InitiateAuth",
            {"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": ["x"]},
        ),
        "InitiateAuth AuthParameters number value": (
            "InitiateAuth",
            {"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": 5}},
        ),
        "ConfirmSignUp code number": (
            "ConfirmSignUp",
            {"ClientId": client_id, "Username": "rider", "ConfirmationCode": 123456},
        ),
        "ListUsers Limit string": ("ListUsers", {"UserPoolId": pool_id, "Limit": "ten"}),
        "AdminSetUserPassword Permanent string": (
            "AdminSetUserPassword",
            {"UserPoolId": pool_id, "Username": "rider", "Password": PASSWORD, "Permanent": "yes"},
        ),
        "CreateGroup Precedence boolean": (
            "CreateGroup",
            {"UserPoolId": pool_id, "GroupName": "g", "Precedence": True},
        ),
        "AdminCreateUser missing Username": ("AdminCreateUser", {"UserPoolId": pool_id}),
        "GetUser missing AccessToken": ("GetUser", {}),
        "RespondToAuthChallenge missing ChallengeName": (
            "RespondToAuthChallenge",
            {"ClientId": client_id, "ChallengeResponses": {}},
        ),
    }


def test_wrong_types_and_missing_members_in_other_operations(pool):
    pool_id, client_id = pool
    for case, (operation, body) in _wrong_type_cases(pool_id, client_id).items():
        error = post(operation, body).json()
        assert error["__type"] == "InvalidParameterException", (case, error)
        assert error["message"].startswith("1 validation error detected: Value"), (case, error)
    assert "g" not in [g["GroupName"] for g in cognito().list_groups(UserPoolId=pool_id)["Groups"]]


def test_unknown_client_on_public_operations(pool):
    for operation, body in (
        (
            "InitiateAuth",
            {"AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": "x", "SRP_A": "2"}},
        ),
        ("ConfirmSignUp", {"Username": "x", "ConfirmationCode": "123456"}),
        ("ForgotPassword", {"Username": "x"}),
        ("GetTokensFromRefreshToken", {"RefreshToken": "x"}),
    ):
        error = post(operation, {"ClientId": "nosuchclient123", **body}).json()
        assert error == {
            "__type": "ResourceNotFoundException",
            "message": "User pool client nosuchclient123 does not exist.",
        }
