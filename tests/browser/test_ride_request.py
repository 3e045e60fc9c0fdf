"""ride.html's "Request a unicorn": module 3's call from the page, with the SDK's stored ID token,
against the embedded backend's ride API (its authorizer is API Gateway's Cognito authorizer)."""

from __future__ import annotations

import pytest
import tests_support
from browser_support import sign_in, username

from wildrydes.local.ride.fleet import FLEET

pytestmark = pytest.mark.browser

RIDE_BUCKET = "wildrydes-browser-ride"
SDK_REFRESH_ATTEMPTS = 6  # amazon-cognito-identity-js retries a refused refresh (test_journey)


@pytest.fixture(scope="module")
def ride_site(site, backend) -> str:
    """The site with config.js naming the local ride API, as `wildrydes api up` writes it."""
    from wildrydes import ride_api, website
    from wildrydes.website import SiteConfig

    s3 = backend.client("s3")
    website.ensure_local_bucket(backend, s3, RIDE_BUCKET)
    config = SiteConfig(
        site.user_pool_id,
        site.client_id,
        site.region,
        site.cognito_url,
        invoke_url=ride_api.LOCAL_INVOKE_URL,
        mailbox_url=site.mailbox_url,
    )
    website.put_config_js(s3, RIDE_BUCKET, config)
    return f"{site.endpoint}/{RIDE_BUCKET}/"


def _request(w, timeout_ms: float = 10_000) -> None:
    w.page.click("#requestUnicorn")
    answered = "#rideResult[data-unicorn], #rideResult[data-status]"
    w.page.locator(answered).wait_for(timeout=timeout_ms)


def test_a_signed_in_rider_gets_a_unicorn(ride_site, make_page, confirmed):
    email = confirmed()
    w = make_page()
    sign_in(w, ride_site, email)
    assert w.page.locator("#apiReady").is_visible()
    assert w.page.inner_text("#apiUrl") == "../_api/prod"
    _request(w)
    unicorn = w.page.get_attribute("#rideResult", "data-unicorn")
    assert unicorn in {u.name for u in FLEET}
    text = w.page.inner_text("#rideResult")
    assert f"{unicorn} (" in text and f"on the way for {username(email)}" in text
    assert "ETA 30 seconds" in text
    assert w.posts_to(f"{ride_site.rsplit('/', 2)[0]}/_api/prod/ride")
    assert w.errors() == []


def test_an_expired_token_is_refused_then_renewed_by_the_sdk(ride_site, make_page, confirmed, site):
    """The backend's clock an hour and a minute on: the page's ID token (still fresh by the
    browser's clock) is refused with API Gateway's 401 "The incoming token has expired"; the
    SDK trades the refresh token for new tokens and the request is made again."""
    email = confirmed()
    w = make_page()
    sign_in(w, ride_site, email)
    old_token = w.page.inner_text("#authToken").strip()
    ride_url = f"{site.endpoint}/_api/prod/ride"
    tests_support.advance_clock(site.endpoint, 3600 + 60)
    try:
        w.cognito_calls.clear()
        _request(w)
        text = w.page.inner_text("#rideResult")
        assert 'Your token had expired (401 "The incoming token has expired")' in text
        assert w.page.get_attribute("#rideResult", "data-unicorn") in {u.name for u in FLEET}
        [(operation, body)] = w.cognito_calls
        assert (operation, body["AuthFlow"]) == ("InitiateAuth", "REFRESH_TOKEN_AUTH")
        assert w.page.inner_text("#authToken").strip() != old_token
        assert len(w.posts_to(ride_url)) == 2  # refused, then admitted
    finally:
        tests_support.advance_clock(site.endpoint, -(3600 + 60))
    assert w.errors([(401, ride_url)]) == []


def test_an_expired_token_without_a_usable_refresh_token_asks_to_sign_in(
    ride_site, make_page, confirmed, site
):
    email = confirmed()
    w = make_page()
    sign_in(w, ride_site, email)
    w.page.evaluate("""() => {
        for (const key of Object.keys(localStorage)) {
            if (key.endsWith('.refreshToken')) localStorage.setItem(key, 'not-a-refresh-token');
        }
    }""")
    ride_url = f"{site.endpoint}/_api/prod/ride"
    tests_support.advance_clock(site.endpoint, 3600 + 60)
    try:
        _request(w, timeout_ms=60_000)  # the SDK's retries wait 0.2 s doubling to 3.2 s
        assert w.page.get_attribute("#rideResult", "data-status") == "sign-in-again"
        assert "Sign in again to ride" in w.page.inner_text("#rideResult")
        assert w.page.get_attribute("#rideResult a", "href") == "signin.html"
    finally:
        tests_support.advance_clock(site.endpoint, -(3600 + 60))
    refused_refreshes = [(400, site.cognito_url)] * SDK_REFRESH_ATTEMPTS
    assert w.errors([(401, ride_url), *refused_refreshes]) == []
