"""The instructor's token workbench: paste any JWT, decode and check it, edit a claim, and
watch the signature check fail live (ipywidgets; the logic is :mod:`wildrydes.instructor`).

    bench = explorer.token_workbench(session, client_id=kit.app_client_id)
    bench.token.value = "eyJ..."      # or paste it in the box
    bench.check.click()
    bench.claim.value, bench.value.value = "email", "someone.else@example.com"
    bench.edit.click()                # the token in the box changes; the signature fails
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from wildrydes import instructor, render, tokens
from wildrydes.errors import TokenError

__all__ = ["TokenWorkbench", "token_workbench"]


class TokenWorkbench(widgets.VBox):
    """A token box, Decode and check, and a claim editor; ``inspection`` is the last result."""

    def __init__(self, session: Any = None, *, client_id: str | None = None):
        self.client_id = client_id
        self.token = widgets.Textarea(
            placeholder="Paste any JWT (header.payload.signature): from this kit, another "
            "pool, or real AWS",
            layout=widgets.Layout(width="100%", height="90px"),
        )
        self.check = widgets.Button(
            description="Decode and check", button_style="primary", icon="search"
        )
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
        self.inspection: instructor.Inspection | None = None
        self._original = ""
        self.check.on_click(self._check)
        self.edit.on_click(self._edit)
        self.original.on_click(self._restore)
        super().__init__(
            [
                widgets.HTML(
                    "<b>Token workbench</b>: paste a token, then <b>Decode and check</b>. "
                    "Pick a claim, type a new value and press <b>Change this claim</b>: "
                    "the token keeps its old signature, so the signature check fails."
                ),
                self.token,
                self.check,
                widgets.HBox([self.claim, self.value]),
                widgets.HBox([self.edit, self.original]),
                self.status,
                self.result,
            ]
        )
        if session is not None:
            self.token.value = session.id_token
            self._check()

    def _check(self, _button: Any = None) -> None:
        text = self.token.value.strip()
        if not text:
            self.status.value = (
                "<span style='color:#cf222e'>✗ nothing to check</span>: paste "
                "a token into the box first."
            )
            return
        self._original = text  # what "Back to the original" restores
        self._inspect(text)

    def _inspect(self, text: str) -> None:
        self.inspection = instructor.inspect(text, client_id=self.client_id)
        decoded = self.inspection.token
        self.claim.options = sorted(decoded.claims) if decoded else []
        self.status.value = ""
        self.result.value = self.inspection._repr_html_()

    def _edit(self, _button: Any = None) -> None:
        if not self.claim.value:
            self.status.value = (
                render.mark(False, no="no claim picked")
                + ": press Decode and check, then pick a claim."
            )
            return
        try:
            forged = instructor.edit_claim(
                self.token.value.strip(), self.claim.value, instructor.parse_value(self.value.value)
            )
        except TokenError as e:
            self.status.value = render.mark(False, no=str(e))
            return
        self.token.value = forged
        self._inspect(forged)
        self.status.value = (
            f"Changed {render.code(self.claim.value)}; the "
            "signature is the original's, so it no longer matches."
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


def token_workbench(session: Any = None, *, client_id: str | None = None) -> TokenWorkbench:
    """The workbench, holding ``session``'s id token when one is given."""
    return TokenWorkbench(session, client_id=client_id)


def claims_of(token: str, names: tuple[str, ...]) -> dict[str, Any]:
    """Some claims of a token, for a notebook's results (never the token itself)."""
    claims = tokens.decode(token).claims
    return {name: claims.get(name) for name in names}
