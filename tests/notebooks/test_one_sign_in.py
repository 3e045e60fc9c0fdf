"""One sign-in per learner session, as papermill runs the notebooks: 05 signs in (with the
headless password) and keeps the session; 06, 07 and 08 then run with no password at all, so a
prompt would fail the run (papermill has no stdin)."""

from __future__ import annotations

import stat

import pytest
from notebook_checks import assert_no_secrets
from test_notebook_runs import CHECKS, by_name

from wildrydes import kept_session
from wildrydes.home import kit_home
from wildrydes.notebook import read_results
from wildrydes.tools import batch

pytestmark = pytest.mark.notebooks


def test_06_to_08_use_the_session_05_kept(fresh_backend, run_notebooks, monkeypatch, tmp_path):
    ctx = {"email": batch.unique_email(), "endpoint_url": fresh_backend.url}
    password = batch.make_password()
    monkeypatch.setenv("WILDRYDES_PASSWORD", password)
    [signed_in] = run_notebooks([by_name("05_sign_in_with_srp")], email=ctx["email"])
    session_file = kit_home() / kept_session.FILE_NAME
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    assert "refresh_token" in session_file.read_text()

    monkeypatch.delenv("WILDRYDES_PASSWORD")
    names = ["06_decode_the_auth_token", "07_validate_in_the_browser", "08_instructor_demos"]
    outcomes = batch.run_notebooks(
        [by_name(n) for n in names], tmp_path / "later", {"email": ctx["email"]}
    )
    assert [o.error for o in outcomes if not o.ok] == []
    for outcome in [signed_in, *outcomes]:
        assert_no_secrets(outcome.output, password)
        CHECKS[outcome.notebook](read_results(outcome.output), ctx)
    for outcome in outcomes[:2]:
        assert "the session kept since notebook 05" in outcome.output.read_text()
    # 08 ends with a global sign-out, which ends the kept session too.
    assert not session_file.exists()
