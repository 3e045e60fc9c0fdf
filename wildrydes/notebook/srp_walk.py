"""SRP, step by step in a notebook, and the proof that the password never left this machine.

The client's values and what each is, Cognito's challenge and answer, and the wire tap that
searches every request sent to Cognito for the password.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from wildrydes import render
from wildrydes.backend import Backend
from wildrydes.notebook.displays import Shown, short
from wildrydes.srp import ClientSteps
from wildrydes.trace import Call

__all__ = [
    "PasswordProof",
    "WireTap",
    "auth_result",
    "challenge_table",
    "srp_table",
    "wire_tap",
]

_e = render.escape
_code = render.code


_SRP_ROWS = (
    ("A", "g<sup>a</sup> mod N", "your public value (a stays on this machine)", "sent"),
    ("B", "k·v + g<sup>b</sup> mod N", "Cognito's public value, from the challenge", "received"),
    ("u", "H(A | B)", "a scrambler both sides compute from A and B", False),
    (
        "x",
        'H(salt | H(poolName | userId | ":" | password))',
        "the password, hashed with the salt",
        False,
    ),
    (
        "S",
        "(B − k·g<sup>x</sup>)<sup>a + u·x</sup> mod N",
        "the shared secret; Cognito gets the same S from its verifier v and b",
        False,
    ),
    (
        "key",
        'HKDF(S, salt u, info "Caldera Derived Key"), 16 bytes',
        "the session key made from S",
        False,
    ),
    (
        "signature",
        "HMAC-SHA256(key, poolName | userId | secret block | timestamp)",
        "the proof that you know the password",
        "sent",
    ),
    (
        "timestamp",
        "the time, the way Cognito writes it",
        "part of what the signature covers",
        "sent",
    ),
)


def srp_table(steps: ClientSteps) -> Shown:
    """The values ``srp.client_steps`` computed, shortened, with what each is and whether it
    is sent. ``x`` is never shown, not even shortened: with the salt, a piece of it would let
    anyone who sees it test password guesses."""
    values = {
        "A": short(steps.A),
        "B": short(steps.B),
        "u": short(steps.u),
        "x": "(kept hidden: 256 bits derived from your password)",
        "S": short(steps.S),
        "key": short(steps.key),
        "signature": short(steps.signature),
        "timestamp": steps.timestamp,
    }
    words = {
        "sent": "➡️ sent to Cognito",
        "received": "⬅️ received from Cognito",
        False: "🔒 stays here",
    }
    rows = [
        [
            f"<b>{name}</b>",
            formula,
            _e(meaning),
            _code(values[name]),
            words[way],
        ]
        for name, formula, meaning, way in _SRP_ROWS
    ]
    text = "\n".join(
        f"{name:<10} {values[name]}  ({words[way][2:].strip()})" for name, _, _, way in _SRP_ROWS
    )
    return Shown(
        render.table(
            ["value", "computed as", "what it is", "value (shortened)", "over the network?"],
            rows,
            "The client's side of SRP",
        ),
        text,
    )


def challenge_table(answer: dict[str, Any]) -> Shown:
    """InitiateAuth's answer: the challenge name and its parameters, long ones shortened."""
    params = answer.get("ChallengeParameters", {})
    pairs = [(k, short(v, keep=16)) for k, v in params.items()]
    title = f"Cognito answered with the {answer.get('ChallengeName')} challenge"
    return Shown(
        render.table(["parameter", "value"], [[_code(k), _code(v)] for k, v in pairs], title),
        "\n".join(f"{k}: {v}" for k, v in pairs),
    )


def auth_result(answer: dict[str, Any]) -> Shown:
    """RespondToAuthChallenge's answer, told without showing a token."""
    result = answer.get("AuthenticationResult") or {}
    pairs = []
    for name, value in result.items():
        if name == "RefreshToken":
            shown = "issued; never shown"
        elif name.endswith("Token"):
            shown = f"a JWT of {len(value)} characters (notebook 06 opens it)"
        else:
            shown = str(value)
        pairs.append((name, shown))
    title = (
        "✓ Cognito accepted the proof and signed you in"
        if result
        else f"Cognito asked for another challenge: {answer.get('ChallengeName')}"
    )
    rows = [[_code(name), _e(shown)] for name, shown in pairs]
    return Shown(
        render.table(["field", "what came back"], rows, title),
        "\n".join([title, *(f"{name}: {shown}" for name, shown in pairs)]),
    )


@dataclass
class WireTap:
    """The exact bytes of every Cognito request sent through one backend while it listens.

    It listens through :meth:`Backend.listen`, so the kit's cached clients and clients made
    later are covered alike.
    """

    backend: Backend
    requests: list[bytes] = field(default_factory=list)

    _EVENT = "before-send.cognito-identity-provider"

    def __post_init__(self) -> None:
        self._listener: Any = None

    def _capture(self, request: Any, **_kwargs: Any) -> None:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = "".join(f"{k}: {v}\n" for k, v in request.headers.items())
        self.requests.append(f"{request.url}\n{headers}\n".encode() + body)

    def start(self) -> WireTap:
        if self._listener is None:
            self._listener = self.backend.listen(self._EVENT, self._capture)
        return self

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def search(self, secret: str, calls: Iterable[Call] = ()) -> PasswordProof:
        """Look for ``secret`` (as text, JSON-escaped and URL-encoded) in every request."""
        forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe="")}
        needles = [f.encode() for f in forms if f]
        found = sum(1 for r in self.requests for n in needles if n in r)
        names = sorted(
            {
                name
                for call in calls
                if call.service == "cognito-idp"
                for key in ("AuthParameters", "ChallengeResponses")
                for name in (call.params.get(key) or {})
            }
        )
        return PasswordProof(len(self.requests), sum(map(len, self.requests)), found, names)


def wire_tap(backend: Backend) -> WireTap:
    """Start recording Cognito requests made by clients created from now on."""
    return WireTap(backend).start()


@dataclass(frozen=True)
class PasswordProof:
    """The result of searching what was sent for the password."""

    requests: int
    bytes_sent: int
    found: int
    parameter_names: list[str]

    @property
    def never_sent(self) -> bool:
        return self.requests > 0 and self.found == 0

    def __str__(self) -> str:
        verdict = "not found" if self.found == 0 else f"FOUND {self.found} times"
        return (
            f"Searched {self.requests} requests ({self.bytes_sent} bytes) sent to Cognito "
            f"for the password: {verdict}. Sent instead: {', '.join(self.parameter_names)}."
        )

    def _repr_html_(self) -> str:
        icon = render.mark(self.never_sent, "never sent", "SENT")
        names = ", ".join(_code(n) for n in self.parameter_names)
        return (
            f"<p>{icon} Searched the <b>{self.requests}</b> requests "
            f"(<b>{self.bytes_sent:,}</b> bytes, URL, headers and body) this notebook sent "
            f"to Cognito for your password, as typed, JSON-escaped and URL-encoded: "
            f"<b>found {self.found} times</b>.</p>"
            f"<p>What the sign-in sent instead: {names}. No parameter carries the "
            "password.</p>"
        )
