"""The token workbench (ipywidgets): look inside a token, check it, forge a claim, watch it fail.

One widget for every token demo. Given a sign-in's session it holds the id token (or, picked,
the access token) and counts down to its expiry; any other JWT can be pasted into its box. Each
token's claims are explained and checked (:func:`wildrydes.tokens.inspect`) against the pool it
is told to expect, so a token from another pool fails the issuer and key checks; a claim edited
in place keeps the old signature, so the signature check fails live.

    bench = nb.token_workbench(session, expect=kit.expected_pool(), client_id=kit.app_client_id)
    bench.picker.value = "access"     # the session's access token instead
    bench.token.value = "eyJ..."      # or paste any token in the box
    bench.check.click()
    bench.claim.value, bench.value.value = "email", "someone.else@example.com"
    bench.edit.click()                # the token in the box changes; the signature fails
"""

from __future__ import annotations

import threading
import time
from typing import Any

import ipywidgets as widgets

from wildrydes import render, tokens
from wildrydes.errors import TokenError
from wildrydes.tokens import Session

__all__ = ["TokenWorkbench", "token_workbench"]

_EMPTY = "<i>Sign in, or paste a token and press Decode and check, to see its claims.</i>"


def _countdown(seconds: float) -> str:
    if seconds <= 0:
        return "⛔ expired: sign in again (or refresh) for a new one"
    minutes, secs = divmod(int(seconds), 60)
    return f"⏳ expires in {minutes:02d}:{secs:02d}"


class TokenWorkbench(widgets.VBox):
    """The session's tokens or any pasted JWT: claims explained, expiry countdown, each check,
    and a claim editor. ``inspection`` is the last result (:class:`wildrydes.tokens.Inspection`).
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        client_id: str | None = None,
        expect: tokens.ExpectedPool | None = None,
        live: bool = True,
    ) -> None:
        self.client_id = client_id
        self.expect = expect
        self.session: Session | None = None
        self.inspection: tokens.Inspection | None = None
        self._original = ""
        self.picker = widgets.ToggleButtons(
            options=[("id token", "id"), ("access token", "access")], value="id"
        )
        self.token = widgets.Textarea(
            placeholder="Paste any JWT (header.payload.signature): from this kit, another "
            "pool, or real AWS",
            layout=widgets.Layout(width="100%", height="90px"),
        )
        self.check = widgets.Button(
            description="Decode and check", button_style="primary", icon="search"
        )
        self.countdown = widgets.HTML()
        self.claims = widgets.HTML(_EMPTY)
        self.claim = widgets.Dropdown(
            description="Claim", options=[], layout=widgets.Layout(width="320px")
        )
        self.value = widgets.Text(
            description="New value",
            placeholder='text, or JSON: 123, true, ["admins"]',
            layout=widgets.Layout(width="420px"),
        )
        self.edit = widgets.Button(
            description="Change this claim", icon="pencil", layout=widgets.Layout(width="180px")
        )
        self.original = widgets.Button(
            description="Back to the original", icon="undo", layout=widgets.Layout(width="180px")
        )
        self.status = widgets.HTML()
        self.result = widgets.HTML()
        self.picker.observe(self._pick, names="value")
        self.check.on_click(self._check)
        self.edit.on_click(self._edit)
        self.original.on_click(self._restore)
        self._stop = threading.Event()
        super().__init__(
            [
                widgets.HTML(
                    "<b>Token workbench</b>: a token's claims, how long it has left, and each "
                    "check against the keys of the pool it must come from. Paste any token and "
                    "press <b>Decode and "
                    "check</b>, or pick one of your sign-in's. Pick a claim, type a new value "
                    "and press <b>Change this claim</b>: the token keeps its old signature, so "
                    "the signature check fails."
                ),
                self.picker,
                self.token,
                widgets.HBox([self.check, self.countdown]),
                # The checks' verdict right under the button that asked for it.
                self.result,
                self.claims,
                widgets.HBox([self.claim, self.value]),
                widgets.HBox([self.edit, self.original]),
                self.status,
            ]
        )
        self.set_session(session)
        if live:
            threading.Thread(target=self._run, name="token-countdown", daemon=True).start()

    # -- the session's tokens --------------------------------------------------------------
    def set_session(self, session: Session | None) -> None:
        """Hold ``session``'s picked token (a sign-in form can call this after signing in)."""
        self.session = session
        self._pick()

    def _pick(self, _change: Any = None) -> None:
        if self.session is None:
            return
        picked = self.picker.value
        self.token.value = self.session.id_token if picked == "id" else self.session.access_token
        self._check()

    # -- any token -------------------------------------------------------------------------
    def _check(self, _button: Any = None) -> None:
        text = self.token.value.strip()
        if not text:
            self.status.value = (
                render.mark(False, no="nothing to check") + ": paste a token into the box first."
            )
            return
        self._original = text  # what "Back to the original" restores
        self._inspect(text)

    def _inspect(self, text: str) -> None:
        self.inspection = tokens.inspect(text, self.expect, client_id=self.client_id)
        decoded = self.inspection.token
        self.claim.options = sorted(decoded.claims) if decoded else []
        self.claims.value = render.claims_table(tokens.explain(decoded)) if decoded else _EMPTY
        self.status.value = ""
        self.result.value = self.inspection.checks_html()
        self.tick()

    def _edit(self, _button: Any = None) -> None:
        if not self.claim.value:
            self.status.value = (
                render.mark(False, no="no claim picked")
                + ": press Decode and check, then pick a claim."
            )
            return
        name = str(self.claim.value)
        try:
            forged = tokens.forge(
                self.token.value.strip(), {name: tokens.parse_value(self.value.value)}
            )
        except TokenError as e:
            self.status.value = render.mark(False, no=str(e))
            return
        self.token.value = forged
        self._inspect(forged)
        verdict = self.inspection.summary() if self.inspection else ""
        # The edit's outcome next to the button that made it (the checks above say the same).
        self.status.value = (
            f"Changed {render.code(name)}; the signature is the original's, so it no longer "
            f"matches. {render.verdict(False if self.signature_ok is False else None, verdict)}"
        )

    def _restore(self, _button: Any = None) -> None:
        if self._original:
            self.token.value = self._original
            self._check()

    @property
    def signature_ok(self) -> bool | None:
        if self.inspection is None or self.inspection.token is None:
            return None
        return self.inspection.verification["signature"].ok

    # -- the countdown ---------------------------------------------------------------------
    def tick(self, now: float | None = None) -> None:
        """Update the countdown from the ``exp`` claim of the token in the box."""
        decoded = self.inspection.token if self.inspection else None
        if decoded is None:
            self.countdown.value = ""
            return
        exp = decoded.claims.get("exp", 0)
        if not isinstance(exp, int | float):
            self.countdown.value = ""
            return
        self.countdown.value = _countdown(exp - (time.time() if now is None else now))

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.tick()

    def close(self) -> None:
        self._stop.set()
        super().close()


def token_workbench(
    session: Session | None = None,
    *,
    client_id: str | None = None,
    expect: tokens.ExpectedPool | None = None,
    live: bool = True,
) -> TokenWorkbench:
    """The workbench, holding ``session``'s id token when one is given; tokens are checked
    against ``expect`` (the pool they must come from) and ``client_id``."""
    return TokenWorkbench(session, client_id=client_id, expect=expect, live=live)
