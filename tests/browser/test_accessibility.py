"""WCAG 2.1 A and AA on every page and state, by axe-core in Chromium (issue 21, item 7).

Each state is reached the way a rider reaches it (typing, pressing, Cognito answering), then
axe-core checks the page as it stands. The counts per state go to
tests/browser/artifacts/axe-violations.json.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from accessibility import record, summary, violations
from browser_support import PASSWORD, new_email, sign_in

pytestmark = pytest.mark.browser


def _ready(w: Any) -> None:
    w.page.locator("body.js-ready").wait_for(state="attached")


def _open(w: Any, url: str) -> None:
    w.page.goto(url)
    _ready(w)


def _error(w: Any) -> None:
    w.page.locator("#formMessage .form-error").wait_for()


def _register_submit(w: Any, site: Any, email: str, password: str, again: str) -> None:
    _open(w, site.url("register.html"))
    w.page.fill("#emailInputRegister", email)
    w.page.fill("#passwordInputRegister", password)
    w.page.fill("#password2InputRegister", again)
    w.page.click("#registrationForm button[type=submit]")


def home(w, site, riders):
    _open(w, site.url("index.html"))


def register_empty(w, site, riders):
    _open(w, site.url("register.html"))


def register_missing_email(w, site, riders):
    _open(w, site.url("register.html"))
    w.page.click("#registrationForm button[type=submit]")
    _error(w)


def register_passwords_differ(w, site, riders):
    _register_submit(w, site, new_email(), PASSWORD, PASSWORD + "?")
    _error(w)


def register_weak_password(w, site, riders):
    _register_submit(w, site, new_email(), "unicorn-ride1", "unicorn-ride1")
    _error(w)


def register_password_shown(w, site, riders):
    _open(w, site.url("register.html"))
    w.page.fill("#passwordInputRegister", "Unicorn")
    w.page.click("[data-reveal=passwordInputRegister]")


def verify_code_sent(w, site, riders):
    _register_submit(w, site, new_email(), PASSWORD, PASSWORD)
    w.page.wait_for_url("**/verify.html?email=*")
    w.page.locator("#formMessage .form-success").wait_for()


def verify_wrong_code(w, site, riders):
    email = riders["registered"]()
    _open(w, site.url(f"verify.html?email={email}"))
    w.page.fill("#codeInputVerify", "000000")
    w.page.click("#verifyForm button[type=submit]")
    _error(w)


def verify_new_code_sent(w, site, riders):
    email = riders["registered"]()
    _open(w, site.url(f"verify.html?email={email}"))
    w.page.click("#resendCode")
    w.page.locator("#formMessage .form-success").wait_for()


def register_email_taken(w, site, riders):
    _register_submit(w, site, riders["confirmed"](), PASSWORD, PASSWORD)
    _error(w)


def register_weak_password_phone(w, site, riders):
    w.page.set_viewport_size({"width": 390, "height": 844})
    register_weak_password(w, site, riders)


def signin_empty(w, site, riders):
    _open(w, site.url("signin.html"))


def signin_wrong_password(w, site, riders):
    email = riders["confirmed"]()
    _open(w, site.url("signin.html"))
    w.page.fill("#emailInputSignin", email)
    w.page.fill("#passwordInputSignin", PASSWORD + "x")
    w.page.click("#signinForm button[type=submit]")
    _error(w)


def signin_unconfirmed(w, site, riders):
    email = riders["registered"]()
    _open(w, site.url("signin.html"))
    w.page.fill("#emailInputSignin", email)
    w.page.fill("#passwordInputSignin", PASSWORD)
    w.page.click("#signinForm button[type=submit]")
    _error(w)


def ride_signed_in(w, site, riders):
    sign_in(w, site.base, riders["confirmed"]())


def signin_signed_out(w, site, riders):
    sign_in(w, site.base, riders["confirmed"]())
    w.page.click("#signOut")
    w.page.wait_for_url(site.url("signin.html"))
    w.page.locator("#formMessage .form-success").wait_for()


def _unconfigured(page: str) -> Callable[..., None]:
    def state(w, site, riders):
        _open(w, riders["variants"]["unconfigured"] + page)
        w.page.locator("#configNotice").wait_for(state="visible")

    return state


STATES: dict[str, Callable[..., None]] = {
    "index": home,
    "register: empty": register_empty,
    "register: no email": register_missing_email,
    "register: passwords differ": register_passwords_differ,
    "register: weak password (Cognito)": register_weak_password,
    "register: password shown": register_password_shown,
    "register: email taken (Cognito)": register_email_taken,
    "register: weak password, phone width": register_weak_password_phone,
    "verify: code sent": verify_code_sent,
    "verify: wrong code (Cognito)": verify_wrong_code,
    "verify: new code sent": verify_new_code_sent,
    "signin: empty": signin_empty,
    "signin: wrong password (Cognito)": signin_wrong_password,
    "signin: not confirmed (Cognito)": signin_unconfirmed,
    "signin: signed out": signin_signed_out,
    "ride: signed in": ride_signed_in,
    **{
        f"{p}: no user pool": _unconfigured(f"{p}.html")
        for p in ("index", "register", "verify", "signin", "ride")
    },
}


@pytest.fixture
def riders(registered, confirmed, variants) -> dict[str, Any]:
    return {"registered": registered, "confirmed": confirmed, "variants": variants}


@pytest.mark.parametrize("state", list(STATES))
def test_no_wcag_21_aa_violations(site, make_page, riders, state):
    w = make_page()
    STATES[state](w, site, riders)
    found = violations(w.page)
    record(state, found)
    assert found == [], f"{state}:\n{summary(found)}"
