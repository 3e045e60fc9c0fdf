"""The account flows as test bodies, shared by the embedded-backend and real-AWS suites.

The ``flow_*`` functions take a :class:`~wildrydes.kit.Kit` and make their own users:
``tests/integration/test_accounts.py`` runs them on the embedded backend,
``tests/aws/test_real_aws.py`` on real AWS, and ``tests/integration/test_aws_model.py``
records their calls to validate them against the AWS API model.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable

import botocore.exceptions
import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm

from wildrydes import accounts, tokens
from wildrydes.errors import AuthError
from wildrydes.kit import Kit
from wildrydes.trace import TRACE

PASSWORD = "Rydes!2024xQ"  # meets the workshop policy; no character JSON would escape


def new_email() -> str:
    return f"rider-{uuid.uuid4().hex[:12]}@example.com"


def user_status(kit: Kit, email: str) -> str | None:
    cognito = kit.backend.client("cognito-idp")
    try:
        user = cognito.admin_get_user(
            UserPoolId=kit.user_pool_id, Username=accounts.username_for(email)
        )
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "UserNotFoundException"
        return None
    return user["UserStatus"]


def make_rider(kit: Kit, password: str = PASSWORD) -> tuple[str, tokens.Session]:
    """A registered, confirmed (as admin, works with fake addresses) and signed-in user."""
    email = new_email()
    accounts.register(kit, email, password)
    accounts.confirm(kit, email, admin=True)
    return email, accounts.sign_in(kit, email, password)


def raises_auth(code: str, *words: str) -> Callable:
    """Assert the call raises AuthError with ``code`` and every word, and never the password."""

    def check(call: Callable, *args, **kwargs) -> AuthError:
        with pytest.raises(AuthError) as caught:
            call(*args, **kwargs)
        error = caught.value
        assert error.code == code, str(error)
        for word in words:
            assert word.lower() in str(error).lower(), str(error)
        assert PASSWORD not in str(error)
        return error

    return check


# -- token forgeries ---------------------------------------------------------------------------
def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def with_claims(token: str, **changes) -> str:
    """The token with changed claims and the original signature."""
    header, payload, signature = token.split(".")
    claims = {**json.loads(unb64url(payload)), **changes}
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def with_header(token: str, **changes) -> tuple[str, str]:
    """(new header part, payload part) with ``changes`` in the header."""
    header, payload, _ = token.split(".")
    fields = {**json.loads(unb64url(header)), **changes}
    return b64url(json.dumps(fields).encode()), payload


def alg_none(token: str) -> str:
    header, payload = with_header(token, alg="none")
    return f"{header}.{payload}."


def hs256_with_public_key(token: str, kit: Kit) -> str:
    """The classic key-confusion forgery: HMAC-SHA256 keyed with the pool's public key PEM."""
    jwks = tokens.fetch_jwks(kit.jwks_url)
    kid = tokens.decode(token).header["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    pem = RSAAlgorithm.from_jwk(json.dumps(jwk)).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header, payload = with_header(token, alg="HS256")
    signing_input = f"{header}.{payload}"
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


# == bodies shared with tests/aws ==============================================================
def flow_register_confirm_sign_in_refresh_sign_out(kit: Kit) -> None:
    email = new_email()
    registration = accounts.register(kit, email, PASSWORD, confirm_password=PASSWORD)
    assert registration.username == email.replace("@", "-at-")
    assert registration.medium == "EMAIL" and registration.destination.endswith("***")
    assert user_status(kit, email) == "UNCONFIRMED"
    accounts.confirm(kit, email, admin=True)
    assert user_status(kit, email) == "CONFIRMED"

    session = accounts.sign_in(kit, email, PASSWORD)
    assert session.expires_in > 0 and session.refresh_token
    assert "refresh token was issued" in str(session)
    assert session.refresh_token not in str(session) + session._repr_html_()
    assert "refresh" not in json.dumps(session.as_json())
    id_check = accounts.verify_token(kit, session.id_token, "id")
    assert id_check.ok, str(id_check)
    assert id_check.token.claims["cognito:username"] == registration.username
    assert id_check.token.claims["email"] == email
    assert accounts.verify_token(kit, session.access_token, "access").ok

    renewed = accounts.refresh(kit, session)
    assert renewed.id_token != session.id_token
    assert accounts.verify_token(kit, renewed.id_token, "id").ok
    assert renewed.refresh_token == session.refresh_token

    accounts.sign_out(kit, renewed)
    raises_auth("NotAuthorizedException", "sign in again")(accounts.refresh, kit, session)


RULE_CASES = {
    "an uppercase letter": "rydes!2024xq",
    "a lowercase letter": "RYDES!2024XQ",
    "a number": "Rydes!abcdXQ",
    "a symbol": "Rydes2024xQa",
    "at least 8 characters": "Ry!2x",
    "no space at the start or end": " Rydes!2024xQ",
}


def flow_password_misses_one_rule(kit: Kit, rule: str) -> None:
    email, password = new_email(), RULE_CASES[rule]
    mark = TRACE.mark()
    with pytest.raises(accounts.PasswordPolicyError) as caught:
        accounts.register(kit, email, password)
    error = caught.value
    assert error.code == "InvalidPasswordException"
    assert error.missing == [rule]
    # One wording everywhere (the website's too): Cognito's words, then the kit's hint.
    said, _, hint = str(error).partition(" Next step: ")
    assert said.rstrip(".") == error.said
    assert said.startswith("Password did not conform with policy: ")
    assert hint == f"the password still needs {rule}." == error.hint
    assert password.strip() not in str(error)
    operations = [c.operation for c in TRACE.since(mark)]
    assert "DescribeUserPool" in operations and "SignUp" not in operations
    assert user_status(kit, email) is None


def flow_password_misses_several_rules(kit: Kit) -> None:
    with pytest.raises(accounts.PasswordPolicyError) as caught:
        accounts.register(kit, new_email(), "rydes")
    assert caught.value.missing == [
        "at least 8 characters",
        "an uppercase letter",
        "a number",
        "a symbol",
    ]
    assert str(caught.value) == (
        "Password did not conform with policy: Password not long enough. Next step: the "
        "password still needs at least 8 characters, an uppercase letter, a number and a symbol."
    )


def flow_mismatched_confirmation(kit: Kit) -> None:
    email = new_email()
    error = raises_auth("PasswordMismatch", "do not match", "same password twice")(
        accounts.register, kit, email, PASSWORD, confirm_password=PASSWORD + "!"
    )
    assert PASSWORD + "!" not in str(error)
    assert user_status(kit, email) is None


BAD_EMAILS = [
    "rider",
    "rider@",
    "@example.com",
    "rider@example",
    "rider @example.com",
    "rider@@example.com",
    "rider@example..com",
    "",
]


def flow_invalid_email(kit: Kit, email: str) -> None:
    mark = TRACE.mark()
    raises_auth("InvalidEmail", "not an email address", "rider@example.com")(
        accounts.register, kit, email, PASSWORD
    )
    assert TRACE.since(mark) == []  # refused before any AWS call


def flow_existing_user(kit: Kit) -> None:
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    raises_auth("UsernameExistsException", "registered already", "--resend")(
        accounts.register, kit, email, PASSWORD
    )
    assert user_status(kit, email) == "UNCONFIRMED"


def flow_wrong_code(kit: Kit) -> None:
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    raises_auth("CodeMismatchException", "newest", "--resend")(
        accounts.confirm, kit, email, "000000x"
    )
    assert user_status(kit, email) == "UNCONFIRMED"
    accounts.confirm(kit, email, admin=True)  # nothing lost: the user can still be confirmed
    assert user_status(kit, email) == "CONFIRMED"


def flow_confirm_twice(kit: Kit) -> None:
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, admin=True)
    already = raises_auth("NotAuthorizedException", "confirmed already", "sign in")
    already(accounts.confirm, kit, email, admin=True)
    already(accounts.confirm, kit, email, "123456")
    raises_auth("InvalidParameterException", "confirmed already")(accounts.resend_code, kit, email)
    assert accounts.sign_in(kit, email, PASSWORD).id_token


def flow_confirm_unknown_user(kit: Kit) -> None:
    email = new_email()
    raises_auth("UserNotFoundException", "register")(accounts.confirm, kit, email, admin=True)


def flow_unconfirmed_sign_in(kit: Kit) -> None:
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    raises_auth("UserNotConfirmedException", "confirm", email, "--code")(
        accounts.sign_in, kit, email, PASSWORD
    )


def flow_wrong_password(kit: Kit) -> None:
    email, _ = make_rider(kit)
    wrong = "Wrong!2024xQ"
    error = raises_auth("NotAuthorizedException", "password", "case-sensitive")(
        accounts.sign_in, kit, email, wrong
    )
    assert wrong not in str(error)


def flow_unknown_user(kit: Kit) -> None:
    raises_auth("UserNotFoundException", "register")(accounts.sign_in, kit, new_email(), PASSWORD)


def flow_sign_in_trace_shows_srp(kit: Kit) -> None:
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, admin=True)
    mark = TRACE.mark()
    accounts.sign_in(kit, email, PASSWORD)
    calls = TRACE.since(mark)
    assert [c.operation for c in calls] == ["InitiateAuth", "RespondToAuthChallenge"]
    first, second = calls
    assert first.params["AuthFlow"] == "USER_SRP_AUTH"
    assert set(first.params["AuthParameters"]) == {"USERNAME", "SRP_A"}
    assert second.params["ChallengeName"] == "PASSWORD_VERIFIER"
    assert {"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"} <= set(
        second.params["ChallengeResponses"]
    )
    assert all(c.status == 200 for c in calls)
    assert PASSWORD not in str(calls) and PASSWORD not in calls._repr_html_()


def flow_password_never_sent_when_signing_in(kit: Kit) -> None:
    """Record every request as it goes on the wire; only SignUp may carry the password."""
    sent: list[tuple[str, str]] = []

    def record(request, **_):
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        sent.append((target.rsplit(".", 1)[-1], f"{request.url} {request.headers} {body}"))

    email = new_email()
    mark = TRACE.mark()
    with kit.backend.listen("before-send", record):
        accounts.register(kit, email, PASSWORD)
        accounts.confirm(kit, email, admin=True)
        session = accounts.sign_in(kit, email, PASSWORD)
        accounts.refresh(kit, session)
        accounts.sign_out(kit, session)
    operations = [op for op, _ in sent]
    assert operations == [
        "DescribeUserPool",
        "SignUp",
        "AdminGetUser",
        "AdminConfirmSignUp",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "InitiateAuth",
        "GlobalSignOut",
    ]
    # The capture sees real content: SignUp has to carry the password, and does.
    assert PASSWORD in sent[1][1]
    encodings = (PASSWORD, PASSWORD.encode().hex(), base64.b64encode(PASSWORD.encode()).decode())
    for operation, text in sent[2:]:
        assert not any(e in text for e in encodings), f"{operation} sent the password"
    trace = TRACE.since(mark)
    assert len(trace) == len(sent)
    assert PASSWORD not in str(trace) + trace._repr_html_()


def flow_malformed_tokens_fail_the_format_check(kit: Kit) -> None:
    _, session = make_rider(kit)
    header, payload, signature = session.id_token.split(".")
    for bad in (
        "",
        "abc",
        "a.b",
        f"Bearer {session.id_token}",
        f"{header}.{payload}",
        f"{header}.{payload}.{signature}.x",
        f"{header}.{payload}!.{signature}",
        f"{b64url(b'[1]')}.{payload}.{signature}",
        session.refresh_token,
    ):
        result = accounts.verify_token(kit, bad)
        assert not result.ok and result.token is None
        assert result.failed == list(tokens.CHECK_NAMES), bad
        assert "not a JWT" in result["format"].detail


def flow_tampered_payload(kit: Kit) -> None:
    _, session = make_rider(kit)
    forged = with_claims(session.id_token, **{"cognito:username": "admin", "email": "a@b.co"})
    result = accounts.verify_token(kit, forged, "id")
    assert result.failed == ["signature"]
    assert "signature does not match" in result["signature"].detail


def flow_tampered_header_alg_none(kit: Kit) -> None:
    _, session = make_rider(kit)
    result = accounts.verify_token(kit, alg_none(session.id_token), "id")
    assert result.failed == ["algorithm", "signature"]
    assert "unsigned" in result["algorithm"].detail


def flow_tampered_header_hs256_with_public_key(kit: Kit) -> None:
    _, session = make_rider(kit)
    result = accounts.verify_token(kit, hs256_with_public_key(session.id_token, kit), "id")
    assert result.failed == ["algorithm", "signature"]
    assert "'HS256'" in result["algorithm"].detail and "RS256" in result["algorithm"].detail


def flow_token_of_another_pool(kit: Kit) -> None:
    cognito = kit.backend.client("cognito-idp")
    other_pool = cognito.create_user_pool(  # a code is sent only when email is auto-verified
        PoolName=f"WildRydesTestOther-{uuid.uuid4().hex[:8]}", AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    try:
        other_client = cognito.create_user_pool_client(
            UserPoolId=other_pool,
            ClientName="WildRydesTestOther",
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        other = Kit(kit.backend, kit.bucket, other_pool, other_client)
        _, session = make_rider(other)
        assert accounts.verify_token(other, session.id_token, "id").ok  # valid where it belongs
        result = accounts.verify_token(kit, session.id_token, "id")
        assert {"key", "signature", "issuer", "audience"} <= set(result.failed)
        assert "another user pool" in result["issuer"].detail
        assert "another app client" in result["audience"].detail
    finally:
        cognito.delete_user_pool(UserPoolId=other_pool)


def flow_access_token_where_id_token_expected(kit: Kit) -> None:
    _, session = make_rider(kit)
    result = accounts.verify_token(kit, session.access_token, "id")
    assert result.failed == ["token_use"]
    assert "access token; an id token is expected" in result["token_use"].detail


# -- what the notebooks say, held where it can be (issue 22) ------------------------------------
def _attributes(kit: Kit, email: str) -> tuple[str, dict[str, str]]:
    user = kit.backend.client("cognito-idp").admin_get_user(
        UserPoolId=kit.user_pool_id, Username=accounts.username_for(email)
    )
    return user["UserStatus"], {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def flow_signed_out_tokens_still_pass_an_offline_check(kit: Kit) -> None:
    """Notebook 08: after GlobalSignOut Cognito refuses the refresh token and, at its own user
    APIs, the access token; "Other requests might be valid until your user's token expires"
    (API Reference, GlobalSignOut), and revoked tokens "will still be valid if they are verified
    using any JWT library that verifies the signature and expiration" (Developer Guide, "Ending
    user sessions with token revocation"). The kit's verify_token is such a check."""
    _, session = make_rider(kit)
    accounts.sign_out(kit, session)
    assert accounts.verify_token(kit, session.id_token, "id").ok
    assert accounts.verify_token(kit, session.access_token, "access").ok
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        kit.backend.client("cognito-idp").get_user(AccessToken=session.access_token)
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"
    raises_auth("NotAuthorizedException", "sign in again")(accounts.refresh, kit, session)


def flow_an_srp_sign_ins_access_token_is_for_cognitos_own_apis(kit: Kit) -> None:
    """Notebook 06: an SDK sign-in's access token carries only the scope
    aws.cognito.signin.user.admin (custom scopes come only from the OAuth endpoints: Developer
    Guide, "Understanding the access token") and does not say who the rider is in
    cognito:username; the id token does, and is the token module 3's API is sent."""
    _, session = make_rider(kit)
    access = tokens.decode(session.access_token).claims
    identity = tokens.decode(session.id_token).claims
    assert access["token_use"] == "access"
    assert access["scope"] == "aws.cognito.signin.user.admin"
    assert "cognito:username" not in access and "email" not in access
    assert identity["token_use"] == "id" and identity["cognito:username"]


def flow_admin_confirmation_leaves_the_email_unverified(kit: Kit) -> None:
    """Notebook 04: "If the user account was confirmed by the administrator ... there might not
    be a verified email" (Developer Guide, "Signing up and confirming user accounts"), and then
    ForgotPassword answers InvalidParameterException (API Reference, ForgotPassword)."""
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    confirmed = accounts.confirm(kit, email, admin=True)
    assert "unverified" in str(confirmed)
    status, attributes = _attributes(kit, email)
    assert status == "CONFIRMED" and attributes.get("email_verified") != "true"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        kit.backend.client("cognito-idp").forgot_password(
            ClientId=kit.app_client_id, Username=accounts.username_for(email)
        )
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


def flow_a_reset_password_is_chosen_again(kit: Kit) -> None:
    """The sign-in's next step for RESET_REQUIRED: an administrator's reset is what sets it
    (API Reference, AdminResetUserPassword); a new password set by an administrator
    (AdminSetUserPassword, Permanent) ends it."""
    email, _ = make_rider(kit)
    cognito = kit.backend.client("cognito-idp")
    username = accounts.username_for(email)
    # An unverified address gets no reset code: mark it verified first, the recovery the
    # Developer Guide gives for unverified users ("Passwords, account recovery ...").
    cognito.admin_update_user_attributes(
        UserPoolId=kit.user_pool_id,
        Username=username,
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    cognito.admin_reset_user_password(UserPoolId=kit.user_pool_id, Username=username)
    assert _attributes(kit, email)[0] == "RESET_REQUIRED"
    error = raises_auth("PasswordResetRequiredException", "admin-set-user-password")(
        accounts.sign_in, kit, email, PASSWORD
    )
    assert "console" not in str(error)
    chosen = "Rydes!2025yR"
    cognito.admin_set_user_password(
        UserPoolId=kit.user_pool_id, Username=username, Password=chosen, Permanent=True
    )
    assert accounts.sign_in(kit, email, chosen).id_token


def flow_groups_reach_both_tokens_at_the_next_refresh(kit: Kit) -> None:
    """Notebook 08: "The access and ID tokens both include a cognito:groups claim" (Developer
    Guide, "Understanding user pool JSON web tokens"); a refresh brings a new membership, no
    new sign-in needed. Tokens issued before keep what they said."""
    email, session = make_rider(kit)
    cognito = kit.backend.client("cognito-idp")
    group = "wildrydes-test-riders"
    try:
        cognito.create_group(UserPoolId=kit.user_pool_id, GroupName=group)
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "GroupExistsException"
    cognito.admin_add_user_to_group(
        UserPoolId=kit.user_pool_id, Username=accounts.username_for(email), GroupName=group
    )
    assert "cognito:groups" not in tokens.decode(session.id_token).claims
    renewed = accounts.refresh(kit, session)
    for token in (renewed.id_token, renewed.access_token):
        assert tokens.decode(token).claims["cognito:groups"] == [group]


SHARED_FLOWS: list[tuple[Callable, tuple]] = [
    (flow_register_confirm_sign_in_refresh_sign_out, ()),
    (flow_password_never_sent_when_signing_in, ()),
    *[(flow_password_misses_one_rule, (rule,)) for rule in RULE_CASES],
    (flow_password_misses_several_rules, ()),
    (flow_mismatched_confirmation, ()),
    *[(flow_invalid_email, (email,)) for email in BAD_EMAILS],
    (flow_existing_user, ()),
    (flow_wrong_code, ()),
    (flow_confirm_twice, ()),
    (flow_confirm_unknown_user, ()),
    (flow_unconfirmed_sign_in, ()),
    (flow_wrong_password, ()),
    (flow_unknown_user, ()),
    (flow_sign_in_trace_shows_srp, ()),
    (flow_malformed_tokens_fail_the_format_check, ()),
    (flow_tampered_payload, ()),
    (flow_tampered_header_alg_none, ()),
    (flow_tampered_header_hs256_with_public_key, ()),
    (flow_token_of_another_pool, ()),
    (flow_access_token_where_id_token_expected, ()),
    (flow_signed_out_tokens_still_pass_an_offline_check, ()),
    (flow_an_srp_sign_ins_access_token_is_for_cognitos_own_apis, ()),
    (flow_admin_confirmation_leaves_the_email_unverified, ()),
    (flow_a_reset_password_is_chosen_again, ()),
    (flow_groups_reach_both_tokens_at_the_next_refresh, ()),
]

SHARED_FLOW_IDS = [
    f"{f.__name__}[{','.join(map(repr, a))}]" if a else f.__name__ for f, a in SHARED_FLOWS
]
