"""`wildrydes up / status / down` against the embedded backend over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse

import boto3
import pytest
import requests

from wildrydes import launch, state, userpool, website
from wildrydes.backend import connect
from wildrydes.errors import ConfigurationError, ResourceError
from wildrydes.local import credentials
from wildrydes.trace import TRACE

DESIGN_KEYS = {
    "backend",
    "region",
    "endpoint_url",
    "bucket",
    "website_url",
    "user_pool_id",
    "user_pool_arn",
    "app_client_id",
}


def _cognito():
    return connect().client("cognito-idp")


def test_up_reports_the_design_keys_and_is_idempotent(launched):
    first = launched.as_json()
    assert set(first) >= DESIGN_KEYS
    assert first["user_pool_id"].startswith("us-east-1_")
    assert first["user_pool_arn"].endswith("userpool/" + first["user_pool_id"])
    again = launch.up().as_json()
    assert again["user_pool_id"] == first["user_pool_id"]
    assert again["app_client_id"] == first["app_client_id"]
    pools = [
        p
        for p in _cognito().list_user_pools(MaxResults=60)["UserPools"]
        if p["Name"] == "WildRydes"
    ]
    assert len(pools) == 1


def test_cli_up_json_prints_the_same_ids(launched):
    out = subprocess.run(
        [sys.executable, "-m", "wildrydes", "up", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    data = json.loads(out.stdout)
    assert set(data) >= DESIGN_KEYS
    assert data["user_pool_id"] == launched.values["user_pool_id"]


def test_pool_has_the_workshop_settings(launched):
    pool = _cognito().describe_user_pool(UserPoolId=launched.values["user_pool_id"])["UserPool"]
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 8
    assert all(
        policy[k]
        for k in ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols")
    )
    assert pool["AutoVerifiedAttributes"] == ["email"]
    client = _cognito().describe_user_pool_client(
        UserPoolId=pool["Id"], ClientId=launched.values["app_client_id"]
    )["UserPoolClient"]
    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


def test_config_js_is_served_with_no_cache_and_the_pool_values(launched):
    url = launched.values["website_url"].replace("index.html", "js/config.js")
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"]
    assert "no-cache" in response.headers["Cache-Control"]
    config = website.parse_config_js(response.text)
    assert config.user_pool_id == launched.values["user_pool_id"]
    assert config.client_id == launched.values["app_client_id"]
    assert config.region == "us-east-1"
    # Relative to the page, so the same file works directly and through Jupyter's proxy.
    assert config.endpoint == "../"
    assert urllib.parse.urljoin(launched.values["website_url"], config.endpoint) == (
        launched.values["endpoint_url"] + "/"
    )


def test_status_checks_every_piece(launched):
    report = launch.status()
    assert report.ok, str(report)
    assert set(report.names) == {"user pool", "app client", "config.js"}


def test_existing_api_invoke_url_is_kept(launched):
    backend = connect()
    s3 = backend.client("s3")
    bucket = launched.values["bucket"]
    current = website.read_config_js(s3, bucket)
    seeded = website.SiteConfig(
        current.user_pool_id,
        current.client_id,
        current.region,
        current.endpoint,
        "https://abc.execute-api.us-east-1.amazonaws.com/prod",
        current.mailbox_url,
    )
    website.put_config_js(s3, bucket, seeded)
    try:
        launch.up()
        assert website.read_config_js(s3, bucket).invoke_url.endswith("/prod")
    finally:
        website.put_config_js(s3, bucket, current)


def test_client_with_a_secret_is_replaced(launched):
    cognito = _cognito()
    pool_id = launched.values["user_pool_id"]
    secret = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="WildRydesWebApp", GenerateSecret=True
    )["UserPoolClient"]
    good = launched.values["app_client_id"]
    cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=good)
    client = userpool.create_app_client(cognito, pool_id)
    assert client.replaced_secret and client.created
    assert "had a secret" in client._repr_html_()
    names = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    assert [c["ClientId"] for c in names] == [client.id]
    assert secret["ClientId"] != client.id
    launched.values.update(launch.up().values)  # the rest of the session uses the new client


def test_trace_records_operations_and_redacts_secrets(launched):
    mark = TRACE.mark()
    cognito = _cognito()
    with pytest.raises(cognito.exceptions.ClientError):
        cognito.initiate_auth(
            ClientId=launched.values["app_client_id"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "nobody", "PASSWORD": "Hunter2!x"},
        )
    calls = TRACE.since(mark)
    assert [c.operation for c in calls] == ["InitiateAuth"]
    assert "Hunter2!x" not in str(calls) and "Hunter2!x" not in calls._repr_html_()
    assert calls[0].error


def test_state_file_holds_no_secrets(launched):
    text = (state.kit_home() / "state.json").read_text()
    assert launched.values["user_pool_id"] in text
    assert "password" not in text.lower() and "token" not in text.lower()
    with pytest.raises(ValueError, match="never stores secrets"):
        state.save("local", {"password": "x"})


def test_stale_state_pool_deleted_behind_the_kits_back(fresh_backend):
    first = launch.up().values
    _cognito().delete_user_pool(UserPoolId=first["user_pool_id"])
    second = launch.up().values
    assert second["user_pool_id"] != first["user_pool_id"]
    assert launch.status().ok


def test_down_removes_exactly_what_up_made(fresh_backend):
    cognito = _cognito()
    other = cognito.create_user_pool(PoolName="WildRydes")["UserPool"]["Id"]  # not the kit's
    made = launch.up().values
    removed = launch.down().as_json()
    assert removed["user_pool_id"] == made["user_pool_id"]
    assert removed["app_client_id"] == made["app_client_id"]
    ids = {p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]}
    assert other in ids and made["user_pool_id"] not in ids
    config = website.read_config_js(connect().client("s3"), made["bucket"])
    assert not config.configured
    assert launch.down().as_json().get("user_pool_id") is None  # idempotent
    cognito.delete_user_pool(UserPoolId=other)
    with pytest.raises(ResourceError, match="not made by the kit"):
        pid = cognito.create_user_pool(PoolName="x")["UserPool"]["Id"]
        userpool.delete_user_pool(cognito, pid)


def test_aws_bucket_checks_name_the_problem(local_backend):
    backend = connect()
    s3 = backend.client("s3")
    with pytest.raises(ResourceError, match="does not exist.*module 1"):
        website.check_bucket(backend, s3, "no-such-bucket-wildrydes")
    s3.create_bucket(
        Bucket="eu-site-wildrydes", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    with pytest.raises(ResourceError, match="is in eu-west-1.*AWS_REGION=eu-west-1"):
        website.check_bucket(backend, s3, "eu-site-wildrydes")
    s3.create_bucket(Bucket="us-site-wildrydes")
    assert website.check_bucket(backend, s3, "us-site-wildrydes") == "us-east-1"
    assert s3.list_objects_v2(Bucket="us-site-wildrydes").get("KeyCount", 0) == 0


def test_bucket_of_another_account_that_refuses_writes(local_backend):
    backend = connect()
    # Signed with the kit home's key (the backend admits no other), acting as another AWS
    # account the way moto lets a caller: the x-moto-account-id header.
    other = boto3.session.Session(**credentials.load().boto3_kwargs())
    s3_other = other.client("s3", endpoint_url=backend.endpoint_url, region_name="us-east-1")
    s3_other.meta.events.register(
        "before-sign.s3.*",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", "111111111111"),
    )
    s3_other.create_bucket(Bucket="someone-elses-site")
    s3_other.put_bucket_policy(
        Bucket="someone-elses-site",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:PutObject",
                        "Resource": "arn:aws:s3:::someone-elses-site/*",
                    }
                ],
            }
        ),
    )
    with pytest.raises(ResourceError, match="someone-elses-site.*cannot write.*PutObject"):
        website.check_bucket(backend, backend.client("s3"), "someone-elses-site")


def test_aws_backend_without_credentials_says_what_to_set(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    with pytest.raises(ConfigurationError, match="No AWS credentials.*AWS_PROFILE"):
        connect("aws", "us-east-1")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    with pytest.raises(ConfigurationError, match="No AWS region.*AWS_REGION"):
        connect("aws")


@pytest.mark.parametrize("region", ["us-east-one", "mars-1", "", "US-EAST-1"])
def test_invalid_region_name(region):
    with pytest.raises(ConfigurationError, match="not an AWS region name"):
        connect("aws", region or "x")


def test_unknown_backend_kind():
    with pytest.raises(ConfigurationError, match="WILDRYDES_BACKEND"):
        connect("azure")


def test_missing_bucket_name_on_aws_is_asked_for(monkeypatch):
    monkeypatch.delenv("WILDRYDES_BUCKET", raising=False)
    backend = connect("aws", "us-east-1")
    with pytest.raises(ConfigurationError, match="--bucket"):
        launch.choose_bucket(backend, None)


def test_boto3_default_session_untouched(launched):
    # The kit configures its own clients; a learner's boto3 default session is not redirected.
    assert boto3.session.Session().client("s3").meta.endpoint_url.startswith("https://")


def test_status_and_check_agree_on_an_app_client_with_cognitos_default_flows(launched):
    """A client that lists no flows gets Cognito's defaults (SRP among them): both accept it."""
    from wildrydes.validation import check

    backend = connect()
    cognito = backend.client("cognito-idp")
    pool_id, client_id = launched.values["user_pool_id"], launched.values["app_client_id"]
    before = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]
    cognito.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ClientName=before["ClientName"]
    )
    try:
        after = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
            "UserPoolClient"
        ]
        assert not after.get("ExplicitAuthFlows")
        assert launch.status()["app client"].ok, str(launch.status())
        assert check()["app client"].ok, str(check())
    finally:
        cognito.update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=client_id,
            ClientName=before["ClientName"],
            ExplicitAuthFlows=before["ExplicitAuthFlows"],
        )


def test_listen_hears_cached_and_new_clients_until_stopped(local_backend):
    backend = connect()
    heard: list[str] = []

    def record(model, **_):
        heard.append(model.name)

    s3 = backend.client("s3")  # made before listening: cached
    with backend.listen("provide-client-params", record):
        s3.list_buckets()
        backend.client("cognito-idp").list_user_pools(MaxResults=1)
    s3.list_buckets()
    assert heard == ["ListBuckets", "ListUserPools"]


def test_a_warm_up_makes_only_the_calls_the_state_file_cannot_answer(launched):
    """Issue 23: the bucket's files, the pool, the app clients by name (one with a secret would
    be replaced); config.js is read once, as the browser reads it, and the state file is not
    rewritten when nothing changed."""
    launch.up()  # whatever an earlier test changed is mended first
    path = state.kit_home() / "state.json"
    before = path.stat()
    mark = TRACE.mark()
    launch.up()
    assert [c.operation for c in TRACE.since(mark)] == [
        "ListObjectsV2",
        "DescribeUserPool",
        "ListUserPoolClients",
        "DescribeUserPoolClient",
    ]
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_status_and_check_ask_once_per_piece(launched):
    from wildrydes.validation import check

    launch.up()
    mark = TRACE.mark()
    assert launch.status().ok
    assert [c.operation for c in TRACE.since(mark)] == [
        "DescribeUserPool",
        "DescribeUserPoolClient",  # the recorded client, not a listing of them all
        "GetObject",
    ]
    mark = TRACE.mark()
    report = check()
    assert report["clock"].ok, str(report)  # timed on the pool's own answer
    assert [c.operation for c in TRACE.since(mark)] == [
        "GetObject",
        "DescribeUserPool",
        "DescribeUserPoolClient",
    ]


def test_up_writes_config_js_again_when_the_site_no_longer_serves_it(launched):
    backend = connect()
    s3, bucket = backend.client("s3"), launched.values["bucket"]
    s3.delete_object(Bucket=bucket, Key=website.CONFIG_KEY)
    launch.up()
    config = website.fetch_config_js(website.website_url(backend, bucket))
    assert config.user_pool_id == launched.values["user_pool_id"]
    assert config.client_id == launched.values["app_client_id"]


def test_lists_are_followed_past_their_first_page(launched):
    """backend.pages follows S3's and Cognito's continuation tokens as the paginators did (the
    kit's lists are one page; here pages of one item force the following)."""
    from wildrydes.backend import pages

    s3 = connect().client("s3")
    keys = [
        item["Key"]
        for page in pages(
            s3.list_objects_v2,
            ("NextContinuationToken", "ContinuationToken"),
            Bucket=launched.values["bucket"],
            MaxKeys=1,
        )
        for item in page.get("Contents", [])
    ]
    assert len(keys) > 20 and len(set(keys)) == len(keys)
    assert sorted(keys) == sorted(website._etags(s3, launched.values["bucket"]))

    cognito = _cognito()
    pool = launched.values["user_pool_id"]
    extra = cognito.create_user_pool_client(UserPoolId=pool, ClientName=userpool.CLIENT_NAME)
    try:
        ids = [
            client["ClientId"]
            for page in pages(
                cognito.list_user_pool_clients,
                ("NextToken", "NextToken"),
                UserPoolId=pool,
                MaxResults=1,
            )
            for client in page["UserPoolClients"]
        ]
        assert extra["UserPoolClient"]["ClientId"] in ids and len(ids) >= 2
        named = userpool.clients_named(cognito, pool, userpool.CLIENT_NAME)
        assert {c["ClientId"] for c in named} >= set(ids)
    finally:
        cognito.delete_user_pool_client(
            UserPoolId=pool, ClientId=extra["UserPoolClient"]["ClientId"]
        )


def test_a_list_that_repeats_its_token_ends_in_one_clear_error():
    """An endpoint that hands back the token it was given (a broken emulator or proxy) would be
    listed forever; backend.pages stops at the repeat, as botocore's paginators do."""
    from wildrydes.backend import pages

    asked = []

    def list_user_pool_clients(**request):
        asked.append(request.get("NextToken"))
        assert len(asked) <= 3, "listed on and on"
        return {"UserPoolClients": [], "NextToken": "stuck"}

    with pytest.raises(ResourceError, match="list_user_pool_clients answered the same NextToken"):
        list(pages(list_user_pool_clients, ("NextToken", "NextToken"), UserPoolId="p"))
    assert asked == [None, "stuck"]
