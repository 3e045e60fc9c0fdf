"""The account flows on the aws backend: the same bodies as tests/integration/test_accounts.py.

By default (``make test``, CI) the aws backend talks to an AWS-compatible endpoint: the
embedded backend started apart as a "remote" with its own kit home, key and port, holding a
module-1 bucket made the way module 1 makes it (tests/remote_aws.py). The kit runs with
``WILDRYDES_BACKEND=aws`` and ``AWS_ENDPOINT_URL``, as it would against AWS, and must start
and create nothing local. ``WILDRYDES_AWS_REMOTE=0`` skips this tier.

On a real account (opt-in, and it costs a little): it makes a user pool in your account
(removed at the end with ``wildrydes down``), registers about twenty users with fake
example.com addresses (confirmed as admin; Cognito's default email sender allows 50 messages
a day), and writes js/config.js into your module-1 bucket (reset to unconfigured at the end).

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
import remote_aws
import requests

from wildrydes import accounts, launch
from wildrydes.kit import current
from wildrydes.local import process
from wildrydes.validation import check

pytestmark = pytest.mark.aws

REAL_ACCOUNT = os.environ.get("WILDRYDES_AWS_TESTS") == "1"


def _real_credentials() -> bool:
    try:
        credentials = boto3.session.Session().get_credentials()
    except botocore.exceptions.BotoCoreError:  # e.g. the profile does not exist
        return False
    return credentials is not None and credentials.access_key != "testing"


def _real_account_environment() -> dict[str, str | None]:
    bucket = os.environ.get("WILDRYDES_AWS_BUCKET")
    if not bucket:
        pytest.skip("set WILDRYDES_AWS_BUCKET to your website bucket from module 1")
    env: dict[str, str | None] = {"WILDRYDES_BUCKET": bucket}
    profile = os.environ.get("WILDRYDES_AWS_PROFILE")
    if profile:
        env.update(AWS_PROFILE=profile, AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None)
    region = os.environ.get("WILDRYDES_AWS_REGION")
    if region:
        env.update(AWS_REGION=region, AWS_DEFAULT_REGION=region)
    return env


@pytest.fixture(scope="module")
def learner_home(tmp_path_factory):
    return tmp_path_factory.mktemp("aws-kit-home")


@pytest.fixture(scope="module")
def aws_kit(remote, learner_home):
    """The kit on the aws backend: `up` before the first test, `down` after the last, always."""
    if remote is None:
        env = {
            **_real_account_environment(),
            "WILDRYDES_BACKEND": "aws",
            "WILDRYDES_HOME": str(learner_home),
        }
    else:
        env = remote.learner_environment(learner_home)
    with remote_aws.environment(**env):
        if remote is None and not _real_credentials():
            pytest.skip("no real AWS credentials: set WILDRYDES_AWS_PROFILE to a profile")
        try:
            launch.up("aws", bucket=os.environ["WILDRYDES_BUCKET"])
            yield current("aws")
        finally:
            launch.down("aws")


@pytest.mark.parametrize(("flow", "args"), flows.SHARED_FLOWS, ids=flows.SHARED_FLOW_IDS)
def test_flow_on_real_aws(aws_kit, flow, args):
    assert aws_kit.backend.kind == "aws"
    flow(aws_kit, *args)


def test_check_on_real_aws(aws_kit):
    email, _ = flows.make_rider(aws_kit)
    report = check(
        "aws", region=aws_kit.region, bucket=aws_kit.bucket, email=email, password=flows.PASSWORD
    )
    assert report.ok, str(report)


def test_urls_come_from_the_endpoint(aws_kit, remote):
    """Website, config.js's Cognito endpoint and the JWKS: the endpoint's, or AWS's own."""
    summary = launch.status("aws").values
    config = launch.site_config_for(aws_kit.backend, aws_kit.user_pool_id, aws_kit.app_client_id)
    if remote is None:
        assert ".amazonaws.com/" in summary["website_url"]
        assert config.endpoint is None, "the browser SDK's default endpoint is AWS itself"
        assert aws_kit.jwks_url.startswith("https://cognito-idp.")
        return
    assert summary["website_url"] == f"{remote.url}/{remote.bucket}/index.html"
    assert config.endpoint == f"{remote.url}/"
    assert aws_kit.jwks_url == (f"{remote.url}/{aws_kit.user_pool_id}/.well-known/jwks.json")


def test_a_code_from_the_inbox_confirms(aws_kit, remote):
    """On AWS a person types the emailed code; here the harness reads the remote's outbox."""
    if remote is None:
        pytest.skip("on a real account the code is in a real inbox")
    if remote.engine == "moto":
        pytest.skip("moto's server sends no email and keeps no outbox a person could read")
    email = flows.new_email()
    accounts.register(aws_kit, email, flows.PASSWORD)
    assert flows.user_status(aws_kit, email) == "UNCONFIRMED"
    accounts.confirm(aws_kit, email, remote.latest_code(email))
    assert flows.user_status(aws_kit, email) == "CONFIRMED"


def test_nothing_local_is_started_or_created_for_the_learner(aws_kit, learner_home):
    assert remote_aws.nothing_local_for_the_learner(learner_home) == []
    with remote_aws.environment(WILDRYDES_HOME=str(learner_home)):
        assert process.status() is None


def test_the_bucket_must_exist_already(aws_kit):
    from wildrydes.errors import ResourceError

    missing = f"{aws_kit.bucket}-missing"
    with pytest.raises(ResourceError, match="does not exist"):
        launch.prepare_bucket(aws_kit.backend, missing)
    with pytest.raises(botocore.exceptions.ClientError):
        aws_kit.backend.client("s3").head_bucket(Bucket=missing)


def test_the_issuer_is_what_the_endpoint_publishes(aws_kit, remote):
    issuer = aws_kit.issuer()
    if remote is None:
        assert (
            issuer == f"https://cognito-idp.{aws_kit.region}.amazonaws.com/{aws_kit.user_pool_id}"
        )
        return
    published = requests.get(
        f"{remote.url}/{aws_kit.user_pool_id}/.well-known/openid-configuration", timeout=10
    )
    assert issuer == published.json()["issuer"]
    _, session = flows.make_rider(aws_kit)
    assert accounts.verify_token(aws_kit, session.id_token, "id").ok
