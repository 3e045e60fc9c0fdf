"""docs/iam-policy.json covers every AWS call the kit makes on aws, on the resource it touches.

The calls are read from the package's source (every ``cognito.<method>(``, ``s3.<method>(`` and
paginator), mapped to API operations with botocore's own service model; operations AWS serves
without IAM credentials (SignUp, InitiateAuth, ...: ``authtype: none`` in the model) need no
statement. Each operation's IAM action must be in a statement whose resource matches the ARN
the call touches (Service Authorization Reference: ListUserPools and CreateUserPool take no
resource, so ``*``; the rest act on ``userpool/<id>``; S3 on the bucket or ``<bucket>/*``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

from wildrydes import iam

PACKAGE = Path(iam.__file__).parent
BUCKET, REGION, ACCOUNT = "my-wildrydes-site", "eu-west-2", "123456789012"
POOL_ID = f"{REGION}_AbCdEfGhI"
_CALL = re.compile(r"\b(cognito|s3|apigw)\.(?:get_paginator\(\"(\w+)\"\)|(\w+)\()")
# dict methods on variables of the same name (config.js's "cognito" section)
_NOT_CALLS = {"exceptions", "meta", "get_paginator", "can_paginate", "get", "items", "keys"}


def _clients():
    return {
        service: boto3.client(name, region_name=REGION)  # no call is made
        for service, name in (("cognito", "cognito-idp"), ("s3", "s3"), ("apigw", "apigateway"))
    }


def _operations_the_kit_calls() -> set[tuple[str, str]]:
    clients = _clients()
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "local" in path.relative_to(PACKAGE).parts:
            continue  # the embedded backend itself, not a caller of AWS
        for service, paginated, method in _CALL.findall(path.read_text()):
            name = paginated or method
            if name in _NOT_CALLS:
                continue
            mapping = clients[service].meta.method_to_api_mapping
            assert name in mapping, f"{path.name}: {service}.{name} is not a boto3 operation"
            found.add((service, mapping[name]))
    return found


def _needs_iam(service: str, operation: str) -> bool:
    model = _clients()[service].meta.service_model.operation_model(operation)
    return model.auth_type != "none" and "smithy.api#noAuth" not in (
        model.metadata.get("auth") or getattr(model, "auth", None) or []
    )


def _arn_touched(service: str, operation: str) -> str:
    if service == "cognito":
        if operation in ("ListUserPools", "CreateUserPool"):
            return "*"
        return f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{POOL_ID}"
    if service == "apigw":
        if operation == "CreateRestApi":
            return f"arn:aws:apigateway:{REGION}::/restapis"
        return f"arn:aws:apigateway:{REGION}::/restapis/a1b2c3d4e5/resources/f6g7h8"
    if iam.action_for(operation) in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        return f"arn:aws:s3:::{BUCKET}/js/config.js"
    return f"arn:aws:s3:::{BUCKET}"


OPERATIONS = sorted(_operations_the_kit_calls())


def test_the_scan_finds_the_kits_calls():
    names = {operation for _, operation in OPERATIONS}
    for expected in ("CreateUserPool", "ListUserPools", "CreateUserPoolClient", "PutObject"):
        assert expected in names, names
    assert ("cognito", "SignUp") in OPERATIONS and not _needs_iam("cognito", "SignUp")


@pytest.mark.parametrize(("service", "operation"), OPERATIONS, ids=lambda v: str(v))
def test_every_arn_the_kit_touches_matches_a_statement(service, operation):
    if not _needs_iam(service, operation):
        pytest.skip(f"{operation} is served without IAM credentials (public)")
    policy = iam.filled_policy(BUCKET, REGION, ACCOUNT)
    action = iam.action_for(operation)
    statement = iam.statement_for(action, policy)
    assert statement is not None, f"no statement of docs/iam-policy.json allows {action}"
    assert iam.resource_matches(_arn_touched(service, operation), statement), (
        action,
        statement["Resource"],
    )


def test_api_gateway_actions_are_the_verbs_of_the_management_requests():
    calls = [operation for service, operation in OPERATIONS if service == "apigw"]
    assert "CreateRestApi" in calls and "DeleteRestApi" in calls, calls
    model = _clients()["apigw"].meta.service_model
    for operation in calls:
        verb = model.operation_model(operation).http["method"]
        assert iam.action_for(operation) == f"apigateway:{verb}", operation
    rides = iam.statement_for("apigateway:DELETE", iam.filled_policy(BUCKET, REGION, ACCOUNT))
    assert rides is not None
    assert not iam.resource_matches("arn:aws:apigateway:us-east-1::/restapis/x", rides)
    assert not iam.resource_matches(f"arn:aws:apigateway:{REGION}::/domainnames/x", rides)


def test_only_the_actions_without_a_resource_type_take_star():
    for statement in iam.load_policy()["Statement"]:
        if statement["Resource"] == "*":
            assert sorted(statement["Action"]) == [
                "cognito-idp:CreateUserPool",
                "cognito-idp:ListUserPools",
            ]


def test_the_policy_is_scoped_to_the_bucket_and_the_accounts_pools():
    policy = iam.filled_policy(BUCKET, REGION, ACCOUNT)
    text = json.dumps(policy)
    assert iam.BUCKET_PLACEHOLDER not in text and ":ACCOUNT-ID:" not in text
    pools = iam.statement_for("cognito-idp:DescribeUserPool", policy)
    assert not iam.resource_matches(f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/x", pools)
    objects = iam.statement_for("s3:PutObject", policy)
    assert not iam.resource_matches("arn:aws:s3:::someone-elses-bucket/js/config.js", objects)


def test_access_denied_names_the_action_and_the_statement():
    error = botocore.exceptions.ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "User: x is not authorized"}},
        "DescribeUserPool",
    )
    hint = iam.denied_hint(error, region=REGION)
    assert "cognito-idp:DescribeUserPool" in hint and "'WorkWithTheUserPool'" in hint
    head = botocore.exceptions.ClientError({"Error": {"Code": "403"}}, "HeadBucket")
    assert "s3:ListBucket" in iam.denied_hint(head, bucket=BUCKET)
    missing = botocore.exceptions.ClientError({"Error": {"Code": "NoSuchKey"}}, "GetObject")
    assert iam.denied_hint(missing) is None
