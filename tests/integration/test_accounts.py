"""Register, confirm, sign in, refresh, sign out and verify, against the embedded backend.

The shared ``flow_*`` bodies live in ``tests/account_flows.py`` (real AWS runs them too);
bodies that need the local mailbox or the local clock are plain tests here.
"""

from __future__ import annotations

import html
import re

import boto3
import pytest
import tests_support
from account_flows import (
    PASSWORD,
    SHARED_FLOW_IDS,
    SHARED_FLOWS,
    make_rider,
    new_email,
    raises_auth,
    user_status,
)

from wildrydes import accounts, launch, mailbox, tokens
from wildrydes.backend import Backend
from wildrydes.errors import ConfigurationError
from wildrydes.kit import Kit, current
from wildrydes.trace import TRACE


# == the embedded backend ======================================================================
@pytest.fixture
def kit(launched):
    return current()


@pytest.mark.parametrize(("flow", "args"), SHARED_FLOWS, ids=SHARED_FLOW_IDS)
def test_shared_flow(kit, flow, args):
    flow(kit, *args)


def advance_clock(kit: Kit, seconds: float) -> None:
    tests_support.advance_clock(kit.backend.endpoint_url, seconds)


def test_confirm_with_the_code_from_the_local_mailbox(kit):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    code = mailbox.latest_code(kit.backend, email)
    assert len(code) == 6 and code.isdigit()
    result = accounts.confirm(kit, email, f" {code} ")
    assert "confirmed" in str(result) and user_status(kit, email) == "CONFIRMED"
    email2 = new_email()
    accounts.register(kit, email2, PASSWORD)
    assert "local mailbox" in str(accounts.confirm(kit, email2, from_mailbox=True))
    assert accounts.sign_in(kit, email2, PASSWORD).id_token


def test_confirm_twice_with_the_same_code(kit):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    code = mailbox.latest_code(kit.backend, email)
    accounts.confirm(kit, email, code)
    raises_auth("NotAuthorizedException", "confirmed already", "sign in")(
        accounts.confirm, kit, email, code
    )


def test_resend_makes_the_old_code_stop_working(kit):
    """The kit's rule (Cognito documents none about older codes), and said to be the kit's."""
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    old = mailbox.latest_code(kit.backend, email)
    sent = accounts.resend_code(kit, email)
    assert sent.medium == "EMAIL" and sent.destination.endswith("***")
    assert sent.startswith(f"A new code for {email} was sent by EMAIL") and "newest" in sent
    assert html.escape(sent) == str(sent)  # reads as text wherever a str is expected
    new = mailbox.latest_code(kit.backend, email)
    if new != old:  # a one-in-a-million repeat would make the old code the right one
        raises_auth("CodeMismatchException", "not right for", "newest")(
            accounts.confirm, kit, email, old
        )
    accounts.confirm(kit, email, new)
    assert user_status(kit, email) == "CONFIRMED"


def test_code_for_another_user(kit):
    first, second = new_email(), new_email()
    accounts.register(kit, first, PASSWORD)
    accounts.register(kit, second, PASSWORD)
    code = mailbox.latest_code(kit.backend, first)
    while mailbox.latest_code(kit.backend, second) == code:
        accounts.resend_code(kit, second)
    raises_auth("CodeMismatchException", "not right for " + second)(
        accounts.confirm, kit, second, code
    )
    assert user_status(kit, second) == "UNCONFIRMED"
    accounts.confirm(kit, first, code)  # the code still works for the user it was sent to
    assert user_status(kit, first) == "CONFIRMED"


def test_missing_code(kit):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    raises_auth("MissingCode", "--code", "--admin")(accounts.confirm, kit, email, "  ")


def test_mailbox_without_a_message(kit):
    with pytest.raises(Exception, match="No message to .* in the local mailbox"):
        accounts.confirm(kit, new_email(), from_mailbox=True)


def test_mailbox_is_refused_on_aws_before_any_call():
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    aws = Kit(
        Backend("aws", "us-east-1", None, session), "bucket", "us-east-1_Abc", "1example23456789"
    )
    mark = TRACE.mark()
    with pytest.raises(ConfigurationError, match="only on the embedded backend.*--code"):
        accounts.confirm(aws, new_email(), from_mailbox=True)
    assert TRACE.since(mark) == []


def test_expired_code(fresh_backend):
    launch.up()
    kit = current()
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    code = mailbox.latest_code(kit.backend, email)
    advance_clock(kit, 24 * 3600 + 60)
    raises_auth("ExpiredCodeException", "24 hours", "--resend")(accounts.confirm, kit, email, code)
    accounts.resend_code(kit, email)  # nothing lost: a new code works
    accounts.confirm(kit, email, from_mailbox=True)
    assert user_status(kit, email) == "CONFIRMED"


def test_expired_token(fresh_backend):
    launch.up()
    kit = current()
    advance_clock(kit, -(3600 + 300))  # the pool signed it 65 minutes ago
    _, session = make_rider(kit)
    result = accounts.verify_token(kit, session.id_token, "id")
    assert result.failed == ["expiry"]
    # under ten minutes the seconds count too (a slow machine adds one or two)
    assert re.match(r"expired 5 min( \d s)? ago", result["expiry"].detail)
    renewed = accounts.refresh(kit, session)  # nothing lost: the refresh token still works
    advance_clock(kit, 3600 + 300)
    renewed = accounts.refresh(kit, renewed)
    assert accounts.verify_token(kit, renewed.id_token, "id").ok


def test_refresh_without_a_refresh_token(kit):
    _, session = make_rider(kit)
    session.refresh_token = None
    raises_auth("NoRefreshToken", "sign in again")(accounts.refresh, kit, session)


def test_sign_out_twice(kit):
    _, session = make_rider(kit)
    accounts.sign_out(kit, session)
    raises_auth("NotAuthorizedException", "ended already")(accounts.sign_out, kit, session)


def test_verify_token_refetches_keys_for_an_unknown_kid(kit):
    _, session = make_rider(kit)
    client = tokens.jwks_client(kit.jwks_url)
    client._jwks = {"keys": [{"kid": "stale", "kty": "RSA", "n": "AQAB", "e": "AQAB"}]}
    client._fetched_at = client._clock()
    assert accounts.verify_token(kit, session.id_token, "id").ok
    assert client.get_jwks()["keys"][0]["kid"] != "stale"


def test_results_show_in_a_notebook_and_a_terminal(kit):
    email = new_email()
    registration = accounts.register(kit, email, PASSWORD)
    confirmation = accounts.confirm(kit, email, admin=True)
    session = accounts.sign_in(kit, email, PASSWORD)
    for result in (registration, confirmation, session):
        assert email.split("@")[0] in str(result) + result._repr_html_()
        assert PASSWORD not in str(result) + result._repr_html_() + repr(result)
    assert "expire in 1 h;" in str(session)  # a fresh hour, not "59 min"
    assert session.refresh_token not in repr(session)
