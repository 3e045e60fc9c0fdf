"""`wildrydes register / confirm / signin / decode / check`, run as a learner runs them."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import requests
import tests_support

from wildrydes import accounts, launch, website
from wildrydes.errors import AuthError
from wildrydes.kit import current
from wildrydes.tools import cli
from wildrydes.validation import check

PASSWORD = "Cli!Rydes2024"  # meets the workshop policy
EXPECTED_CHECKS = [
    "config.js",
    "region",
    "user pool",
    "app client",
    "clock",
    "user",
    "sign-in",
    "token iat",
]


def new_email() -> str:
    return f"cli-{uuid.uuid4().hex[:12]}@example.com"


def wildrydes(
    *args: str, password: str | None = PASSWORD, stdin: str = "", expect: int | None = 0
) -> subprocess.CompletedProcess:
    """Run the CLI in a new process; the password is never in what it prints."""
    env = dict(os.environ)
    env.pop("WILDRYDES_PASSWORD", None)
    if password is not None:
        env["WILDRYDES_PASSWORD"] = password
    result = subprocess.run(
        [sys.executable, "-m", "wildrydes", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    if expect is not None:
        assert result.returncode == expect, result.stdout + result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    if password:
        assert password not in result.stdout + result.stderr
    return result


@pytest.fixture
def run(monkeypatch, capsys):
    """Run the CLI in this process (cheaper than a new one); same checks as ``wildrydes``."""

    def run(*args: str, password: str | None = PASSWORD, expect: int = 0) -> tuple[str, str]:
        if password is None:
            monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("WILDRYDES_PASSWORD", password)
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        assert code == expect, out + err
        assert PASSWORD not in out + err and (not password or password not in out + err)
        return out, err

    return run


@pytest.fixture
def kit(launched):
    return current()


@pytest.fixture(scope="module")
def rider(launched):
    """A confirmed user, made through the package (the CLI is tested below)."""
    kit = current()
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, admin=True)
    return email


@pytest.fixture(scope="module")
def signed_in(rider):
    """`wildrydes signin --json` output for the rider."""
    return json.loads(wildrydes("signin", rider, "--json").stdout)


# -- register, confirm, signin ----------------------------------------------------------------
def test_register_confirm_from_the_mailbox_and_sign_in(kit):
    email = new_email()
    out = wildrydes("register", email).stdout
    assert f"Registered {email}" in out and f"wildrydes confirm {email} --mailbox" in out
    assert "confirmed" in wildrydes("confirm", email, "--mailbox").stdout
    out = wildrydes("signin", email).stdout
    assert "Signed in as " + accounts.username_for(email) in out
    token = out.strip().splitlines()[-1]
    assert accounts.verify_token(kit, token, "id").ok


def test_signin_json_has_no_refresh_token(signed_in):
    assert set(signed_in) == {"username", "id_token", "access_token", "expires_in"}
    assert signed_in["expires_in"] == 3600
    assert "refresh" not in json.dumps(signed_in).lower()


def test_confirm_as_admin_and_resend(kit, run):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    assert "A new code for " + email in run("confirm", email, "--resend")[0]
    assert "by an administrator" in run("confirm", email, "--admin")[0]
    assert "confirmed already" in run("confirm", email, "--admin", expect=2)[1]


def test_wrong_code_says_what_to_do(kit):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    err = wildrydes("confirm", email, "--code", "000000x", expect=2).stderr
    assert "newest" in err and f"wildrydes confirm {email} --resend" in err


def test_confirm_needs_exactly_one_way(rider, run, capsys):
    for args, words in (
        (("confirm", rider), "one of the arguments --code --mailbox --admin --resend is required"),
        (("confirm", rider, "--admin", "--mailbox"), "not allowed with"),
    ):
        with pytest.raises(SystemExit) as exit_:
            run(*args)
        assert exit_.value.code == 2 and words in capsys.readouterr().err


def test_weak_password_lists_every_missing_rule_without_echoing_it():
    weak = "ponies"
    err = wildrydes("register", new_email(), password=weak, expect=2).stderr
    assert err.strip().endswith(
        "Next step: the password still needs at least 8 characters, "
        "an uppercase letter, a number and a symbol."
    )
    assert weak not in err


def test_wrong_password_and_unknown_user(rider):
    err = wildrydes("signin", rider, password="Wrong!2024xQ", expect=2).stderr
    assert "Incorrect username or password" in err and "case-sensitive" in err
    err = wildrydes("signin", new_email(), expect=2).stderr
    assert "register" in err


def test_unconfirmed_sign_in_says_confirm_first(kit, run):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    assert f"Confirm {email} first" in run("signin", email, expect=2)[1]


def test_no_password_and_no_terminal_says_how_to_give_one(rider):
    result = wildrydes("signin", rider, password=None, expect=2)
    assert "WILDRYDES_PASSWORD" in result.stderr and result.stdout == ""


def test_the_password_is_never_an_argument_nor_echoed_when_given_as_one(rider):
    for args in (("signin", rider, PASSWORD), ("register", rider, "--password", PASSWORD)):
        err = wildrydes(*args, expect=2).stderr  # asserts the password is not printed
        assert "never an argument" in err and "WILDRYDES_PASSWORD" in err


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_hidden_prompt_asks_twice_when_registering(kit, monkeypatch, capsys):
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    # A second typing that does not match is said so, and both are asked for again.
    typed = iter([PASSWORD, PASSWORD + "x", PASSWORD, PASSWORD])
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(typed))
    email = new_email()
    assert cli.main(["register", email]) == 0
    assert prompts == ["Password: ", "Password again: "] * 2
    out, err = capsys.readouterr()
    assert "do not match" in err and PASSWORD not in out + err
    typed = iter([PASSWORD])
    assert cli.main(["confirm", email, "--admin"]) == 0
    assert cli.main(["signin", email, "--json"]) == 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err and "refresh" not in out.lower()


def test_weak_passwords_at_the_register_prompt_show_the_checklist_and_ask_again(
    kit, monkeypatch, capsys
):
    """Two weak passwords, then a good one: each refusal lists the rules, the good one is the
    one registered (it signs in), and neither weak one is kept or printed."""
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    weak = ["weakpass", "Weakpass1"]
    typed = iter([*weak, PASSWORD, PASSWORD])
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(typed))
    email = new_email()
    assert cli.main(["register", email]) == 0
    assert prompts == [
        "Password: ",
        "Another password, meeting every rule: ",
        "Another password, meeting every rule: ",
        "Password again: ",
    ]
    out, err = capsys.readouterr()
    assert err.count("misses a rule of the pool's policy") == 2
    first, second = err.split("misses a rule")[1:3]
    assert "✗ an uppercase letter" in first and "✗ a number" in first
    assert "✓ an uppercase letter" in second and "✗ a symbol" in second
    for secret_ in (*weak, PASSWORD):
        assert secret_ not in out + err
    accounts.confirm(kit, email, admin=True)
    assert accounts.sign_in(kit, email, PASSWORD).id_token
    with pytest.raises(AuthError):
        accounts.sign_in(kit, email, weak[1])


# -- decode ------------------------------------------------------------------------------------
def test_decode_a_good_token_from_the_argument_and_from_stdin(signed_in):
    token = signed_in["id_token"]
    out = wildrydes("decode", token).stdout
    assert "Claims (payload)" in out and "cognito:username" in out
    assert "token is valid: all 8 checks passed" in out
    assert "token is valid" in wildrydes("decode", "-", stdin=token + "\n").stdout
    assert "token is valid" in wildrydes("decode", stdin=signed_in["access_token"]).stdout


def test_decode_a_tampered_token_names_the_failing_check(signed_in):
    header, payload, signature = signed_in["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = "someone.else@example.com"
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    result = wildrydes("decode", f"{header}.{payload}.{signature}", expect=1)
    assert "✗ signature" in result.stdout and "someone.else@example.com" in result.stdout
    assert "✗ Verdict: FORGED or damaged" in result.stdout and result.stderr == ""
    assert result.stdout.count("signature does not match") == 1


def test_decode_garbage_fails_the_format_check(run):
    result = wildrydes("decode", "not-a-token", expect=1)
    assert "✗ format" in result.stdout and "not a JWT" in result.stdout
    assert "✗ Verdict: NOT a JWT" in run("decode", "", expect=1)[0]


def test_decode_access_token_where_an_id_token_is_expected(signed_in, run):
    out = run("decode", "--use", "id", signed_in["access_token"], expect=1)[0]
    assert "✗ token_use" in out and "an id token is expected" in out


def test_decode_json(signed_in, run):
    data = json.loads(run("decode", "--json", signed_in["id_token"])[0])
    assert data["ok"] is True and data["claims"]["token_use"] == "id"
    assert [c["name"] for c in data["checks"]][0] == "format"
    data = json.loads(run("decode", "--json", "x.y", expect=1)[0])
    assert data["ok"] is False and data["header"] is None


# -- check -------------------------------------------------------------------------------------
def test_check_passes_for_a_confirmed_user(rider):
    report = check(email=rider, password=PASSWORD)
    assert report.ok, str(report)
    assert report.names == EXPECTED_CHECKS
    assert PASSWORD not in str(report) + report._repr_html_() + json.dumps(report.as_json())


def test_cli_check_json(rider, run):
    data = json.loads(wildrydes("check", "--email", rider, "--json").stdout)
    assert data["ok"] is True and sorted(data["checks"]) == sorted(EXPECTED_CHECKS)
    data = json.loads(run("check", "--email", rider, "--json", password=None)[0])
    assert "sign-in" not in data["checks"] and data["ok"] is True  # no password: no sign-in


def test_cli_check_unconfirmed_user_exits_1(kit):
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    result = wildrydes("check", "--email", email, expect=1)
    assert "✗ user" in result.stdout and "UNCONFIRMED" in result.stdout
    assert f"wildrydes confirm {email} --code" in result.stdout


def test_check_unknown_user(launched):
    email = new_email()
    report = check(email=email, password=PASSWORD)
    ok, detail = report["user"].ok, report["user"].message
    assert not ok and "register" in detail
    assert "sign-in" not in report


def test_check_wrong_password(rider):
    report = check(email=rider, password="Wrong!2024xQ")
    ok, detail = report["sign-in"].ok, report["sign-in"].message
    assert not ok and "Incorrect username or password" in detail


def _with_config(kit, **changes):
    s3 = kit.backend.client("s3")
    original = website.read_config_js(s3, kit.bucket)
    fields = {**original.__dict__, **changes}
    website.put_config_js(s3, kit.bucket, website.SiteConfig(**fields))
    return original


def test_check_config_js_region_differs_from_the_pool_id(kit):
    original = _with_config(kit, region="eu-west-1")
    try:
        report = check()
        ok, detail = report["region"].ok, report["region"].message
        assert not ok and "'eu-west-1'" in detail and "us-east-1" in detail
        assert report["config.js"].ok  # ids still match
        assert not report.ok
    finally:
        website.put_config_js(kit.backend.client("s3"), kit.bucket, original)


def test_check_config_js_names_another_client_with_a_secret(kit, run):
    cognito = kit.backend.client("cognito-idp")
    secret = cognito.create_user_pool_client(
        UserPoolId=kit.user_pool_id,
        ClientName="LearnerClient",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    original = _with_config(kit, client_id=secret)
    try:
        report = check()
        ok, detail = report["config.js"].ok, report["config.js"].message
        assert not ok and f"userPoolClientId is {secret!r}" in detail
        ok, detail = report["app client"].ok, report["app client"].message
        assert not ok and "client secret" in detail and "ALLOW_USER_SRP_AUTH" in detail
        assert "✗ app client" in run("check", expect=1)[0]
    finally:
        website.put_config_js(kit.backend.client("s3"), kit.bucket, original)
        cognito.delete_user_pool_client(UserPoolId=kit.user_pool_id, ClientId=secret)


def test_check_config_js_names_a_pool_that_does_not_exist(kit):
    original = _with_config(kit, user_pool_id="us-east-1_Missing1")
    try:
        report = check()
        assert not report["config.js"].ok
        ok, detail = report["user pool"].ok, report["user pool"].message
        assert not ok and "us-east-1_Missing1" in detail and "wildrydes up" in detail
        assert "app client" not in report
    finally:
        website.put_config_js(kit.backend.client("s3"), kit.bucket, original)


def test_check_this_machines_clock_is_off(rider):
    report = check(email=rider, password=PASSWORD, clock=lambda: time.time() + 300)
    ok, detail = report["clock"].ok, report["clock"].message
    assert not ok and "s ahead of Cognito's" in detail and "NTP" in detail
    ok, detail = report["token iat"].ok, report["token iat"].message
    assert not ok and "ahead of" in detail
    assert report["user"].ok


def test_check_token_iat_far_from_this_machines_clock(fresh_backend):
    launch.up()
    kit = current()
    email = new_email()
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, admin=True)
    tests_support.advance_clock(kit.backend.endpoint_url, 600)
    report = check(email=email, password=PASSWORD)
    assert report["clock"].ok  # the HTTP Date header is the real time
    ok, detail = report["token iat"].ok, report["token iat"].message
    assert not ok and "behind" in detail
    # With no config.js the pool and client still come from what `up` recorded.
    kit.backend.client("s3").delete_object(Bucket=kit.bucket, Key=website.CONFIG_KEY)
    report = check()
    ok, detail = report["config.js"].ok, report["config.js"].message
    assert not ok and "no js/config.js" in detail and "wildrydes up" in detail
    assert report["user pool"].ok and report["app client"].ok


def test_confirm_from_a_failing_mailbox_prints_one_line(kit, run, monkeypatch):
    email = new_email()
    accounts.register(kit, email, PASSWORD)

    def failing(url, **_):
        response = requests.Response()
        response.status_code, response.reason, response.url = 500, "Internal Server Error", url
        return response

    monkeypatch.setattr(requests, "get", failing)  # mailbox imports it when it reads
    out, err = run("confirm", email, "--mailbox", expect=2)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "mailbox" in err and "500" in err and "--code CODE" in err


def test_a_command_pauses_the_collector_and_gives_it_back(launched):
    """Issue 23: a command runs without the cyclic collector and leaves it as it found it."""
    import gc

    seen = []
    original = launch.status

    def status(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    assert gc.isenabled()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(launch, "status", status)
        assert cli.main(["status", "--json"]) == 0
    assert seen == [False] and gc.isenabled()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert gc.isenabled()


def test_the_backend_runs_with_the_collector(local_backend):
    """`python -m wildrydes local serve` starts with the collector paused, as every command
    does, and turns it back on once built: a process that lives long collects its garbage."""
    from wildrydes.local import records

    assert records.health(local_backend.port)["collector"] is True
