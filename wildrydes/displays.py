"""Small displays the notebooks show: tables of settings, the SRP steps, the wire search that
proves the password never left, id and access tokens side by side, and the tamper demo.

Each returns something with ``_repr_html_`` for a notebook and ``__str__`` for a terminal;
every value from AWS or a token is HTML-escaped.
"""

from __future__ import annotations

import base64
import json
import string
from dataclasses import dataclass, field
from typing import Any

from wildrydes import links, render
from wildrydes.backend import Backend
from wildrydes.kit import Kit

__all__ = [
    "PasswordProof",
    "Shown",
    "WireTap",
    "app_client_settings",
    "auth_result",
    "challenge_table",
    "config_check",
    "latest_message",
    "policy_checklist",
    "pool_settings",
    "short",
    "side_by_side",
    "srp_table",
    "tamper",
    "wire_tap",
]


@dataclass(frozen=True)
class Shown:
    """HTML for a notebook and plain text for a terminal."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text


_e = render.escape
_code = render.code


def short(value: int | str | bytes, keep: int = 12) -> str:
    """A long number, byte string or text as ``head…tail (n hex digits | n chars)``."""
    unit = "hex digits"
    if isinstance(value, bytes):
        value = value.hex()
    elif isinstance(value, int):
        value = format(value, "x")
    elif not all(c in string.hexdigits for c in value):
        unit = "chars"
    if len(value) <= 2 * keep + 6:
        return value
    return f"{value[:keep]}…{value[-6:]} ({len(value)} {unit})"


def policy_checklist(password: str, policy: Any) -> Shown:
    """Each rule of the pool's password policy, met or not, as text and colour (the password
    itself never shows)."""
    from wildrydes.policy import check_rules

    rules = check_rules(password, policy)
    items = "".join(f"<li>{render.mark(ok, 'has', 'needs')} {_e(rule)}</li>" for rule, ok in rules)
    verdict = (
        "meets every rule"
        if all(ok for _, ok in rules)
        else "misses a rule: run this cell again and type another one at the prompt"
    )
    return Shown(
        f"<p>Your password {verdict}:</p><ul>{items}</ul>",
        "\n".join(f"{'✓' if ok else '✗'} {rule}" for rule, ok in rules),
    )


# --------------------------------------------------------------------------- the pool's settings


def _rows_shown(title: str, rows: list[tuple[str, Any]]) -> Shown:
    cells = [[f"<b>{_e(k)}</b>", _code(v)] for k, v in rows]
    return Shown(
        render.table(["setting", "value"], cells, title), "\n".join(f"{k}: {v}" for k, v in rows)
    )


def pool_settings(pool: dict[str, Any]) -> Shown:
    """The settings of a user pool (DescribeUserPool's ``UserPool``) the workshop relies on."""
    policy = (pool.get("Policies") or {}).get("PasswordPolicy", {})
    email = next((a for a in pool.get("SchemaAttributes", []) if a.get("Name") == "email"), {})
    template = pool.get("VerificationMessageTemplate") or {}
    rows = [
        ("Pool Id", pool.get("Id")),
        ("Pool ARN", pool.get("Arn")),
        ("password: minimum length", policy.get("MinimumLength")),
        (
            "password: needs",
            ", ".join(
                k.removeprefix("Require").lower()
                for k in (
                    "RequireUppercase",
                    "RequireLowercase",
                    "RequireNumbers",
                    "RequireSymbols",
                )
                if policy.get(k)
            )
            or "nothing",
        ),
        ("email attribute required", email.get("Required", False)),
        (
            "verified automatically (a code is sent)",
            ", ".join(pool.get("AutoVerifiedAttributes") or []) or "nothing",
        ),
        ("how users confirm", template.get("DefaultEmailOption", "CONFIRM_WITH_CODE")),
        ("kit tag", pool.get("UserPoolTags") or {}),
    ]
    return _rows_shown("The user pool's settings", rows)


def app_client_settings(client: dict[str, Any]) -> Shown:
    """An app client (DescribeUserPoolClient's ``UserPoolClient``), as the workshop checks it."""
    rows = [
        ("App client id", client.get("ClientId")),
        ("name", client.get("ClientName")),
        (
            "client secret",
            "yes (a browser could not keep it)"
            if client.get("ClientSecret")
            else "none, as a browser app needs",
        ),
        ("sign-in flows allowed", ", ".join(client.get("ExplicitAuthFlows") or [])),
    ]
    return _rows_shown("The app client's settings", rows)


def config_check(seen: Any, user_pool_id: str, app_client_id: str, region: str) -> Shown:
    """config.js as a browser fetched it, next to what the kit made."""
    pairs = [
        ("userPoolId", seen.user_pool_id, user_pool_id),
        ("userPoolClientId", seen.client_id, app_client_id),
        ("region", seen.region, region),
    ]
    rows = [
        [_code(k), _code(got), render.mark(got == want, "matches", f"expected {want}")]
        for k, got, want in pairs
    ]
    text = "\n".join(
        f"{k}: {got} ({'ok' if got == want else 'expected ' + want})" for k, got, want in pairs
    )
    return Shown(
        render.table(
            ["in config.js", "value", "matches the kit?"], rows, "config.js, as a browser reads it"
        ),
        text,
    )


def latest_message(kit: Kit, email: str) -> Shown:
    """The newest message to ``email`` in the local mailbox (on AWS: where to look instead)."""
    if kit.backend.kind != "local":
        text = f"Cognito emailed the code to {email}: look in that inbox (and its spam folder)."
        return Shown(f"<p>📨 {_e(text)}</p>", text)
    from wildrydes import mailbox

    found = [m for m in mailbox.messages(kit.backend) if m["to"].lower() == email.lower()]
    if not found:
        text = f"No message to {email} in the local mailbox yet."
        return Shown(f"<p>{_e(text)}</p>", text)
    m = found[-1]
    rows = [
        ("to", m["to"]),
        ("subject", m["subject"]),
        ("body", m["body"]),
        ("code", m["code"]),
        ("sent at", m["sent_at"]),
    ]
    url = links.link(mailbox.mailbox_url(kit.backend))  # through Jupyter's proxy if any
    shown = _rows_shown(f"The newest of {len(found)} message(s) to {email}", rows)
    return Shown(
        shown.html + f"<p>Every message: <a href='{_e(url)}' target='_blank'>{_e(url)}</a></p>",
        shown.text,
    )


# --------------------------------------------------------------------------- SRP walk-through

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


def srp_table(steps: Any) -> Shown:
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

    def search(self, secret: str, calls: Any = ()) -> PasswordProof:
        """Look for ``secret`` (as text, JSON-escaped and URL-encoded) in every request."""
        from urllib.parse import quote

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


# --------------------------------------------------------------------------- tokens


def side_by_side(id_token: str, access_token: str) -> Shown:
    """The claims of the id and the access token in one table, with what each means."""
    from wildrydes import tokens

    id_claims = {c.name: c for c in tokens.explain(tokens.decode(id_token))}
    access_claims = {c.name: c for c in tokens.explain(tokens.decode(access_token))}
    names = list(dict.fromkeys([*id_claims, *access_claims]))
    lines = [
        (
            name,
            id_claims[name].display if name in id_claims else "—",
            access_claims[name].display if name in access_claims else "—",
            (id_claims.get(name) or access_claims[name]).meaning,
        )
        for name in names
    ]
    rows = [
        [_code(name), _e(id_shown), _e(access_shown), _e(meaning)]
        for name, id_shown, access_shown, meaning in lines
    ]
    text = "\n".join(
        f"{name}: id={id_shown} access={access_shown}" for name, id_shown, access_shown, _ in lines
    )
    return Shown(
        render.table(
            ["claim", "id token", "access token", "meaning"],
            rows,
            "Id token and access token, side by side",
        ),
        text,
    )


def tamper(token: str, **claims: Any) -> str:
    """The token with some claims changed and the original signature kept: a forgery."""
    from wildrydes import tokens

    header, _payload, signature = token.split(".")
    changed = {**tokens.decode(token).claims, **claims}
    payload = (
        base64.urlsafe_b64encode(json.dumps(changed, separators=(",", ":")).encode())
        .rstrip(b"=")
        .decode()
    )
    return f"{header}.{payload}.{signature}"
