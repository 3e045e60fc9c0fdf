"""One table of next steps and one list of password symbols, read by Python, forms and website."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wildrydes import messages, policy
from wildrydes.errors import NEXT, AuthError, joined
from wildrydes.tools import website_words

REPO = Path(__file__).resolve().parents[2]
SITE_SCRIPTS = REPO / "website" / "js"

# Amazon Cognito developer guide, "Adding user pool password requirements"
# (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html):
# the special characters a password may hold and a policy that requires a symbol counts, as the
# guide lists them (the space counts too unless it leads or trails; see policy.py).
COGNITO_SYMBOLS = "^ $ * . [ ] { } ( ) ? \" ! @ # % & / \\ , > < ' : ; | _ ~ ` = + -"


def test_the_password_symbols_are_cognitos_documented_list():
    assert frozenset(COGNITO_SYMBOLS.split(" ")) == policy.SYMBOLS
    assert len(COGNITO_SYMBOLS.split(" ")) == 32


@pytest.mark.parametrize("symbol", sorted(COGNITO_SYMBOLS.split(" ")))
def test_each_documented_symbol_meets_the_symbol_rule(symbol):
    rules = dict(policy.check_rules(f"Abcdefg1{symbol}", policy.PasswordPolicy()))
    assert rules["a symbol"], symbol


def test_an_inner_space_counts_as_a_symbol_and_an_outer_one_is_a_refusal():
    rules = dict(policy.check_rules("Abc defg1", policy.PasswordPolicy()))
    assert rules["a symbol"]
    assert policy.NO_OUTER_SPACE in policy.missing_rules(" Abcdefg1!", policy.PasswordPolicy())


def test_the_committed_website_words_are_the_generated_ones():
    assert website_words.WORDS_FILE.read_text() == website_words.script(), (
        "website/js/kit-words.js is stale: run `make website-words`"
    )
    assert website_words.main(["--check"]) == 0


def test_a_stale_website_words_file_is_caught(tmp_path):
    stale = tmp_path / "kit-words.js"
    stale.write_text(website_words.script().replace("Sign in instead", "Log in instead"))
    assert website_words.main(["--check", "--output", str(stale)]) == 1


def test_the_website_reads_symbols_rules_and_hints_from_the_generated_file():
    sources = {path: path.read_text() for path in SITE_SCRIPTS.rglob("*.js")}
    readers = [p for p, text in sources.items() if "from '../kit-words.js'" in text]
    assert sorted(p.relative_to(SITE_SCRIPTS).as_posix() for p in readers) == [
        "auth/errors.js",
        "auth/password.js",
    ]
    assert "WORDS.symbols" in sources[SITE_SCRIPTS / "auth" / "password.js"]
    assert "WORDS.nextSteps" in sources[SITE_SCRIPTS / "auth" / "errors.js"]
    for path, script in sources.items():
        if path.name in ("kit-words.js", "config.js") or "vendor" in path.parts:
            continue
        name = path.relative_to(SITE_SCRIPTS).as_posix()
        assert "'^$*" not in script and '!\\"#$%' not in script, f"{name}: a second symbol list"
        for (_step, _code), row in messages.NEXT_STEPS.items():
            if row.website:  # the sentence, before any link, lives in the table only
                first = re.split(r"[\[`{]", row.website)[0].strip()
                assert first not in script, f"{name} repeats {first!r}"
    for page in ("index", "register", "verify", "signin", "ride"):
        html = (REPO / "website" / f"{page}.html").read_text()
        # config.js (a classic script the kit writes) runs before the page's module.
        assert html.index('src="js/config.js" defer') < html.index(
            f'<script type="module" src="js/pages/{page}.js">'
        ), page


def test_a_step_row_wins_over_any_step_and_placeholders_are_filled():
    said = messages.next_step("sign-in", "NotAuthorizedException", email="r@example.com")
    assert said.startswith("Check the password for r@example.com")
    assert "verified already" in messages.next_step(
        "confirm", "NotAuthorizedException", "form", email="r@example.com"
    )
    # no row for this step: the row for any step
    assert "too many tries" in messages.next_step("register", "TooManyRequestsException", "website")


def test_a_lockout_is_told_as_a_lockout_not_as_a_wrong_password():
    # Developer Guide, lockout behavior: the lockout answers NotAuthorizedException "Password
    # attempts exceeded", starts at 1 s after five failures and doubles up to about 15 minutes.
    key = messages.row_code("NotAuthorizedException", "Password attempts exceeded")
    assert key == "NotAuthorizedException.attempts-exceeded"
    assert messages.row_code("NotAuthorizedException", "Incorrect username or password.") == (
        "NotAuthorizedException"
    )
    for surface in ("terminal", "form", "website"):
        words = messages.next_step("sign-in", key, surface, email="r@example.com")
        assert "15 minutes" in words and "1 second" in words, surface
        assert "case-sensitive" not in words and "a minute" not in words, surface
    for code in ("LimitExceededException", "TooManyRequestsException"):
        assert "a minute" not in messages.next_step("sign-in", code, "website")


def test_reset_required_points_to_the_way_out_not_to_the_console_reset():
    # API Reference, AdminResetUserPassword: the reset *sets* RESET_REQUIRED; ForgotPassword
    # with the code, or AdminSetUserPassword, is the way out.
    words = messages.next_step("sign-in", "PasswordResetRequiredException", email="r@x.co")
    assert "admin-set-user-password --permanent" in words and "ConfirmForgotPassword" in words
    assert "console" not in words


def test_a_wrong_code_is_not_said_to_be_an_old_one():
    # Cognito documents no rule about older codes after a resend (only the kit's backend has
    # one), so CodeMismatchException is told as a wrong code.
    for surface in ("terminal", "form", "website"):
        words = messages.next_step("confirm", "CodeMismatchException", surface, email="r@x.co")
        assert "not the newest" not in words and "only the newest" not in words, surface


def test_a_form_without_its_own_words_gets_the_terminals():
    assert messages.next_step("sign-in", "PasswordResetRequiredException", "form", email="x") == (
        messages.next_step("sign-in", "PasswordResetRequiredException", email="x")
    )
    assert messages.next_step("sign-in", "NoSuchThingException") == ""
    assert "wildrydes status" in messages.next_step("sign-in", "NoSuchThing", "terminal", True)


def test_gone_resources_say_why_for_the_backend_in_use(monkeypatch):
    monkeypatch.setenv("WILDRYDES_BACKEND", "local")
    assert "embedded backend was reset" in messages.next_step("*", "NoSuchBucket")
    monkeypatch.setenv("WILDRYDES_BACKEND", "aws")
    assert "it was deleted" in messages.next_step("*", "NoSuchBucket")


def test_errors_carry_their_parts_and_join_them_one_way():
    error = AuthError(
        "User already exists", hint="sign in instead.", code="UsernameExistsException"
    )
    assert (error.said, error.hint, error.code) == (
        "User already exists",
        "sign in instead.",
        "UsernameExistsException",
    )
    assert str(error) == f"User already exists. {NEXT} sign in instead."
    assert str(AuthError("No hint here")) == "No hint here" == joined("No hint here", "")


def test_no_module_recovers_a_next_step_by_parsing_an_errors_text():
    package = REPO / "wildrydes"
    offenders = [
        path.relative_to(REPO)
        for path in package.rglob("*.py")
        if re.search(r"str\((e|error)\)\.partition|\.partition\(f?\" \{?NEXT", path.read_text())
    ]
    assert offenders == []
