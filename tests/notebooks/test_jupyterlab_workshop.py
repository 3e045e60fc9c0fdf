"""The workshop as a learner lives it, in a real JupyterLab in headless Chromium.

* the `make workshop` path: module 1 only, then notebooks 01-03 with Run All *create* the pool,
  the client and config.js, in the learner's workspace copy; the clone's `git status` stays
  clean although JupyterLab saved every notebook with its outputs;
* a mistyped password at the hidden prompt is asked for again in the same cell;
* the instructor's workbench: a claim edited in the page fails the signature check live.

Each test has its own embedded backend (``fresh_backend``) and JupyterLab server. Without
Chromium they skip, unless WILDRYDES_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_support import chromium_path, jupyterlab_server, open_and_run_all

from wildrydes import launch
from wildrydes.kit import current
from wildrydes.notebook.screenshots import CHROMIUM_ARGS
from wildrydes.tools import batch, workspace

pytestmark = [pytest.mark.notebooks, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def chromium() -> str:
    return chromium_path()


@contextlib.contextmanager
def lab(root: Path, tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    """JupyterLab on ``root``; yields its notebook URL pattern (``{}``: the notebook) with
    ?reset, so each page opens only the notebook asked for, not the tabs of the last one."""
    with jupyterlab_server(root, tmp_path, env=env) as (origin, token):
        yield f"{origin}/lab/tree/{{}}?reset&token={token}"


@contextlib.contextmanager
def browser_page(chromium_path: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def wait_until_idle_and_save(page) -> None:
    from playwright.sync_api import expect

    # Run All has finished when the last cell (nb.record) has shown its results, no cell
    # waits ([*]) and the kernel is idle again; then save until nothing is left unsaved.
    # (attached, not visible: JupyterLab may hide cells scrolled out of its window)
    expect(page.locator(".jp-OutputArea-output", has_text="results: {").first).to_be_attached(
        timeout=180_000
    )
    expect(page.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(0, timeout=120_000)
    expect(page.get_by_text(re.compile(r"\(ipykernel\) \| Idle"))).to_be_visible()
    for _ in range(5):
        page.keyboard.press("Control+s")
        try:
            expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=10_000)
            return
        except AssertionError:
            continue
    expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=10_000)


def test_make_workshop_path_creates_module_2_in_the_workspace_and_git_stays_clean(
    chromium, fresh_backend, run_password, tmp_path
):
    from playwright.sync_api import expect

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--local", str(REPO), str(clone)], check=True)
    # What `make workshop` does: module 1 only, then the learner's copy of the notebooks.
    launch.module1()
    copied = workspace.prepare(clone / "workspace", clone / "notebooks")
    assert "01_create_user_pool.ipynb" in copied
    with (
        lab(clone / "workspace", tmp_path, dict(os.environ)) as url,
        browser_page(chromium) as page,
    ):
        for name, created in (
            ("01_create_user_pool", "User pool created"),
            ("02_add_app_client", "App client created"),
            ("03_update_config_js", "PutObject"),
        ):
            open_and_run_all(page, url.format(f"{name}.ipynb"))
            wait_until_idle_and_save(page)
            outputs = page.locator(".jp-OutputArea-output")
            expect(outputs.filter(has_text=created).first).to_be_visible()
            if name == "01_create_user_pool":
                expect(outputs.filter(has_text="CreateUserPool").first).to_be_visible()
                assert not outputs.filter(has_text="already there").count()
            if name == "02_add_app_client":
                expect(outputs.filter(has_text="CreateUserPoolClient").first).to_be_visible()
            page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    saved = batch.notebooks_in(clone / "workspace", ["01_create_user_pool"])[0].read_text()
    assert "CreateUserPool" in saved, "JupyterLab saved the learner's outputs in the workspace"
    status = subprocess.run(
        ["git", "-C", str(clone), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == "", f"the walk-through changed the repository:\n{status}"


def test_a_mistyped_password_is_asked_again_in_the_same_cell(
    chromium, fresh_backend, run_password, tmp_path, monkeypatch
):
    from playwright.sync_api import expect

    from wildrydes import launch
    from wildrydes import notebook as nb

    email = batch.unique_email()
    launch.up()
    nb.ensure_user(current(), email, run_password)
    root = tmp_path / "ws"
    workspace.prepare(root)
    _set_email(root / "05_sign_in_with_srp.ipynb", email)
    env = {k: v for k, v in os.environ.items() if k != "WILDRYDES_PASSWORD"}
    with lab(root, tmp_path, env) as url, browser_page(chromium) as page:
        open_and_run_all(page, url.format("05_sign_in_with_srp.ipynb"))
        prompt = page.locator("input.jp-Stdin-input")
        expect(prompt).to_be_visible(timeout=90_000)
        prompt.fill("Mistyped!2024")
        prompt.press("Enter")
        again = page.locator(
            ".jp-InputArea-prompt + input.jp-Stdin-input, input.jp-Stdin-input"
        ).last
        expect(page.get_by_text(re.compile("That is not the password"))).to_be_visible(
            timeout=60_000
        )
        again.fill(run_password)
        again.press("Enter")
        expect(page.get_by_text(re.compile("ready to sign in"))).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Cognito accepted the proof").first).to_be_visible(timeout=90_000)
        expect(page.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(0, timeout=120_000)
        assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
        page.screenshot(path=str(tmp_path / "password-again.png"), full_page=True)
        assert run_password not in page.content() and "Mistyped!2024" not in page.content()


def test_the_instructors_workbench_fails_the_signature_of_an_edited_claim(
    chromium, fresh_backend, run_password, tmp_path
):
    from playwright.sync_api import expect

    root = tmp_path / "ws"
    workspace.prepare(root)
    with lab(root, tmp_path, dict(os.environ)) as url, browser_page(chromium) as page:
        open_and_run_all(page, url.format("08_instructor_demos.ipynb"))
        bench = page.locator(".jp-OutputArea-output", has_text="Token workbench").first
        expect(bench).to_be_visible(timeout=120_000)
        result = bench.locator(".wildrydes-inspection")
        signature_row = result.locator("tr").filter(
            has=page.locator("code", has_text=re.compile(r"^signature$"))
        )
        expect(signature_row).to_contain_text("✓ pass")
        bench.locator("select").select_option("email")
        bench.locator("input[placeholder*='JSON']").fill("someone.else@example.com")
        bench.get_by_role("button", name="Change this claim").click()
        expect(signature_row).to_contain_text("✗ fail")
        expect(bench).to_contain_text("someone.else@example.com")
        signature_row.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "workbench-forged.png"), full_page=True)
        bench.get_by_role("button", name="Back to the original").click()
        expect(signature_row).to_contain_text("✓ pass")


def _set_email(path: Path, email: str) -> None:
    """Set the notebook's `email` parameter the way a learner edits the parameters cell."""
    import nbformat

    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r'^email = ".*?"', f'email = "{email}"', cell.source, flags=re.M)
    nbformat.write(notebook, str(path))
