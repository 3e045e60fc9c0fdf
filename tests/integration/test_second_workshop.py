"""A second `make workshop` says where the learner is and what is next (`wildrydes module1`,
what the Makefile runs), read from what exists: not "open 01" to a learner at 06."""

from __future__ import annotations

from wildrydes import accounts, kept_session, launch
from wildrydes.kit import current
from wildrydes.tools import cli

PASSWORD = "Second!Run2024"


def _next(capsys) -> tuple[str, str]:
    assert cli.main(["module1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    where = next(line for line in lines if "where you are" in line)
    then = next(line for line in lines if line.strip().startswith("next"))
    return where, then


def test_each_step_done_moves_the_next_step_on(fresh_backend, capsys):
    assert "notebooks/01_create_user_pool" in _next(capsys)[1]
    launch.up()  # notebooks 01-03
    where, then = _next(capsys)
    assert "notebook 03" in where and "notebooks/04_register_and_verify" in then
    kit = current()
    accounts.register(kit, "rider@example.com", PASSWORD)
    accounts.confirm(kit, "rider@example.com", from_mailbox=True)
    assert "notebooks/05_sign_in_with_srp" in _next(capsys)[1]
    kept_session.keep(kit, accounts.sign_in(kit, "rider@example.com", PASSWORD))
    where, then = _next(capsys)
    assert "notebook 05" in where and "notebooks/06_decode_the_auth_token" in then
