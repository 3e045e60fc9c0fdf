"""A notebook in a real JupyterLab, in headless Chromium: run it, see a form render and react.

JupyterLab serves a copy of notebooks/ on a free port with a random token; its kernels inherit
this test's environment (a fresh embedded backend, WILDRYDES_PASSWORD). Notebook 04 runs from
the Run menu; then typing into the registration form's password box must update the policy
checklist (a round trip through the kernel), and "Check the local mailbox" must fill in the
code. Without Chromium this skips, unless WILDRYDES_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from lab_support import chromium_path, jupyterlab_server, open_and_run_all

from wildrydes.notebook.screenshots import CHROMIUM_ARGS
from wildrydes.tools import batch

pytestmark = [pytest.mark.notebooks, pytest.mark.browser]

NOTEBOOK = "04_register_and_verify.ipynb"


@pytest.fixture
def chromium() -> str:
    return chromium_path()


@pytest.fixture
def jupyterlab(fresh_backend, run_password, tmp_path) -> Iterator[str]:
    """A JupyterLab server on a copy of the notebooks; yields its URL with the token."""
    root = tmp_path / "notebooks"
    shutil.copytree(batch.NOTEBOOKS_DIR, root)
    with jupyterlab_server(root, tmp_path) as (origin, token):
        yield f"{origin}/lab/tree/{NOTEBOOK}?token={token}"


def test_a_notebook_runs_in_jupyterlab_and_its_form_reacts(chromium, jupyterlab, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            open_and_run_all(page, jupyterlab)

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
