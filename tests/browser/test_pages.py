"""Every page, on every config.js the kit can leave behind; screenshots at desktop and phone width.

Screenshots go to tests/browser/artifacts/<page>-<width>.png (and a few states beside them).
"""

from __future__ import annotations

import pytest
from browser_support import INVOKE_URL, PAGES, shoot, sign_in

pytestmark = pytest.mark.browser

FORMS = {
    "register.html": "#registrationForm",
    "verify.html": "#verifyForm",
    "signin.html": "#signinForm",
}
SDK_PATH = "js/vendor/amazon-cognito-identity.min.js"
SIZES = [(1280, 800), (390, 844)]


def test_every_page_loads_without_javascript_errors(site, make_page):
    w = make_page()
    for name in PAGES:
        w.page.goto(site.url(name))
        w.page.locator("body.js-ready").wait_for(state="attached")
        if name == "ride.html":  # no session yet: on to sign-in
            w.page.wait_for_url(site.url("signin.html"))
            w.page.locator("body.js-ready").wait_for(state="attached")
        assert w.page.locator("#configNotice").is_hidden(), name
        form = FORMS.get(name)
        if form:
            assert w.page.locator(f"{form} button[type=submit]").is_enabled(), name
    assert w.errors() == []
    assert w.posts_to(site.cognito_url) == []  # loading a page asks Cognito nothing


@pytest.mark.parametrize(
    ("variant", "reason", "words"),
    [
        ("unconfigured", "no-pool", "has no user pool yet"),
        ("noconfig", "no-config", "could not load"),
        ("nosdk", "no-sdk", "SDK"),
    ],
)
def test_an_unconfigured_site_says_so_on_every_page(variants, make_page, variant, reason, words):
    base = variants[variant]
    w = make_page()
    missing = {"noconfig": "js/config.js", "nosdk": SDK_PATH}.get(variant)
    for name in PAGES:
        w.page.goto(base + name)
        notice = w.page.locator("#configNotice")
        notice.wait_for(state="visible")
        assert notice.get_attribute("data-reason") == reason
        text = notice.inner_text()
        for expected in (words, "config.js", "wildrydes up", "notebook 03"):
            assert expected in text, (name, expected)
        assert w.page.url == base + name  # ride.html does not redirect
        form = FORMS.get(name)
        if form:
            controls = w.page.locator(f"{form} input, {form} button")
            assert controls.count() >= 2
            assert all(controls.nth(i).is_disabled() for i in range(controls.count())), name
        if name == "ride.html":
            assert w.page.locator("#rideContent").is_hidden()
            assert w.page.locator("#sessionStatus").is_hidden()
        if name == "register.html" and variant == "unconfigured":
            for width, height in SIZES:
                w.page.set_viewport_size({"width": width, "height": height})
                shoot(w.page, f"register-unconfigured-{width}")
            w.page.set_viewport_size({"width": 1280, "height": 800})
    # Only the file this variant lacks failed to load, once per page.
    expected = [(404, base + missing)] * len(PAGES) if missing else []
    assert w.errors(expected) == []


def test_an_aws_shaped_config_shows_the_api_and_no_mailbox(site, variants, make_page, confirmed):
    """config.js as on AWS (no endpoint, no local mailbox) with api.invokeUrl filled in."""
    base = variants["aws"]
    w = make_page()
    w.page.route("https://**/*", lambda route: route.abort())  # nothing may leave this machine
    sign_in(w, site.base, confirmed())  # the same origin and app client: the same session
    w.page.goto(base + "ride.html")
    w.page.locator("#rideContent").wait_for(state="visible")
    assert w.page.locator("#apiNotice").is_hidden()
    assert w.page.inner_text("#apiUrl") == INVOKE_URL
    w.page.goto(base + "verify.html")
    w.page.locator("body.js-ready").wait_for(state="attached")
    assert w.page.locator("#mailboxHint").is_hidden()
    assert [u for _, u in w.requests if u.startswith("https://")] == []
    assert w.errors() == []


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_screenshots_of_every_page(site, make_page, confirmed, width, height):
    """Each page at this size (the ride page with a real token); none scrolls sideways."""
    w = make_page(width, height)
    sign_in(w, site.base, confirmed())
    for name in PAGES:
        w.page.goto(site.url(name))
        w.page.locator("body.js-ready").wait_for(state="attached")
        if name == "ride.html":
            w.page.locator("#rideContent").wait_for(state="visible")
        overflow = w.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} overflows by {overflow}px at {width}px"
        path = shoot(w.page, f"{name.removesuffix('.html')}-{width}")
        assert path.stat().st_size > 10_000
    assert w.errors() == []
