"""The in-process tier: each test gets a local Cognito service of its own, reached without a
socket, with a clock it holds (tests/in_process.py). The helpers in tests/cognito_helpers.py
talk to it for the length of the test."""

from __future__ import annotations

from collections.abc import Iterator

import cognito_helpers
import pytest
from in_process import InProcessCognito

from wildrydes import userpool


@pytest.fixture(autouse=True)
def service(tmp_path) -> Iterator[InProcessCognito]:
    """A service of this test's own, in a kit home of its own, as the helpers' target."""
    target = InProcessCognito(tmp_path / "kit-home")
    with cognito_helpers.using(target):
        yield target
    target.close()


@pytest.fixture
def workshop_pool(service) -> tuple[str, str]:
    """The pool and app client ``wildrydes up`` makes (the kit's own settings), as ids."""
    client = service.client()
    pool = userpool.create_user_pool(client)
    return pool.id, userpool.create_app_client(client, pool.id).id
