"""A rider's way through the website, with the real SDK against the embedded Cognito.

Every Cognito answer here comes from the embedded backend: codes from its outbox, refusals in
its (AWS's) words, tokens signed with the pool's keys. Each test registers its own rider.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
import requests
from browser_support import (
    PASSWORD,
    latest_code,
    new_email,
    shoot,
    sign_in,
    username,
    verify_id_token,
)

from wildrydes.backend import connect
from wildrydes.local import secret

pytestmark = pytest.mark.browser

WRONG_CODE_WORDS = "Invalid verification code provided, please try again."
WRONG_PASSWORD_WORDS = "Incorrect username or password."
SDK_REFRESH_ATTEMPTS = 6  # amazon-cognito-identity-js: jitteredExponentialRetry, 5 s cap


def _error(w):
    """The error shown next to the form, once it is there: (Cognito's words, error code)."""
    error = w.page.locator("#formMessage .form-error")
    error.wait_for()
    return error.inner_text(), error.get_attribute("data-error-code")


def two_hours_on() -> datetime:
    return datetime.now(timezone.utc) + timedelta(hours=2)


def _outbox(site) -> list[dict]:
    return requests.get(
        f"{site.endpoint}/_wildrydes/outbox", headers=secret.headers(), timeout=10
    ).json()


def _submit(w, form: str) -> None:
    w.page.click(f"{form} button[type=submit]")


def test_whole_journey(site, make_page, backend):
    """Home, register, verify (wrong code, right code), sign in (wrong password, right), ride,
    sign out: the learner's path, end to end."""
    w = make_page()
    page = w.page
    email = new_email("journey")
    with_email = quote(email, safe="")

    # Home, opened from the link `wildrydes status` prints: it lets this browser into the local
    # mailbox (a cookie), then -> Giddy Up! -> register.
    page.goto(secret.person_link(site.url("index.html")))
    page.wait_for_url(site.url("index.html"))
    page.click("#giddyUp")
    page.wait_for_url(site.url("register.html"))
    page.fill("#emailInputRegister", email)
    assert page.inner_text("#usernamePreview") == username(email)
    page.fill("#passwordInputRegister", PASSWORD)
    page.fill("#password2InputRegister", PASSWORD)
    _submit(w, "#registrationForm")

    # Verify: the page knows the email and points to the local mailbox.
    page.wait_for_url(site.url(f"verify.html?email={with_email}"))
    assert page.input_value("#emailInputVerify") == email
    assert "Account created" in page.inner_text("#formMessage .form-success")
    link = page.locator("#mailboxLink")
    assert link.is_visible()
    assert link.get_attribute("href") == site.mailbox_url
    code = latest_code(backend, email)
    with page.context.expect_page() as opened:
        link.click()
    mailbox = opened.value
    mailbox.wait_for_load_state()
    assert email in mailbox.inner_text("body")
    assert code in mailbox.inner_text("body")
    mailbox.close()
    shoot(page, "journey-1-verify-1280")

    wrong = "000000" if code != "000000" else "111111"
    page.fill("#codeInputVerify", wrong)
    _submit(w, "#verifyForm")
    words, error_code = _error(w)
    assert (words, error_code) == (WRONG_CODE_WORDS, "CodeMismatchException")
    assert "newest email" in page.inner_text("#formMessage")
    shoot(page, "journey-2-wrong-code-1280")

    page.fill("#codeInputVerify", f" {code[:3]} {code[3:]} ")  # spaces as people type them
    _submit(w, "#verifyForm")
    page.wait_for_url(site.url(f"signin.html?email={with_email}"))
    assert page.input_value("#emailInputSignin") == email
    assert "verified" in page.inner_text("#verifiedNotice")

    # Sign in: a wrong password first, in Cognito's words.
    page.fill("#passwordInputSignin", PASSWORD + "x")
    _submit(w, "#signinForm")
    assert _error(w) == (WRONG_PASSWORD_WORDS, "NotAuthorizedException")
    assert page.url == site.url(f"signin.html?email={with_email}")
    shoot(page, "journey-3-wrong-password-1280")

    page.fill("#passwordInputSignin", PASSWORD)
    _submit(w, "#signinForm")
    page.wait_for_url(site.url("ride.html"))
    page.locator("#rideContent").wait_for(state="visible")

    # The ride page: the ID token, which verifies against the pool's JWKS.
    token = page.inner_text("#authToken").strip()
    verification = verify_id_token(site, token)
    assert verification.ok, verification.failed
    claims = verification.token.claims
    assert claims["email"] == email
    assert claims["cognito:username"] == username(email)
    assert page.inner_text("#riderName") == email
    rows = page.locator("#claimsTable tbody tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.claim)")) == sorted(claims)
    assert page.inner_text('#claimsTable tr[data-claim="sub"] .claim-raw') == claims["sub"]
    assert page.locator("#apiNotice").is_visible()
    assert "not configured" in page.inner_text("#apiNotice")
    shoot(page, "journey-4-ride-1280")

    # Sign out: Cognito revokes the refresh token, and the browser forgets the session.
    refresh_token = page.evaluate(
        "Object.keys(localStorage).filter(k => k.endsWith('.refreshToken'))"
        ".map(k => localStorage.getItem(k))[0]"
    )
    page.click("#signOut")
    page.wait_for_url(site.url("signin.html"))
    assert "signed out" in page.inner_text("#formMessage")
    left = page.evaluate("Object.keys(localStorage).filter(k => k.endsWith('.idToken'))")
    assert left == []
    page.goto(site.url("ride.html"))
    page.wait_for_url(site.url("signin.html"))

    # The only failures on the way were the two Cognito refused on purpose.
    assert w.errors([(400, site.cognito_url)] * 2) == []
    calls = [operation for operation, _ in w.cognito_calls]
    assert calls[:3] == ["SignUp", "ConfirmSignUp", "ConfirmSignUp"]
    assert calls[3:7] == ["InitiateAuth", "RespondToAuthChallenge"] * 2  # SRP, twice
    assert calls[7:] == ["RevokeToken"]
    assert all(PASSWORD not in json.dumps(body) for _, body in w.cognito_calls[3:])
    cognito = connect().client("cognito-idp")
    with pytest.raises(cognito.exceptions.NotAuthorizedException, match="revoked"):
        cognito.initiate_auth(
            ClientId=site.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )


def test_unconfirmed_sign_in_points_to_verify(site, make_page, registered):
    email = registered()
    w = make_page()
    w.page.goto(site.url(f"signin.html?email={quote(email, safe='')}"))
    w.page.fill("#passwordInputSignin", PASSWORD)
    _submit(w, "#signinForm")
    assert _error(w) == ("User is not confirmed.", "UserNotConfirmedException")
    assert "not verified yet" in w.page.inner_text("#formMessage .form-hint")
    # The progress rail follows what Cognito said: no "Verify email ✓" next to "not confirmed".
    steps = w.page.locator(".progress .progress-step")
    assert "is-todo" in steps.nth(1).get_attribute("class")
    assert "is-done" not in steps.nth(1).get_attribute("class")
    assert "is-done" in steps.nth(0).get_attribute("class")
    link = w.page.locator("#verifyLink")
    assert link.get_attribute("href") == f"verify.html?email={quote(email, safe='')}"
    shoot(w.page, "signin-unconfirmed-1280")
    link.click()
    w.page.wait_for_url(site.url(f"verify.html?email={quote(email, safe='')}"))
    assert w.page.input_value("#emailInputVerify") == email
    assert w.errors([(400, site.cognito_url)]) == []


@pytest.mark.parametrize(
    ("password", "rule", "words", "hint"),
    [
        ("unicorn-ride1", "upper", "Password must have uppercase characters", "an uppercase"),
        ("Unicorn-Ride", "number", "Password must have numeric characters", "a number"),
        ("UnicornRide1", "symbol", "Password must have symbol characters", "a symbol"),
    ],
)
def test_weak_password_shows_the_policy_words(site, make_page, password, rule, words, hint):
    w = make_page()
    w.page.goto(site.url("register.html"))
    w.page.fill("#emailInputRegister", new_email("weak"))
    w.page.fill("#passwordInputRegister", password)
    w.page.fill("#password2InputRegister", password)
    _submit(w, "#registrationForm")
    message, code = _error(w)
    assert code == "InvalidPasswordException"
    assert message == f"Password did not conform with policy: {words}"
    assert hint in w.page.inner_text("#formMessage .form-hint")
    assert w.page.locator(f'#passwordChecklist [data-rule="{rule}"].missing').count() == 1
    assert w.page.locator("#registrationForm button[type=submit]").is_enabled()
    assert w.page.url == site.url("register.html")
    if rule == "symbol":
        shoot(w.page, "register-weak-password-1280")
    assert w.errors([(400, site.cognito_url)]) == []


def test_registering_twice_offers_sign_in(site, make_page, confirmed):
    email = confirmed()
    w = make_page()
    w.page.goto(site.url("register.html"))
    w.page.fill("#emailInputRegister", email)
    w.page.fill("#passwordInputRegister", PASSWORD)
    w.page.fill("#password2InputRegister", PASSWORD)
    _submit(w, "#registrationForm")
    assert _error(w) == ("User already exists", "UsernameExistsException")
    assert w.page.get_attribute("#signinLink", "href") == (
        f"signin.html?email={quote(email, safe='')}"
    )
    assert w.errors([(400, site.cognito_url)]) == []


def test_a_new_code_replaces_the_old_one(site, make_page, backend, registered):
    email = registered()
    first = latest_code(backend, email)
    w = make_page()
    w.page.goto(site.url(f"verify.html?email={quote(email, safe='')}"))
    w.page.click("#resendCode")
    success = w.page.locator("#formMessage .form-success")
    success.wait_for()
    assert "new code is on its way" in success.inner_text()
    second = latest_code(backend, email)
    outbox = [m for m in _outbox(site) if m["to"] == email]
    assert len(outbox) == 2
    if second != first:  # one in a million draws the same code again
        w.page.fill("#codeInputVerify", first)
        _submit(w, "#verifyForm")
        assert _error(w)[1] == "CodeMismatchException"
    w.page.fill("#codeInputVerify", second)
    _submit(w, "#verifyForm")
    w.page.wait_for_url(site.url(f"signin.html?email={quote(email, safe='')}"))
    expected = [(400, site.cognito_url)] if second != first else []
    assert w.errors(expected) == []


def test_mismatched_passwords_stop_before_any_call_to_cognito(site, make_page):
    w = make_page()
    w.page.goto(site.url("register.html"))
    w.page.fill("#emailInputRegister", new_email())
    w.page.fill("#passwordInputRegister", PASSWORD)
    w.page.fill("#password2InputRegister", PASSWORD + "?")
    assert w.page.locator("#passwordMismatch").is_visible()
    _submit(w, "#registrationForm")
    message, code = _error(w)
    assert code == "PasswordMismatch"
    assert "do not match" in message
    w.page.wait_for_load_state("networkidle")
    assert w.posts_to(site.cognito_url) == []
    w.page.fill("#password2InputRegister", PASSWORD)
    assert w.page.locator("#passwordMismatch").is_hidden()
    assert w.errors() == []


def test_password_checklist_ticks_as_you_type(site, make_page):
    w = make_page()
    w.page.goto(site.url("register.html"))
    rules = ["length", "upper", "lower", "number", "symbol"]

    def met():
        items = w.page.locator("#passwordChecklist [data-rule]")
        return set(
            items.evaluate_all(
                "items => items.filter(i => i.dataset.met === 'true').map(i => i.dataset.rule)"
            )
        )

    assert met() == set()
    field = w.page.locator("#passwordInputRegister")
    for typed, expected in [
        ("u", {"lower"}),
        ("U", {"lower", "upper"}),
        ("1", {"lower", "upper", "number"}),
        ("!", {"lower", "upper", "number", "symbol"}),
        ("corn", set(rules)),
    ]:
        field.press_sequentially(typed)
        assert met() == expected
    field.fill("abc")
    assert met() == {"lower"}
    assert w.errors() == []


def test_ride_without_a_session_sends_you_to_sign_in(site, make_page):
    w = make_page()
    w.page.goto(site.url("ride.html"))
    w.page.wait_for_url(site.url("signin.html"))
    assert "Sign in to see your ride" in w.page.inner_text("#formMessage")
    assert w.errors() == []


def test_ride_shows_claims_as_text_and_copies_the_token(site, make_page, confirmed):
    # Markup and non-ASCII in the email (and so in the username and the token's claims): the
    # page must decode them as UTF-8 and show them as text, never parse them as HTML.
    email = confirmed(f"zoë🦄<b/id=injected>{uuid.uuid4().hex[:8]}@example.com")
    w = make_page()
    w.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(w, site.base, email)
    token = w.page.inner_text("#authToken").strip()
    assert verify_id_token(site, token).ok
    assert w.page.inner_text('#claimsTable tr[data-claim="email"] .claim-raw') == email
    assert w.page.inner_text('#claimsTable tr[data-claim="cognito:username"] .claim-raw') == (
        username(email)
    )
    assert w.page.inner_text("#riderName") == email
    assert w.page.inner_text("#riderUsername") == username(email)
    assert w.page.locator("#injected").count() == 0
    assert w.page.locator('#claimsTable tr[data-claim="exp"] .claim-time').count() == 1
    assert "minutes" in w.page.inner_text("#tokenExpiry")

    w.page.click("#copyToken")
    w.page.locator("#copyStatus").filter(has_text="Copied").wait_for()
    assert w.page.evaluate("navigator.clipboard.readText()") == token
    assert w.errors() == []


def test_an_expired_session_is_refreshed_with_the_refresh_token(site, make_page, confirmed):
    email = confirmed()
    w = make_page()
    sign_in(w, site.base, email)
    first = w.page.inner_text("#authToken").strip()
    # Two hours on: both tokens have expired; the SDK trades the refresh token for new ones.
    w.cognito_calls.clear()
    w.page.clock.install(time=two_hours_on())
    w.page.reload()
    w.page.locator("#rideContent").wait_for(state="visible")
    second = w.page.inner_text("#authToken").strip()
    assert second != first
    assert verify_id_token(site, second).ok
    [(operation, body)] = w.cognito_calls
    assert (operation, body["AuthFlow"]) == ("InitiateAuth", "REFRESH_TOKEN_AUTH")
    assert w.errors() == []


def test_a_refused_refresh_token_sends_you_to_sign_in(site, make_page, confirmed):
    from playwright.sync_api import Error as PlaywrightError

    email = confirmed()
    w = make_page()
    sign_in(w, site.base, email)
    w.page.evaluate("""() => {
        for (const key of Object.keys(localStorage)) {
            if (key.endsWith('.refreshToken')) localStorage.setItem(key, 'not-a-refresh-token');
        }
    }""")
    w.page.clock.install(time=two_hours_on())
    w.page.reload()
    # The SDK retries a refused refresh 5 times, waiting 0.2 s doubling to 3.2 s: skip the waits.
    for _ in range(100):
        if w.page.url == site.url("signin.html"):
            break
        with contextlib.suppress(PlaywrightError):  # the page may be on its way to sign-in
            w.page.clock.run_for(500)
        w.page.wait_for_timeout(20)
    w.page.wait_for_url(site.url("signin.html"))
    assert "Sign in to see your ride" in w.page.inner_text("#formMessage")
    assert w.errors([(400, site.cognito_url)] * SDK_REFRESH_ATTEMPTS) == []


def test_an_unreachable_cognito_says_where_it_looked(variants, make_page, confirmed):
    base = variants["dead"]
    email = confirmed()
    w = make_page()
    w.page.goto(base + "signin.html")
    w.page.fill("#emailInputSignin", email)
    w.page.fill("#passwordInputSignin", PASSWORD)
    _submit(w, "#signinForm")
    words, code = _error(w)
    assert code == "NetworkError"
    endpoint = w.page.evaluate("window._config.cognito.endpoint")
    # One line, where the backend was looked for and what to run; no second paragraph.
    assert words == (
        f"The local backend is not answering at {endpoint}: run wildrydes local start, "
        "then try again."
    )
    assert w.page.locator("#formMessage .form-hint").count() == 0
    assert w.page.evaluate("document.activeElement.type") == "submit"
    assert w.errors([("ERR_CONNECTION_REFUSED", endpoint)]) == []
