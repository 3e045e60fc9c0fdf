"""Every AWS call the account flows make, checked against the real AWS API model.

The flows run for real against the embedded backend; a hook records each call's parameters
as the kit passed them (unredacted, kept in memory only for this test), and each is validated
against botocore's bundled model of the AWS API: botocore's own validator (required members,
types, minimums) plus what it leaves out (maximum lengths and sizes, enums, patterns).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import account_flows as flows
import botocore.session
import pytest
from botocore.validate import ParamValidator

from wildrydes import accounts, mailbox
from wildrydes.kit import current
from wildrydes.validation import check

_MODELS = botocore.session.get_session()

# Python's re has no Unicode property classes. Letters, marks, symbols, numbers and
# punctuation together are every character that is neither white space nor a control one.
_VISIBLE = r"\p{L}\p{M}\p{S}\p{N}\p{P}"
_NOT_VISIBLE = r"\s\x00-\x1f\x7f-\x9f"


def python_pattern(pattern: str) -> re.Pattern:
    """An AWS model pattern as a Python regex; fails loudly on a form it does not know."""
    translated = pattern
    for bracket in re.findall(r"\[[^\]]*\]", pattern):
        if _VISIBLE in bracket:
            extra = bracket[1:-1].replace(_VISIBLE, "")
            allowed = f"[^{_NOT_VISIBLE}]"
            translated = translated.replace(
                bracket, f"(?:{allowed}|[{extra}])" if extra else allowed
            )
    try:
        return re.compile(translated)
    except re.error as e:  # a new form in the model: teach this function to read it
        raise AssertionError(f"cannot read the AWS model pattern {pattern!r}: {e}") from e


def model_problems(params: Any, shape: Any, path: str = "") -> list[str]:
    """Everything in ``params`` the AWS model of ``shape`` does not allow."""
    problems = []
    if not path:
        report = ParamValidator().validate(params, shape)
        if report.has_errors():
            problems.append(report.generate_report())
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(params, dict):
        for name, value in params.items():
            if name in shape.members:
                problems += model_problems(value, shape.members[name], f"{path}.{name}")
    elif shape.type_name == "list" and isinstance(params, list):
        if "max" in meta and len(params) > meta["max"]:
            problems.append(f"{path}: {len(params)} items, more than {meta['max']}")
        for i, item in enumerate(params):
            problems += model_problems(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "map" and isinstance(params, dict):
        if "max" in meta and len(params) > meta["max"]:
            problems.append(f"{path}: {len(params)} entries, more than {meta['max']}")
        for key, value in params.items():
            problems += model_problems(key, shape.key, f"{path}{{key}}")
            problems += model_problems(value, shape.value, f"{path}[{key}]")
    elif shape.type_name == "string" and isinstance(params, str):
        if "max" in meta and len(params) > meta["max"]:
            problems.append(f"{path}: {len(params)} characters, more than {meta['max']}")
        if shape.enum and params not in shape.enum:
            problems.append(f"{path}: {params!r} is not one of {shape.enum}")
        if "pattern" in meta and not python_pattern(meta["pattern"]).fullmatch(params):
            problems.append(f"{path}: {params!r} does not match {meta['pattern']!r}")
    elif (
        shape.type_name in ("integer", "long")
        and isinstance(params, int)
        and "max" in meta
        and params > meta["max"]
    ):
        problems.append(f"{path}: {params} is more than {meta['max']}")
    return problems


def validate(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    model = _MODELS.get_service_model(service).operation_model(operation)
    return model_problems(params, model.input_shape)


def test_the_validator_catches_what_the_model_forbids():
    problems = validate(
        "cognito-idp",
        "InitiateAuth",
        {
            "ClientId": "not a client id",
            "AuthFlow": "PASSWORD_PLEASE",
            "AuthParameters": {"USERNAME": "x" * 3},
        },
    )
    assert any("does not match" in p and ".ClientId" in p for p in problems), problems
    assert any("PASSWORD_PLEASE" in p and "USER_SRP_AUTH" in p for p in problems), problems
    problems = validate(
        "cognito-idp", "SignUp", {"ClientId": "abc", "Username": "has space", "Password": "p" * 257}
    )
    assert any(".Username" in p for p in problems), problems
    assert any("257 characters, more than 256" in p for p in problems), problems
    problems = validate("cognito-idp", "SignUp", {"ClientId": ""})
    assert any("Missing required parameter" in p and '"Username"' in p for p in problems)
    assert any("Invalid length for parameter ClientId" in p for p in problems), problems
    assert (
        validate(
            "cognito-idp",
            "SignUp",
            {
                "ClientId": "abc",
                "Username": "rider-at-example.com",
                "Password": "Rydes!2024xQ",
                "UserAttributes": [{"Name": "email", "Value": "rider@example.com"}],
            },
        )
        == []
    )


@pytest.fixture
def recorded(launched):
    """(service, operation, params) of every call the flows make; in memory, never written."""
    calls: list[tuple[str, str, dict[str, Any]]] = []

    def record(params, model, **_):
        calls.append((model.service_model.service_name, model.name, copy.deepcopy(params)))

    kit = current()
    with kit.backend.listen("provide-client-params", record):
        for flow, args in flows.SHARED_FLOWS:
            flow(kit, *args)
        email = flows.new_email()
        accounts.register(kit, email, flows.PASSWORD)
        accounts.resend_code(kit, email)
        accounts.confirm(kit, email, mailbox.latest_code(kit.backend, email))
        assert check(email=email, password=flows.PASSWORD).ok
    return calls


def test_every_call_the_flows_make_is_valid_for_the_aws_api(recorded):
    operations = {(service, operation) for service, operation, _ in recorded}
    assert {
        ("cognito-idp", op)
        for op in (
            "DescribeUserPool",
            "SignUp",
            "ConfirmSignUp",
            "ResendConfirmationCode",
            "AdminGetUser",
            "AdminConfirmSignUp",
            "InitiateAuth",
            "RespondToAuthChallenge",
            "GlobalSignOut",
            "DescribeUserPoolClient",
            "CreateUserPool",
            "CreateUserPoolClient",
            "DeleteUserPool",
        )
    } | {("s3", "GetObject")} <= operations
    srp = [p for s, op, p in recorded if op == "InitiateAuth" and p["AuthFlow"] == "USER_SRP_AUTH"]
    assert srp and all(len(p["AuthParameters"]["SRP_A"]) > 700 for p in srp)  # unredacted
    problems = {
        f"{service}.{operation}: {problem}"
        for service, operation, params in recorded
        for problem in validate(service, operation, params)
    }
    assert not problems, "\n".join(sorted(problems))
