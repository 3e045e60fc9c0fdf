"""Register, confirm, sign in with SRP, refresh, sign out, verify: the website's flows in Python.

Each function is one workshop step. It takes the :class:`~wildrydes.kit.Kit` (backend, user
pool, app client), returns a small result object, and raises :class:`AuthError` carrying
Cognito's error code with a message that says what to do next. No message, result or trace
ever holds a password.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions
import requests

from wildrydes import mailbox, messages, render, srp, tokens
from wildrydes.errors import AuthError, PasswordPolicyError, TokenError
from wildrydes.kit import Kit
from wildrydes.policy import PasswordPolicy, check_rules, cognito_messages

__all__ = [
    "PASSWORD_ENV",
    "CodeSent",
    "Confirmation",
    "PasswordPolicyError",
    "Registration",
    "Session",
    "check_email",
    "confirm",
    "password_problems",
    "read_policy",
    "refresh",
    "register",
    "resend_code",
    "sign_in",
    "sign_out",
    "username_for",
    "verify_token",
]

#: Where headless runs (papermill, CI, the CLI without a terminal) find the learner's password;
#: it is never an argument or a papermill parameter.
PASSWORD_ENV = "WILDRYDES_PASSWORD"  # noqa: S105 - the variable's name, not a password
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
REFRESH_TOKEN_DAYS = 30  # Cognito's default refresh-token lifetime
# Cognito refuses these before it looks at the policy (PasswordType has the pattern [\S]+ at
# both ends), so the kit counts it as one more rule.
_NO_OUTER_SPACE = "no space at the start or end"


# -- inputs ------------------------------------------------------------------------------------
def check_email(email: str) -> str:
    """The email, trimmed; ``AuthError`` (code InvalidEmail) when it is not shaped like one."""
    email = (email or "").strip()
    if not _EMAIL.match(email):
        raise AuthError(
            f"{email!r} is not an email address. Use one like rider@example.com.",
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


def password_problems(password: str, policy: PasswordPolicy) -> list[str]:
    """Every rule the password misses, in plain words (empty when it meets them all)."""
    missing = [rule for rule, ok in check_rules(password, policy) if not ok]
    if password and password != password.strip():
        missing.append(_NO_OUTER_SPACE)
    return missing


def _error(e: botocore.exceptions.ClientError, advice: dict[str, str], **names: str) -> AuthError:
    """Cognito's code and message, plus what to do next."""
    code = e.response.get("Error", {}).get("Code", "")
    message = e.response.get("Error", {}).get("Message", "")
    hint = advice.get(code, "").format(**names)
    if not hint:
        gone = messages.missing_resource(code, message)
        if gone:
            return AuthError(
                gone, code=code, said=message, hint=gone.partition(messages.NEXT)[2].strip()
            )
    return AuthError(messages.joined(message, hint), code=code, said=message, hint=hint)


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
            "The two passwords do not match. Type the same password twice.", code="PasswordMismatch"
        )
    policy = read_policy(kit)
    missing = password_problems(password, policy)
    if missing:
        said = (
            cognito_messages(password, policy)
            or [
                "Password did not conform with policy: Password must satisfy regular expression "
                "pattern: ^[\\S]+.*[\\S]+$"
            ]
        )[0]
        error = PasswordPolicyError(messages.weak_password(said, missing), missing=missing)
        error.said, error.hint = said, f"the password still needs {messages.list_words(missing)}."
        raise error
    cognito = kit.backend.client("cognito-idp")
    try:
        result = cognito.sign_up(
            ClientId=kit.app_client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": email}],
        )
    except botocore.exceptions.ClientError as e:
        raise _error(
            e,
            {
                "UsernameExistsException": "{email} is registered already: sign in, or if it was "
                "never confirmed, resend the code "
                "(wildrydes confirm {email} --resend).",
                "InvalidPasswordException": "pick a password that meets every rule of the user "
                "pool.",
                "InvalidParameterException": "Check the email address and the password.",
            },
            email=email,
        ) from None
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
            f"A new code for {email} was sent by {medium} to {destination}; only the "
            "newest code works."
        )
        sent = super().__new__(cls, sentence)
        sent.email, sent.destination, sent.medium = email, destination, medium
        return sent

    def _repr_html_(self) -> str:
        return render.done(str(self))


_ALREADY = "{email} is confirmed already: go ahead and sign in."
_CONFIRM_ADVICE = {
    "CodeMismatchException": "That is not the newest code sent to {email}; use the newest one, "
    "or resend (wildrydes confirm {email} --resend).",
    "ExpiredCodeException": "Codes last 24 hours. Resend one (wildrydes confirm {email} "
    "--resend) and use it.",
    "NotAuthorizedException": _ALREADY,
    "InvalidParameterException": _ALREADY,
    "UserNotFoundException": "No user {username} in this pool: register {email} first.",
    "LimitExceededException": "Wait a few minutes, then try again.",
    "TooManyFailedAttemptsException": "Wait a few minutes, then resend a code.",
}


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
    the console's "Confirm account" does; for addresses that get no mail)."""
    username = username_for(email)
    email = check_email(email)
    cognito = kit.backend.client("cognito-idp")
    try:
        if admin:
            user = cognito.admin_get_user(UserPoolId=kit.user_pool_id, Username=username)
            if user["UserStatus"] == "CONFIRMED":
                raise AuthError(_ALREADY.format(email=email), code="NotAuthorizedException")
            cognito.admin_confirm_sign_up(UserPoolId=kit.user_pool_id, Username=username)
            return Confirmation(email, username, "by an administrator, like the console")
        if from_mailbox:
            code = mailbox.latest_code(kit.backend, email)
        code = str(code or "").strip()
        if not code:
            raise AuthError(
                f"Which code? Pass the code emailed to {email} (--code CODE), or "
                "confirm as admin (--admin).",
                code="MissingCode",
            )
        cognito.confirm_sign_up(
            ClientId=kit.app_client_id, Username=username, ConfirmationCode=code
        )
    except botocore.exceptions.ClientError as e:
        raise _error(e, _CONFIRM_ADVICE, email=email, username=username) from None
    how = "with the code from the local mailbox" if from_mailbox else "with the emailed code"
    return Confirmation(email, username, how)


def resend_code(kit: Kit, email: str) -> CodeSent:
    """Send a new code (the old one stops working)."""
    username = username_for(email)
    email = check_email(email)
    try:
        result = kit.backend.client("cognito-idp").resend_confirmation_code(
            ClientId=kit.app_client_id, Username=username
        )
    except botocore.exceptions.ClientError as e:
        raise _error(e, _CONFIRM_ADVICE, email=email, username=username) from None
    delivery = result.get("CodeDeliveryDetails") or {}
    return CodeSent(email, delivery.get("Destination"), delivery.get("DeliveryMedium"))


# -- sign in -----------------------------------------------------------------------------------
@dataclass
class Session:
    """The tokens of one sign-in. The refresh token is kept for ``refresh``, never shown."""

    email: str
    username: str
    id_token: str
    access_token: str
    expires_in: int
    issued_at: float
    refresh_token: str | None = field(default=None, repr=False)

    @property
    def expires_at(self) -> float:
        return self.issued_at + self.expires_in

    def as_json(self) -> dict[str, Any]:
        """For ``wildrydes signin --json``: no refresh token, ever."""
        return {
            "username": self.username,
            "id_token": self.id_token,
            "access_token": self.access_token,
            "expires_in": self.expires_in,
        }

    def __str__(self) -> str:
        minutes = max(0, int(self.expires_at - time.time()) // 60)
        return (
            f"Signed in as {self.username}. Id and access tokens expire in {minutes} min; "
            + tokens.refresh_token_summary(self.refresh_token, REFRESH_TOKEN_DAYS)
            + "."
        )

    def _repr_html_(self) -> str:
        def short(token: str) -> str:
            return token[:24] + "…" + token[-12:]

        return render.settings(
            "",
            [
                ("id token (the auth token)", short(self.id_token)),
                ("access token", short(self.access_token)),
                (
                    "refresh token",
                    tokens.refresh_token_summary(self.refresh_token, REFRESH_TOKEN_DAYS),
                ),
                ("expires in", f"{self.expires_in // 60} min"),
            ],
        )


_SIGN_IN_ADVICE = {
    "NotAuthorizedException": "Check the password for {email} (it is case-sensitive); if you "
    "never registered {email}, register first.",
    "UserNotConfirmedException": "Confirm {email} first with the emailed code "
    "(wildrydes confirm {email} --code CODE).",
    "UserNotFoundException": "No user {username} in this pool: register {email} first.",
    "PasswordResetRequiredException": "Reset the password of {email} in the Cognito console.",
    "InvalidParameterException": "Allow ALLOW_USER_SRP_AUTH on the app client (wildrydes up).",
}


def sign_in(kit: Kit, email: str, password: str) -> Session:
    """Sign in with SRP: the password never leaves this machine, only a proof of it.

    InitiateAuth(USER_SRP_AUTH) sends the username and SRP_A; RespondToAuthChallenge
    (PASSWORD_VERIFIER) sends a signature computed from the password and Cognito's challenge.
    """
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
        raise _error(e, _SIGN_IN_ADVICE, email=email, username=username) from None
    except srp.SrpError as e:
        raise AuthError(
            f"The server's SRP challenge was not valid ({e}); sign in again.", code="SrpError"
        ) from None
    if "AuthenticationResult" not in result:
        raise AuthError(
            f"Cognito asks for another step ({result.get('ChallengeName')}) that the "
            "workshop does not use: turn MFA off and make sure the user has a "
            "permanent password.",
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
    """New id and access tokens from the refresh token (which stays the same)."""
    if not session.refresh_token:
        raise AuthError(
            "This session has no refresh token: sign in again with your password.",
            code="NoRefreshToken",
        )
    try:
        result = kit.backend.client("cognito-idp").initiate_auth(
            ClientId=kit.app_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": session.refresh_token},
        )["AuthenticationResult"]
    except botocore.exceptions.ClientError as e:
        raise _error(e, {"NotAuthorizedException": "Sign in again with your password."}) from None
    return Session(
        session.email,
        session.username,
        result["IdToken"],
        result["AccessToken"],
        int(result["ExpiresIn"]),
        time.time(),
        session.refresh_token,
    )


def sign_out(kit: Kit, session: Session) -> None:
    """Sign out everywhere (GlobalSignOut): every refresh token of the user stops working."""
    try:
        kit.backend.client("cognito-idp").global_sign_out(AccessToken=session.access_token)
    except botocore.exceptions.ClientError as e:
        raise _error(
            e,
            {
                "NotAuthorizedException": "The session had ended already; sign in "
                "again if you need tokens."
            },
        ) from None


# -- verify ------------------------------------------------------------------------------------
def jwks_url(kit: Kit) -> str:
    """Where the kit's pool publishes its signing keys, on the backend in use."""
    return tokens.jwks_url(kit.region, kit.user_pool_id, kit.backend.service_url("cognito-idp"))


_ISSUERS: dict[str, str] = {}


def expected_issuer(kit: Kit) -> str:
    """The ``iss`` the kit's pool signs with: Cognito's form on AWS and on the embedded
    backend; on another AWS-compatible endpoint, what its openid-configuration says."""
    endpoint = kit.backend.service_url("cognito-idp") if kit.backend.kind == "aws" else None
    if not endpoint:
        return tokens.issuer(kit.region, kit.user_pool_id)
    url = f"{endpoint}/{kit.user_pool_id}/.well-known/openid-configuration"
    if url not in _ISSUERS:
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            found = response.json()["issuer"]
        except (requests.RequestException, ValueError, KeyError, TypeError) as e:
            raise TokenError(
                f"could not read the issuer from {url} ({type(e).__name__}). Check that "
                "AWS_ENDPOINT_URL names an endpoint that serves the pool's "
                "openid-configuration."
            ) from e
        if not isinstance(found, str) or not found:
            raise TokenError(f"{url} names no issuer; the endpoint is not Cognito-compatible")
        _ISSUERS[url] = found
    return _ISSUERS[url]


def verify_token(
    kit: Kit, token: str, expected_use: str | None = None, *, now: float | None = None
) -> tokens.Verification:
    """Verify ``token`` against the kit's user pool and app client, check by check.

    The pool's JWKS comes from the backend in use through its :class:`tokens.JWKSClient`
    (cached for its lifespan; a kid it does not know makes one fresh fetch).
    """
    jwks = tokens.jwks_client(jwks_url(kit)).jwks_for(token)
    return tokens.verify(
        token,
        jwks=jwks,
        region=kit.region,
        user_pool_id=kit.user_pool_id,
        client_id=kit.app_client_id,
        expected_use=expected_use,
        now=now,
        expected_issuer=expected_issuer(kit),
    )
