"""The aws tier's endpoint: the embedded backend as a "remote" unless a real account is opted in."""

from __future__ import annotations

import os

import pytest
import remote_aws


@pytest.fixture(scope="session")
def remote(tmp_path_factory):
    """The AWS-compatible endpoint with its module-1 bucket (None on a real account)."""
    if os.environ.get("WILDRYDES_AWS_TESTS") == "1":
        yield None
        return
    if os.environ.get("WILDRYDES_AWS_REMOTE") == "0":
        pytest.skip("the aws tier against the embedded remote is off (WILDRYDES_AWS_REMOTE=0)")
    with remote_aws.started_remote(tmp_path_factory.mktemp("remote-home")) as running:
        yield running
