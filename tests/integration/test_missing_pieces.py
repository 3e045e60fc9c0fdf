"""After a reset or a `down`, every command says what is missing and what makes it again.

Each test gets its own embedded backend and kit home (``fresh_backend``); the pool or the bucket
is removed behind the kit's back, the way a reset backend or the console would, and the CLI
must answer with one line naming the next step, never a botocore traceback.
"""

from __future__ import annotations

import re

import pytest

from wildrydes import launch, state
from wildrydes.backend import connect
from wildrydes.kit import current
from wildrydes.tools import cli, workspace

PASSWORD = "Gone!Rydes2024"


@pytest.fixture
def run(monkeypatch, capsys):
    def run(*args: str, expect: int) -> tuple[str, str]:
        monkeypatch.setenv("WILDRYDES_PASSWORD", PASSWORD)
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        assert code == expect, out + err
        assert "Traceback" not in out + err and PASSWORD not in out + err
        return out, err

    return run


@pytest.fixture
def pool_gone(fresh_backend):
    """`wildrydes up`, then the pool deleted behind the kit's back (its record remembers it)."""
    launch.up()
    kit = current()
    kit.backend.client("cognito-idp").delete_user_pool(UserPoolId=kit.user_pool_id)
    return kit


@pytest.fixture
def bucket_gone(fresh_backend):
    launch.up()
    kit = current()
    s3 = kit.backend.client("s3")
    for item in s3.list_objects_v2(Bucket=kit.bucket).get("Contents", []):
        s3.delete_object(Bucket=kit.bucket, Key=item["Key"])
    s3.delete_bucket(Bucket=kit.bucket)
    return kit


@pytest.mark.parametrize(
    "command",
    [
        ("register", "gone@example.com"),
        ("signin", "gone@example.com"),
        ("confirm", "gone@example.com", "--admin"),
    ],
)
def test_account_commands_say_the_pool_is_missing_and_what_makes_it(pool_gone, run, command):
    _, err = run(*command, expect=2)
    said, _, hint = err.partition(" Next step: ")
    assert "does not exist" in said  # Cognito's words first...
    assert "missing" in hint and "`wildrydes up` (or notebooks 01-03)" in hint  # ...then ours
    assert err.count("\n") == 1


def test_check_and_status_name_the_missing_pool(pool_gone, run):
    out, _ = run("check", expect=1)
    assert f"{pool_gone.user_pool_id} is missing" in out and "`wildrydes up`" in out
    out, _ = run("status", expect=1)
    assert re.search(r"✗ config\.js +waits for the user pool and app client", out), out


def test_down_and_check_after_the_bucket_is_gone(bucket_gone, run):
    out, _ = run("check", expect=1)
    assert f"the website bucket {bucket_gone.bucket} is missing" in out
    assert "`wildrydes module1` (or notebook 00)" in out
    out, _ = run("status", expect=1)
    assert f"bucket {bucket_gone.bucket} is missing" in out
    out, _ = run("down", expect=0)
    assert "is gone, so there is no config.js to reset" in out


def test_check_after_down_blames_the_missing_pool_not_config_js(fresh_backend, run):
    launch.up()
    run("down", expect=0)
    out, _ = run("check", expect=1)
    assert "because there is no user pool and app client to name" in out
    assert "there is no user pool and app client yet" in out
    assert "`wildrydes down` removed them" in out


def test_an_unknown_aws_refusal_is_one_line_with_a_next_step(fresh_backend, run, monkeypatch):
    launch.up()
    state.update(connect().state_key, user_pool_id="us-east-1_notapool")
    _, err = run("register", "x@example.com", expect=2)
    assert err.startswith("wildrydes: ") and "Next step:" in err and err.count("\n") == 1


def test_module1_makes_the_bucket_and_nothing_of_module_2(fresh_backend, run):
    out, _ = run("module1", expect=0)
    assert "wildrydes-local-website (created now)" in out
    assert "not yet: notebook 01 creates it" in out
    cognito = connect().client("cognito-idp")
    assert cognito.list_user_pools(MaxResults=60)["UserPools"] == []
    assert launch.module1().values["bucket"] == "wildrydes-local-website"  # idempotent
    out, _ = run("status", expect=1)
    assert "missing: run `wildrydes up` (or notebook 01)" in out


def test_workspace_copies_once_and_keeps_the_learners_copies(tmp_path, run):
    target = tmp_path / "ws"
    out, _ = run("workspace", "--dir", str(target), expect=0)
    names = sorted(p.name for p in workspace.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(p.name for p in target.glob("*.ipynb")) == names
    mine = target / names[1]
    mine.write_text("{}")
    out, _ = run("workspace", "--dir", str(target), expect=0)
    assert "kept as they are" in out and mine.read_text() == "{}"
    run("workspace", "--dir", str(target), "--refresh", names[1], expect=0)
    assert mine.read_bytes() == (workspace.NOTEBOOKS_DIR / names[1]).read_bytes()


def test_the_workspace_is_gitignored():
    ignored = (workspace.REPO / ".gitignore").read_text().split()
    assert "workspace/" in ignored


def test_cognitos_words_and_the_hint_are_two_sentences(fresh_backend, run):
    launch.up()
    run("register", "twice@example.com", expect=0)
    _, err = run("register", "twice@example.com", expect=2)
    assert err == (
        "wildrydes: User already exists. Next step: twice@example.com is registered "
        "already: sign in, or if it was never confirmed, resend the code (wildrydes "
        "confirm twice@example.com --resend).\n"
    )


def test_status_shows_pass_and_fail_as_words_and_colour(fresh_backend):
    launch.module1()
    page = launch.status()._repr_html_()
    assert "color:#cf222e;font-weight:bold'>✗ fail</span>" in page
    assert "❌" not in page and "✅" not in page
