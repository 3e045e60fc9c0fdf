"""One sign-in per learner session: the session the kit keeps in its home, against the embedded
backend (its real REFRESH_TOKEN_AUTH and GlobalSignOut).

What a learner relies on: notebook 05 keeps the session, 06-08 resume it without the password
and refresh it when its tokens expire; the file is the learner's alone (0600); a sign-out or
``down`` ends it; nothing the notebooks show ever holds the refresh token.
"""

from __future__ import annotations

import stat

import pytest
from account_flows import PASSWORD, make_rider

from wildrydes import accounts, kept_session, tokens
from wildrydes.kit import current
from wildrydes.notebook import signed_in
from wildrydes.notebook.signed_in import REFRESH_MARGIN_SECONDS, keep_session


@pytest.fixture
def kit(launched):
    kit = current()
    yield kit
    kept_session.forget(kit)


@pytest.fixture
def rider(kit):
    return make_rider(kit)[0]


def test_the_kept_session_is_private_and_resumed_without_a_password(kit, rider, monkeypatch):
    session = accounts.sign_in(kit, rider, PASSWORD)
    shown = keep_session(kit, session)
    path = kept_session.path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session.refresh_token and session.refresh_token in path.read_text()
    assert session.refresh_token not in str(shown) + shown._repr_html_()

    # No password anywhere: a prompt would fail (no stdin under pytest), the env var is unset.
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    resumed = signed_in(kit, rider)
    assert resumed.id_token == session.id_token and resumed.refresh_token == session.refresh_token
    assert session.refresh_token not in str(resumed) + resumed._repr_html_()
    assert kept_session.kept(kit, "someone.else@example.com") is None


def test_expired_tokens_are_refreshed_with_the_refresh_token(kit, rider, monkeypatch):
    session = accounts.sign_in(kit, rider, PASSWORD)
    kept_session.keep(kit, session)
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    later = session.expires_at - REFRESH_MARGIN_SECONDS + 1  # due for a refresh
    fresh = signed_in(kit, rider, now=later)
    assert fresh.id_token != session.id_token
    assert tokens.decode(fresh.id_token).claims["cognito:username"] == session.username
    assert accounts.verify_token(kit, fresh.id_token, "id").ok
    kept = kept_session.kept(kit, rider)
    assert kept is not None and kept.id_token == fresh.id_token  # the refreshed one is kept


def test_signing_out_ends_the_kept_session(kit, rider, monkeypatch):
    session = accounts.sign_in(kit, rider, PASSWORD)
    kept_session.keep(kit, session)
    accounts.sign_out(kit, session)
    assert kept_session.kept(kit, rider) is None
    # Without a kept session and with the password (a headless run): one new sign-in, kept.
    monkeypatch.setenv("WILDRYDES_PASSWORD", PASSWORD)
    again = signed_in(kit, rider)
    assert again.id_token != session.id_token
    assert kept_session.kept(kit, rider) is not None


def test_a_session_cognito_no_longer_honours_is_replaced(kit, rider, monkeypatch):
    """Signed out elsewhere (the website, the CLI): the refresh is refused, so sign in again."""
    session = accounts.sign_in(kit, rider, PASSWORD)
    kept_session.keep(kit, session)
    kit.backend.client("cognito-idp").global_sign_out(AccessToken=session.access_token)
    monkeypatch.setenv("WILDRYDES_PASSWORD", PASSWORD)
    again = signed_in(kit, rider, now=session.expires_at)
    assert again.id_token != session.id_token and again.refresh_token != session.refresh_token


def test_down_forgets_every_kept_session_of_the_backend(kit, rider):
    kept_session.keep(kit, accounts.sign_in(kit, rider, PASSWORD))
    assert kept_session.forget(state_key=kit.backend.state_key) is True
    assert not kept_session.path().exists()
    assert kept_session.forget(state_key=kit.backend.state_key) is False
