"""Shared fixtures: a fresh embedded backend on a free port, with its own kit home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never touch a real account unless a test is marked `aws` and opted in
# (WILDRYDES_AWS_TESTS=1 keeps the real credentials for those).
if os.environ.get("WILDRYDES_AWS_TESTS") != "1":
    for _name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(_name, None)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
os.environ["WILDRYDES_BACKEND"] = "local"

REPO = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist's ``--dist loadgroup`` (``make test``), each browser module (one
    Chromium per module) and the aws tier (one remote backend per session) run on one worker,
    so their fixtures start once rather than once per worker."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        tier = item.path.parent.name
        if tier == "browser":
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))
        elif tier == "aws":
            item.add_marker(pytest.mark.xdist_group("aws"))


@pytest.fixture(scope="session")
def local_backend(tmp_path_factory):
    """The embedded backend, started the way a learner starts it, stopped at the end."""
    from wildrydes.local import process

    with process.private_backend(tmp_path_factory.mktemp("kit-home")) as private:
        yield private.start()


@pytest.fixture(scope="session")
def launched(local_backend):
    """``wildrydes up`` on the shared backend."""
    from wildrydes import launch

    return launch.up()


@pytest.fixture
def fresh_backend(local_backend, tmp_path, monkeypatch):
    """A second embedded backend with its own kit home, for tests that tear things down."""
    from wildrydes.local import process

    with process.private_backend(tmp_path / "home") as private:
        yield private.start()
