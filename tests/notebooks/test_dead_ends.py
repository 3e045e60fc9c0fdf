"""No dead ends: the backend stops while a notebook is open, and each cell says so in one line.

A real kernel (the one papermill and JupyterLab use) runs notebook 05's own cells; the test then
stops the embedded backend, as `wildrydes local stop`, a crash or a closed laptop would, and
reads what the next cells show: for a kit call, a boto3 call in a cell and the local mailbox,
one error line naming the backend and how to start it (no traceback), and the red box beside
it; an unexpected error still gets a short traceback to report. Running the notebook's first
cells again starts the backend, and the same cell then works (nothing was lost).
"""

from __future__ import annotations

import json
from typing import Any

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

from wildrydes.local import process
from wildrydes.tools import batch

pytestmark = pytest.mark.notebooks

NOTEBOOK = batch.NOTEBOOKS_DIR / "05_sign_in_with_srp.ipynb"


def _cells() -> list[str]:
    return [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]


def run_cell(client: Any, code: str) -> list[dict[str, Any]]:
    """Execute ``code``; every output it produced (streams, displays, the error), in order."""
    msg_id = client.execute(code, allow_stdin=False)
    outputs = []
    while True:
        msg = client.get_iopub_msg(timeout=180)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append({"output_type": kind, **msg["content"]})
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return outputs


def the_error(outputs: list[dict[str, Any]]) -> dict[str, Any]:
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert len(errors) == 1, outputs
    return errors[0]


@pytest.fixture
def kernel(fresh_backend, run_password):
    manager, client = start_new_kernel(kernel_name=batch.KERNEL_NAME)
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_stopped_backend_is_one_line_in_every_cell_then_its_first_cells_start_it(kernel):
    imports, parameters, *_ = _cells()
    prerequisites = next(c for c in _cells() if c.startswith("ws = nb.workshop("))
    email = batch.unique_email()
    for code in (imports, parameters, f"email = {email!r}", prerequisites):
        assert not [o for o in run_cell(kernel, code) if o["output_type"] == "error"]

    assert process.stop() is True  # the learner's `wildrydes local stop`, or a crash

    cells = {
        "a kit call": "accounts.sign_in(kit, email, nb.password())",
        "a boto3 call in a cell": "cognito = kit.backend.client('cognito-idp')\n"
        "cognito.initiate_auth(ClientId=kit.app_client_id, AuthFlow='USER_SRP_AUTH', "
        "AuthParameters=srp.auth_parameters(accounts.username_for(email), srp.compute_A(2)))",
        "the local mailbox": "nb.latest_message(kit, email)",
    }
    for what, code in cells.items():
        outputs = run_cell(kernel, code)
        error = the_error(outputs)
        assert error["traceback"] == [] and error["ename"] == "BackendUnreachable", what
        line = error["evalue"]
        assert "\n" not in line, what  # one line: what happened, then the next step
        said, _, hint = line.partition(" Next step: ")
        assert said.startswith(
            f"The embedded backend at http://127.0.0.1:{process_port()} does not answer"
        ), what
        assert hint.startswith("start it with `wildrydes local start`"), what
        boxes = [o for o in outputs if o["output_type"] == "display_data"]
        assert boxes and "does not answer" in json.dumps(boxes), what

    # An error the kit does not expect keeps a short traceback, to report.
    lines = "".join(the_error(run_cell(kernel, "nb.short(object())"))["traceback"]).splitlines()
    assert lines[0].startswith("Unexpected error") and "Traceback" in lines[1]
    assert lines[-1].startswith("TypeError") and len(lines) < 20

    # The next step works: the notebook's first cells start the backend again; nothing is lost.
    assert not [o for o in run_cell(kernel, prerequisites) if o["output_type"] == "error"]
    outputs = run_cell(kernel, "accounts.sign_in(kit, email, nb.password())")
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert [o["output_type"] for o in outputs] == ["execute_result"]
    assert "Session(" in outputs[0]["data"]["text/plain"]


def process_port() -> int:
    import os

    return int(os.environ["WILDRYDES_LOCAL_PORT"])


def test_a_restarted_kernel_says_run_the_cells_above_in_one_line(kernel):
    """A kernel restart forgets every cell: the next cell names what is missing, in one line."""
    imports = _cells()[0]
    run_cell(kernel, imports)  # the first cell again, as after Restart Kernel
    outputs = run_cell(kernel, "kit.user_pool_id")
    error = the_error(outputs)
    assert error["ename"] == "NameError" and error["traceback"] == []
    assert error["evalue"] == (
        "kit is not defined in this kernel: the kernel was restarted, or the cell that defines "
        "it has not run yet. Next step: run the cells above first (Run > Run All Above Selected "
        "Cell), then this one."
    )
    assert "run the cells above first" in json.dumps(outputs[0])  # the box says the same
