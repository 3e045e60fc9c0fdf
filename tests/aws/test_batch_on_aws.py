"""``make run`` (python -m wildrydes.tools.batch) with the aws backend, against the remote."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import remote_aws
from tests_support import free_port

pytestmark = [pytest.mark.aws, pytest.mark.notebooks]


def test_every_notebook_runs_on_the_aws_backend(remote, tmp_path):
    if remote is None:
        pytest.skip("on a real account run `WILDRYDES_BACKEND=aws make run` yourself")
    if remote.engine == "moto":
        pytest.skip(
            "notebooks 05 to 08 sign in with SRP, which moto's stub challenge cannot complete "
            "(the tier's flows are expected failures there one by one)"
        )
    learner_home, out = tmp_path / "learner-home", tmp_path / "runs"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "WILDRYDES_"))}
    env.update({k: v for k, v in remote.learner_environment(learner_home).items() if v})
    # A port nothing listens on: were the kit to start or call a local backend, it would show.
    env["WILDRYDES_LOCAL_PORT"] = str(free_port())
    # The remote (the embedded backend) serves no API Gateway, so notebook 09's `api up` on
    # aws cannot run here; what it builds is tested against moto's server
    # (test_ride_api_on_api_gateway.py), and 09 itself on the local backend.
    done = subprocess.run(
        [sys.executable, "-m", "wildrydes.tools.batch", "--output", str(out), "--skip", "09"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    total = re.search(r"total \(wall\)\s+(\d+)/(\d+)", done.stdout)
    assert total and total.group(1) == total.group(2) and int(total.group(2)) >= 9, done.stdout
    assert "FAILED" not in done.stdout
    assert remote_aws.nothing_local_for_the_learner(learner_home) == []
    # Notebook 00 shows the endpoint it ran against: the remote's, on the aws backend.
    setup = (out / "00_setup.ipynb").read_text()
    assert remote.url in setup, "notebook 00 does not show the remote's endpoint"
    assert "<code>aws</code>" in setup, "notebook 00 did not run on the aws backend"
