"""JupyterLab and Chromium for the notebook tests that drive a real JupyterLab in a browser.

``jupyterlab_server`` starts JupyterLab on a folder (a free port, a random token, settings that
turn off news and start the kernel, its own runtime and config dirs) and stops it again;
``chromium_path`` finds Chromium or skips (fails under WILDRYDES_REQUIRE_BROWSER=1, as in CI).
"""

from __future__ import annotations

import contextlib
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

__all__ = [
    "NO_NEWS",
    "START_KERNEL",
    "chromium_path",
    "jupyterlab_server",
    "open_and_run_all",
]

_READY_MS = 60_000
NO_NEWS = '{"fetchNews": "false", "checkForUpdates": false}'
START_KERNEL = '{"autoStartDefaultKernel": true}'


def chromium_path() -> str:
    """Chromium's path; skips the test without one (fails under WILDRYDES_REQUIRE_BROWSER=1)."""
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


@contextlib.contextmanager
def jupyterlab_server(
    root: Path,
    tmp_path: Path,
    *,
    env: dict[str, str] | None = None,
    base_url: str = "/",
    settings: dict[str, str] | None = None,
) -> Iterator[tuple[str, str]]:
    """JupyterLab on ``root`` under ``base_url``; yields (origin, token) once it answers.

    ``settings``: JupyterLab plugin settings by plugin id (default: no news, start the kernel).
    """
    folder = tmp_path / "lab-settings" / "@jupyterlab"
    plugins = {
        "apputils-extension/notification": NO_NEWS,
        "notebook-extension/tracker": START_KERNEL,
    }
    for plugin, values in (plugins if settings is None else settings).items():
        path = folder / f"{plugin}.jupyterlab-settings"
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
        f"--ServerApp.base_url={base_url}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={tmp_path / 'lab-settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'lab-workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = {
        **(os.environ if env is None else env),
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
                    status = f"{origin}{base_url}api/status?token={token}"
                    with urllib.request.urlopen(status, timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("JupyterLab did not start:\n" + log_path.read_text()[-3000:])
                    time.sleep(0.2)
            yield origin, token
        finally:
            server.send_signal(signal.SIGTERM)  # stops its kernels too
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def open_and_run_all(page, url: str) -> None:
    """Open a notebook in JupyterLab, wait for its kernel (accepting the kernel dialog
    JupyterLab sometimes shows, preselecting the notebook's) and Run All Cells."""
    from playwright.sync_api import expect

    # A busy machine (the suite runs on as many workers as CPUs) can take longer than
    # expect()'s default 5 s to open a notebook and start its kernel: wait up to a minute.
    page.goto(url)
    expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible(timeout=_READY_MS)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    idle = page.get_by_text(re.compile(r"\(ipykernel\) \| Idle"))
    expect(accept.or_(idle).first).to_be_visible(timeout=_READY_MS)
    if accept.is_visible():
        accept.click()
    expect(idle).to_be_visible(timeout=_READY_MS)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
