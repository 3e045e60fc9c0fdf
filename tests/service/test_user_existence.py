"""PreventUserExistenceErrors: an app client that hides which users exist answers for an
unknown user exactly as for a known one with a wrong password or code. Through boto3 against
an in-process service; the rules are the developer guide's, "Managing error responses"
(user existence errors), and the API Reference's ConfirmForgotPassword (Errors).
"""

from __future__ import annotations

from cognito_helpers import (
    INCORRECT,
    PASSWORD,
    cognito,
    confirmed,
    fails,
    new_pool,
    srp_sign_in,
)

EXPIRED = "Invalid code provided, please request a code again."


def test_srp_for_an_unknown_user_fails_only_at_the_answer_like_a_wrong_password(service):
    """With ENABLED, InitiateAuth USER_SRP_AUTH for an unknown user answers a PASSWORD_VERIFIER
    challenge; RespondToAuthChallenge then fails with the wrong password's
    NotAuthorizedException ("Managing error responses")."""
    pool_id, client_id = new_pool(PreventUserExistenceErrors="ENABLED")
    known = confirmed(client_id)
    with fails("NotAuthorizedException", INCORRECT):
        srp_sign_in(pool_id, client_id, known, "Wrong-Horse-9")
    with fails("NotAuthorizedException", INCORRECT):
        srp_sign_in(pool_id, client_id, "nobody-at-example.com", PASSWORD)
    salts = {
        cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "nobody-at-example.com", "SRP_A": "ab" * 64},
        )["ChallengeParameters"]["SALT"]
        for _ in range(2)
    }
    assert len(salts) == 1  # the same salt each time, as a real user's is


def test_srp_for_an_unknown_user_says_so_when_the_client_does_not_hide_it(service):
    pool_id, client_id = new_pool(PreventUserExistenceErrors="LEGACY")
    with fails("UserNotFoundException"):
        srp_sign_in(pool_id, client_id, "nobody-at-example.com", PASSWORD)


def test_confirm_forgot_password_without_a_requested_code_is_an_expired_code(service):
    """API Reference, ConfirmForgotPassword, Errors (ExpiredCodeException): a user who never
    asked for a reset code, known or (with ENABLED) unknown, gets the same answer."""
    _, client_id = new_pool(PreventUserExistenceErrors="ENABLED")
    for username in (confirmed(client_id), "nobody-at-example.com"):
        with fails("ExpiredCodeException", EXPIRED):
            cognito().confirm_forgot_password(
                ClientId=client_id,
                Username=username,
                ConfirmationCode="123456",
                Password="Brand-New-Pass-7",
            )
