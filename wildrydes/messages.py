"""The kit's words after a refusal: one table of next steps, for Python, the forms and the website.

Every message a learner reads after a mistake has two parts, in the same order everywhere: what
happened (Cognito's or S3's own words, ``error.said``), then the kit's next step
(``error.hint``), shown after "Next step:". The next steps live in :data:`NEXT_STEPS`, keyed by
the step that was refused and the error code (AWS's, or the kit's own for a refusal it makes
first), with the words for each place a learner reads them:

* ``terminal``: Python's messages and the CLI (names commands and notebooks);
* ``form``: a notebook's form (names its buttons; the terminal's words when empty);
* ``website``: the website's pages, generated into ``website/js/kit-words.js``
  (:func:`website_words`); ``[text](page.html)`` is a link, ```code``` is code, and the page
  fills ``{email}``, ``{rules}`` and ``{endpoint}``.

A code at a step the table has no row for falls back to the same code at any step (``*``).
Where Cognito gives two different situations one code, :func:`row_code` tells them apart by
Cognito's own message (the lockout is a NotAuthorizedException whose message is "Password
attempts exceeded"), so the key is ``CODE.detail``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wildrydes.errors import joined
from wildrydes.policy import SYMBOLS, PasswordPolicy, rule_words

__all__ = [
    "ANY",
    "NEXT_STEPS",
    "NextStep",
    "client_error_hint",
    "client_error_parts",
    "ATTEMPTS_EXCEEDED",
    "list_words",
    "missing_because",
    "next_step",
    "row_code",
    "website_script",
    "website_words",
]

ANY = "*"  # a row for any step (or, as a code, for any code at its step)


@dataclass(frozen=True)
class NextStep:
    """What to do next after one refusal, in the words of each place it is read."""

    terminal: str = ""
    form: str = ""
    website: str = ""


#: Cognito's message for a sign-in during a lockout (Developer Guide, "Authentication flows",
#: lockout behavior: after five failed sign-ins with a password the user is locked out for one
#: second, doubling with each further failure up to about 15 minutes; "Attempts made during a
#: lockout period generate a Password attempts exceeded exception").
ATTEMPTS_EXCEEDED = "Password attempts exceeded"


def row_code(code: str, said: str) -> str:
    """The table's key for an error: its code, or ``code.detail`` where Cognito's message is
    the only thing telling two situations apart."""
    if code == "NotAuthorizedException" and said.strip().rstrip(".") == ATTEMPTS_EXCEEDED:
        return code + ".attempts-exceeded"
    return code


_ALREADY = "{email} is confirmed already: go ahead and sign in."
_VERIFIED_FORM = "{email} is verified already: sign in (notebook 05)."
# Cognito does not say how long these refusals last, so neither does the kit.
_SLOW_DOWN = NextStep(
    "Cognito limits how often this can be tried; wait a while, then try again.",
    website="Cognito is refusing this for now: too many tries. Wait a while, then try again.",
)
_LOCKED_OUT = (
    "Cognito locks sign-in after five wrong passwords: for 1 second, doubling with each "
    "further wrong one up to about 15 minutes."
)

#: (step, code) -> the next step. Steps: register, confirm (and resend), sign-in, refresh,
#: sign-out, website-walk (notebook 07's browser walk), and * for any.
NEXT_STEPS: dict[tuple[str, str], NextStep] = {
    # -- register ------------------------------------------------------------------------------
    ("register", "UsernameExistsException"): NextStep(
        "{email} is registered already: sign in, or if it was never confirmed, resend the code "
        "(wildrydes confirm {email} --resend).",
        form="{email} is registered already: if you never verified it, use the Verify form "
        "below (Check the local mailbox or Resend code, then Verify); otherwise sign in "
        "(notebook 05).",
        website="There is already a rider with this email. [Sign in instead](signin.html), or "
        "[verify the account](verify.html) if you never typed in your code.",
    ),
    ("register", "InvalidPasswordException"): NextStep(
        "the password still needs {rules}.",
        form="the password still needs {rules}. Change it above and press Register again.",
        website="The password still needs {rules}.",
    ),
    # Cognito refused the password for a rule the kit's checklist did not see.
    ("register", "InvalidPasswordException.unknown-rule"): NextStep(
        "pick a password that meets every rule of the user pool.",
        website="The user pool’s password policy is stricter than the checklist here; see the "
        "message above for the rule it applies.",
    ),
    ("register", "InvalidParameterException"): NextStep(
        "Check the email address and the password."
    ),
    ("register", "PasswordMismatch"): NextStep(
        "type the same password twice.",
        form="type the same password into Password and Again, then press Register.",
    ),
    ("register", "InvalidEmail"): NextStep(
        form="fix the Email box (like rider@example.com), then press Register."
    ),
    # -- confirm (and resend the code) ---------------------------------------------------------
    # Cognito does not document whether older codes still work after a resend; the kit's local
    # backend accepts only the newest, so the advice is always "use the newest".
    ("confirm", "CodeMismatchException"): NextStep(
        "That code is not right for {email}: check it, or use the newest one sent "
        "(wildrydes confirm {email} --resend sends another).",
        form="check the code, or use the newest one: {fetch}press Resend code for a new one, "
        "then Verify.",
        website="Check the code, or use the one in the newest email.",
    ),
    ("confirm", "ExpiredCodeException"): NextStep(
        "Codes last 24 hours. Resend one (wildrydes confirm {email} --resend) and use it.",
        form="press Resend code, then Verify with the code in the newest email.",
        website="That code has expired. Press “Send a new code” and use the code in the newest "
        "email.",
    ),
    ("confirm", "NotAuthorizedException"): NextStep(
        _ALREADY,
        form=_VERIFIED_FORM,
        website="This account is already verified. [Sign in](signin.html).",
    ),
    ("confirm", "InvalidParameterException"): NextStep(
        _ALREADY,
        form=_VERIFIED_FORM,
        website="Nothing left to verify. [Sign in](signin.html).",
    ),
    ("confirm", "UserNotFoundException"): NextStep(
        "No user {username} in this pool: register {email} first.",
        form="register {email} with the Register form above first.",
    ),
    ("confirm", "LimitExceededException"): NextStep("Wait a few minutes, then try again."),
    ("confirm", "TooManyFailedAttemptsException"): NextStep(
        "Too many wrong codes: wait a while, then resend a code and use the new one.",
        website="Too many wrong codes. Wait a while, then press “Send a new code” and use "
        "the code in the newest email.",
    ),
    ("confirm", "MissingCode"): NextStep(
        "pass the code emailed to {email} (--code CODE), or confirm as admin (--admin).",
        form="type the code from the email into Code{or_fetch}, then press Verify.",
    ),
    # -- sign in, refresh, sign out ------------------------------------------------------------
    ("sign-in", "NotAuthorizedException"): NextStep(
        "Check the password for {email} (it is case-sensitive); if you never registered "
        "{email}, register first.",
        form="check the password for {email} (it is case-sensitive), type it again and press "
        "Sign in.",
        website="Passwords are case-sensitive. New here? [Register first](register.html).",
    ),
    ("sign-in", "NotAuthorizedException.attempts-exceeded"): NextStep(
        _LOCKED_OUT + " Wait, then try once with the right password for {email}; each wrong "
        "try makes the wait longer.",
        form=_LOCKED_OUT + " Wait, then type the right password once and press Sign in.",
        website="Too many wrong passwords: Cognito has locked sign-in for a while (from 1 "
        "second, doubling with each wrong try up to about 15 minutes). Wait, then try once "
        "with the right password.",
    ),
    ("sign-in", "UserNotConfirmedException"): NextStep(
        "Confirm {email} first with the emailed code (wildrydes confirm {email} --code CODE).",
        form="verify {email} first with the Verify form of notebook 04, then press Sign in.",
        website="Your email is not verified yet. [Verify it with your code](verify.html), then "
        "sign in.",
    ),
    ("sign-in", "UserNotFoundException"): NextStep(
        "No user {username} in this pool: register {email} first.",
        form="register {email} first with the Register form of notebook 04.",
    ),
    # An administrator's reset (AdminResetUserPassword, the console's "Reset password") is what
    # sets RESET_REQUIRED and sends a reset code; the way out is "forgot password" with that
    # code (ConfirmForgotPassword), or an administrator setting a new password (API Reference,
    # AdminResetUserPassword and ForgotPassword).
    ("sign-in", "PasswordResetRequiredException"): NextStep(
        "An administrator reset the password of {email}: choose a new one with the emailed "
        "reset code (ForgotPassword, then ConfirmForgotPassword), or have an administrator set "
        "one (aws cognito-idp admin-set-user-password --permanent)."
    ),
    ("sign-in", "InvalidParameterException"): NextStep(
        "Allow ALLOW_USER_SRP_AUTH on the app client (wildrydes up)."
    ),
    ("sign-in", "SrpError"): NextStep("sign in again."),
    ("sign-in", "UnexpectedChallenge"): NextStep(
        "turn MFA off and make sure the user has a permanent password."
    ),
    ("refresh", "NotAuthorizedException"): NextStep("Sign in again with your password."),
    ("refresh", "NoRefreshToken"): NextStep("sign in again with your password."),
    ("sign-out", "NotAuthorizedException"): NextStep(
        "The session had ended already; sign in again if you need tokens."
    ),
    # -- notebook 07's walk through the website ------------------------------------------------
    ("website-walk", "NotAuthorizedException"): NextStep(
        "the password is not the one {email} registered with: run the notebook's first cells "
        "again and type the right one at the prompt."
    ),
    ("website-walk", ANY): NextStep(
        "the website's {page} step for {email} was refused ({code}); try the same step by hand "
        "on the website to see its page."
    ),
    # -- any step: what a reset or `wildrydes down` removed, limits, the network ---------------
    (ANY, "ResourceNotFoundException"): NextStep(
        "the user pool or app client the kit remembers is missing ({why}); `wildrydes up` (or "
        "notebooks 01-03) makes them again.",
        website="The user pool or app client named in `js/config.js` does not exist here. Run "
        "`wildrydes up` again to recreate them and rewrite the config.",
    ),
    (ANY, "NoSuchBucket"): NextStep(
        "the website bucket is missing ({why}); `wildrydes module1` (or notebook 00) makes it "
        "again, and `wildrydes up` makes everything."
    ),
    (ANY, "NoSuchKey"): NextStep(
        "a file of the website is missing ({why}); `wildrydes module1` (or notebook 00) uploads "
        "the site again."
    ),
    (ANY, "InvalidEmail"): NextStep("use one like rider@example.com."),
    (ANY, "UserNotFoundException"): NextStep(
        website="No rider has registered with this email in this user pool. "
        "[Register](register.html) first."
    ),
    (ANY, "LimitExceededException"): _SLOW_DOWN,
    (ANY, "TooManyRequestsException"): _SLOW_DOWN,
    (ANY, "TooManyFailedAttemptsException"): _SLOW_DOWN,
    # The browser's request got no answer at all (the SDK's NetworkError): said in one line
    # with the next step, for the backend config.js names (the local one, an AWS-compatible
    # endpoint, or AWS itself).
    (ANY, "NetworkError"): NextStep(
        website="The browser could not reach Amazon Cognito in {region}: check your internet "
        "connection, then try again."
    ),
    (ANY, "NetworkError.local"): NextStep(
        website="The local backend is not answering at `{endpoint}`: run `wildrydes local start`, "
        "then try again."
    ),
    (ANY, "NetworkError.endpoint"): NextStep(
        website="The Cognito endpoint `{endpoint}` is not answering: start it (or point "
        "`AWS_ENDPOINT_URL` at one that runs and run `wildrydes up`), then try again."
    ),
    (ANY, ANY): NextStep(
        "run `wildrydes status` to see what is there; `wildrydes up` makes what is missing."
    ),
}

#: The codes whose row says what is missing; ``{why}`` depends on the backend.
_GONE = ("ResourceNotFoundException", "NoSuchBucket", "NoSuchKey")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def missing_because(backend: str) -> str:
    """Why a resource the kit made is gone, on this backend (fills ``{why}``)."""
    if backend == "local":
        return "the embedded backend was reset, or `wildrydes down` removed it"
    return "it was deleted, or `wildrydes down` removed it"


def _fill(text: str, names: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group(0)), text)


def next_step(
    step: str, code: str, surface: str = "terminal", fallback: bool = False, /, **names: str
) -> str:
    """The next step after ``code`` at ``step``, in ``surface``'s words ("" when none).

    Looks up (step, code), then (``*``, code); with ``fallback``, also the step's and the
    table's rows for any code. ``names`` fill the placeholders ({email}, {username}, ...).
    """
    keys = [(step, code), (ANY, code)]
    if fallback:
        keys += [(step, ANY), (ANY, ANY)]
    for key in keys:
        row = NEXT_STEPS.get(key)
        if row is None:
            continue
        words = getattr(row, surface) or (row.terminal if surface == "form" else "")
        if words:
            if code in _GONE and "why" not in names:
                names = {**names, "why": missing_because(_backend_kind())}
            return _fill(words, {"code": code, **names})
    return ""


def _backend_kind() -> str:
    return (os.environ.get("WILDRYDES_BACKEND") or "local").strip().lower()


def list_words(items: list[str]) -> str:
    """'a, b and c', as the website's hints list rules."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def client_error_parts(error: Any) -> tuple[str, str]:
    """(code, message) of a botocore ClientError, from its structured response."""
    info = getattr(error, "response", {}).get("Error", {})
    return str(info.get("Code", "")), str(info.get("Message", ""))


def client_error_hint(error: Any) -> str:
    """AWS's words and the next step for a refusal no step turned into a kit error (the CLI's
    last resort): what is missing (after a reset or a `down`) and what makes it again, never a
    traceback."""
    code, said = client_error_parts(error)
    hint = next_step(ANY, code, "terminal", True)
    if code in _GONE:
        return joined(said or code, hint)
    return joined(f"{code}: {said}" if code else said, hint)


def website_words(policy: PasswordPolicy) -> dict[str, Any]:
    """What the website's script reads from ``js/kit-words.js``: the password policy's symbols
    and rule words, and every next step the website shows, keyed ``"step code"``."""
    return {
        "symbols": "".join(sorted(SYMBOLS)),
        "minimumLength": policy.minimum_length,
        "rules": rule_words(policy),
        "nextSteps": {
            f"{step} {code}": row.website
            for (step, code), row in sorted(NEXT_STEPS.items())
            if row.website
        },
    }


def website_script(policy: PasswordPolicy) -> str:
    """The text of ``website/js/kit-words.js``, an ES module the site's scripts import
    (``WORDS``), generated from this table and the policy."""
    data = json.dumps(website_words(policy), indent=2, ensure_ascii=False, sort_keys=True)
    return (
        "/* Generated by `make website-words` from wildrydes/messages.py (the next steps) and\n"
        " * wildrydes/policy.py (rules, symbols); do not edit: a test checks that it matches. */\n"
        f"export const WORDS = {data};\n"
    )
