"""Email or phone number as the username (UsernameAttributes), as Cognito does it.

Developer guide, "Customizing sign-in attributes" (UsernameAttributes): in such a pool the
username a user signs up with must be an email address (or phone number, as the pool allows);
Cognito stores the user under a generated id (a UUID, the user's ``sub``) and keeps the given
address as the ``email`` (or ``phone_number``) attribute; the user signs in with the address,
and no two users may share it: SignUp answers UsernameExistsException ("An account with the
given email already exists."), a change of address to a taken one AliasExistsException.
The address is found again by :meth:`.store.Store.user`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.store import Row, Store

__all__ = [
    "TAKEN",
    "check_unique_addresses",
    "new_username",
    "username_attributes",
]

TAKEN = "An account with the given {} already exists."
_EMAIL = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f.]+(\.[^@\s\x00-\x1f.]+)+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{1,14}$")
_FORMAT = {"email": _EMAIL, "phone_number": _PHONE}


def username_attributes(pool: Row) -> list[str]:
    """The pool's UsernameAttributes (``email``, ``phone_number``), or none."""
    return [str(n) for n in pool["config"].get("UsernameAttributes") or []]


def new_username(
    store: Store, pool: Row, given: str, attributes: Mapping[str, str]
) -> tuple[str, dict[str, str]]:
    """The username to store for a new user named ``given``, and its attributes.

    In an ordinary pool: ``given``, unchanged. With UsernameAttributes: ``given`` must be one
    of the allowed kinds of address; the user gets a UUID for a username and the address as
    its attribute."""
    kinds = username_attributes(pool)
    if not kinds:
        return given, dict(attributes)
    kind = next((k for k in kinds if _FORMAT.get(k, _EMAIL).match(given)), None)
    if kind is None:
        wanted = " or ".join("an email" if k == "email" else "a phone number" for k in kinds)
        raise e.InvalidParameterException(f"Username should be {wanted}.")
    if store.user_by_attribute(pool["id"], kind, given) is not None:
        raise e.UsernameExistsException(TAKEN.format(kind.replace("_", " ")))
    return str(uuid.uuid4()), {**attributes, kind: given}


def check_unique_addresses(
    store: Store, pool: Row, username: str, attributes: Mapping[str, str]
) -> None:
    """A changed address in a UsernameAttributes pool may not be another user's."""
    for kind in username_attributes(pool):
        value = attributes.get(kind)
        if value is None:
            continue
        owner = store.user_by_attribute(pool["id"], kind, value)
        if owner is not None and owner["username"] != username:
            raise e.AliasExistsException(TAKEN.format(kind.replace("_", " ")))
