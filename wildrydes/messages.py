"""The kit's words for a refusal: what AWS said, then, separately, what to do next.

Every message a learner reads after a mistake has the same two parts, in the same order, in the
notebooks, the widgets, the CLI and the website: Cognito's (or S3's) own words, then the kit's
hint starting with "Next step:". ``missing_resource`` turns the errors a restarted or torn-down
backend gives (ResourceNotFoundException, NoSuchBucket, ...) into what is missing and the
command or notebook that makes it again.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "NEXT",
    "client_error_hint",
    "client_error_parts",
    "joined",
    "list_words",
    "missing_resource",
    "weak_password",
]

NEXT = "Next step:"

#: The AWS error codes that mean "what the kit made is not there (any more)".
_MISSING = {
    "ResourceNotFoundException": (
        "the user pool or app client the kit remembers",
        "`wildrydes up` (or notebooks 01-03) makes them again",
    ),
    "NoSuchBucket": (
        "the website bucket",
        "`wildrydes module1` (or notebook 00) makes it again, and `wildrydes up` makes everything",
    ),
    "NoSuchKey": (
        "a file of the website",
        "`wildrydes module1` (or notebook 00) uploads the site again",
    ),
}


def joined(said: str, hint: str) -> str:
    """AWS's words, then the kit's hint, as two sentences that never run into each other."""
    said = said.strip()
    if said and said[-1] not in ".!?":
        said += "."
    hint = hint.strip()
    if not hint:
        return said
    return f"{said} {NEXT} {hint}" if said else f"{NEXT} {hint}"


def list_words(items: list[str]) -> str:
    """'a, b and c', as the website's hints list rules."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def weak_password(cognito_words: str, missing: list[str]) -> str:
    """One wording everywhere: Cognito's InvalidPasswordException message, then every rule the
    password still needs (the website's sentence)."""
    hint = (
        f"the password still needs {list_words(missing)}."
        if missing
        else "pick a password that meets every rule of the user pool."
    )
    return joined(cognito_words, hint)


def missing_resource(code: str, aws_message: str, *, backend: str = "local") -> str | None:
    """What is missing and what makes it again, for an AWS error code that means "gone";
    None for any other code."""
    if code not in _MISSING:
        return None
    what, restore = _MISSING[code]
    why = (
        "the embedded backend was reset, or `wildrydes down` removed it"
        if backend == "local"
        else "it was deleted, or `wildrydes down` removed it"
    )
    return joined(aws_message or code, f"{what} is missing ({why}); {restore}.")


def client_error_parts(error: Any) -> tuple[str, str]:
    """(code, message) of a botocore ClientError."""
    info = getattr(error, "response", {}).get("Error", {})
    return str(info.get("Code", "")), str(info.get("Message", ""))


def client_error_hint(error: Any) -> str:
    """AWS's words and the next step for a refusal no step turned into a kit error (the CLI's
    last resort): what is missing (after a reset or a `down`) and what makes it again, never a
    traceback."""
    code, said = client_error_parts(error)
    backend = (os.environ.get("WILDRYDES_BACKEND") or "local").strip().lower()
    return missing_resource(code, said, backend=backend) or joined(
        f"{code}: {said}" if code else said,
        "run `wildrydes status` to see what is there; `wildrydes up` makes what is missing.",
    )
