"""The website journey on a hub: everything through JupyterLab's own proxy, nothing direct.

JupyterLab runs with ``--ServerApp.base_url=/user/learner/`` (JupyterHub's layout) and the kit
installed, so jupyter-server-proxy serves the embedded backend under
``/user/learner/wildrydes/``. In headless Chromium the test opens the launcher's "Wild Rydes
website" tile, registers, reads the code from the "Local mailbox" tile, verifies, signs in and
reaches ride.html. Every request the pages make is recorded: none may go to the backend's own
``127.0.0.1:<port>``. Screenshots go to ``$WILDRYDES_HUB_SHOTS`` (default: the test's tmp dir).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from tests_support import free_port

from wildrydes import launch
from wildrydes.local import proxied
from wildrydes.screenshots import CHROMIUM_ARGS

pytestmark = [pytest.mark.notebooks, pytest.mark.browser]

BASE_URL = "/user/learner/"
PASSWORD = "Rydes!2024xQ"
NO_NEWS = '{"fetchNews": "false", "checkForUpdates": false}'


@pytest.fixture
def chromium() -> str:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    reason = "no Chromium here: apt-get install -y chromium"
    if os.environ.get("WILDRYDES_REQUIRE_BROWSER") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def hub(fresh_backend, tmp_path) -> Iterator[tuple[str, str]]:
    """JupyterLab under /user/learner/ proxying the fresh backend; yields (origin, token)."""
    launch.up()  # the learner's pool, app client and config.js (notebooks 00-03)
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(NO_NEWS)
    (tmp_path / "root").mkdir()
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(Path(sys.executable).with_name("jupyter-lab")),
        "--no-browser",
        f"--ServerApp.token={token}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={BASE_URL}",
        f"--ServerApp.root_dir={tmp_path / 'root'}",
        f"--LabApp.user_settings_dir={tmp_path / 'lab-settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'lab-workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    log_path = tmp_path / "jupyterlab.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL
        )
        origin = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(
                        f"{origin}{BASE_URL}api/status?token={token}", timeout=2
                    ):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("JupyterLab did not start:\n" + log_path.read_text()[-3000:])
                    time.sleep(0.2)
            yield origin, token
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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
