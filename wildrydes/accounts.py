"""Register, confirm, sign in with SRP, refresh, sign out, verify: the website's flows in Python.

Each function is one workshop step. It takes the :class:`~wildrydes.kit.Kit` (backend, user
pool, app client), returns a small result object, and raises :class:`AuthError` carrying
Cognito's error code with a message that says what to do next. No message, result or trace
ever holds a password.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import botocore.exceptions

from wildrydes import kept_session, mailbox, render, tokens
from wildrydes.errors import AuthError, PasswordPolicyError
from wildrydes.kit import Kit
from wildrydes.messages import list_words, next_step, row_code
from wildrydes.policy import (
    OUTER_SPACE_REFUSAL,
    PASSWORD_ENV,
    PasswordPolicy,
    cognito_messages,
    missing_rules,
)
from wildrydes.tokens import Session

__all__ = [
    "PASSWORD_ENV",
    "CodeSent",
    "Confirmation",
    "PasswordPolicyError",
    "Registration",
    "check_email",
    "confirm",
    "read_policy",
    "refresh",
    "register",
    "resend_code",
    "sign_in",
    "sign_out",
    "username_for",
    "verify_token",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


# -- inputs ------------------------------------------------------------------------------------
def check_email(email: str) -> str:
    """The email, trimmed; ``AuthError`` (code InvalidEmail) when it is not shaped like one."""
    email = (email or "").strip()
    if not _EMAIL.match(email):
        raise AuthError(
            f"{email!r} is not an email address.",
            hint=next_step("register", "InvalidEmail"),
            code="InvalidEmail",
        )
    return email


def username_for(email: str) -> str:
    """The website's username rule: the email with ``@`` replaced by ``-at-``."""
    return check_email(email).replace("@", "-at-")


def read_policy(kit: Kit) -> PasswordPolicy:
    """The pool's actual password policy, read from Cognito (DescribeUserPool)."""
    pool = kit.backend.client("cognito-idp").describe_user_pool(UserPoolId=kit.user_pool_id)
    return PasswordPolicy.from_pool(pool["UserPool"].get("Policies"))


def _refused(e: botocore.exceptions.ClientError, step: str, **names: str) -> AuthError:
    """Cognito's code and words (from the error's structured response), and the next step from
    the one table (:data:`wildrydes.messages.NEXT_STEPS`)."""
    code = str(e.response.get("Error", {}).get("Code", ""))
    said = str(e.response.get("Error", {}).get("Message", ""))
    return AuthError(said, hint=next_step(step, row_code(code, said), **names), code=code)


# -- register ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Registration:
    email: str
    username: str
    user_sub: str
    destination: str | None
    medium: str | None

    def __str__(self) -> str:
        where = (
            f"a code was sent by {self.medium} to {self.destination}"
            if self.destination
            else "no code was sent (no email attribute)"
        )
        return (
            f"Registered {self.email} as username {self.username} (sub {self.user_sub}); {where}."
        )

    def _repr_html_(self) -> str:
        return render.done(str(self))


def register(
    kit: Kit, email: str, password: str, *, confirm_password: str | None = None
) -> Registration:
    """Sign up like the website: username from the email, email as an attribute.

    The email's shape, the confirmation (when one was typed) and every rule of the pool's
    password policy are checked first, so a weak password lists all it misses at once.
    """
    username = username_for(email)
    email = check_email(email)
    if confirm_password is not None and confirm_password != password:
        raise AuthError(
            "The two passwords do not match.",
            hint=next_step("register", "PasswordMismatch"),
            code="PasswordMismatch",
        )
    policy = read_policy(kit)
    missing = missing_rules(password, policy)
    if missing:
        said = (cognito_messages(password, policy) or [OUTER_SPACE_REFUSAL])[0]
        hint = next_step("register", "InvalidPasswordException", rules=list_words(missing))
        raise PasswordPolicyError(said, hint=hint, missing=missing)
    cognito = kit.backend.client("cognito-idp")
    try:
        result = cognito.sign_up(
            ClientId=kit.app_client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": email}],
        )
    except botocore.exceptions.ClientError as e:
        code = str(e.response.get("Error", {}).get("Code", ""))
        if code == "InvalidPasswordException":  # a rule the kit's own check did not see
            code += ".unknown-rule"
        said = str(e.response.get("Error", {}).get("Message", ""))
        hint = next_step("register", code, email=email)
        raise AuthError(said, hint=hint, code=code.partition(".")[0]) from None
    delivery = result.get("CodeDeliveryDetails") or {}
    return Registration(
        email,
        username,
        result["UserSub"],
        delivery.get("Destination"),
        delivery.get("DeliveryMedium"),
    )


# -- confirm -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Confirmation:
    email: str
    username: str
    how: str

    def __str__(self) -> str:
        return f"{self.email} ({self.username}) is confirmed ({self.how}). Sign in next."

    def _repr_html_(self) -> str:
        return render.done(str(self))


class CodeSent(str):
    """Where a new code went. It is the sentence a learner reads (a ``str``, so callers that
    show it as text keep working), with ``email``, ``destination`` and ``medium`` as fields."""

    email: str
    destination: str | None
    medium: str | None

    def __new__(cls, email: str, destination: str | None, medium: str | None) -> CodeSent:
        sentence = (
            f"A new code for {email} was sent by {medium} to {destination}; use the newest "
            "code (on the kit’s local backend only the newest works; Cognito does not "
            "document what happens to older ones)."
        )
        sent = super().__new__(cls, sentence)
        sent.email, sent.destination, sent.medium = email, destination, medium
        return sent

    def _repr_html_(self) -> str:
        return render.done(str(self))


def confirm(
    kit: Kit,
    email: str,
    code: str | None = None,
    *,
    admin: bool = False,
    from_mailbox: bool = False,
) -> Confirmation:
    """Confirm a registration: with the emailed ``code``, with the newest code in the local
    mailbox (``from_mailbox``, embedded backend only), or as an administrator (``admin``, what
    the console's "Confirm account" does; for addresses that get no mail).

    A code also verifies the email address. An administrator's confirmation (AdminConfirmSignUp)
    does not: the account is CONFIRMED but its email may stay unverified, and ForgotPassword
    then answers InvalidParameterException (Developer Guide, "Signing up and confirming user
    accounts"; API Reference, ForgotPassword).
    """
    username = username_for(email)
    email = check_email(email)
    cognito = kit.backend.client("cognito-idp")
    try:
        if admin:
            user = cognito.admin_get_user(UserPoolId=kit.user_pool_id, Username=username)
            if user["UserStatus"] == "CONFIRMED":
                raise AuthError(
                    "Nothing to confirm.",
                    hint=next_step("confirm", "NotAuthorizedException", email=email),
                    code="NotAuthorizedException",
                )
            cognito.admin_confirm_sign_up(UserPoolId=kit.user_pool_id, Username=username)
            return Confirmation(
                email,
                username,
                "by an administrator, like the console; the email stays unverified",
            )
        if from_mailbox:
            code = mailbox.latest_code(kit.backend, email)
        code = str(code or "").strip()
        if not code:
            raise AuthError(
                "Which code?",
                hint=next_step("confirm", "MissingCode", email=email),
                code="MissingCode",
            )
        cognito.confirm_sign_up(
            ClientId=kit.app_client_id, Username=username, ConfirmationCode=code
        )
    except botocore.exceptions.ClientError as e:
        raise _refused(e, "confirm", email=email, username=username) from None
    how = "with the code from the local mailbox" if from_mailbox else "with the emailed code"
    return Confirmation(email, username, how)


def resend_code(kit: Kit, email: str) -> CodeSent:
    """Send a new code (ResendConfirmationCode). On the kit's local backend the older codes
    stop working; Cognito does not document what happens to them."""
    username = username_for(email)
    email = check_email(email)
    try:
        result = kit.backend.client("cognito-idp").resend_confirmation_code(
            ClientId=kit.app_client_id, Username=username
        )
    except botocore.exceptions.ClientError as e:
        raise _refused(e, "confirm", email=email, username=username) from None
    delivery = result.get("CodeDeliveryDetails") or {}
    return CodeSent(email, delivery.get("Destination"), delivery.get("DeliveryMedium"))


# -- sign in -----------------------------------------------------------------------------------
def sign_in(kit: Kit, email: str, password: str) -> Session:
    """Sign in with SRP: the password never leaves this machine while signing in, only a proof
    of it (SignUp, ChangePassword and ConfirmForgotPassword do send a password).

    InitiateAuth(USER_SRP_AUTH) sends the username and SRP_A; RespondToAuthChallenge
    (PASSWORD_VERIFIER) sends a signature computed from the password and Cognito's challenge.
    """
    # The SRP client and gmpy2 (4 ms to import) only when signing in: `wildrydes check`
    # without a password loads this module and never signs in.
    from wildrydes import srp

    username = username_for(email)
    email = check_email(email)
    cognito = kit.backend.client("cognito-idp")
    a = srp.new_ephemeral_a()
    try:
        challenge = cognito.initiate_auth(
            ClientId=kit.app_client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters=srp.auth_parameters(username, srp.compute_A(a)),
        )
        answer = srp.client_response(
            kit.user_pool_id, password, a, challenge["ChallengeParameters"]
        )
        extra = {"Session": challenge["Session"]} if challenge.get("Session") else {}
        result = cognito.respond_to_auth_challenge(
            ClientId=kit.app_client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=answer,
            **extra,
        )
    except botocore.exceptions.ClientError as e:
        raise _refused(e, "sign-in", email=email, username=username) from None
    except srp.SrpError as e:
        raise AuthError(
            f"The server's SRP challenge was not valid ({e.said}).",
            hint=next_step("sign-in", "SrpError"),
            code="SrpError",
        ) from None
    if "AuthenticationResult" not in result:
        raise AuthError(
            f"Cognito asks for another step ({result.get('ChallengeName')}) that the "
            "workshop does not use.",
            hint=next_step("sign-in", "UnexpectedChallenge"),
            code="UnexpectedChallenge",
        )
    tokens_ = result["AuthenticationResult"]
    return Session(
        email,
        username,
        tokens_["IdToken"],
        tokens_["AccessToken"],
        int(tokens_["ExpiresIn"]),
        time.time(),
        tokens_.get("RefreshToken"),
    )


def refresh(kit: Kit, session: Session) -> Session:
    """New id and access tokens from the refresh token (REFRESH_TOKEN_AUTH).

    REFRESH_TOKEN_AUTH returns no new refresh token, so the session keeps its own; an app
    client with refresh token rotation refuses this flow and needs GetTokensFromRefreshToken
    instead (Developer Guide, "Refresh tokens"). Should a refresh ever return one, it is used.
    """
    if not session.refresh_token:
        raise AuthError(
            "This session has no refresh token.",
            hint=next_step("refresh", "NoRefreshToken"),
            code="NoRefreshToken",
        )
    try:
        result = kit.backend.client("cognito-idp").initiate_auth(
            ClientId=kit.app_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": session.refresh_token},
        )["AuthenticationResult"]
    except botocore.exceptions.ClientError as e:
        raise _refused(e, "refresh") from None
    return Session(
        session.email,
        session.username,
        result["IdToken"],
        result["AccessToken"],
        int(result["ExpiresIn"]),
        time.time(),
        result.get("RefreshToken") or session.refresh_token,
    )


def sign_out(kit: Kit, session: Session) -> None:
    """Sign out everywhere (GlobalSignOut).

    Cognito then refuses every refresh token of the user, and the access token at its own user
    APIs (GetUser answers "Access Token has been revoked"). The JWTs are unchanged: an offline
    check of signature and expiry, :func:`verify_token` included, accepts the id and access
    tokens until they expire (API Reference, GlobalSignOut: "Other requests might be valid until
    your user's token expires"). The session the kit keeps for the notebooks, when it is this
    user's, ends too.
    """
    try:
        kit.backend.client("cognito-idp").global_sign_out(AccessToken=session.access_token)
    except botocore.exceptions.ClientError as e:
        raise _refused(e, "sign-out") from None
    if kept_session.kept(kit, session.email) is not None:
        kept_session.forget(kit)


# -- verify ------------------------------------------------------------------------------------
def verify_token(
    kit: Kit, token: str, expected_use: str | None = None, *, now: float | None = None
) -> tokens.Verification:
    """Verify ``token`` against the kit's user pool and app client, check by check.

    The pool's JWKS comes from the backend in use through its :class:`tokens.JWKSClient`
    (cached for its lifespan; a kid it does not know makes one fresh fetch).
    """
    jwks = tokens.jwks_client(kit.jwks_url).jwks_for(token)
    return tokens.verify(
        token,
        jwks=jwks,
        region=kit.region,
        user_pool_id=kit.user_pool_id,
        client_id=kit.app_client_id,
        expected_use=expected_use,
        now=now,
        expected_issuer=kit.issuer(),
    )
