"""The local Cognito's own shape: one table of operations, one module per concern, the region
in the request, SQL only in the store, and a fault of ours answered in AWS's format."""

from __future__ import annotations

import ast
import dataclasses
import logging
import re
from pathlib import Path

import pytest

from wildrydes.local.cognito import Clock, LocalCognito, exceptions, operations
from wildrydes.local.cognito.context import Context
from wildrydes.local.cognito.fields import FIELDS

PACKAGE = Path(operations.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
SQL_MODULES = {"database.py", "directory.py", "store.py"}


def test_the_table_and_the_request_members_name_the_same_operations():
    assert set(operations.OPERATIONS) == set(FIELDS)
    functions = list(operations.OPERATIONS.values())
    assert len(functions) == len(set(functions)), "one function per operation"


def test_each_operation_is_a_function_of_the_module_of_its_concern():
    for name, function in operations.OPERATIONS.items():
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        assert function.__name__ == snake, name
        assert function.__module__.startswith("wildrydes.local.cognito."), name


def test_operations_never_import_each_others_modules():
    # What several operations share lives in a small module of its own (lookups, passwords,
    # codes, ...), never in another operation's module.
    operation_modules = {f.__module__ for f in operations.OPERATIONS.values()}
    for module in operation_modules:
        path = PACKAGE / f"{module.rpartition('.')[2]}.py"
        imported = {
            node.module
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        imported |= {
            f"{node.module}.{alias.name}"
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
        assert not (imported & operation_modules) - {module}, module


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_module_says_its_one_job_first_and_stays_small(path):
    text = path.read_text()
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert docstring.split("\n")[0].strip(), f"{path.name} does not say what it does"
    assert len(text.splitlines()) <= 400, f"{path.name} is over 400 lines"
    assert "hasattr(" not in text, f"{path.name} dispatches by attribute name"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_sql_only_in_the_store_and_every_insert_names_its_columns(path):
    text = path.read_text()
    inserts = re.findall(r"INSERT (?:OR \w+ )?INTO (\w+)\s*(\(|VALUES)", text)
    if path.name not in SQL_MODULES:
        assert not inserts and "execute(" not in text, f"{path.name} speaks SQL"
    for table, after in inserts:
        assert after == "(", f"{path.name}: INSERT INTO {table} without column names"


def test_the_region_travels_in_the_request_not_on_the_shared_context():
    assert "region" not in {f.name for f in dataclasses.fields(Context)}


def test_every_exception_is_its_own_class_with_its_aws_code():
    classes = [
        getattr(exceptions, name)
        for name in exceptions.__all__
        if isinstance(getattr(exceptions, name), type) and name != "CognitoError"
    ]
    for cls in classes:
        assert issubclass(cls, exceptions.CognitoError)
        assert cls.code == cls.__name__
    assert len({cls.code for cls in classes}) == len(classes)


class _BrokenClock(Clock):
    def now(self) -> float:
        raise RuntimeError("the clock broke")


def test_a_fault_of_ours_is_answered_in_aws_format_and_logged(tmp_path, caplog):
    service = LocalCognito(tmp_path, clock=_BrokenClock())
    try:
        with caplog.at_level(logging.ERROR):
            answer = service.answer("CreateUserPool", b'{"PoolName": "p"}')
    finally:
        service.close()
    assert answer.status == 500
    assert answer.json() == {
        "__type": "InternalErrorException",
        "message": "The local backend failed on CreateUserPool (RuntimeError); "
        "its log has the details.",
    }
    assert answer.headers["x-amzn-ErrorType"] == "InternalErrorException"
    assert "CreateUserPool failed" in caplog.text and "the clock broke" in caplog.text


def test_every_answer_carries_a_request_id_as_aws_json_apis_do(service):
    """AWS's JSON APIs put ``x-amzn-RequestId`` on every response (AWS WAF developer guide,
    "HTTP responses"); boto3 reads it into ResponseMetadata.RequestId."""
    from cognito_helpers import cognito, fails, new_pool

    pool_id, _ = new_pool()
    answer = cognito().describe_user_pool(UserPoolId=pool_id)
    first = answer["ResponseMetadata"]["RequestId"]
    again = cognito().describe_user_pool(UserPoolId=pool_id)["ResponseMetadata"]["RequestId"]
    assert first and again and first != again
    with fails("ResourceNotFoundException") as refused:
        cognito().describe_user_pool(UserPoolId="us-east-1_missing00")
    assert refused.value.response["ResponseMetadata"]["RequestId"]


def test_no_request_member_is_silently_ignored():
    """Issue 20: every member an operation accepts either does something (the model names it)
    or is listed in the service's docstring as accepted with no effect; nothing is dropped
    without a word."""
    from wildrydes.local.cognito import service

    used = "".join(p.read_text() for p in MODULES if p.name != "fields.py")
    listed = service.__doc__ or ""
    silent = sorted(
        {
            member
            for members in FIELDS.values()
            for member in members
            if f'"{member}"' not in used and member not in listed
        }
    )
    assert not silent, f"accepted but neither used nor listed in service.py: {silent}"
