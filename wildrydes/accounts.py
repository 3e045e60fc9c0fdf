"""Register, confirm, sign in with SRP, refresh and sign out: the website's flows in Python."""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions

from wildrydes import mailbox, srp
from wildrydes.errors import AuthError
from wildrydes.launch import Kit
from wildrydes.policy import PasswordPolicy, check_rules
from wildrydes.tokens import refresh_token_summary

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REFRESH_TOKEN_DAYS = 30  # Cognito's default refresh-token lifetime


def username_for(email: str) -> str:
    """The website's username rule: the email with ``@`` replaced by ``-at-``."""
    return check_email(email).replace("@", "-at-")


def check_email(email: str) -> str:
    email = (email or "").strip()
    if not _EMAIL.match(email):
        raise AuthError(f"{email!r} is not an email address. Use one like rider@example.com.",
                        code="InvalidEmail")
    return email


def read_policy(kit: Kit) -> PasswordPolicy:
    """The pool's actual password policy, read from Cognito."""
    pool = kit.backend.client("cognito-idp").describe_user_pool(UserPoolId=kit.user_pool_id)
    return PasswordPolicy.from_pool(pool["UserPool"].get("Policies"))


def password_problems(password: str, policy: PasswordPolicy) -> list[str]:
    """Every rule of ``policy`` the password misses, in plain words."""
    return [rule for rule, ok in check_rules(password, policy) if not ok]


def _error(e: botocore.exceptions.ClientError, advice: dict[str, str], **names: str) -> AuthError:
    code = e.response.get("Error", {}).get("Code", "")
    message = e.response.get("Error", {}).get("Message", "")
    hint = advice.get(code, "").format(**names)
    return AuthError(f"{message} {hint}".strip(), code=code)


@dataclass(frozen=True)
class Registration:
    email: str
    username: str
    user_sub: str
    destination: str | None
    medium: str | None

    def __str__(self) -> str:
        where = (f"a code was sent by {self.medium} to {self.destination}"
                 if self.destination else "no code was sent (no email attribute)")
        return (f"Registered {self.email} as username {self.username} "
                f"(sub {self.user_sub}); {where}.")

    def _repr_html_(self) -> str:
        return f"<p>✅ {html.escape(str(self))}</p>"


def register(kit: Kit, email: str, password: str, *,
             confirm_password: str | None = None) -> Registration:
    """Sign up like the website: username from the email, email as an attribute."""
    username = username_for(email)
    if confirm_password is not None and confirm_password != password:
        raise AuthError("The two passwords do not match. Type the same password twice.",
                        code="PasswordMismatch")
    missing = password_problems(password, read_policy(kit))
    if missing:
        raise AuthError("The password does not meet the user pool's policy: it needs "
                        + ", ".join(missing) + ".", code="InvalidPasswordException")
    cognito = kit.backend.client("cognito-idp")
    try:
        result = cognito.sign_up(ClientId=kit.app_client_id, Username=username, Password=password,
                                 UserAttributes=[{"Name": "email", "Value": email}])
    except botocore.exceptions.ClientError as e:
        raise _error(e, {
            "UsernameExistsException": "{email} is registered already: sign in, or if it was "
                                       "never confirmed, resend the code "
                                       "(wildrydes confirm {email} --resend).",
            "InvalidPasswordException": "Pick a password that meets every rule.",
        }, email=email) from None
    delivery = result.get("CodeDeliveryDetails") or {}
    return Registration(email, username, result["UserSub"], delivery.get("Destination"),
                        delivery.get("DeliveryMedium"))


@dataclass(frozen=True)
class Confirmation:
    email: str
    username: str
    how: str

    def __str__(self) -> str:
        return f"{self.email} ({self.username}) is confirmed ({self.how}). Sign in next."

    def _repr_html_(self) -> str:
        return f"<p>✅ {html.escape(str(self))}</p>"


_CONFIRM_ADVICE = {
    "CodeMismatchException": "That is not the newest code sent to {email}; use the newest one, "
                             "or resend (wildrydes confirm {email} --resend).",
    "ExpiredCodeException": "Codes last 24 hours. Resend one (wildrydes confirm {email} "
                            "--resend) and use it.",
    "NotAuthorizedException": "{email} is confirmed already: go ahead and sign in.",
    "UserNotFoundException": "No user {username} in this pool: register {email} first.",
    "InvalidParameterException": "{email} is confirmed already: go ahead and sign in.",
}


def confirm(kit: Kit, email: str, code: str | None = None, *, admin: bool = False,
            from_mailbox: bool = False) -> Confirmation:
    """Confirm with the emailed code, with the newest code in the local mailbox, or as admin."""
    username = username_for(email)
    cognito = kit.backend.client("cognito-idp")
    try:
        if admin:
            user = cognito.admin_get_user(UserPoolId=kit.user_pool_id, Username=username)
            if user["UserStatus"] == "CONFIRMED":
                raise AuthError(f"{email} is confirmed already: go ahead and sign in.",
                                code="NotAuthorizedException")
            cognito.admin_confirm_sign_up(UserPoolId=kit.user_pool_id, Username=username)
            return Confirmation(email, username, "by an administrator, like the console")
        if from_mailbox:
            code = mailbox.latest_code(kit.backend, email)
        if not code:
            raise AuthError(f"Which code? Pass the code emailed to {email} (or use the local "
                            "mailbox, or confirm as admin).", code="MissingCode")
        cognito.confirm_sign_up(ClientId=kit.app_client_id, Username=username,
                                ConfirmationCode=str(code).strip())
    except botocore.exceptions.ClientError as e:
        raise _error(e, _CONFIRM_ADVICE, email=email, username=username) from None
    return Confirmation(email, username, "with the emailed code")


def resend_code(kit: Kit, email: str) -> str:
    """Send a new code (the old one stops working); returns where it went."""
    username = username_for(email)
    try:
        result = kit.backend.client("cognito-idp").resend_confirmation_code(
            ClientId=kit.app_client_id, Username=username)
    except botocore.exceptions.ClientError as e:
        raise _error(e, _CONFIRM_ADVICE, email=email, username=username) from None
    delivery = result.get("CodeDeliveryDetails") or {}
    medium, destination = delivery.get("DeliveryMedium"), delivery.get("Destination")
    return f"A new code was sent by {medium} to {destination}."


@dataclass
class Session:
    """The tokens of one sign-in. The refresh token is kept, never shown."""

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
        return {"username": self.username, "id_token": self.id_token,
                "access_token": self.access_token, "expires_in": self.expires_in}

    def __str__(self) -> str:
        minutes = max(0, int(self.expires_at - time.time()) // 60)
        return (f"Signed in as {self.username}. Id and access tokens expire in {minutes} min. "
                + refresh_token_summary(self.refresh_token, REFRESH_TOKEN_DAYS))

    def _repr_html_(self) -> str:
        e = html.escape
        short = lambda t: e(t[:24] + "…" + t[-12:])  # noqa: E731
        return ("<table>"
                f"<tr><th style='text-align:left'>id token (the auth token)</th>"
                f"<td><code>{short(self.id_token)}</code></td></tr>"
                f"<tr><th style='text-align:left'>access token</th>"
                f"<td><code>{short(self.access_token)}</code></td></tr>"
                f"<tr><th style='text-align:left'>refresh token</th>"
                f"<td>{e(refresh_token_summary(self.refresh_token, REFRESH_TOKEN_DAYS))}</td></tr>"
                f"<tr><th style='text-align:left'>expires in</th>"
                f"<td>{self.expires_in // 60} min</td></tr></table>")


_SIGN_IN_ADVICE = {
    "NotAuthorizedException": "Check the password for {email} (it is case-sensitive).",
    "UserNotConfirmedException": "Confirm {email} first with the emailed code "
                                 "(wildrydes confirm {email} --code CODE).",
    "UserNotFoundException": "No user {username} in this pool: register {email} first.",
}


def sign_in(kit: Kit, email: str, password: str) -> Session:
    """Sign in with SRP: the password never leaves this machine, only a proof of it."""
    username = username_for(email)
    cognito = kit.backend.client("cognito-idp")
    a = srp.new_ephemeral_a()
    try:
        challenge = cognito.initiate_auth(
            ClientId=kit.app_client_id, AuthFlow="USER_SRP_AUTH",
            AuthParameters=srp.auth_parameters(username, srp.compute_A(a)))
        answer = srp.client_response(kit.user_pool_id, password, a,
                                     challenge["ChallengeParameters"])
        result = cognito.respond_to_auth_challenge(
            ClientId=kit.app_client_id, ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=answer)["AuthenticationResult"]
    except botocore.exceptions.ClientError as e:
        raise _error(e, _SIGN_IN_ADVICE, email=email, username=username) from None
    except srp.SrpError as e:
        raise AuthError(f"The server's SRP challenge was not valid ({e}); try again.",
                        code="SrpError") from None
    return Session(email, username, result["IdToken"], result["AccessToken"],
                   int(result["ExpiresIn"]), time.time(), result.get("RefreshToken"))


def refresh(kit: Kit, session: Session) -> Session:
    """New id and access tokens from the refresh token (which stays the same)."""
    try:
        result = kit.backend.client("cognito-idp").initiate_auth(
            ClientId=kit.app_client_id, AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": session.refresh_token or ""})["AuthenticationResult"]
    except botocore.exceptions.ClientError as e:
        raise _error(e, {"NotAuthorizedException": "Sign in again with your password."}) from None
    return Session(session.email, session.username, result["IdToken"], result["AccessToken"],
                   int(result["ExpiresIn"]), time.time(), session.refresh_token)


def sign_out(kit: Kit, session: Session) -> None:
    """Sign out everywhere: every refresh token of the user stops working."""
    try:
        kit.backend.client("cognito-idp").global_sign_out(AccessToken=session.access_token)
    except botocore.exceptions.ClientError as e:
        raise _error(e, {"NotAuthorizedException": "The session had ended already."}) from None
