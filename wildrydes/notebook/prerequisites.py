"""Each notebook's prerequisites, made if missing (idempotently), so any notebook runs alone.

:func:`workshop` connects and makes sure module 1's bucket is there; the :class:`Workshop` it
returns makes the user pool, the app client and config.js when a notebook needs them, and
:func:`ensure_user` registers and confirms the rider once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from IPython.display import display

from wildrydes import accounts, launch, links, render, state, userpool, website
from wildrydes.backend import Backend, connect
from wildrydes.errors import AuthError
from wildrydes.kit import Kit
from wildrydes.notebook.displays import Shown
from wildrydes.notebook.password_prompt import ask, password_works, replace_refused
from wildrydes.render import escape as _e

__all__ = [
    "Workshop",
    "already_done",
    "confirm_user",
    "ensure_user",
    "user_status",
    "workshop",
]


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
            # A URL, or on a hub a path through Jupyter's proxy (/user/<name>/wildrydes/...):
            # both are links a person clicks.
            return (
                render.link(text, text, as_code=True)
                if text.startswith(("http", "/"))
                else render.code(text)
            )

        return render.table(
            [],
            [
                [f"<b>{_e(k)}</b>", render.code(v) if k == "endpoint" else cell(v)]
                for k, v in self._rows()
            ],
            "Where this notebook works",
        )


def workshop(
    backend: str | None = None, region: str | None = None, bucket: str | None = None
) -> Workshop:
    """Connect (starting the embedded backend if needed) and make sure module 1's bucket is there.

    ``backend``/``region``/``bucket`` are the notebook's parameters; None means the kit's
    default (``$WILDRYDES_BACKEND``, the backend's region, the remembered or local bucket).
    """
    where = connect(backend, region)
    name, created = launch.prepare_bucket(where, bucket)
    return Workshop(where, name, created)


@contextlib.contextmanager
def already_done(*codes: str) -> Iterator[None]:
    """Run a step; if Cognito says it was done before (one of ``codes``), say so and go on."""
    try:
        yield
    except AuthError as e:
        if e.code not in codes:
            raise
        display(
            Shown(
                f"<p>ℹ️ Done before, so nothing changed: {_e(e)}</p>",
                f"Done before, so nothing changed: {e}",
            )
        )


def user_status(kit: Kit, email: str) -> dict[str, Any]:
    """The user's status in the pool (UNCONFIRMED, CONFIRMED, ...), via AdminGetUser."""
    user = kit.backend.client("cognito-idp").admin_get_user(
        UserPoolId=kit.user_pool_id, Username=accounts.username_for(email)
    )
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    return {
        "username": user["Username"],
        "status": user["UserStatus"],
        "email": attributes.get("email"),
        "email_verified": attributes.get("email_verified") == "true",
    }


def confirm_user(kit: Kit, email: str, code: str | None = None) -> accounts.Confirmation:
    """Verify the email: the code given, else the local mailbox, else ask, else as an admin."""
    if code:
        return accounts.confirm(kit, email, code)
    if kit.backend.kind == "local":
        return accounts.confirm(kit, email, from_mailbox=True)
    typed = ask(
        f"Code emailed to {email} (leave empty to confirm as an administrator; the email then "
        "stays unverified): ",
        hidden=False,
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
    done = []
    for _attempt in range(2):
        try:
            accounts.register(kit, email, password)
            done.append("registered")
        except AuthError as e:
            if e.code == "InvalidPasswordException" and not done and _attempt == 0:
                # A typed password the pool refuses: checklist, then ask again (never kept).
                password = replace_refused(password, accounts.read_policy(kit))
                continue
            if e.code != "UsernameExistsException":
                raise
        break
    if user_status(kit, email)["status"] != "CONFIRMED":
        confirm_user(kit, email)
        done.append("confirmed")
    if "registered" not in done:
        password_works(kit, email, password)
    what = " and ".join(done) + " now" if done else "was registered and confirmed before"
    text = f"{email} ({accounts.username_for(email)}) {what}: ready to sign in."
    return Shown(render.done(text), text)
