"""Cognito's per-user limit on code requests: ResendConfirmationCode and ForgotPassword.

Source: Amazon Cognito Developer Guide, "Recovering user accounts", forgot-password behavior:
"In a given hour, we allow between 5 and 20 attempts for a user to request or enter a password
reset code". The local service takes the lower bound (5 per user per hour) for both operations;
past it, ``LimitExceededException`` "Attempt limit exceeded, please try after some time." and no
message is sent. A learner who hammers "Resend code" (or another local user calling
ForgotPassword for them) can no longer fill the mailbox or cycle codes without end.

In-process (tests/service): each test has a service of its own and moves its own clock.
"""

from __future__ import annotations

from cognito_helpers import advance_clock, cognito, confirmed, fails, new_pool, outbox, signed_up

MESSAGE = "Attempt limit exceeded, please try after some time."


def _messages_to(username: str) -> int:
    return sum(1 for m in outbox() if m["username"] == username)


def test_resend_confirmation_code_is_limited_per_user_per_hour(service):
    _, client_id = new_pool("resend")
    username = signed_up(client_id)
    other = signed_up(client_id)
    for _ in range(5):
        cognito().resend_confirmation_code(ClientId=client_id, Username=username)
    with fails("LimitExceededException", MESSAGE):
        cognito().resend_confirmation_code(ClientId=client_id, Username=username)
    assert _messages_to(username) == 1 + 5  # the sign-up's code and five resends, no more
    # Another user of the same pool is counted apart.
    cognito().resend_confirmation_code(ClientId=client_id, Username=other)
    # An hour later the user may ask again.
    advance_clock(3601)
    cognito().resend_confirmation_code(ClientId=client_id, Username=username)
    assert _messages_to(username) == 7


def test_forgot_password_is_limited_per_user_per_hour(service):
    _, client_id = new_pool("forgot")
    username = confirmed(client_id)
    for _ in range(5):
        cognito().forgot_password(ClientId=client_id, Username=username)
    before = _messages_to(username)
    with fails("LimitExceededException", MESSAGE):
        cognito().forgot_password(ClientId=client_id, Username=username)
    assert _messages_to(username) == before  # nothing sent for the refused request
    advance_clock(3601)
    cognito().forgot_password(ClientId=client_id, Username=username)
    assert _messages_to(username) == before + 1
