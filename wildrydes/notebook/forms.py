"""The notebooks' forms (ipywidgets): register, verify, sign in; each calls the kit's own steps.

Every builder returns a widget box whose parts are attributes, so a test can set values,
``click()`` buttons and read ``status.value`` without a browser:

    form = registration_form(kit, "rider@example.com")
    form.password.value = "..."      # the checklist follows as you type
    form.button.click()
    form.status.value                # what the learner sees
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from wildrydes import accounts, links, mailbox, render, unreachable
from wildrydes.errors import NEXT, PasswordPolicyError, WildRydesError
from wildrydes.kit import Kit
from wildrydes.messages import list_words, next_step, row_code
from wildrydes.policy import check_rules
from wildrydes.tokens import Session

__all__ = [
    "RegistrationForm",
    "SignInForm",
    "VerifyForm",
    "registration_form",
    "sign_in_form",
    "verify_form",
]

_WIDE = widgets.Layout(width="420px")
_LABEL = {"description_width": "90px"}


def _ok(message_html: str) -> str:
    return render.coloured(True, message_html)


def _reported() -> tuple[type[Exception], ...]:
    """What a form's button reports in its status line: the kit's errors, and a backend that
    does not answer (said in one line by :func:`wildrydes.unreachable.explain`)."""
    return (WildRydesError, *unreachable.connection_errors())


def _failed(raised: Exception, step: str, **names: str) -> str:
    """What Cognito said, then on its own line the next step: the table's words for a form
    (naming this form's buttons), else the error's own next step."""
    error = raised if isinstance(raised, WildRydesError) else unreachable.explain(raised)
    if error is None:  # pragma: no cover - only _reported() errors are caught
        raise raised
    code = error.code
    if isinstance(error, PasswordPolicyError):
        names = {**names, "rules": list_words(error.missing)}
    elif code == "InvalidPasswordException":  # Cognito's rule, not one the checklist saw
        code += ".unknown-rule"
    else:
        code = row_code(code, error.said)  # a lockout is a NotAuthorizedException too
    hint = next_step(step, code, "form", **names) or error.hint
    return render.failure(error.code, error.said, hint, NEXT)


def _text(description: str, value: str = "", placeholder: str = "") -> widgets.Text:
    return widgets.Text(
        value=value, description=description, placeholder=placeholder, layout=_WIDE, style=_LABEL
    )


def _password(description: str) -> widgets.Password:
    return widgets.Password(description=description, layout=_WIDE, style=_LABEL)


class RegistrationForm(widgets.VBox):
    """Email, password twice, a live checklist of the pool's password policy, Register."""

    def __init__(self, kit: Kit, email: str = "") -> None:
        self.kit = kit
        self.policy = accounts.read_policy(kit)
        self.email = _text("Email", email, "rider@example.com")
        self.password = _password("Password")
        self.confirm = _password("Again")
        self.checklist = widgets.HTML()
        self.button = widgets.Button(
            description="Register", button_style="primary", icon="user-plus"
        )
        self.status = widgets.HTML()
        self.registration: accounts.Registration | None = None
        self._listeners: list[Callable[[accounts.Registration], None]] = []
        for field in (self.password, self.confirm):
            field.observe(self._update_checklist, names="value")
        self.button.on_click(self._register)
        self._update_checklist()
        super().__init__(
            [
                widgets.HTML("<b>Register</b>"),
                self.email,
                self.password,
                self.confirm,
                self.checklist,
                self.button,
                self.status,
            ]
        )

    @property
    def rules(self) -> list[tuple[str, bool]]:
        """The pool's rules and whether the typed password meets each, plus "they match"."""
        rules = check_rules(self.password.value, self.policy)
        if self.confirm.value:
            rules.append(("both passwords match", self.confirm.value == self.password.value))
        return rules

    def _update_checklist(self, _change: Any = None) -> None:
        items = "".join(
            f"<li>{render.mark(ok, 'has', 'needs')} {render.escape(rule)}</li>"
            for rule, ok in self.rules
        )
        self.checklist.value = f"<ul style='margin:0'>{items}</ul>"

    def _register(self, _button: Any = None) -> None:
        try:
            self.registration = accounts.register(
                self.kit, self.email.value, self.password.value, confirm_password=self.confirm.value
            )
        except _reported() as e:
            self.status.value = _failed(e, "register", email=self.email.value.strip())
            return
        self.password.value = self.confirm.value = ""
        self.status.value = _ok(
            f"✓ {render.escape(str(self.registration))} Next step: the Verify "
            "form below, with the code from the email."
        )
        for listener in self._listeners:
            listener(self.registration)

    def on_registered(self, listener: Callable[[accounts.Registration], None]) -> None:
        self._listeners.append(listener)


class VerifyForm(widgets.VBox):
    """Email and code, Verify, Resend; on the local backend also "Check the local mailbox"."""

    def __init__(self, kit: Kit, email: str = "", follow: RegistrationForm | None = None) -> None:
        self.kit = kit
        self.email = _text("Email", email, "rider@example.com")
        if follow is not None:  # prefill the address just registered, not the notebook's
            if follow.registration is not None:
                self.email.value = follow.registration.email
            follow.on_registered(self._registered)
        self.code = _text("Code", placeholder="the 6 digits from the email")
        self.button = widgets.Button(description="Verify", button_style="primary", icon="check")
        self.resend = widgets.Button(description="Resend code", icon="envelope")
        self.local = kit.backend.kind == "local"
        self.mailbox = widgets.Button(
            description="Check the local mailbox",
            icon="inbox",
            layout=widgets.Layout(width="220px"),
        )
        self.status = widgets.HTML()
        self.button.on_click(self._verify)
        self.resend.on_click(self._resend)
        self.mailbox.on_click(self._check_mailbox)
        buttons = [self.button, self.resend] + ([self.mailbox] if self.local else [])
        super().__init__(
            [
                widgets.HTML("<b>Verify</b>"),
                self.email,
                self.code,
                widgets.HBox(buttons),
                self.status,
            ]
        )

    def _registered(self, registration: accounts.Registration) -> None:
        self.email.value, self.code.value = registration.email, ""

    def _fail(self, error: Exception) -> None:
        fetch = "press Check the local mailbox, or " if self.local else ""
        or_fetch = " (or press Check the local mailbox)" if self.local else ""
        email = self.email.value.strip()
        self.status.value = _failed(error, "confirm", email=email, fetch=fetch, or_fetch=or_fetch)

    def _check_mailbox(self, _button: Any = None) -> None:
        try:
            self.code.value = mailbox.latest_code(self.kit.backend, self.email.value)
            url = links.link(mailbox.mailbox_url(self.kit.backend))
        except _reported() as e:
            self._fail(e)
            return
        self.status.value = _ok(
            f"📬 The newest code sent to {render.escape(self.email.value)} is in the Code box "
            f"(see every message in the <a href='{render.escape(url)}' target='_blank'>local "
            "mailbox</a>). Press Verify."
        )

    def _verify(self, _button: Any = None) -> None:
        try:
            done = accounts.confirm(self.kit, self.email.value, self.code.value)
        except _reported() as e:
            self._fail(e)
            return
        self.status.value = _ok(f"✓ {render.escape(str(done))}")

    def _resend(self, _button: Any = None) -> None:
        try:
            where = accounts.resend_code(self.kit, self.email.value)
        except _reported() as e:
            self._fail(e)
            return
        self.code.value = ""
        self.status.value = _ok(f"📨 {render.escape(where)}")


class SignInForm(widgets.VBox):
    """Email and password, Sign in with SRP; ``session`` holds the result (never shown whole)."""

    def __init__(
        self,
        kit: Kit,
        email: str = "",
        on_session: Callable[[Session], None] | None = None,
    ) -> None:
        self.kit = kit
        self.email = _text("Email", email, "rider@example.com")
        self.password = _password("Password")
        self.button = widgets.Button(description="Sign in", button_style="primary", icon="sign-in")
        self.status = widgets.HTML()
        self.session: Session | None = None
        self._listeners = [on_session] if on_session else []
        self.button.on_click(self._sign_in)
        super().__init__(
            [widgets.HTML("<b>Sign in</b>"), self.email, self.password, self.button, self.status]
        )

    def on_session(self, listener: Callable[[Session], None]) -> None:
        self._listeners.append(listener)

    def _sign_in(self, _button: Any = None) -> None:
        try:
            self.session = accounts.sign_in(self.kit, self.email.value, self.password.value)
        except _reported() as e:
            self.status.value = _failed(e, "sign-in", email=self.email.value.strip())
            return
        finally:
            self.password.value = ""
        self.status.value = (
            _ok("✓ Signed in with SRP (your password did not leave this machine).")
            + self.session._repr_html_()
        )
        for listener in self._listeners:
            listener(self.session)


def registration_form(kit: Kit, email: str = "") -> RegistrationForm:
    return RegistrationForm(kit, email)


def verify_form(kit: Kit, email: str = "", follow: RegistrationForm | None = None) -> VerifyForm:
    """``follow``: a registration form whose newly registered address fills the Email box."""
    return VerifyForm(kit, email, follow)


def sign_in_form(
    kit: Kit, email: str = "", on_session: Callable[[Session], None] | None = None
) -> SignInForm:
    return SignInForm(kit, email, on_session)
