"""One sign-in per learner session: notebook 05 keeps its session, 06-08 resume it.

The website keeps its rider signed in with the tokens amazon-cognito-identity-js stores and
refreshes; the notebooks do the same with :mod:`wildrydes.kept_session` (the kit home, 0600).
:func:`keep_session` is notebook 05's step after its sign-in; :func:`signed_in` is the first
cell of 06-08: the kept session, refreshed with its refresh token when its tokens have (almost)
expired, or, when none is kept (a notebook run alone, after a sign-out or ``down``), the rider
made ready and signed in once with the password (``WILDRYDES_PASSWORD`` in headless runs).
"""

from __future__ import annotations

import time

from IPython.display import display

from wildrydes import accounts, kept_session, render
from wildrydes.errors import AuthError
from wildrydes.kit import Kit
from wildrydes.notebook.displays import Shown
from wildrydes.notebook.password_prompt import password
from wildrydes.notebook.prerequisites import ensure_user
from wildrydes.tokens import Session

__all__ = ["REFRESH_MARGIN_SECONDS", "keep_session", "signed_in"]

#: Refresh when the tokens have less than this left, so a cell never starts with a token that
#: expires while it runs (the SDK's CognitoUserSession.isValid() allows a similar clock drift).
REFRESH_MARGIN_SECONDS = 120

# Cognito's answer to a refresh token it no longer honours (signed out, revoked, expired): the
# kept session is over and the rider signs in again (API Reference, InitiateAuth errors).
_SESSION_OVER = ("NotAuthorizedException", "UserNotFoundException")


def _said(text: str) -> Shown:
    return Shown(f"<p>{render.done(text)}</p>", text)


def keep_session(kit: Kit, session: Session) -> Shown:
    """Keep ``session`` in the kit home for the next notebooks (the refresh token included,
    never shown); one line saying where."""
    kept_session.keep(kit, session)
    text = (
        f"Session of {session.username} kept in {kept_session.path()} (readable by you only): "
        "notebooks 06-08 use it without asking for the password, and refresh it when it expires."
    )
    return _said(text)


def signed_in(kit: Kit, email: str, *, now: float | None = None) -> Session:
    """The rider's session: the kept one (refreshed when due), else one new sign-in, kept."""
    session = kept_session.kept(kit, email)
    if session is not None:
        left = session.expires_at - (time.time() if now is None else now)
        if left >= REFRESH_MARGIN_SECONDS:
            display(_said(f"Signed in as {session.username} (the session kept since notebook 05)."))
            return session
        try:
            session = accounts.refresh(kit, session)
        except AuthError as e:
            if e.code not in _SESSION_OVER:
                raise
            kept_session.forget(kit)
            display(_said(f"The kept session is over (Cognito: {e.said}); signing in again."))
        else:
            kept_session.keep(kit, session)
            display(
                _said(
                    f"Signed in as {session.username}: the kept session's tokens had expired, "
                    "so they were refreshed with its refresh token (no password needed)."
                )
            )
            return session
    display(ensure_user(kit, email, password()))
    session = accounts.sign_in(kit, email, password())
    display(keep_session(kit, session))
    return session
