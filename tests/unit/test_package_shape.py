"""The package's shape: a small public surface, one root exception, modules of one job each."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import wildrydes
from wildrydes import errors

PACKAGE = Path(wildrydes.__file__).parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_declares_all_and_exports_what_it_has(path):
    tree = ast.parse(path.read_text())
    declared = [
        n
        for n in tree.body
        if (isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets))
        or (isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "__all__")
    ]
    assert declared, f"{_name(path)} has no __all__"
    module = importlib.import_module(_name(path))
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{_name(path)}.__all__ names what it does not have: {missing}"


MAX_LINES = 400  # beyond this a module holds two jobs
# Modules being rewritten on other branches, each with the work that brings it under the limit.
# The list only shrinks: a listed module that already fits fails the test below.
PENDING: dict[str, str] = {}


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_stay_small(path):
    lines = len(path.read_text().splitlines())
    if _name(path) in PENDING:
        assert lines > MAX_LINES, f"{_name(path)} fits now: take it off PENDING"
        return
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines; split it by job"


def test_every_module_says_its_one_job_in_its_first_line():
    for path in MODULES:
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc, f"{_name(path)} has no docstring"
        first = doc.splitlines()[0]
        assert first.endswith((".", ":")) and len(first) > 20, f"{_name(path)}: {first!r}"


def test_the_entry_points_are_named_in_the_package():
    for name in wildrydes.__all__:
        assert getattr(wildrydes, name) is not None
    assert wildrydes.Kit is importlib.import_module("wildrydes.kit").Kit
    assert callable(wildrydes.up) and callable(wildrydes.verify_token)
    with pytest.raises(AttributeError):
        wildrydes.not_a_thing  # noqa: B018


def test_every_exception_the_kit_defines_is_a_wildrydes_error():
    classes = [getattr(errors, n) for n in errors.__all__ if isinstance(getattr(errors, n), type)]
    assert len(classes) == 9
    for cls in classes:
        assert issubclass(cls, errors.WildRydesError), cls
    from wildrydes import accounts, srp

    assert accounts.PasswordPolicyError is errors.PasswordPolicyError
    assert srp.SrpError is errors.SrpError and issubclass(srp.SrpError, ValueError)
    defined = [
        (path, node.name)
        for path in MODULES
        if "local" not in path.parts
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.ClassDef)
        and any(getattr(b, "id", "").endswith(("Error", "Exception")) for b in node.bases)
    ]
    assert all(path.name == "errors.py" for path, _ in defined), defined


def test_the_server_package_runs_without_the_kit_above_it():
    code = (
        "import sys, wildrydes.local.server; "
        "print(sorted(m for m in sys.modules if m.startswith(('wildrydes.tools', "
        "'wildrydes.notebook', 'wildrydes.launch', 'wildrydes.website', 'wildrydes.backend'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "[]"


def test_kit_has_a_typed_public_api():
    from wildrydes.kit import Kit, current

    hints = inspect.get_annotations(Kit, eval_str=True)
    assert set(hints) == {"backend", "bucket", "user_pool_id", "app_client_id"}
    assert inspect.signature(current).return_annotation in ("Kit", Kit)


def test_refused_arguments_are_wildrydes_errors_and_still_value_errors():
    from wildrydes import state, tokens

    with pytest.raises(errors.UsageError) as caught:
        state.save("local-test", {"password": "x"})
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, TypeError)
    with pytest.raises(errors.WildRydesError):
        tokens.refresh_token_summary("opaque", valid_for="")


def test_every_function_is_annotated():
    # mypy --strict lets __init__ go without "-> None"; the kit annotates every function.
    # wildrydes/local/ is rewritten on other branches (see pyproject.toml's mypy overrides).
    bare = []
    for path in MODULES:
        if "local" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
                params = [p for p in params if p is not None and p.arg not in ("self", "cls")]
                if node.returns is None or any(p.annotation is None for p in params):
                    bare.append(f"{_name(path)}.{node.name} (line {node.lineno})")
    assert bare == []
