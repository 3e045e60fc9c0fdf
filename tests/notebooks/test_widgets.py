"""The notebook forms and the token workbench, driven headless: set values, click, read."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from wildrydes import accounts, mailbox, tokens
from wildrydes import notebook as nb
from wildrydes.kit import current
from wildrydes.tools import batch


@pytest.fixture
def kit(launched):
    return current()


@pytest.fixture
def session(kit):
    email, password = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, password)
    return accounts.sign_in(kit, email, password)


def ticks(form: nb.RegistrationForm) -> list[str]:
    """The checklist in rule order, as ✅ (has) / ⬜ (needs): text and colour on the page."""
    return [
        "✅" if word == "has" else "⬜"
        for word in re.findall(r"[✓✗] (has|needs)</span>", form.checklist.value)
    ]


def test_registration_checklist_follows_the_typing(kit):
    form = nb.registration_form(kit, "x@example.com")
    assert ticks(form) == ["⬜"] * 5 and "at least 8 characters" in form.checklist.value
    form.password.value = "abc"
    assert ticks(form) == ["⬜", "⬜", "✅", "⬜", "⬜"]
    form.password.value = "abcDEF12"
    assert ticks(form) == ["✅", "✅", "✅", "✅", "⬜"]
    form.password.value = "abcDEF12!"
    assert ticks(form) == ["✅"] * 5
    form.confirm.value = "abcDEF12?"
    assert ticks(form) == ["✅"] * 5 + ["⬜"] and "both passwords match" in form.checklist.value
    form.confirm.value = "abcDEF12!"
    assert ticks(form) == ["✅"] * 6


def test_register_then_verify_with_the_local_mailbox(kit):
    email, password = batch.unique_email(), batch.make_password()
    form = nb.registration_form(kit, email)
    form.password.value, form.confirm.value = password, password + "x"
    form.button.click()
    assert "PasswordMismatch" in form.status.value and form.registration is None

    form.confirm.value = password
    form.button.click()
    assert "Registered" in form.status.value and accounts.username_for(email) in form.status.value
    assert form.registration.email == email
    assert form.password.value == form.confirm.value == "", "typed passwords are cleared"
    assert password not in form.status.value

    again = nb.registration_form(kit, email)
    again.password.value = again.confirm.value = password
    again.button.click()
    assert "UsernameExistsException" in again.status.value

    verify = nb.verify_form(kit, email)
    assert verify.mailbox in verify.children[3].children, "local backend: mailbox button shown"
    verify.code.value = "000000"
    verify.button.click()
    assert "CodeMismatchException" in verify.status.value
    verify.mailbox.click()
    assert verify.code.value == mailbox.latest_code(kit.backend, email)
    assert "local mailbox" in verify.status.value
    verify.button.click()
    assert "is confirmed" in verify.status.value
    assert nb.user_status(kit, email)["status"] == "CONFIRMED"


def test_resend_sends_a_new_code(kit):
    email = batch.unique_email()
    accounts.register(kit, email, batch.make_password())
    first = mailbox.latest_code(kit.backend, email)
    verify = nb.verify_form(kit, email)
    verify.code.value = first
    verify.resend.click()
    assert "new code" in verify.status.value and verify.code.value == ""
    assert len([m for m in mailbox.messages(kit.backend) if m["to"] == email]) == 2


def test_sign_in_form_refuses_a_wrong_password_then_signs_in(kit):
    email, password = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, password)
    got = []
    form = nb.sign_in_form(kit, email, on_session=got.append)
    form.password.value = password + "wrong"
    form.button.click()
    assert "NotAuthorizedException" in form.status.value and form.session is None
    assert form.password.value == "" and got == []

    form.password.value = password
    form.button.click()
    assert "Signed in with SRP" in form.status.value
    assert got == [form.session] and form.session.username == accounts.username_for(email)
    assert form.password.value == ""
    assert password not in form.status.value
    assert form.session.refresh_token not in form.status.value


def test_token_workbench_shows_claims_of_the_picked_token_and_counts_down(session):
    bench = nb.token_workbench(None, live=False)
    assert "Sign in" in bench.claims.value
    bench.set_session(session)
    assert "<code>email</code>" in bench.claims.value
    assert "<code>aud</code>" in bench.claims.value
    bench.picker.value = "access"
    assert "<code>client_id</code>" in bench.claims.value
    assert "<code>email</code>" not in bench.claims.value
    assert session.refresh_token not in bench.claims.value

    exp = tokens.decode(session.access_token).claims["exp"]
    bench.tick(now=exp - 65)
    assert bench.countdown.value == "⏳ expires in 01:05"
    bench.tick(now=exp + 1)
    assert "expired" in bench.countdown.value


def test_sign_in_form_feeds_the_token_workbench(kit):
    email, password = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, password)
    bench = nb.token_workbench(live=False)
    form = nb.sign_in_form(kit, email, on_session=bench.set_session)
    form.password.value = password
    form.button.click()
    assert email in bench.claims.value and "expires in" in bench.countdown.value


def test_live_countdown_ticks_until_closed(session):
    bench = nb.token_workbench(session, live=True)
    bench.countdown.value = ""
    try:
        for _ in range(40):
            if bench.countdown.value:
                break
            bench._stop.wait(0.05)
        assert "expires in" in bench.countdown.value
    finally:
        bench.close()
    assert bench._stop.is_set()


def test_verify_form_follows_the_address_just_registered(kit):
    email, password = batch.unique_email(), batch.make_password()
    register = nb.registration_form(kit, "notebook@example.com")
    verify = nb.verify_form(kit, "notebook@example.com", follow=register)
    register.email.value = email
    register.password.value = register.confirm.value = password
    register.button.click()
    assert verify.email.value == email, "prefilled with the address just registered"
    assert "Next step: the Verify form below" in re.sub("<[^>]+>", "", register.status.value)

    verify.code.value = "000000"
    verify.button.click()
    said, hint = _said_and_hint(verify.status.value)
    assert "CodeMismatchException" in verify.status.value and "Invalid verification code" in said
    assert "press Check the local mailbox" in hint and "Resend code" in hint
    assert "wildrydes" not in hint, "the form names its own buttons, not CLI commands"


def test_a_taken_address_and_a_weak_password_read_cognitos_words_then_the_hint(kit):
    email, password = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, password)
    form = nb.registration_form(kit, email)
    form.password.value = form.confirm.value = password
    form.button.click()
    said, hint = _said_and_hint(form.status.value)
    assert said == "User already exists" and "use the Verify form below" in hint

    form.email.value = batch.unique_email()
    form.password.value = form.confirm.value = "weakpass"
    form.button.click()
    said, hint = _said_and_hint(form.status.value)
    assert said == "Password did not conform with policy: Password must have uppercase characters"
    assert hint.startswith("the password still needs an uppercase letter, a number and a symbol.")


def test_sign_in_hints_name_the_forms_button(kit):
    email, password = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, password)
    form = nb.sign_in_form(kit, email)
    form.password.value = password + "x"
    form.button.click()
    said, hint = _said_and_hint(form.status.value)
    assert said == "Incorrect username or password." and "press Sign in" in hint


def _said_and_hint(status_html: str) -> tuple[str, str]:
    """Cognito's words and the kit's next step, as two separate lines of the status."""
    said = re.search(r"</span><div>(.*?)</div>", status_html)
    hint = re.search(r"<div><b>Next step:</b> (.*?)</div>", status_html)
    assert said and hint, status_html
    return said.group(1), hint.group(1)


def test_the_workbench_answers_next_to_the_control_that_asked(session):
    """The checks' verdict sits right under "Decode and check"; an edit's verdict next to
    "Change this claim" (the issue: a screen and a half below its button)."""
    bench = nb.token_workbench(session, live=False)
    rows = list(bench.children)
    [button_row] = [r for r in rows if isinstance(r, widgets.HBox) and bench.check in r.children]
    assert rows[rows.index(button_row) + 1] is bench.result
    assert "Verdict" not in bench.result.value and "<table" in bench.result.value
    bench.claim.value, bench.value.value = "email", "someone.else@example.com"
    bench.edit.click()
    [edit_row] = [r for r in rows if isinstance(r, widgets.HBox) and bench.edit in r.children]
    assert rows[rows.index(edit_row) + 1] is bench.status
    assert "FORGED or damaged" in bench.status.value
    assert bench.result.value.index("FORGED") < bench.result.value.index("<table")


def test_a_token_with_299_seconds_left_says_so_not_4_min(session):
    bench = nb.token_workbench(session, live=False)
    exp = tokens.decode(session.id_token).claims["exp"]
    bench.tick(now=exp - 299)
    assert bench.countdown.value == "⏳ expires in 04:59"
    explained = {
        c.name: c.display for c in tokens.explain(tokens.decode(session.id_token), now=exp - 299)
    }
    assert explained["exp"].endswith("(expires in 4 min 59 s)")
