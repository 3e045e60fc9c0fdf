"""The account flows on real AWS: the same bodies as tests/integration/test_accounts.py.

Opt-in only, and it costs a little: it makes a user pool in your account (removed at the end
with ``wildrydes down``), registers about twenty users with fake example.com addresses
(confirmed as admin; Cognito's default email sender allows 50 messages a day), and writes
js/config.js into your module-1 bucket (reset to unconfigured at the end).

    WILDRYDES_AWS_TESTS=1 WILDRYDES_AWS_PROFILE=workshop WILDRYDES_AWS_BUCKET=my-site \\
        .venv/bin/python -m pytest -m aws tests/aws

``WILDRYDES_AWS_PROFILE`` names a profile in ~/.aws: tests/conftest.py replaces the AWS_*
credential variables with fakes, so the real ones come in through a named profile.
``WILDRYDES_AWS_REGION`` picks the region (default: the profile's, else us-east-1).
"""

from __future__ import annotations

import os

import account_flows as flows
import boto3
import botocore.exceptions
import pytest

from wildrydes import launch
from wildrydes.check import check

pytestmark = pytest.mark.aws




def _real_credentials() -> bool:
    try:
        credentials = boto3.session.Session().get_credentials()
    except botocore.exceptions.BotoCoreError:  # e.g. the profile does not exist
        return False
    return credentials is not None and credentials.access_key != "testing"


@pytest.fixture(scope="module")
def aws_kit(tmp_path_factory):
    """The kit on real AWS: `up` before the first test, `down` after the last, always."""
    if os.environ.get("WILDRYDES_AWS_TESTS") != "1":
        pytest.skip("real-AWS tests are opt-in: set WILDRYDES_AWS_TESTS=1")
    bucket = os.environ.get("WILDRYDES_AWS_BUCKET")
    if not bucket:
        pytest.skip("set WILDRYDES_AWS_BUCKET to your website bucket from module 1")
    patch = pytest.MonkeyPatch()
    try:
        profile = os.environ.get("WILDRYDES_AWS_PROFILE")
        if profile:
            patch.setenv("AWS_PROFILE", profile)
            patch.delenv("AWS_ACCESS_KEY_ID", raising=False)
            patch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
        region = os.environ.get("WILDRYDES_AWS_REGION")
        if region:
            patch.setenv("AWS_REGION", region)
            patch.setenv("AWS_DEFAULT_REGION", region)
        patch.setenv("WILDRYDES_BACKEND", "aws")
        patch.setenv("WILDRYDES_HOME", str(tmp_path_factory.mktemp("aws-kit-home")))
        if not _real_credentials():
            pytest.skip("no real AWS credentials: set WILDRYDES_AWS_PROFILE to a profile")
        try:
            launch.up("aws", bucket=bucket)
            yield launch.current("aws")
        finally:
            launch.down("aws")
    finally:
        patch.undo()


@pytest.mark.parametrize(("flow", "args"), flows.SHARED_FLOWS, ids=flows.SHARED_FLOW_IDS)
def test_flow_on_real_aws(aws_kit, flow, args):
    assert aws_kit.backend.kind == "aws"
    flow(aws_kit, *args)


def test_check_on_real_aws(aws_kit):
    email, _ = flows.make_rider(aws_kit)
    report = check("aws", region=aws_kit.region, bucket=aws_kit.bucket, email=email,
                   password=flows.PASSWORD)
    assert report.ok, str(report)
