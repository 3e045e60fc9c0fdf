"""What the workshop notebooks need besides the steps themselves.

The notebooks call the kit's step functions (``launch``, ``userpool``, ``accounts``, ``srp``,
``tokens``) directly; this module holds the glue that a test should cover rather than a cell:

* ``workshop()``: connect, make sure module 1's bucket is there, and make each notebook's
  prerequisites exist (idempotently) so any notebook runs alone;
* ``password()``: the learner's password from ``WILDRYDES_PASSWORD``, else a hidden prompt;
* ``record()`` / ``read_results()``: the results contract between a notebook and its tests;
* notebook 07's website check and browser walk, re-exported from :mod:`wildrydes.site_check`;
* the displays of :mod:`wildrydes.displays`, re-exported so a notebook needs one import.

Results contract: ``record(**values)`` displays one output whose MIME type is
``application/vnd.wildrydes.results+json`` and whose data is ``values`` (JSON). In an executed
notebook, ``read_results(path)`` merges every such output, in cell order, into one dict.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from wildrydes import launch, links, notebook_errors, render, state, userpool
from wildrydes.backend import Backend, connect
from wildrydes.displays import (  # re-exported: notebooks call them as nb.<name>
    PasswordProof,
    Shown,
    WireTap,
    app_client_settings,
    auth_result,
    challenge_table,
    config_check,
    latest_message,
    pool_settings,
    short,
    side_by_side,
    srp_table,
    tamper,
    wire_tap,
)
from wildrydes.errors import AuthError, ConfigurationError, UsageError
from wildrydes.kit import Kit
from wildrydes.messages import NEXT as _NEXT
from wildrydes.render import escape as _e
from wildrydes.site_check import (  # re-exported: notebook 07 calls them as nb.<name>
    PAGES,
    BrowserCheck,
    SiteCheck,
    browser_email,
    browser_journey,
    website_pages,
)

__all__ = [
    "PAGES",
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
    "password_works",
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
notebook_errors.install()  # a kit error in a cell: its message and next step, no traceback
PASSWORD_ENV = "WILDRYDES_PASSWORD"  # noqa: S105 - the variable's name, not a password

_password: str | None = None


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
            "and type it into the hidden prompt."
        )
    _password = typed
    return typed


def forget_password() -> None:
    """Forget a typed password (to type another one next time)."""
    global _password
    _password = None


def policy_checklist(typed: str, policy: Any) -> Shown:
    """The pool's rules, met or not, for ``typed``; a typed password that misses one is
    forgotten, so running the cell again asks for another (``displays.policy_checklist``)."""
    from wildrydes import displays
    from wildrydes.policy import check_rules

    shown = displays.policy_checklist(typed, policy)
    global _password
    if typed == _password and not all(ok for _, ok in check_rules(typed, policy)):
        _password = None
    return shown


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
            raise UsageError(f"results never hold secrets, not even {name!r}")
    try:
        text = json.dumps(values, indent=2, sort_keys=True)
    except TypeError as e:
        raise UsageError(f"record() takes JSON values only: {e}") from None
    if any(secret in text for secret in _known_secrets()):
        raise UsageError("a recorded value contains the password; record something else")
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
            state.update(
                self.backend.state_key, user_pool_id=made.user_pool_id, app_client_id=made.id
            )

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

    def ensure_kit(self) -> Kit:
        """Notebooks 01-03's steps through ``launch.up`` (idempotent): pool, client, config.js."""
        report = launch.up(self.backend.kind, bucket=self.bucket, region=self.backend.region)
        return Kit(
            self.backend, self.bucket, report.values["user_pool_id"], report.values["app_client_id"]
        )

    def _rows(self) -> list[tuple[str, Any]]:
        rows = [("backend", self.backend.kind), ("region", self.backend.region)]
        endpoint = self.backend.service_url("cognito-idp")
        if endpoint:  # the embedded backend, or the endpoint AWS_ENDPOINT_URL names
            rows.append(("endpoint", endpoint))
        rows += [
            ("website bucket", self.bucket + (" (created now)" if self.created_bucket else "")),
            ("website", links.link(self.website_url + "index.html")),
        ]
        if self.backend.kind == "local":
            rows.append(
                ("local mailbox", links.link(f"{self.backend.endpoint_url}/_wildrydes/mailbox"))
            )
        rows += [
            ("user pool", self.user_pool_id or "not yet (notebook 01)"),
            ("app client", self.app_client_id or "not yet (notebook 02)"),
        ]
        return rows

    def __str__(self) -> str:
        return "\n".join(f"{k:<15} {v}" for k, v in self._rows())

    def _repr_html_(self) -> str:
        def cell(value: Any) -> str:
            text = str(value)
            return (
                render.link(text, text, as_code=True)
                if text.startswith("http")
                else render.code(text)
            )

        return render.table(
            [], [[f"<b>{_e(k)}</b>", cell(v)] for k, v in self._rows()], "Where this notebook works"
        )


def workshop(
    backend: str | None = None, region: str | None = None, bucket: str | None = None
) -> Workshop:
    """Connect (starting the embedded backend if needed) and make sure module 1's bucket is there.

    ``backend``/``region``/``bucket`` are the notebook's parameters; None means the kit's
    default (``$WILDRYDES_BACKEND``, the backend's region, the remembered or local bucket).
    """
    from wildrydes import module1

    where = connect(backend, region)
    name, created = module1.prepare_bucket(where, bucket)
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

        display(
            Shown(
                f"<p>ℹ️ Done before, so nothing changed: {_e(e)}</p>",
                f"Done before, so nothing changed: {e}",
            )
        )


def user_status(kit: Kit, email: str) -> dict[str, Any]:
    """The user's status in the pool (UNCONFIRMED, CONFIRMED, ...), via AdminGetUser."""
    from wildrydes.accounts import username_for

    user = kit.backend.client("cognito-idp").admin_get_user(
        UserPoolId=kit.user_pool_id, Username=username_for(email)
    )
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    return {
        "username": user["Username"],
        "status": user["UserStatus"],
        "email": attributes.get("email"),
        "email_verified": attributes.get("email_verified") == "true",
    }


def confirm_user(kit: Kit, email: str, code: str | None = None) -> Any:
    """Verify the email: the code given, else the local mailbox, else ask, else as an admin."""
    from wildrydes import accounts

    if code:
        return accounts.confirm(kit, email, code)
    if kit.backend.kind == "local":
        return accounts.confirm(kit, email, from_mailbox=True)
    typed = _ask(
        f"Code emailed to {email} (leave empty to confirm as an administrator): ", hidden=False
    )
    if typed:
        return accounts.confirm(kit, email, typed)
    return accounts.confirm(kit, email, admin=True)


def ensure_user(kit: Kit, email: str, password: str) -> Shown:
    """Notebook 04's steps, done quietly if needed: register (once) and confirm (once).

    For a user registered before, the password is tried with a sign-in; a mistyped one is
    asked for again right here (it replaces the remembered one), so a typo never surfaces
    later as a failed step.
    """
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
    if "registered" not in done:
        password_works(kit, email, password)
    what = " and ".join(done) + " now" if done else "was registered and confirmed before"
    text = f"{email} ({accounts.username_for(email)}) {what}: ready to sign in."
    return Shown(render.done(text), text)


def password_works(kit: Kit, email: str, typed: str, *, tries: int = 3) -> str:
    """Sign in once with ``typed``; when Cognito says the password is wrong, ask again with
    the hidden prompt (up to ``tries`` times) and remember the one that works."""
    global _password
    from wildrydes import accounts

    candidate = typed
    for _attempt in range(tries):
        try:
            accounts.sign_in(kit, email, candidate)
        except AuthError as e:
            if e.code != "NotAuthorizedException":
                raise
            if os.environ.get(PASSWORD_ENV):
                raise AuthError(
                    f"{e.said or 'Incorrect username or password.'} {_NEXT} "
                    f"{PASSWORD_ENV} holds another password than the one {email} registered "
                    f"with: set it to that one, or run 99 cleanup and register again.",
                    code=e.code,
                    said=e.said,
                ) from None
            _password = None
            again = _ask(
                f"That is not the password {email} registered with (Cognito: "
                f"{e.said or 'Incorrect username or password.'}). Type it again "
                "(hidden): ",
                hidden=True,
            )
            if not again:
                break
            candidate = again
            continue
        _password = candidate if not os.environ.get(PASSWORD_ENV) else _password
        return candidate
    raise AuthError(
        f"Incorrect username or password. {_NEXT} run this cell again and type the password "
        f"{email} registered with; if it is lost, run 99 cleanup and register again.",
        code="NotAuthorizedException",
        said="Incorrect username or password.",
    )
