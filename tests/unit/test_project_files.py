"""The project's own files agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parents[2]


def test_environment_yml_installs_what_pyproject_declares():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    env = (REPO / "environment.yml").read_text()
    python_floor = re.search(r">=\s*([\d.]+)", project["requires-python"]).group(1)
    assert f"python>={python_floor}" in env
    assert re.search(r"^\s*-\s*nodejs", env, re.M), "the website SDK needs Node.js"
    # The kit itself, with the same extras the Makefile installs.
    assert '-e ".[test]"' in env
    makefile = (REPO / "Makefile").read_text()
    assert 'pip install --quiet -e ".[test]"' in makefile


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|shell)?\n(.*?)```", readme, re.S)
    assert blocks, "README has no command block"
    lines = [line.split("#", 1)[0].strip() for line in blocks[0].splitlines()]
    first_commands = [line for line in lines if line]
    assert first_commands == ["make workshop", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()
