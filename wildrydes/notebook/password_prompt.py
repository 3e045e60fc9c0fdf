"""The learner's password in a notebook: ``WILDRYDES_PASSWORD``, else a hidden prompt.

It is kept in this kernel's memory only, never printed, recorded or written to a file. A typed
password that misses a rule of the pool's policy shows the policy checklist and is asked for
again, right at the prompt; one that Cognito refuses is asked for again too. Nothing refused is
kept: only a password that passed is remembered.
"""

from __future__ import annotations

import getpass
import os

from IPython.core.error import StdinNotImplementedError
from IPython.display import display

from wildrydes import accounts, render
from wildrydes.accounts import PASSWORD_ENV
from wildrydes.errors import AuthError, ConfigurationError
from wildrydes.kit import Kit
from wildrydes.notebook.displays import Shown
from wildrydes.policy import PasswordPolicy, check_rules, missing_rules

__all__ = [
    "PASSWORD_ENV",
    "ask",
    "forget_password",
    "known_secrets",
    "password",
    "password_works",
    "policy_checklist",
    "replace_refused",
]

#: How many refused passwords one prompt takes before it stops asking (the cell can be run again).
TRIES = 5

_password: str | None = None


def ask(prompt: str, *, hidden: bool) -> str | None:
    """Ask the person at the keyboard; None when nobody can answer (papermill, no stdin)."""
    try:
        answer = getpass.getpass(prompt) if hidden else input(prompt)
    except (StdinNotImplementedError, EOFError):
        return None
    return answer.strip() if not hidden else answer


def password(
    prompt: str = "Your Wild Rydes password (hidden): ", *, policy: PasswordPolicy | None = None
) -> str:
    """The learner's password: ``$WILDRYDES_PASSWORD``, else asked once with a hidden prompt.

    With the pool's ``policy`` (a password about to be registered), a typed password that misses
    a rule shows the checklist and the prompt asks again, up to :data:`TRIES` times; the refused
    ones are never kept. It is kept in this kernel's memory only; never printed, recorded or
    written to a file.
    """
    global _password
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if _password and (policy is None or not missing_rules(_password, policy)):
        return _password
    _password = None
    for _attempt in range(TRIES):
        typed = ask(prompt, hidden=True)
        if not typed:
            raise ConfigurationError(
                f"No password to use. Headless runs (papermill, CI) read it from {PASSWORD_ENV}: "
                f"`export {PASSWORD_ENV}='...'` before starting. In JupyterLab, run the cell again "
                "and type it into the hidden prompt."
            )
        if policy is not None and missing_rules(typed, policy):
            display(policy_checklist(typed, policy))
            prompt = "Another password, meeting every rule above (hidden): "
            continue
        _password = typed
        return typed
    raise ConfigurationError(
        f"{TRIES} passwords in a row missed a rule of the pool's policy, so none was kept. Run "
        "the cell again and type one that meets every rule of the checklist."
    )


def replace_refused(refused: str, policy: PasswordPolicy) -> str:
    """A typed password the pool refused: forget it, show its checklist, ask for another."""
    if os.environ.get(PASSWORD_ENV):
        raise ConfigurationError(
            f"{PASSWORD_ENV} holds a password that misses a rule of the pool's policy: set it to "
            "one that meets every rule, then run the cell again."
        )
    forget_password()
    display(policy_checklist(refused, policy))
    return password("Another password, meeting every rule above (hidden): ", policy=policy)


def forget_password() -> None:
    """Forget a typed password (to type another one next time)."""
    global _password
    _password = None


def policy_checklist(typed: str, policy: PasswordPolicy) -> Shown:
    """Each rule of the pool's password policy, met or not, as text and colour (the password
    itself never shows). A typed password that misses a rule is forgotten, so the next prompt
    asks for another."""
    global _password
    rules = check_rules(typed, policy)
    met = all(ok for _, ok in rules)
    if typed == _password and not met:
        _password = None
    items = "".join(
        f"<li>{render.mark(ok, 'has', 'needs')} {render.escape(rule)}</li>" for rule, ok in rules
    )
    verdict = (
        "meets every rule"
        if met
        else "misses a rule, so it was not kept: type another one at the prompt"
    )
    return Shown(
        f"<p>Your password {verdict}:</p><ul>{items}</ul>",
        f"Your password {verdict}:\n"
        + "\n".join(f"{'✓' if ok else '✗'} {rule}" for rule, ok in rules),
    )


def known_secrets() -> list[str]:
    """The password from the environment and the one typed in this kernel, to keep out of
    what a notebook records."""
    return [s for s in (os.environ.get(PASSWORD_ENV), _password) if s]


def password_works(kit: Kit, email: str, typed: str, *, tries: int = 3) -> str:
    """Sign in once with ``typed``; when Cognito says the password is wrong, ask again with
    the hidden prompt (up to ``tries`` times) and remember the one that works."""
    global _password
    candidate = typed
    for _attempt in range(tries):
        try:
            accounts.sign_in(kit, email, candidate)
        except AuthError as e:
            if e.code != "NotAuthorizedException":
                raise
            if os.environ.get(PASSWORD_ENV):
                raise AuthError(
                    e.said or "Incorrect username or password.",
                    hint=f"{PASSWORD_ENV} holds another password than the one {email} registered "
                    "with: set it to that one, or run 99 cleanup and register again.",
                    code=e.code,
                ) from None
            _password = None
            again = ask(
                f"That is not the password {email} registered with (Cognito: "
                f"{e.said or 'Incorrect username or password.'}). Type it again "
                "(hidden): ",
                hidden=True,
            )
            if not again:
                break
            candidate = again
            continue
        _password = candidate if not os.environ.get(PASSWORD_ENV) else _password
        return candidate
    raise AuthError(
        "Incorrect username or password.",
        hint=f"run this cell again and type the password {email} registered with; if it is "
        "lost, run 99 cleanup and register again.",
        code="NotAuthorizedException",
    )
