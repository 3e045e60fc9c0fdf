"""``wildrydes module1`` on aws, against moto's own server: the website bucket made the way
module 1 made it (static website hosting, Block Public Access off for that bucket only, a
public-read policy for its objects, the site and config.js uploaded, the URL printed), an
existing bucket adopted and never deleted, and a site hosted elsewhere given its config.js.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
import remote_aws
import requests

from wildrydes import launch, state, website, website_bucket
from wildrydes.backend import connect

pytestmark = pytest.mark.aws


@pytest.fixture(scope="module")
def moto_remote(tmp_path_factory):
    if os.environ.get("WILDRYDES_AWS_TESTS") == "1":
        pytest.skip("module 1's bucket is tested on moto's server, not made in a real account")
    with remote_aws.started("moto", tmp_path_factory.mktemp("moto")) as running:
        yield running


@pytest.fixture
def learner(moto_remote, tmp_path):
    with remote_aws.environment(**moto_remote.learner_environment(tmp_path / "learner-home")):
        yield moto_remote


def test_module1_makes_the_bucket_the_way_module_1_did(learner, monkeypatch, capsys):
    name = f"wildrydes-new-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("WILDRYDES_BUCKET", name)
    report = launch.module1("aws", bucket=name)
    said = capsys.readouterr().err
    assert f"Block Public Access OFF for bucket {name} only" in said
    assert "created now" in report.values["bucket"]
    s3 = learner.s3()
    assert s3.get_bucket_website(Bucket=name)["IndexDocument"] == {"Suffix": "index.html"}
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert not any(block.values()), block
    (statement,) = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]
    assert statement["Principal"] == "*" and statement["Action"] == "s3:GetObject"
    assert statement["Resource"] == f"arn:aws:s3:::{name}/*"
    tags = s3.get_bucket_tagging(Bucket=name)["TagSet"]
    assert website_bucket.BUCKET_TAG in tags
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]}
    assert {"index.html", website.CONFIG_KEY, website.SDK_KEY} <= keys
    url = report.values["website_url"]
    assert url == f"{learner.url}/{name}/index.html"
    page = requests.get(url, timeout=10)  # anyone may read it: no credentials
    assert page.status_code == 200 and "Wild Rydes" in page.text
    record = state.load(connect("aws").state_key)
    assert record["bucket"] == name and record["created_bucket"] is True
    # `up` then works on it, and `down` resets config.js, keeping module 1's bucket
    launch.up("aws", bucket=name)
    launch.down("aws")
    s3.head_bucket(Bucket=name)


def test_an_existing_bucket_is_adopted_and_never_deleted(learner):
    s3 = learner.s3()
    before = s3.get_bucket_policy(Bucket=learner.bucket)["Policy"]
    report = launch.module1("aws", bucket=learner.bucket)
    assert "adopted" in report.values["bucket"]
    assert state.load(connect("aws").state_key)["created_bucket"] is False
    assert s3.get_bucket_policy(Bucket=learner.bucket)["Policy"] == before
    launch.up("aws", bucket=learner.bucket)
    launch.down("aws")
    s3.head_bucket(Bucket=learner.bucket)


def test_a_site_hosted_elsewhere_gets_the_config_js_to_commit(learner, monkeypatch):
    monkeypatch.delenv("WILDRYDES_BUCKET")
    site = "https://main.d1abcdefghijk.amplifyapp.com"
    made = launch.module1("aws", site_url=site)
    assert made.values["website_url"] == site
    try:
        report = launch.up("aws")
        config = website.parse_config_js(report.values["config_js"])
        assert config.user_pool_id == report.values["user_pool_id"]
        assert config.client_id == report.values["app_client_id"]
        assert config.region == learner.region
        assert "js/config.js" in report.values["next"]
    finally:
        launch.down("aws")
    cognito = connect("aws").client("cognito-idp")
    assert report.values["user_pool_id"] not in {
        p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]
    }


def test_on_aws_itself_the_website_url_is_said_to_be_http_only(monkeypatch):
    """No endpoint configured: the S3 website endpoint's URL, with the HTTP-only note."""
    import boto3

    from wildrydes.backend import Backend

    aws = Backend("aws", "eu-west-2", session=boto3.Session(region_name="eu-west-2"))
    assert website.website_url(aws, "my-site") == (
        "http://my-site.s3-website.eu-west-2.amazonaws.com/"
    )
    assert "HTTP only" in website_bucket.HTTP_ONLY and "HTTPS" in website_bucket.HTTP_ONLY
