"""``python -m wildrydes.tools.batch`` on small notebooks: order, summary, exit code, parameters."""

from __future__ import annotations

import os

import nbformat
import pytest

from wildrydes.policy import PasswordPolicy, check_rules
from wildrydes.tools import batch

pytestmark = pytest.mark.notebooks


def write(folder, name: str, *cells: str, parameters: str = "email = None") -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_code_cell("import os"),
        params,
        *(nbformat.v4.new_code_cell(c) for c in cells),
    ]
    nbformat.write(nb, folder / f"{name}.ipynb")


def test_make_password_meets_the_workshop_policy_and_differs_each_time():
    passwords = {batch.make_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert all(ok for _, ok in check_rules(password, PasswordPolicy())), password


def test_batch_runs_in_order_reports_failures_and_exits_non_zero(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    notebooks, out = tmp_path / "notebooks", tmp_path / "out"
    notebooks.mkdir()
    write(
        notebooks,
        "01_first",
        "assert email.startswith('batch-') and email.endswith('@example.com')",
        "assert len(os.environ['WILDRYDES_PASSWORD']) == 20",
        "open('order.txt', 'a').write('01 ')",
    )
    write(notebooks, "02_fails", "raise ValueError('boom')")
    write(
        notebooks,
        "03_after_a_failure",
        "open('order.txt', 'a').write('03 ')",
        "assert screenshots is False",
        parameters="email = None\nscreenshots = True",
    )

    code = batch.main(
        ["--notebooks", str(notebooks), "--output", str(out), "--shared", "--no-browser"]
    )

    printed = capsys.readouterr().out
    assert code == 1
    assert "02_fails: In [4]: ValueError: boom" in printed  # as the executed notebook shows it
    lines = {
        line.split()[0]: line.split()
        for line in printed.splitlines()
        if line.startswith(("01_", "02_", "03_"))
    }
    assert lines["01_first"][1] == "ok" and lines["02_fails"][1] == "FAILED"
    assert lines["03_after_a_failure"][1] == "ok", "later notebooks still run"
    assert "total (wall)" in printed and "2/3" in printed
    assert (notebooks / "order.txt").read_text() == "01 03 ", "in order, in the notebooks' folder"
    assert sorted(p.name for p in out.iterdir()) == [
        "01_first.ipynb",
        "02_fails.ipynb",
        "03_after_a_failure.ipynb",
    ]
    injected = [
        c.source
        for c in nbformat.read(out / "01_first.ipynb", as_version=4).cells
        if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert "email" in injected[0] and "screenshots" not in injected[0]
    assert "WILDRYDES_PASSWORD" not in os.environ, "the made-up password is gone"


def test_batch_with_nothing_to_run_says_so(tmp_path, capsys):
    assert batch.main(["--notebooks", str(tmp_path), "--shared"]) == 2
    assert "no notebooks" in capsys.readouterr().err


def test_notebooks_in_picks_by_number_prefix():
    names = [p.stem for p in batch.notebooks_in(batch.NOTEBOOKS_DIR, ["00", "05"])]
    assert names == ["00_setup", "05_sign_in_with_srp"]


def test_batch_skips_what_it_is_told_to(capsys):
    """--skip leaves a notebook out (the aws tier skips 09 on an endpoint without API Gateway)."""
    assert batch.main(["09", "--skip", "09", "--shared"]) == 2
    assert "no notebooks" in capsys.readouterr().err
