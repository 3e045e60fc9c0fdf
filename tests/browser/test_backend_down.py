"""The website when Cognito stops answering (issue 21, item 1, the web half): every form and
the ride page say so in one line with the next step for the backend config.js names, keep the
focus where the rider can try again, and stay free of WCAG 2.1 A/AA violations.

The local case stops a real embedded backend of the test's own under pages it served; the
AWS case is the site on the shared backend with an AWS-shaped config.js, whose Cognito (AWS
itself) this machine does not reach."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest
from accessibility import record, summary, violations
from browser_support import PASSWORD, Watched, new_email, sign_in, username

pytestmark = pytest.mark.browser

LOCAL_WORDS = (
    "The local backend is not answering at {endpoint}: run wildrydes local start, then try again."
)


@contextlib.contextmanager
def _stoppable(home: Any) -> Iterator[tuple[Any, dict[str, str], str]]:
    """An embedded backend of this test's own, with the workshop set up and one confirmed
    rider: (the backend's handle, `up`'s values, the rider's email)."""
    from wildrydes import launch, mailbox
    from wildrydes.backend import connect
    from wildrydes.local import process

    with process.private_backend(home) as private:
        values = launch.up().values
        cognito = connect().client("cognito-idp")
        email = new_email("down")
        cognito.sign_up(
            ClientId=values["app_client_id"],
            Username=username(email),
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": email}],
        )
        code = mailbox.latest_code(connect(), email, wait_seconds=5)
        cognito.confirm_sign_up(
            ClientId=values["app_client_id"], Username=username(email), ConfirmationCode=code
        )
        yield private, values, email


def _skip_the_sdks_retries(w: Watched) -> None:
    """The SDK retries a refresh 5 times, waiting 0.2 s doubling to 3.2 s: on a page whose
    clock Playwright holds, run the clock on until the page shows an error."""
    from playwright.sync_api import Error as PlaywrightError

    error = w.page.locator("#formMessage .form-error")
    for _ in range(100):
        if error.count():
            return
        with contextlib.suppress(PlaywrightError):
            w.page.clock.run_for(500)
        w.page.wait_for_timeout(20)


def _one_line(w: Watched) -> tuple[str, str]:
    error = w.page.locator("#formMessage .form-error")
    error.wait_for()
    assert w.page.locator("#formMessage .form-hint").count() == 0  # one line, no more
    return error.inner_text(), error.get_attribute("data-error-code")


def _focused(w: Watched) -> str:
    return w.page.evaluate("document.activeElement.id || document.activeElement.type")


def _accessible(w: Watched, state: str) -> None:
    found = violations(w.page)
    record(state, found)
    assert found == [], f"{state}:\n{summary(found)}"


def test_every_form_and_the_ride_page_say_the_local_backend_is_down(make_page, tmp_path):
    with _stoppable(tmp_path / "home") as (private, values, email):
        base = values["website_url"].removesuffix("index.html")
        endpoint = f"{private.url}/"
        with_email = quote(email, safe="")
        names = ("register", "verify", "signin", "ride", "ride left open")
        pages = {name: make_page() for name in names}
        for name, w in pages.items():
            if name.startswith("ride"):
                sign_in(w, base, email)
            else:
                w.page.goto(f"{base}{name}.html?email={with_email}")
                w.page.locator("body.js-ready").wait_for(state="attached")
        assert private.stop()  # the laptop closed, `wildrydes local stop`, a crash

        said = LOCAL_WORDS.format(endpoint=endpoint)
        w = pages["register"]
        w.page.fill("#emailInputRegister", new_email())
        w.page.fill("#passwordInputRegister", PASSWORD)
        w.page.fill("#password2InputRegister", PASSWORD)
        w.page.click("#registrationForm button[type=submit]")
        assert _one_line(w) == (said, "NetworkError")
        assert _focused(w) == "submit"  # where the rider tries again, not the page body
        assert w.page.locator("#passwordInputRegister").input_value() == PASSWORD  # kept
        _accessible(w, "register: backend down")

        w = pages["verify"]
        w.page.fill("#codeInputVerify", "123456")
        w.page.click("#verifyForm button[type=submit]")
        assert _one_line(w) == (said, "NetworkError")
        assert _focused(w) == "submit"
        w.page.click("#resendCode")
        w.page.locator("#formMessage .form-error").filter(has_text="not answering").wait_for()
        assert _one_line(w) == (said, "NetworkError")
        assert _focused(w) == "resendCode"
        _accessible(w, "verify: backend down")

        w = pages["signin"]
        w.page.fill("#passwordInputSignin", PASSWORD)
        w.page.click("#signinForm button[type=submit]")
        assert _one_line(w) == (said, "NetworkError")
        assert _focused(w) == "submit"
        assert w.page.locator("#signinForm button[type=submit]").is_enabled()
        _accessible(w, "signin: backend down")

        w = pages["ride"]
        w.page.click("#signOut")
        words, code = _one_line(w)
        assert code == "NetworkError"
        assert words.startswith("You are signed out in this browser, but Cognito did not hear")
        assert words.endswith(said)
        assert _focused(w) == "formError"
        assert w.page.url == f"{base}ride.html"  # not sent to a sign-in page that cannot load
        assert w.page.locator("#rideContent").is_hidden()
        left = w.page.evaluate("Object.keys(localStorage).filter(k => k.includes('Cognito'))")
        assert left == []  # the browser forgot the session all the same
        _accessible(w, "ride: sign out, backend down")

        # A ride page left open (a laptop that slept) until its token expired: back on the
        # tab, the page refreshes the session as at load, and says Cognito did not answer.
        w = pages["ride left open"]
        w.page.clock.install(time=datetime.now(timezone.utc) + timedelta(hours=2))
        w.page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        _skip_the_sdks_retries(w)
        assert _one_line(w) == (said, "NetworkError")
        assert w.page.url == f"{base}ride.html"
        assert w.page.locator("#rideContent").is_hidden()  # the token shown had expired
        assert _focused(w) == "formError"
        _accessible(w, "ride: left open, backend down")

        refused = ("ERR_CONNECTION_REFUSED", endpoint)
        assert pages["register"].errors([refused]) == []
        assert pages["verify"].errors([refused] * 2) == []
        assert pages["signin"].errors([refused]) == []
        # RevokeToken goes through the SDK's retries (jitteredExponentialRetry): six tries.
        assert pages["ride"].errors([refused] * 6) == []
        assert pages["ride left open"].errors([refused] * 6) == []


def test_an_aws_site_whose_cognito_is_out_of_reach_says_so_on_the_ride_page(
    site, variants, make_page, confirmed
):
    """config.js as on AWS (no endpoint): an expired session cannot be refreshed because
    Amazon Cognito does not answer, so the ride page says that, instead of asking the rider
    to sign in again (which would not work either)."""
    base = variants["aws"]
    w = make_page()
    w.page.route("https://**/*", lambda route: route.abort("internetdisconnected"))
    sign_in(w, site.base, confirmed())  # the same origin and app client: the same session
    two_hours_on = datetime.now(timezone.utc) + timedelta(hours=2)
    w.page.clock.install(time=two_hours_on)  # both tokens have expired
    w.page.goto(base + "ride.html")
    _skip_the_sdks_retries(w)
    assert _one_line(w) == (
        "The browser could not reach Amazon Cognito in us-east-1: check your internet "
        "connection, then try again.",
        "NetworkError",
    )
    assert w.page.url == base + "ride.html"
    assert w.page.locator("#sessionStatus").is_hidden()
    assert w.page.locator("#rideContent").is_hidden()
    assert _focused(w) == "formError"
    _accessible(w, "ride: Cognito out of reach (aws)")
    refresh = "https://cognito-idp.us-east-1.amazonaws.com/"
    assert w.errors([("ERR_INTERNET_DISCONNECTED", refresh)] * 6) == []
