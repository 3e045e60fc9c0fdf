"""What the workshop notebooks need besides the steps themselves.

The notebooks call the kit's step functions (``launch``, ``userpool``, ``accounts``, ``srp``,
``tokens``) directly; this module holds the glue that a test should cover rather than a cell:

* ``workshop()``: connect, make sure module 1's bucket is there, and make each notebook's
  prerequisites exist (idempotently) so any notebook runs alone;
* ``password()``: the learner's password from ``WILDRYDES_PASSWORD``, else a hidden prompt;
* ``record()`` / ``read_results()``: the results contract between a notebook and its tests;
* small displays for the SRP walk-through, the wire search that proves the password never
  left, the id/access side-by-side, the tamper demo, and notebook 07's website check and
  browser walk (through ``wildrydes.screenshots`` when it is there).

Results contract: ``record(**values)`` displays one output whose MIME type is
``application/vnd.wildrydes.results+json`` and whose data is ``values`` (JSON). In an executed
notebook, ``read_results(path)`` merges every such output, in cell order, into one dict.
"""

from __future__ import annotations

import base64
import contextlib
import getpass
import html
import json
import os
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from wildrydes import launch, state, userpool
from wildrydes.backend import Backend, connect
from wildrydes.errors import AuthError, ConfigurationError

__all__ = [
    "RESULTS_MIME",
    "BrowserCheck",
    "PasswordProof",
    "Shown",
    "SiteCheck",
    "WireTap",
    "Workshop",
    "already_done",
    "app_client_settings",
    "auth_result",
    "browser_email",
    "browser_journey",
    "challenge_table",
    "config_check",
    "confirm_user",
    "ensure_user",
    "forget_password",
    "latest_message",
    "password",
    "policy_checklist",
    "pool_settings",
    "read_results",
    "record",
    "short",
    "side_by_side",
    "srp_table",
    "tamper",
    "user_status",
    "website_pages",
    "wire_tap",
    "workshop",
]

RESULTS_MIME = "application/vnd.wildrydes.results+json"
PASSWORD_ENV = "WILDRYDES_PASSWORD"  # noqa: S105 - the variable's name, not a password
PAGES = ("index.html", "register.html", "verify.html", "signin.html", "ride.html")

_password: str | None = None


# --------------------------------------------------------------------------- display helper

@dataclass(frozen=True)
class Shown:
    """HTML for a notebook and plain text for a terminal."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text


def _e(value: Any) -> str:
    return html.escape(str(value))


def _table(head: list[str], rows: list[list[str]], title: str = "") -> str:
    """An HTML table; cells are HTML already (escape before)."""
    th = "".join(f"<th style='text-align:left'>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{c}</td>" for c in r)
                   + "</tr>" for r in rows)
    caption = f"<p><b>{title}</b></p>" if title else ""
    return f"{caption}<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


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


# --------------------------------------------------------------------------- password

def _ask(prompt: str, *, hidden: bool) -> str | None:
    """Ask the person at the keyboard; None when nobody can answer (papermill, no stdin)."""
    try:
        from IPython.core.error import StdinNotImplementedError
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        StdinNotImplementedError = EOFError  # noqa: N806
    try:
        answer = getpass.getpass(prompt) if hidden else input(prompt)
    except (StdinNotImplementedError, EOFError):
        return None
    return answer.strip() if not hidden else answer


def password(prompt: str = "Your Wild Rydes password (hidden): ") -> str:
    """The learner's password: ``$WILDRYDES_PASSWORD``, else asked once with a hidden prompt.

    It is kept in this kernel's memory only; never printed, recorded or written to a file.
    """
    global _password
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if _password:
        return _password
    typed = _ask(prompt, hidden=True)
    if not typed:
        raise ConfigurationError(
            f"No password to use. Headless runs (papermill, CI) read it from {PASSWORD_ENV}: "
            f"`export {PASSWORD_ENV}='...'` before starting. In JupyterLab, run the cell again "
            "and type it into the hidden prompt.")
    _password = typed
    return typed


def forget_password() -> None:
    """Forget a typed password (to type another one next time)."""
    global _password
    _password = None


def _known_secrets() -> list[str]:
    return [s for s in (os.environ.get(PASSWORD_ENV), _password) if s]


# --------------------------------------------------------------------------- results contract

def record(**values: Any) -> None:
    """Record a notebook's results by name, for papermill runs and their tests.

    Displays ``values`` under the ``application/vnd.wildrydes.results+json`` MIME type (and
    as plain JSON text for people). Refuses names or values that carry a secret.
    """
    for name in values:
        if name.lower().replace("_", "") in ("password", "refreshtoken"):
            raise ValueError(f"results never hold secrets, not even {name!r}")
    try:
        text = json.dumps(values, indent=2, sort_keys=True)
    except TypeError as e:
        raise TypeError(f"record() takes JSON values only: {e}") from None
    if any(secret in text for secret in _known_secrets()):
        raise ValueError("a recorded value contains the password; record something else")
    from IPython.display import display

    display({RESULTS_MIME: json.loads(text), "text/plain": f"results: {text}"}, raw=True)


def read_results(notebook: Any) -> dict[str, Any]:
    """Every value ``record()`` displayed in an executed notebook (a path or a NotebookNode)."""
    if isinstance(notebook, str | Path):
        import nbformat

        notebook = nbformat.read(str(notebook), as_version=4)
    results: dict[str, Any] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIME in data:
                value = data[RESULTS_MIME]
                results.update(json.loads(value) if isinstance(value, str) else value)
    return results


# --------------------------------------------------------------------------- prerequisites

@dataclass
class Workshop:
    """One notebook's view of the kit: the backend, the website bucket, what exists so far."""

    backend: Backend
    bucket: str
    created_bucket: bool = False

    @property
    def _record(self) -> dict[str, Any]:
        return state.load(self.backend.state_key)

    @property
    def user_pool_id(self) -> str | None:
        return self._record.get("user_pool_id")

    @property
    def app_client_id(self) -> str | None:
        return self._record.get("app_client_id")

    @property
    def website_url(self) -> str:
        from wildrydes import website

        return website.website_url(self.backend, self.bucket)

    @cached_property
    def cognito(self) -> Any:
        return self.backend.client("cognito-idp")

    def remember(self, made: userpool.UserPool | userpool.AppClient) -> None:
        """Write a new pool or app client into the kit's state file (no secrets)."""
        if isinstance(made, userpool.UserPool):
            state.update(self.backend.state_key, user_pool_id=made.id, user_pool_arn=made.arn)
        else:
            state.update(self.backend.state_key, user_pool_id=made.user_pool_id,
                         app_client_id=made.id)

    def ensure_user_pool(self) -> userpool.UserPool:
        """Notebook 01's step, done quietly if needed (idempotent)."""
        pool = userpool.create_user_pool(self.cognito, self.user_pool_id)
        self.remember(pool)
        return pool

    def ensure_app_client(self) -> userpool.AppClient:
        """Notebooks 01-02's steps, done quietly if needed (idempotent)."""
        pool = self.ensure_user_pool()
        client = userpool.create_app_client(self.cognito, pool.id)
        self.remember(client)
        return client

    def ensure_kit(self) -> launch.Kit:
        """Notebooks 01-03's steps through ``launch.up`` (idempotent): pool, client, config.js."""
        report = launch.up(self.backend.kind, bucket=self.bucket, region=self.backend.region)
        return launch.Kit(self.backend, self.bucket, report.values["user_pool_id"],
                          report.values["app_client_id"])

    def _rows(self) -> list[tuple[str, Any]]:
        rows = [("backend", self.backend.kind), ("region", self.backend.region)]
        if self.backend.endpoint_url:
            rows.append(("endpoint", self.backend.endpoint_url))
        rows += [("website bucket", self.bucket + (" (created now)" if self.created_bucket
                                                    else "")),
                 ("website", self.website_url + "index.html")]
        if self.backend.kind == "local":
            rows.append(("local mailbox", f"{self.backend.endpoint_url}/_wildrydes/mailbox"))
        rows += [("user pool", self.user_pool_id or "not yet (notebook 01)"),
                 ("app client", self.app_client_id or "not yet (notebook 02)")]
        return rows

    def __str__(self) -> str:
        return "\n".join(f"{k:<15} {v}" for k, v in self._rows())

    def _repr_html_(self) -> str:
        def cell(value: Any) -> str:
            text = str(value)
            if text.startswith("http"):
                return f"<a href='{_e(text)}' target='_blank'><code>{_e(text)}</code></a>"
            return f"<code>{_e(text)}</code>"

        return _table(["", ""], [[f"<b>{_e(k)}</b>", cell(v)] for k, v in self._rows()],
                      "Where this notebook works")


def workshop(backend: str | None = None, region: str | None = None,
             bucket: str | None = None) -> Workshop:
    """Connect (starting the embedded backend if needed) and make sure module 1's bucket is there.

    ``backend``/``region``/``bucket`` are the notebook's parameters; None means the kit's
    default (``$WILDRYDES_BACKEND``, the backend's region, the remembered or local bucket).
    """
    where = connect(backend, region)
    name = launch.choose_bucket(where, bucket)
    created = launch.prepare_bucket(where, name)
    before = state.load(where.state_key)
    state.update(where.state_key, bucket=name,
                 created_bucket=bool(created or before.get("created_bucket")))
    return Workshop(where, name, created)


@contextlib.contextmanager
def already_done(*codes: str) -> Iterator[None]:
    """Run a step; if Cognito says it was done before (one of ``codes``), say so and go on."""
    try:
        yield
    except AuthError as e:
        if e.code not in codes:
            raise
        from IPython.display import display

        display(Shown(f"<p>ℹ️ Done before, so nothing changed: {_e(e)}</p>",
                      f"Done before, so nothing changed: {e}"))


def user_status(kit: launch.Kit, email: str) -> dict[str, Any]:
    """The user's status in the pool (UNCONFIRMED, CONFIRMED, ...), via AdminGetUser."""
    from wildrydes.accounts import username_for

    user = kit.backend.client("cognito-idp").admin_get_user(
        UserPoolId=kit.user_pool_id, Username=username_for(email))
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    return {"username": user["Username"], "status": user["UserStatus"],
            "email": attributes.get("email"),
            "email_verified": attributes.get("email_verified") == "true"}


def confirm_user(kit: launch.Kit, email: str, code: str | None = None) -> Any:
    """Verify the email: the code given, else the local mailbox, else ask, else as an admin."""
    from wildrydes import accounts

    if code:
        return accounts.confirm(kit, email, code)
    if kit.backend.kind == "local":
        return accounts.confirm(kit, email, from_mailbox=True)
    typed = _ask(f"Code emailed to {email} (leave empty to confirm as an administrator): ",
                 hidden=False)
    if typed:
        return accounts.confirm(kit, email, typed)
    return accounts.confirm(kit, email, admin=True)


def ensure_user(kit: launch.Kit, email: str, password: str) -> Shown:
    """Notebook 04's steps, done quietly if needed: register (once) and confirm (once)."""
    from wildrydes import accounts

    done = []
    try:
        accounts.register(kit, email, password)
        done.append("registered")
    except AuthError as e:
        if e.code != "UsernameExistsException":
            raise
    if user_status(kit, email)["status"] != "CONFIRMED":
        confirm_user(kit, email)
        done.append("confirmed")
    what = " and ".join(done) + " now" if done else "was registered and confirmed before"
    text = f"{email} ({accounts.username_for(email)}) {what}: ready to sign in."
    return Shown(f"<p>✅ {_e(text)}</p>", text)


def policy_checklist(password: str, policy: Any) -> Shown:
    """Each rule of the pool's password policy with ✅ or ❌ (the password itself never shows)."""
    from wildrydes.policy import check_rules

    rules = check_rules(password, policy)
    items = "".join(f"<li>{'✅' if ok else '❌'} {_e(rule)}</li>" for rule, ok in rules)
    verdict = ("meets every rule" if all(ok for _, ok in rules)
               else "misses a rule: pick another one (forget_password() and run again)")
    return Shown(f"<p>Your password {verdict}:</p><ul>{items}</ul>",
                 "\n".join(f"{'✓' if ok else '✗'} {rule}" for rule, ok in rules))


# --------------------------------------------------------------------------- the pool's settings

def _rows_shown(title: str, rows: list[tuple[str, Any]]) -> Shown:
    cells = [[f"<b>{_e(k)}</b>", f"<code>{_e(v)}</code>"] for k, v in rows]
    return Shown(_table(["setting", "value"], cells, _e(title)),
                 "\n".join(f"{k}: {v}" for k, v in rows))


def pool_settings(pool: dict[str, Any]) -> Shown:
    """The settings of a user pool (DescribeUserPool's ``UserPool``) the workshop relies on."""
    policy = (pool.get("Policies") or {}).get("PasswordPolicy", {})
    email = next((a for a in pool.get("SchemaAttributes", []) if a.get("Name") == "email"), {})
    template = pool.get("VerificationMessageTemplate") or {}
    rows = [
        ("Pool Id", pool.get("Id")),
        ("Pool ARN", pool.get("Arn")),
        ("password: minimum length", policy.get("MinimumLength")),
        ("password: needs", ", ".join(k.removeprefix("Require").lower() for k in
                                      ("RequireUppercase", "RequireLowercase", "RequireNumbers",
                                       "RequireSymbols") if policy.get(k)) or "nothing"),
        ("email attribute required", email.get("Required", False)),
        ("verified automatically (a code is sent)", ", ".join(
            pool.get("AutoVerifiedAttributes") or []) or "nothing"),
        ("how users confirm", template.get("DefaultEmailOption", "CONFIRM_WITH_CODE")),
        ("kit tag", pool.get("UserPoolTags") or {}),
    ]
    return _rows_shown("The user pool's settings", rows)


def app_client_settings(client: dict[str, Any]) -> Shown:
    """An app client (DescribeUserPoolClient's ``UserPoolClient``), as the workshop checks it."""
    rows = [
        ("App client id", client.get("ClientId")),
        ("name", client.get("ClientName")),
        ("client secret", "yes (a browser could not keep it)" if client.get("ClientSecret")
         else "none, as a browser app needs"),
        ("sign-in flows allowed", ", ".join(client.get("ExplicitAuthFlows") or [])),
    ]
    return _rows_shown("The app client's settings", rows)


def config_check(seen: Any, user_pool_id: str, app_client_id: str, region: str) -> Shown:
    """config.js as a browser fetched it, next to what the kit made."""
    pairs = [("userPoolId", seen.user_pool_id, user_pool_id),
             ("userPoolClientId", seen.client_id, app_client_id),
             ("region", seen.region, region)]
    rows = [[f"<code>{_e(k)}</code>", f"<code>{_e(got)}</code>",
             f"{'✅' if got == want else '❌ expected ' + _e(want)}"] for k, got, want in pairs]
    text = "\n".join(f"{k}: {got} ({'ok' if got == want else 'expected ' + want})"
                     for k, got, want in pairs)
    return Shown(_table(["in config.js", "value", "matches the kit?"], rows,
                        "config.js, as a browser reads it"), text)


def latest_message(kit: launch.Kit, email: str) -> Shown:
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
    rows = [("to", m["to"]), ("subject", m["subject"]), ("body", m["body"]),
            ("code", m["code"]), ("sent at", m["sent_at"])]
    url = mailbox.mailbox_url(kit.backend)
    shown = _rows_shown(f"The newest of {len(found)} message(s) to {email}", rows)
    return Shown(shown.html + f"<p>Every message: <a href='{_e(url)}' target='_blank'>"
                 f"{_e(url)}</a></p>", shown.text)


# --------------------------------------------------------------------------- SRP walk-through

_SRP_ROWS = (
    ("A", "g<sup>a</sup> mod N", "your public value (a stays on this machine)", True),
    ("B", "k·v + g<sup>b</sup> mod N", "Cognito's public value, from the challenge", True),
    ("u", "H(A | B)", "a scrambler both sides compute from A and B", False),
    ("x", "H(salt | H(poolName | userId | \":\" | password))",
     "the password, hashed with the salt", False),
    ("S", "(B − k·g<sup>x</sup>)<sup>a + u·x</sup> mod N",
     "the shared secret; Cognito gets the same S from its verifier v and b", False),
    ("key", "HKDF(S, salt u, info \"Caldera Derived Key\"), 16 bytes",
     "the session key made from S", False),
    ("signature", "HMAC-SHA256(key, poolName | userId | secret block | timestamp)",
     "the proof that you know the password", True),
    ("timestamp", "the time, the way Cognito writes it", "part of what the signature covers",
     True),
)


def srp_table(steps: Any) -> Shown:
    """The values ``srp.client_steps`` computed, shortened, with what each is and whether it
    is sent. ``x`` is never shown, not even shortened: with the salt, a piece of it would let
    anyone who sees it test password guesses."""
    values = {"A": short(steps.A), "B": short(steps.B), "u": short(steps.u),
              "x": "(kept hidden: 256 bits derived from your password)",
              "S": short(steps.S), "key": short(steps.key),
              "signature": short(steps.signature), "timestamp": steps.timestamp}
    rows = [[f"<b>{name}</b>", formula, _e(meaning), f"<code>{_e(values[name])}</code>",
             "➡️ sent" if sent else "🔒 stays here"]
            for name, formula, meaning, sent in _SRP_ROWS]
    text = "\n".join(f"{name:<10} {values[name]}  ({'sent' if sent else 'stays here'})"
                     for name, _, _, sent in _SRP_ROWS)
    return Shown(_table(["value", "computed as", "what it is", "value (shortened)",
                         "over the network?"], rows, "The client's side of SRP"), text)


def challenge_table(answer: dict[str, Any]) -> Shown:
    """InitiateAuth's answer: the challenge name and its parameters, long ones shortened."""
    params = answer.get("ChallengeParameters", {})
    rows = [[f"<code>{_e(k)}</code>", f"<code>{_e(short(v, keep=16))}</code>"]
            for k, v in params.items()]
    title = f"Cognito answered with the {_e(answer.get('ChallengeName'))} challenge"
    text = "\n".join(f"{k}: {short(v, keep=16)}" for k, v in params.items())
    return Shown(_table(["parameter", "value"], rows, title), text)


def auth_result(answer: dict[str, Any]) -> Shown:
    """RespondToAuthChallenge's answer, told without showing a token."""
    result = answer.get("AuthenticationResult") or {}
    rows = []
    for name, value in result.items():
        if name == "RefreshToken":
            shown = "issued; never shown"
        elif name.endswith("Token"):
            shown = f"a JWT of {len(value)} characters (notebook 06 opens it)"
        else:
            shown = str(value)
        rows.append([f"<code>{_e(name)}</code>", _e(shown)])
    title = ("✅ Cognito accepted the proof and signed you in" if result else
             f"Cognito asked for another challenge: {_e(answer.get('ChallengeName'))}")
    text = "\n".join(f"{r[0]}: {r[1]}" for r in rows)
    return Shown(_table(["field", "what came back"], rows, title), text)


@dataclass
class WireTap:
    """The exact bytes of every Cognito request sent through one backend while it listens.

    It listens on the backend's Cognito client and on its boto3 session, so clients made
    later (or the same client, when the kit reuses clients) are covered either way.
    """

    backend: Backend
    requests: list[bytes] = field(default_factory=list)
    _listening: bool = False

    _EVENT = "before-send.cognito-identity-provider"

    @property
    def _id(self) -> str:
        return f"wildrydes-wire-tap-{id(self)}"

    def _emitters(self) -> list[Any]:
        return [self.backend.session.events, self.backend.client("cognito-idp").meta.events]

    def _capture(self, request: Any, **_kwargs: Any) -> None:
        if not self._listening:
            return
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = "".join(f"{k}: {v}\n" for k, v in request.headers.items())
        self.requests.append(f"{request.url}\n{headers}\n".encode() + body)

    def start(self) -> WireTap:
        if not self._listening:
            for events in self._emitters():
                events.register(self._EVENT, self._capture, unique_id=self._id)
            self._listening = True
        return self

    def stop(self) -> None:
        if self._listening:
            for events in self._emitters():
                events.unregister(self._EVENT, unique_id=self._id)
            self._listening = False

    def search(self, secret: str, calls: Any = ()) -> PasswordProof:
        """Look for ``secret`` (as text, JSON-escaped and URL-encoded) in every request."""
        from urllib.parse import quote

        forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe="")}
        needles = [f.encode() for f in forms if f]
        found = sum(1 for r in self.requests for n in needles if n in r)
        names = sorted({name for call in calls if call.service == "cognito-idp"
                        for key in ("AuthParameters", "ChallengeResponses")
                        for name in (call.params.get(key) or {})})
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
        return (f"Searched {self.requests} requests ({self.bytes_sent} bytes) sent to Cognito "
                f"for the password: {verdict}. Sent instead: {', '.join(self.parameter_names)}.")

    def _repr_html_(self) -> str:
        icon = "✅" if self.never_sent else "❌"
        names = ", ".join(f"<code>{_e(n)}</code>" for n in self.parameter_names)
        return (f"<p>{icon} Searched the <b>{self.requests}</b> requests "
                f"(<b>{self.bytes_sent:,}</b> bytes, URL, headers and body) this notebook sent "
                f"to Cognito for your password, as typed, JSON-escaped and URL-encoded: "
                f"<b>found {self.found} times</b>.</p>"
                f"<p>What the sign-in sent instead: {names}. No parameter carries the "
                "password.</p>")


# --------------------------------------------------------------------------- tokens

def side_by_side(id_token: str, access_token: str) -> Shown:
    """The claims of the id and the access token in one table, with what each means."""
    from wildrydes import tokens

    id_claims = {c.name: c for c in tokens.explain(tokens.decode(id_token))}
    access_claims = {c.name: c for c in tokens.explain(tokens.decode(access_token))}
    names = list(dict.fromkeys([*id_claims, *access_claims]))
    rows = []
    for name in names:
        one = id_claims.get(name) or access_claims[name]
        rows.append([f"<code>{_e(name)}</code>",
                     _e(id_claims[name].display) if name in id_claims else "—",
                     _e(access_claims[name].display) if name in access_claims else "—",
                     _e(one.meaning)])
    text = "\n".join(f"{r[0]}: id={r[1]} access={r[2]}" for r in rows)
    return Shown(_table(["claim", "id token", "access token", "meaning"], rows,
                        "Id token and access token, side by side"), text)


def tamper(token: str, **claims: Any) -> str:
    """The token with some claims changed and the original signature kept: a forgery."""
    from wildrydes import tokens

    header, _payload, signature = token.split(".")
    changed = {**tokens.decode(token).claims, **claims}
    payload = base64.urlsafe_b64encode(
        json.dumps(changed, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


# --------------------------------------------------------------------------- the website

@dataclass(frozen=True)
class SiteCheck:
    """Each page of the website with the HTTP status it answered, and config.js's values."""

    base_url: str
    statuses: dict[str, int | str]
    cognito_config: dict[str, Any]

    @property
    def ok(self) -> bool:
        return all(status == 200 for status in self.statuses.values())

    def __str__(self) -> str:
        return "\n".join(f"{page}: {status}" for page, status in self.statuses.items())

    def _repr_html_(self) -> str:
        rows = [[f"<a href='{_e(self.base_url + page)}' target='_blank'>{_e(page)}</a>",
                 f"{'✅' if status == 200 else '❌'} {_e(status)}"]
                for page, status in self.statuses.items()]
        rows.append([f"<a href='{_e(self.base_url)}js/config.js' target='_blank'>js/config.js"
                     "</a>", f"<code>{_e(json.dumps(self.cognito_config))}</code>"])
        return _table(["page", "answer"], rows, "The website, as your browser gets it")


def website_pages(ws: Workshop) -> SiteCheck:
    """Fetch each page of the website and its config.js, the way a browser does."""
    import requests

    from wildrydes import website

    base = ws.website_url
    statuses: dict[str, int | str] = {}
    for page in PAGES:
        try:
            statuses[page] = requests.get(base + page, timeout=10).status_code
        except requests.RequestException as e:
            statuses[page] = type(e).__name__
    config = website.fetch_config_js(base)
    return SiteCheck(base, statuses, config.as_js_object()["cognito"])


def browser_email(email: str) -> str:
    """The address the browser walk registers on local: ``rider+browser@example.com``."""
    local, _, domain = email.partition("@")
    return f"{local}+browser@{domain}"


@dataclass
class BrowserCheck:
    """The website walked in headless Chromium: a PNG per step and the token the ride page showed.

    Without a browser (or with ``enabled=False``) it holds only the links and why.
    """

    website_url: str
    mailbox_url: str | None = None
    email: str | None = None
    shots: dict[str, bytes] = field(default_factory=dict, repr=False)
    id_token: str | None = field(default=None, repr=False)
    note: str = ""

    def __str__(self) -> str:
        if self.shots:
            return (f"Walked {self.website_url} as {self.email}: "
                    f"{', '.join(self.shots)}; the ride page showed a token.")
        return f"No browser walk ({self.note}); open {self.website_url}index.html yourself."

    def _repr_html_(self) -> str:
        parts = []
        if self.shots:
            parts.append(f"<p>✅ Walked the website in headless Chromium as "
                         f"<code>{_e(self.email)}</code>: {_e(', '.join(self.shots))}.</p>")
            parts += [
                "<figure style='display:inline-block;margin:4px;vertical-align:top'>"
                "<img style='max-width:360px;border:1px solid #ccc' "
                f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
                f"<figcaption>{_e(name)}</figcaption></figure>"
                for name, png in self.shots.items()]
        else:
            parts.append(f"<p>ℹ️ No screenshots: {_e(self.note)}</p>")
        links = "".join(f"<li><a href='{_e(self.website_url + p)}' target='_blank'>{_e(p)}</a>"
                        "</li>" for p in PAGES)
        parts.append(f"<p>The pages, to try yourself:</p><ul>{links}</ul>")
        if self.mailbox_url:
            parts.append(f"<p>Codes the website sends arrive in the <a href="
                         f"'{_e(self.mailbox_url)}' target='_blank'>local mailbox</a>.</p>")
        return "".join(parts)


def _no_code(email: str) -> str:
    raise ConfigurationError(
        f"{email} needs the code Cognito emailed; on AWS the browser walk signs in a rider "
        "who is confirmed already (run notebook 04 first).")


def browser_journey(ws: Workshop, email: str, password: str, *,
                    enabled: bool = True) -> BrowserCheck:
    """Register, verify, sign in and ride on the real website in headless Chromium.

    Uses ``wildrydes.screenshots.journey``. On local the walk registers a fresh address
    (``browser_email(email)``) so every page appears; on AWS it signs in ``email``, which
    must be confirmed already. Without Chromium or Playwright it says why and shows links.
    """
    local = ws.backend.kind == "local"
    check = BrowserCheck(ws.website_url,
                         f"{ws.backend.endpoint_url}/_wildrydes/mailbox" if local else None)
    if not enabled:
        check.note = "the browser walk is turned off (screenshots = False)"
        return check
    try:
        from wildrydes import screenshots
    except ImportError:
        check.note = "this version of the kit has no screenshot helper"
        return check
    rider = browser_email(email) if local else email
    try:
        walk = screenshots.journey(ws.website_url, rider, password,
                                   code=None if local else _no_code)
    except ConfigurationError as e:  # no Chromium or Playwright here: links instead
        check.note = str(e)
        return check
    check.email, check.shots, check.id_token = rider, dict(walk.shots), walk.id_token
    return check
