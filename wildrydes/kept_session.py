"""The learner's session, kept between notebooks the way the website keeps its own.

amazon-cognito-identity-js keeps the id, access and refresh tokens of the signed-in user in the
browser's storage and refreshes them with the refresh token when they expire, so a rider signs in
once. The kit does the same for the notebooks: after notebook 05's sign-in the tokens are kept in
``session.json`` in the kit home (0600, like every file there; never in the state file, which
holds no secrets), one session per backend, user pool and app client. Notebooks 06-08 resume it
(:func:`wildrydes.notebook.signed_in` refreshes it when needed) instead of asking for the password
again. Signing out (GlobalSignOut) or ``wildrydes down`` forgets it.

The refresh token is read back only to be sent to Cognito; no display of a
:class:`~wildrydes.tokens.Session` ever shows it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wildrydes.errors import ConfigurationError
from wildrydes.home import kit_home, write_private
from wildrydes.tokens import Session

if TYPE_CHECKING:
    from wildrydes.kit import Kit

__all__ = ["FILE_NAME", "forget", "keep", "kept", "kept_any", "path"]

FILE_NAME = "session.json"
_FIELDS = ("email", "username", "id_token", "access_token", "expires_in", "issued_at")


def path() -> Path:
    """Where the kept sessions live: ``session.json`` in the kit home (0600)."""
    return kit_home() / FILE_NAME


def _key(kit: Kit) -> str:
    return f"{kit.backend.state_key}|{kit.user_pool_id}|{kit.app_client_id}"


def _read() -> dict[str, Any]:
    try:
        everything: Any = json.loads(path().read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # unreadable or damaged: as if no one were signed in (a sign-in rewrites it)
    return everything if isinstance(everything, dict) else {}


def _write(everything: dict[str, Any]) -> None:
    target = path()
    try:
        if everything:
            write_private(target, json.dumps(everything, indent=1, sort_keys=True))
        else:
            target.unlink(missing_ok=True)
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write the kept session {target}: {e.strerror}. Free some disk space or make "
            "the kit home writable, then run the same cell again."
        ) from None


def keep(kit: Kit, session: Session) -> None:
    """Keep ``session`` for the kit's pool and app client (replacing the one kept before)."""
    everything = _read()
    record = {name: getattr(session, name) for name in _FIELDS}
    record["refresh_token"] = session.refresh_token
    everything[_key(kit)] = record
    _write(everything)


def kept(kit: Kit, email: str | None = None) -> Session | None:
    """The session kept for the kit's pool and app client (for ``email``, when given), as it
    was kept: its tokens may have expired since (refreshing is the caller's step)."""
    record = _read().get(_key(kit))
    if not isinstance(record, dict):
        return None
    try:
        session = Session(
            str(record["email"]),
            str(record["username"]),
            str(record["id_token"]),
            str(record["access_token"]),
            int(record["expires_in"]),
            float(record["issued_at"]),
            record.get("refresh_token") or None,
        )
    except (KeyError, TypeError, ValueError):
        return None
    if email is not None and session.email.lower() != email.strip().lower():
        return None
    return session


def kept_any(state_key: str, user_pool_id: str, app_client_id: str) -> bool:
    """Whether a session is kept for this backend, pool and app client (whoever's it is)."""
    return isinstance(_read().get(f"{state_key}|{user_pool_id}|{app_client_id}"), dict)


def forget(kit: Kit | None = None, *, state_key: str | None = None) -> bool:
    """End the kept session of ``kit`` (or of every pool on ``state_key``'s backend, or all
    of them when neither is given); True if one was kept."""
    everything = _read()
    if kit is not None:
        gone = [_key(kit)] if _key(kit) in everything else []
    elif state_key is not None:
        gone = [k for k in everything if k.split("|", 1)[0] == state_key]
    else:
        gone = list(everything)
    for key in gone:
        everything.pop(key)
    if gone or (not everything and os.path.exists(path())):
        _write(everything)
    return bool(gone)
