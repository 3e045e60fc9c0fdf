"""docs/iam-policy.json on an engine that enforces IAM: moto's server with
``INITIAL_NO_AUTH_ACTION_COUNT`` set checks the policies of the access keys it issued.

moto 5.2 enforces partly (measured, and said here so the test is read for what it proves): S3
actions and resources are checked, but some under the operation's name rather than AWS's IAM
action (HeadBucket as ``s3:HeadBucket`` and ListObjectsV2 as ``s3:ListObjectsV2`` where AWS
checks ``s3:ListBucket``; PutPublicAccessBlock where AWS checks
``s3:PutBucketPublicAccessBlock``), so moto's names are added beside AWS's for this engine only;
cognito-idp actions are checked against resource ``*`` only, so the Cognito statements are
widened to ``*`` for this engine only; API Gateway's are checked under the operation's name
(``apigateway:CreateRestApi``) on ``*``, where AWS checks the request's verb
(``apigateway:POST``) on the resource's path, so for this engine only each verb is joined by the
names of the operations that use it and the statement widened to ``*``; and its unsigned
public operations fail once checking is on, so only the steps that need IAM credentials run
here (``up``, ``status``, ``check``, ``down``; ``api up`` only as far as its first call, since
moto 5.2's enforcing server answers every signed API Gateway GET with
``SignatureDoesNotMatch``, measured under an allow-all policy). The whole policy lets them all
through; without any one statement, the kit's message names an action of that statement and
the statement's name.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import uuid

import boto3
import pytest
import remote_aws

from wildrydes import iam
from wildrydes.local import credentials as kit_credentials
from wildrydes.tools import cli

pytestmark = pytest.mark.aws

ACCOUNT = "123456789012"  # moto's default account
REGION = remote_aws.REGION
# moto 5.2 checks some S3 operations under the operation's own name, not AWS's IAM action
# (measured: HeadBucket, ListObjectsV2, PutPublicAccessBlock); for this engine only, its names
# are added beside AWS's.
MOTO_ACTION_NAMES = {
    "s3:ListBucket": ["s3:HeadBucket", "s3:ListObjectsV2"],
    "s3:PutBucketPublicAccessBlock": ["s3:PutPublicAccessBlock"],
}


def _apigateway_names(verb: str) -> list[str]:
    """moto's names for an API Gateway verb: every operation whose request uses it."""
    model = boto3.client("apigateway", region_name=REGION).meta.service_model
    return [
        f"apigateway:{name}"
        for name in model.operation_names
        if model.operation_model(name).http["method"] == verb
    ]


def _for_moto(policy: dict) -> dict:
    """The policy as moto can check it (see the module's docstring)."""
    policy = json.loads(json.dumps(policy))
    for statement in policy["Statement"]:
        verbs = [a.split(":", 1)[1] for a in statement["Action"] if a.startswith("apigateway:")]
        if verbs:
            statement["Resource"] = "*"
            statement["Action"] = [
                *statement["Action"],
                *(name for verb in verbs for name in _apigateway_names(verb)),
            ]
        resources = statement["Resource"]
        if isinstance(resources, str) and resources.startswith("arn:aws:cognito-idp:"):
            statement["Resource"] = "*"
        for aws_action, motos in MOTO_ACTION_NAMES.items():
            if aws_action in statement["Action"]:
                statement["Action"] = [*statement["Action"], *motos]
    return policy


@pytest.fixture(scope="module")
def enforcing(tmp_path_factory):
    """moto's server enforcing IAM after three unauthenticated calls (an admin's key)."""
    if os.environ.get("WILDRYDES_AWS_TESTS") == "1":
        pytest.skip("the policy is tested on moto's enforcing server, not a real account")
    with remote_aws.moto_server(INITIAL_NO_AUTH_ACTION_COUNT="3") as url:
        kw = {"endpoint_url": url, "region_name": REGION}
        bootstrap = boto3.client(
            "iam", aws_access_key_id="AKIABOOTSTRAP0000000", aws_secret_access_key="x" * 40, **kw
        )
        bootstrap.create_user(UserName="admin")
        key = bootstrap.create_access_key(UserName="admin")["AccessKey"]
        everything = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
        bootstrap.put_user_policy(
            UserName="admin", PolicyName="all", PolicyDocument=json.dumps(everything)
        )
        admin = kit_credentials.KitCredentials(key["AccessKeyId"], key["SecretAccessKey"])
        remote = remote_aws.Remote(
            url,
            tmp_path_factory.mktemp("enforcing"),
            f"wildrydes-module1-{uuid.uuid4().hex[:8]}",
            admin,
            engine="moto",
        )
        remote_aws.make_module1_bucket(remote)
        yield remote


def _learner(remote, policy: dict) -> kit_credentials.KitCredentials:
    iam_client = boto3.client(
        "iam", endpoint_url=remote.url, region_name=REGION, **remote.credentials.boto3_kwargs()
    )
    name = f"learner-{uuid.uuid4().hex[:8]}"
    iam_client.create_user(UserName=name)
    iam_client.put_user_policy(
        UserName=name, PolicyName="wildrydes", PolicyDocument=json.dumps(policy)
    )
    key = iam_client.create_access_key(UserName=name)["AccessKey"]
    return kit_credentials.KitCredentials(key["AccessKeyId"], key["SecretAccessKey"])


@contextlib.contextmanager
def _as_learner(remote, policy: dict, home):
    keys = _learner(remote, _for_moto(policy))
    env = remote.learner_environment(home)
    env.update(AWS_ACCESS_KEY_ID=keys.access_key_id, AWS_SECRET_ACCESS_KEY=keys.secret_access_key)
    with remote_aws.environment(**env):
        yield


def _wildrydes(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(argv))
    return code, err.getvalue()


def _remove_kit_pools(remote) -> None:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=remote.url,
        region_name=REGION,
        **remote.credentials.boto3_kwargs(),
    )
    for pool in cognito.list_user_pools(MaxResults=60)["UserPools"]:
        cognito.delete_user_pool(UserPoolId=pool["Id"])


def test_the_whole_policy_lets_every_step_through(enforcing, tmp_path):
    policy = iam.filled_policy(enforcing.bucket, REGION, ACCOUNT)
    try:
        with _as_learner(enforcing, policy, tmp_path / "home"):
            for step in (["up"], ["status"], ["check"], ["down"]):
                code, said = _wildrydes(*step, "--backend", "aws")
                assert code == 0 or (step == ["status"] and code == 1), (step, said)
                assert "AccessDenied" not in said and "lack" not in said, (step, said)
    finally:
        _remove_kit_pools(enforcing)


def test_no_policy_at_all_is_refused(enforcing, tmp_path):
    """The engine really checks: a learner with an empty policy is denied at the first call."""
    empty = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}],
    }
    with _as_learner(enforcing, empty, tmp_path / "home"):
        code, said = _wildrydes("up", "--backend", "aws")
    assert code == 2 and "s3:ListBucket" in said, said


SIDS = [s["Sid"] for s in iam.load_policy()["Statement"]]


@pytest.mark.parametrize("sid", SIDS)
def test_without_a_statement_the_message_names_its_action(enforcing, tmp_path, sid):
    whole = iam.filled_policy(enforcing.bucket, REGION, ACCOUNT)
    removed = next(s for s in whole["Statement"] if s["Sid"] == sid)
    policy = {**whole, "Statement": [s for s in whole["Statement"] if s["Sid"] != sid]}
    try:
        with _as_learner(enforcing, policy, tmp_path / "home"):
            code, said = _wildrydes("up", "--backend", "aws")
            if code == 0:  # up needed nothing of it: `check` reads what up made
                code, said = _wildrydes("check", "--backend", "aws")
            if code == 0:  # nor check: module 3's ride API is the rest (`api up`)
                code, said = _wildrydes("api", "up", "--backend", "aws")
    finally:
        _remove_kit_pools(enforcing)
    assert code != 0, said
    named = [action for action in removed["Action"] if action in said]
    assert named, f"without {sid}, the message names none of its actions: {said}"
    assert repr(sid) in said, said


def test_module1_makes_its_bucket_under_the_policy(enforcing, tmp_path):
    """A new website bucket, under a policy naming it: create, tag, Block Public Access off,
    policy, website hosting, the site's upload."""
    name = f"wildrydes-site-{uuid.uuid4().hex[:8]}"
    policy = iam.filled_policy(name, REGION, ACCOUNT)
    with _as_learner(enforcing, policy, tmp_path / "home"):
        code, said = _wildrydes("module1", "--backend", "aws", "--bucket", name)
    assert code == 0, said
    s3 = enforcing.s3()
    assert s3.get_bucket_website(Bucket=name)["IndexDocument"] == {"Suffix": "index.html"}


def test_the_statement_to_add_names_the_learners_bucket(enforcing, tmp_path):
    whole = iam.filled_policy(enforcing.bucket, REGION, ACCOUNT)
    policy = {
        **whole,
        "Statement": [s for s in whole["Statement"] if s["Sid"] != "TheWebsiteObjects"],
    }
    with _as_learner(enforcing, policy, tmp_path / "home"):
        code, said = _wildrydes("up", "--backend", "aws", "--bucket", enforcing.bucket)
    assert code == 2 and f"arn:aws:s3:::{enforcing.bucket}/*" in said, said
    assert iam.BUCKET_PLACEHOLDER not in said
