"""Fixtures for running the workshop notebooks: a password for the run, and a runner.

Notebooks run with papermill through ``wildrydes.tools.batch.run_notebooks`` (the code ``make run``
uses), each test into its own ``tmp_path``. Kernels inherit the environment of this process,
so the backend fixture and the password are in place before a notebook starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wildrydes.tools import batch

NOTEBOOKS = batch.notebooks_in(batch.NOTEBOOKS_DIR)


@pytest.fixture(autouse=True, scope="session")
def _patient_expect() -> None:
    """JupyterLab and Chromium share the machine with the other workers of `make test`: a
    page's expect() waits up to 30 s (Playwright's default is 5) before it fails."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)


@pytest.fixture
def run_password(monkeypatch) -> str:
    """The learner's password for headless runs (WILDRYDES_PASSWORD), random per test."""
    password = batch.make_password()
    monkeypatch.setenv("WILDRYDES_PASSWORD", password)
    return password


@pytest.fixture
def run_notebooks(run_password, tmp_path) -> Callable[..., list[batch.Outcome]]:
    """run_notebooks(paths, **parameters): run in order into tmp_path; every one must pass."""

    def run(paths: list[Path], **parameters: object) -> list[batch.Outcome]:
        outcomes = batch.run_notebooks(paths, tmp_path / "executed", parameters)
        failed = [f"{o.notebook}: {o.error}" for o in outcomes if not o.ok]
        assert not failed, "notebooks failed:\n" + "\n".join(failed)
        return outcomes

    return run
