"""wildrydes.notebook.screenshots: the pictures notebook 07 and the README show."""

from __future__ import annotations

import asyncio
import struct
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from browser_support import ARTIFACTS, PASSWORD, new_email, verify_id_token

from wildrydes.errors import AuthError, ConfigurationError
from wildrydes.notebook import screenshots

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", png[16:24])  # the IHDR chunk: width, height


LOCAL = "http://127.0.0.1:4590/wildrydes-local-website"
AWS = "http://b.s3-website-us-east-1.amazonaws.com"


@pytest.mark.parametrize(
    ("url", "base"),
    [
        (f"{LOCAL}/index.html", f"{LOCAL}/"),
        (f"{LOCAL}/", f"{LOCAL}/"),
        (LOCAL, f"{LOCAL}/"),
        (AWS, f"{AWS}/"),
        (f"{AWS}/ride.html?x=1#t", f"{AWS}/"),
    ],
)
def test_site_base(url, base):
    assert screenshots.site_base(url) == base


def test_capture_shoots_each_page_at_the_asked_width(site, browser):
    shots = screenshots.capture(
        site.url("index.html"),
        pages=("index.html", "signin.html"),
        width=390,
        height=844,
        browser=browser,
    )
    assert list(shots) == ["index.html", "signin.html"]
    for png in shots.values():
        width, height = png_size(png)
        assert width == 390
        assert height >= 844  # full page


def test_capture_works_inside_a_running_event_loop(site):
    """As in Jupyter (notebook 07): Playwright's sync API must not run on the loop's thread."""

    async def in_a_notebook_cell():
        return screenshots.capture(site.base, pages=["ride.html"], full_page=False)

    # A kernel's own thread, away from the one this module's browser runs its loop on.
    with ThreadPoolExecutor(max_workers=1) as kernel:
        shots = kernel.submit(asyncio.run, in_a_notebook_cell()).result()
    assert png_size(shots["ride.html"]) == (1280, 800)


def test_journey_reaches_the_ride_page_with_a_real_token(site, browser):
    email = new_email("readme")
    walked = screenshots.journey(site.base, email, PASSWORD, browser=browser)
    assert list(walked.shots) == ["register", "verify", "signin", "ride"]
    assert not walked.already_registered
    verification = verify_id_token(site, walked.id_token)
    assert verification.ok, verification.failed
    assert verification.token.claims["email"] == email
    assert email in str(walked)
    assert walked.id_token not in str(walked) + repr(walked)
    assert walked._repr_html_().count("<img") == 4
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "readme-ride.png").write_bytes(walked.shots["ride"])  # for the README
    assert png_size(walked.shots["ride"])[0] == 1280


def test_journey_again_for_a_rider_who_never_verified(site, browser, registered):
    email = registered()
    walked = screenshots.journey(site.base, email, PASSWORD, full_page=False, browser=browser)
    assert walked.already_registered
    assert list(walked.shots) == ["signin", "verify", "ride"]
    assert verify_id_token(site, walked.id_token).ok
    again = screenshots.journey(site.base, email, PASSWORD, full_page=False, browser=browser)
    assert list(again.shots) == ["signin", "ride"]


def test_journey_says_what_cognito_refused(site, browser, confirmed):
    email = confirmed()
    with pytest.raises(AuthError) as refused:
        screenshots.journey(site.base, email, PASSWORD + "x", full_page=False, browser=browser)
    assert refused.value.code == "NotAuthorizedException"
    assert "Incorrect username or password." in str(refused.value)
    assert email in str(refused.value)
    assert PASSWORD not in str(refused.value)


def test_journey_on_aws_needs_a_way_to_read_the_code(variants, browser):
    with pytest.raises(ConfigurationError, match="code="):
        screenshots.journey(variants["aws"], new_email(), PASSWORD, browser=browser)


def test_missing_chromium_says_what_to_install(monkeypatch):
    monkeypatch.setattr(screenshots, "find_chromium", lambda: "/nonexistent/chromium")
    with pytest.raises(ConfigurationError) as missing:
        screenshots.capture("http://127.0.0.1:9/site/", pages=["index.html"])
    assert "apt-get install -y chromium" in str(missing.value)
    assert "/nonexistent/chromium" in str(missing.value)


def test_missing_playwright_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(ConfigurationError, match=r"pip install playwright"):
        screenshots.capture("http://127.0.0.1:9/site/", pages=["index.html"])
