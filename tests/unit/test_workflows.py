"""The GitHub workflow runs what the README says, on the Pythons pyproject.toml supports."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = yaml.safe_load((REPO / ".github/workflows/test.yml").read_text())


def test_make_test_runs_on_every_supported_python():
    pyproject = (REPO / "pyproject.toml").read_text()  # tomllib is 3.11+: read the one line
    lowest = re.search(r'^requires-python = ">=3\.(\d+)"$', pyproject, re.M)
    assert lowest, "requires-python is not a plain lower bound"
    job = WORKFLOW["jobs"]["make-test"]
    versions = job["strategy"]["matrix"]["python"]
    assert versions == [f"3.{minor}" for minor in range(int(lowest.group(1)), 14)]
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(run.startswith("make test") for run in runs), runs


def test_the_aws_job_uses_oidc_and_says_when_it_is_skipped():
    job = WORKFLOW["jobs"]["aws-notebooks"]
    assert job["permissions"]["id-token"] == "write"
    first = job["steps"][0]
    assert "::notice" in first["run"] and "Skipped" in first["run"]
    assert "GITHUB_STEP_SUMMARY" in first["run"]
    for step in job["steps"][1:]:
        assert "steps.role.outputs.configured == 'true'" in step["if"], step
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("aws-actions/configure-aws-credentials") for u in uses)
