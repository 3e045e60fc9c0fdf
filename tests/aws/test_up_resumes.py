"""``wildrydes up`` on aws leaks nothing and resumes: a failure at each of its steps in turn.

A learner's ``up`` can stop anywhere (the network drops, a permission is missing, the laptop
sleeps). Each step is failed here for real, on the engine's side of the wire: a botocore
``after-call`` hook raises once the engine has answered that call, so whatever the call made
exists while the kit sees a dropped connection (the worst moment: made, but not heard of).
Then ``down`` must leave nothing of module 2 behind, and a rerun of ``up`` must finish with
exactly one user pool and one app client. Each engine gets a remote of its own here, so no
other test's pool can be mistaken for this one's.
"""

from __future__ import annotations

import os

import botocore.exceptions
import pytest
import remote_aws

from wildrydes import launch, state, userpool, website
from wildrydes.backend import connect
from wildrydes.errors import ResourceError

pytestmark = pytest.mark.aws


@pytest.fixture(scope="module", params=remote_aws.ENGINES, ids=lambda e: f"engine={e}")
def own_remote(request, tmp_path_factory):
    if os.environ.get("WILDRYDES_AWS_TESTS") == "1":
        pytest.skip("failures are injected on the test engines, never in a real account")
    with remote_aws.started(request.param, tmp_path_factory.mktemp("remote")) as running:
        yield running


@pytest.fixture
def learner(own_remote, tmp_path):
    with remote_aws.environment(**own_remote.learner_environment(tmp_path / "learner-home")):
        yield own_remote


class Dropped(botocore.exceptions.ConnectionClosedError):
    """What the kit sees: the connection closed after the engine did the work."""


def _up_failing_after(call_number: int) -> str | None:
    """``up`` with the connection dropped after its ``call_number``-th AWS call (from 1); the
    call's name, or None when this ``up`` finished in fewer calls (nothing to fail)."""
    backend = connect("aws")
    calls: list[str] = []

    def drop(model, **_):
        calls.append(model.name)
        if len(calls) == call_number:
            raise Dropped(endpoint_url=f"(after {model.name})")

    with backend.listen("after-call", drop):
        try:
            launch.up("aws")
        except Dropped:
            return calls[-1]
    return None


def _calls_of_a_clean_up() -> list[str]:
    backend = connect("aws")
    calls: list[str] = []
    with backend.listen("after-call", lambda model, **_: calls.append(model.name)):
        launch.up("aws")
    launch.down("aws")
    return calls


def _kit_pools(remote) -> list[dict]:
    cognito = connect("aws").client("cognito-idp")
    pools = []
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        pools += [p for p in page["UserPools"] if p["Name"] == userpool.POOL_NAME]
    return pools


def _config_js(remote) -> website.SiteConfig | None:
    return website.read_config_js(remote.s3(), remote.bucket)


def test_a_clean_up_makes_its_calls_in_this_order(learner):
    calls = _calls_of_a_clean_up()
    for step in ("CreateUserPool", "CreateUserPoolClient", "PutObject", "GetObject"):
        assert step in calls, calls
    assert _kit_pools(learner) == []


def test_each_step_failed_then_down_leaves_nothing(learner):
    steps = _calls_of_a_clean_up()
    assert len(steps) >= 6, steps
    leaks, failed = {}, []
    for number in range(1, len(steps) + 1):
        failed_at = _up_failing_after(number)
        failed.append(failed_at)
        launch.down("aws")
        left = _kit_pools(learner)
        config = _config_js(learner)
        if left or (config is not None and config.configured):
            leaks[f"{number}:{failed_at}"] = (left, config)
        # the bucket is module 1's, never module 2's to remove
        learner.s3().head_bucket(Bucket=learner.bucket)
    assert leaks == {}, f"down left these behind after a failed up: {leaks}"
    for step in ("CreateUserPool", "CreateUserPoolClient", "PutObject"):
        assert step in failed, f"{step} was never failed: {failed}"


def test_each_step_failed_then_up_finishes(learner):
    steps = _calls_of_a_clean_up()
    failed = []
    for number in range(1, len(steps) + 1):
        failed_at = _up_failing_after(number)
        failed.append(failed_at)
        report = launch.up("aws")
        pools = _kit_pools(learner)
        assert len(pools) == 1, f"after a failure at {number}:{failed_at}, pools {pools}"
        assert report.values["user_pool_id"] == pools[0]["Id"]
        cognito = connect("aws").client("cognito-idp")
        clients = userpool.clients_named(cognito, pools[0]["Id"], userpool.CLIENT_NAME)
        assert [c["ClientId"] for c in clients] == [report.values["app_client_id"]]
        config = _config_js(learner)
        assert config is not None and config.user_pool_id == pools[0]["Id"]
        assert state.load(connect("aws").state_key)["user_pool_id"] == pools[0]["Id"]
        launch.down("aws")
        assert _kit_pools(learner) == []
    for step in ("CreateUserPool", "CreateUserPoolClient", "PutObject"):
        assert step in failed, f"{step} was never failed: {failed}"


def test_the_pool_is_recorded_before_the_app_client_is_made(learner):
    """The state file names the pool the moment CreateUserPool answered."""
    recorded = []
    backend = connect("aws")

    def look(model, **_):
        if model.name == "CreateUserPoolClient":
            recorded.append(state.load(backend.state_key).get("user_pool_id"))

    with backend.listen("before-call", look):
        report = launch.up("aws")
    assert recorded == [report.values["user_pool_id"]]
    launch.down("aws")


def test_up_on_a_private_bucket_reads_config_js_back_with_the_learners_keys(learner, monkeypatch):
    """A bucket without a public-read policy (a site hosted elsewhere, Block Public Access on):
    an anonymous read answers 403, yet config.js is there and `up` must finish."""
    private = f"{learner.bucket}-private"
    s3 = learner.s3()
    s3.create_bucket(Bucket=private)
    monkeypatch.setenv("WILDRYDES_BUCKET", private)
    anonymous = website.website_url(connect("aws"), private) + website.CONFIG_KEY
    try:
        report = launch.up("aws", bucket=private)
        with pytest.raises(ResourceError, match="HTTP 403"):
            website.fetch_config_js(anonymous.removesuffix(website.CONFIG_KEY))
        config = website.read_config_js(s3, private)
        assert config is not None and config.user_pool_id == report.values["user_pool_id"]
    finally:
        launch.down("aws")
    assert _kit_pools(learner) == []
