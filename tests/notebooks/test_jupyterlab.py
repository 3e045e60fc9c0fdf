"""A notebook in a real JupyterLab, in headless Chromium: run it, see a form render and react.

JupyterLab serves a copy of notebooks/ on a free port with a random token; its kernels inherit
this test's environment (a fresh embedded backend, WILDRYDES_PASSWORD). Notebook 04 runs from
the Run menu; then typing into the registration form's password box must update the policy
checklist (a round trip through the kernel), and "Check the local mailbox" must fill in the
code. Without Chromium this skips, unless WILDRYDES_REQUIRE_BROWSER=1 (CI), where it fails.
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
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests_support import free_port

from wildrydes import batch
from wildrydes.screenshots import CHROMIUM_ARGS

pytestmark = [pytest.mark.notebooks, pytest.mark.browser]

NOTEBOOK = "04_register_and_verify.ipynb"
NO_NEWS = '{"fetchNews": "false", "checkForUpdates": false}'
START_KERNEL = '{"autoStartDefaultKernel": true}'


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
def jupyterlab(fresh_backend, run_password, tmp_path) -> Iterator[str]:
    """A JupyterLab server on a copy of the notebooks; yields its URL with the token."""
    root = tmp_path / "notebooks"
    shutil.copytree(batch.NOTEBOOKS_DIR, root)
    settings = tmp_path / "lab-settings" / "@jupyterlab"
    for plugin, values in (
        ("apputils-extension/notification", NO_NEWS),
        ("notebook-extension/tracker", START_KERNEL),
    ):
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(values)
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(Path(sys.executable).with_name("jupyter-lab")),
        "--no-browser",
        f"--ServerApp.token={token}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
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
    log = (tmp_path / "jupyterlab.log").open("wb")
    server = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "JupyterLab did not start:\n"
                        + (tmp_path / "jupyterlab.log").read_text()[-3000:]
                    )
                time.sleep(0.2)
        yield f"{url}/lab/tree/{NOTEBOOK}?token={token}"
    finally:
        server.send_signal(signal.SIGTERM)  # stops its kernels too
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_a_notebook_runs_in_jupyterlab_and_its_form_reacts(chromium, jupyterlab, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(jupyterlab)
            expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible()
            # JupyterLab sometimes asks which kernel to start (preselecting the notebook's).
            accept = page.locator(".jp-Dialog .jp-mod-accept")
            idle = page.get_by_text(re.compile(r"\(ipykernel\) \| Idle"))
            expect(accept.or_(idle).first).to_be_visible()
            if accept.is_visible():
                accept.click()
            expect(idle).to_be_visible()

            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()

            # The registration form renders from the kernel's widget model...
            password_box = page.locator(".jp-OutputArea-output input[type=password]").first
            expect(password_box).to_be_visible(timeout=90_000)
            checklist = page.locator(".widget-html", has_text="at least 8 characters").first
            expect(checklist).to_contain_text("✗ needs at least 8 characters")

            # ...and reacts: every keystroke goes to the kernel, which redraws the checklist.
            password_box.fill("abc")
            expect(checklist).to_contain_text("✓ has a lowercase letter")
            expect(checklist).to_contain_text("✗ needs an uppercase letter")
            password_box.fill(batch.make_password())
            expect(checklist).not_to_contain_text("✗ needs", timeout=30_000)
            assert checklist.inner_text().count("✓ has") == 5

            # The verify form's mailbox button fetches the code sent when the notebook ran.
            page.get_by_role("button", name="Check the local mailbox").click()
            code_box = page.locator(".jp-OutputArea-output input[placeholder*='6 digits']")
            expect(code_box).to_have_value(re.compile(r"^\d{6}$"))
            page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        finally:
            browser.close()
