"""The website journey on a hub: everything through JupyterLab's own proxy, nothing direct.

JupyterLab runs with ``--ServerApp.base_url=/user/learner/`` (JupyterHub's layout) and the kit
installed, so jupyter-server-proxy serves the embedded backend under
``/user/learner/wildrydes/``. In headless Chromium the test opens the launcher's "Wild Rydes
website" tile, registers, reads the code from the "Local mailbox" tile, verifies, signs in and
reaches ride.html. Every request the pages make is recorded: none may go to the backend's own
``127.0.0.1:<port>``. Screenshots go to ``$WILDRYDES_HUB_SHOTS`` (default: the test's tmp dir).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from lab_support import NO_NEWS, chromium_path, jupyterlab_server

from wildrydes import launch
from wildrydes.local import proxied
from wildrydes.notebook.screenshots import CHROMIUM_ARGS

pytestmark = [pytest.mark.notebooks, pytest.mark.browser]

BASE_URL = "/user/learner/"
PASSWORD = "Rydes!2024xQ"


@pytest.fixture
def chromium() -> str:
    return chromium_path()


@pytest.fixture
def hub(fresh_backend, tmp_path) -> Iterator[tuple[str, str]]:
    """JupyterLab under /user/learner/ proxying the fresh backend; yields (origin, token)."""
    launch.up()  # the learner's pool, app client and config.js (notebooks 00-03)
    (tmp_path / "root").mkdir()
    settings = {"apputils-extension/notification": NO_NEWS}
    with jupyterlab_server(tmp_path / "root", tmp_path, base_url=BASE_URL, settings=settings) as up:
        yield up


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("WILDRYDES_HUB_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open_tile(context, lab, title: str):
    """Click a launcher tile; it opens its page in a new tab."""
    with context.expect_page() as opened:
        lab.locator(".jp-LauncherCard", has_text=title).click()
    page = opened.value
    page.wait_for_load_state()
    return page


def test_the_website_journey_runs_through_jupyters_proxy(chromium, hub, fresh_backend, shots):
    from playwright.sync_api import expect, sync_playwright

    origin, token = hub
    prefix = f"{origin}{BASE_URL}wildrydes/"
    backend_netlocs = {f"127.0.0.1:{fresh_backend.port}", f"localhost:{fresh_backend.port}"}
    email = f"hub-{uuid.uuid4().hex[:10]}@example.com"
    seen: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            context.on("request", lambda request: seen.append(request.url))
            lab = context.new_page()
            lab.goto(f"{origin}{BASE_URL}lab?token={token}")
            expect(lab.locator(".jp-LauncherCard", has_text="Wild Rydes website")).to_be_visible()
            expect(lab.locator(".jp-LauncherCard", has_text="Local mailbox")).to_be_visible()
            # The tiles draw the kit's icon (they were blank in the "Other" category).
            for title in ("Wild Rydes website", "Local mailbox"):
                icon = lab.locator(".jp-LauncherCard", has_text=title).locator("img")
                expect(icon).to_be_visible()
                icon.evaluate("i => i.complete || new Promise(r => i.onload = r)")
                assert icon.evaluate("i => i.naturalWidth") > 0, title
            lab.screenshot(path=str(shots / "1-launcher.png"))

            site = _open_tile(context, lab, "Wild Rydes website")
            assert site.url == f"{prefix}wildrydes-local-website/index.html"
            site.screenshot(path=str(shots / "2-website.png"))

            base = site.url.removesuffix("index.html")
            site.goto(base + "register.html")
            site.fill("#emailInputRegister", email)
            site.fill("#passwordInputRegister", PASSWORD)
            site.fill("#password2InputRegister", PASSWORD)
            site.click("#registrationForm button[type=submit]")
            expect(site.locator("body.page-verify")).to_be_attached()
            site.screenshot(path=str(shots / "3-registered.png"))

            mailbox = _open_tile(context, lab, "Local mailbox")
            assert mailbox.url == f"{prefix}_wildrydes/mailbox"
            expect(mailbox.get_by_text(email).first).to_be_visible()
            code = re.search(r"\b(\d{6})\b", mailbox.locator(".code").first.inner_text()).group(1)
            mailbox.screenshot(path=str(shots / "4-mailbox.png"))

            site.bring_to_front()
            site.fill("#codeInputVerify", code)
            if site.locator("#emailInputVerify").input_value() == "":
                site.fill("#emailInputVerify", email)
            site.click("#verifyForm button[type=submit]")
            expect(site.locator("body.page-signin")).to_be_attached()
            site.fill("#emailInputSignin", email)
            site.fill("#passwordInputSignin", PASSWORD)
            site.screenshot(path=str(shots / "5-signin.png"))
            site.click("#signinForm button[type=submit]")
            expect(site.locator("#rideContent")).to_be_visible()
            assert site.url.startswith(prefix) and site.url.endswith("ride.html")
            token_text = site.inner_text("#authToken").strip()
            assert token_text.count(".") == 2, "the ride page shows the id token"
            site.screenshot(path=str(shots / "6-ride.png"), full_page=True)
        finally:
            browser.close()

    direct = [url for url in seen if urllib.parse.urlsplit(url).netloc in backend_netlocs]
    assert direct == [], f"the pages called the backend directly: {direct[:5]}"
    cognito_calls = [url for url in seen if url == prefix]
    assert cognito_calls, "the SDK's Cognito calls should go to <base_url>/wildrydes/"


def test_through_the_proxy_the_backend_still_refuses_other_origins(hub, fresh_backend):
    """The proxy adds its key to every request it forwards, so the Origin check must hold."""
    origin, token = hub
    url = f"{origin}{BASE_URL}wildrydes/"
    headers = {
        "Authorization": f"token {token}",
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp",
    }
    body = '{"ClientId": "nope", "Username": "x", "Password": "y"}'
    foreign = requests.post(
        url, data=body, headers={**headers, "Origin": "http://evil.example"}, timeout=30
    )
    assert foreign.status_code == 403 and "origin" in foreign.text
    same = requests.post(url, data=body, headers={**headers, "Origin": origin}, timeout=30)
    assert same.status_code != 403, same.text  # reaches Cognito (which rejects the client id)
    assert "ResourceNotFoundException" in same.text or "InvalidParameter" in same.text
    # The hub's Host without the proxy's key is refused: direct, a forged key, DNS rebinding.
    direct = requests.get(
        f"{fresh_backend.url}/_wildrydes/health",
        headers={"Host": "127.0.0.1:1", proxied.HEADER: "guess"},
        timeout=10,
    )
    assert direct.status_code == 403


def test_a_client_holding_jupyters_token_gets_the_website_not_an_s3_error(hub, fresh_backend):
    """jupyter-server-proxy forwards the browser's headers; Jupyter's own Authorization used to
    reach S3 as a malformed signature (400 AuthorizationHeaderMalformed)."""
    origin, token = hub
    page = requests.get(
        f"{origin}{BASE_URL}wildrydes/wildrydes-local-website/index.html",
        headers={"Authorization": f"token {token}"},
        timeout=30,
    )
    assert page.status_code == 200 and "Wild Rydes" in page.text


def test_jupyters_credentials_never_reach_what_the_kits_proxy_entry_forwards_to(
    tmp_path, monkeypatch
):
    """The kit's entry as jupyter-server-proxy applies it, pointed at a recorder instead of the
    backend: Jupyter's Authorization header and cookies arrive blank, the proxy key arrives."""
    import http.server
    import threading

    from tests_support import free_port

    seen: list[dict[str, str]] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            seen.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(free_port()))
    port = free_port()
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", port), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    config = tmp_path / "config"
    config.mkdir()
    (config / "jupyter_server_config.py").write_text(
        "from wildrydes.tools import hub\n"
        "entry = hub.website_server()\n"
        "entry.pop('command')\n"
        f"entry['port'] = {port}\n"
        "c.ServerProxy.servers = {'recorder': entry}\n"
    )
    (tmp_path / "root").mkdir()
    try:
        with jupyterlab_server(tmp_path / "root", tmp_path) as (origin, token):
            answer = requests.get(
                f"{origin}/recorder/anything",
                headers={"Authorization": f"token {token}"},
                cookies={"_xsrf": "jupyters-xsrf", "username-127-0-0-1": "jupyters-session"},
                timeout=30,
            )
    finally:
        recorder.shutdown()
        recorder.server_close()
    assert answer.status_code == 200, answer.text[:300]
    (request,) = seen
    assert request.get("authorization", "") == ""
    assert request.get("cookie", "") == ""
    assert token not in json.dumps(request)
    assert request[proxied.HEADER.lower()]  # this Jupyter server's key


def test_the_proxys_root_opens_the_website(hub, fresh_backend):
    """``<base_url>/wildrydes/`` and ``.../index.html`` used to answer S3's AccessDenied XML:
    a browser is now sent on to the site, under the same prefix."""
    origin, token = hub
    for path in ("wildrydes/", "wildrydes/index.html"):
        page = requests.get(
            f"{origin}{BASE_URL}{path}",
            headers={"Authorization": f"token {token}", "Accept": "text/html"},
            timeout=30,
        )
        assert page.status_code == 200 and "Wild Rydes" in page.text, path
        assert page.url == f"{origin}{BASE_URL}wildrydes/{launch.LOCAL_BUCKET}/index.html"
        assert "AccessDenied" not in page.text
