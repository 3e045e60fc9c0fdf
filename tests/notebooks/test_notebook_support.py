"""wildrydes.notebook: the glue the notebooks rely on, checked without a kernel."""

from __future__ import annotations

import json

import nbformat
import pytest

from wildrydes import accounts, srp, tokens
from wildrydes import notebook as nb
from wildrydes.errors import AuthError, ConfigurationError
from wildrydes.kit import current
from wildrydes.tools import batch
from wildrydes.trace import TRACE


@pytest.fixture
def shown(monkeypatch):
    """What record() and already_done() display, instead of a kernel's output."""
    seen = []
    for module in ("wildrydes.notebook.results", "wildrydes.notebook.prerequisites"):
        monkeypatch.setattr(f"{module}.display", lambda obj, raw=False: seen.append((obj, raw)))
    return seen


@pytest.fixture
def kit(launched):
    return current()


@pytest.fixture
def rider(kit):
    """A registered, confirmed rider: (email, password)."""
    email, password = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, password)
    return email, password


# ------------------------------------------------------------------ results contract


def test_record_displays_the_results_mime_bundle_and_read_results_merges_them(shown):
    nb.record(user_pool_id="us-east-1_abc", created=True)
    [(bundle, raw)] = shown
    assert raw is True
    assert bundle[nb.RESULTS_MIME] == {"user_pool_id": "us-east-1_abc", "created": True}
    assert "us-east-1_abc" in bundle["text/plain"]

    notebook = nbformat.v4.new_notebook()
    for data in (bundle, {nb.RESULTS_MIME: {"created": False, "more": [1]}}):
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data)]
        notebook.cells.append(cell)
    assert nb.read_results(notebook) == {
        "user_pool_id": "us-east-1_abc",
        "created": False,
        "more": [1],
    }


def test_read_results_reads_a_written_notebook(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", {nb.RESULTS_MIME: {"a": 1}})]
    notebook.cells.append(cell)
    nbformat.write(notebook, tmp_path / "x.ipynb")
    assert nb.read_results(tmp_path / "x.ipynb") == {"a": 1}


def test_record_refuses_secrets_and_non_json(shown, monkeypatch):
    monkeypatch.setenv("WILDRYDES_PASSWORD", "Sekr1t!pass")
    with pytest.raises(ValueError, match="secrets"):
        nb.record(password="x")
    with pytest.raises(ValueError, match="secrets"):
        nb.record(refresh_token="x")
    with pytest.raises(ValueError, match="password"):
        nb.record(note="it is Sekr1t!pass")
    with pytest.raises(TypeError, match="JSON"):
        nb.record(when=object())
    assert shown == []


# ------------------------------------------------------------------ the password


def test_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("WILDRYDES_PASSWORD", "From-env-1")
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("must not ask"))
    assert nb.password() == "From-env-1"


def test_password_is_asked_once_when_unset(monkeypatch):
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "Typed-pw-1")
    nb.forget_password()
    try:
        assert nb.password() == nb.password() == "Typed-pw-1"
        assert len(asked) == 1 and "hidden" in asked[0]
    finally:
        nb.forget_password()


def test_headless_run_without_a_password_says_what_to_set(monkeypatch):
    from IPython.core.error import StdinNotImplementedError

    def no_stdin(prompt):
        raise StdinNotImplementedError("papermill has no stdin")

    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", no_stdin)
    nb.forget_password()
    with pytest.raises(ConfigurationError, match="WILDRYDES_PASSWORD"):
        nb.password()


# ------------------------------------------------------------------ prerequisites


def test_workshop_finds_what_up_made_and_ensure_is_idempotent(launched):
    ws = nb.workshop()
    assert ws.bucket == launched.values["bucket"]
    assert ws.user_pool_id == launched.values["user_pool_id"]
    client = ws.ensure_app_client()
    assert client.id == launched.values["app_client_id"] and client.created is False
    kit = ws.ensure_kit()
    assert (kit.user_pool_id, kit.app_client_id) == (client.user_pool_id, client.id)
    assert "user pool" in str(ws) and launched.values["user_pool_id"] in ws._repr_html_()


def test_ensure_user_registers_and_confirms_once(kit):
    email, password = batch.unique_email(), batch.make_password()
    first = nb.ensure_user(kit, email, password)
    assert "registered and confirmed now" in str(first)
    again = nb.ensure_user(kit, email, password)
    assert "before" in str(again)
    status = nb.user_status(kit, email)
    assert status["status"] == "CONFIRMED" and status["email_verified"] is True
    assert password not in first._repr_html_() + again._repr_html_()


def test_already_done_reports_listed_codes_and_raises_others(shown):
    with nb.already_done("UsernameExistsException"):
        raise AuthError("User already exists", code="UsernameExistsException")
    [(note, _)] = shown
    assert "Done before" in note._repr_html_() and "User already exists" in str(note)
    with pytest.raises(AuthError), nb.already_done("UsernameExistsException"):
        raise AuthError("Incorrect username or password.", code="NotAuthorizedException")


def test_policy_checklist_never_shows_the_password(kit):
    policy = accounts.read_policy(kit)
    weak = nb.policy_checklist("zzq", policy)
    # Pass/fail as words and colour (no emoji font needed), not only as a mark.
    assert "#cf222e;font-weight:bold'>✗ needs</span> an uppercase letter" in weak._repr_html_()
    assert "#1a7f37;font-weight:bold'>✓ has</span> a lowercase letter" in weak._repr_html_()
    assert "✓ a lowercase letter" in str(weak)
    assert "misses a rule" in weak._repr_html_() and "zzq" not in weak._repr_html_()
    strong_password = batch.make_password()
    strong = nb.policy_checklist(strong_password, policy)
    assert "✗" not in strong._repr_html_() and strong_password not in strong._repr_html_()


# ------------------------------------------------------------------ SRP and the wire


def test_wire_tap_finds_the_password_in_sign_up_but_not_in_srp_sign_in(kit):
    email, password = batch.unique_email(), batch.make_password()
    tap = nb.wire_tap(kit.backend)
    accounts.register(kit, email, password)  # SignUp carries the password: positive control
    tap.stop()
    assert tap.search(password).found >= 1

    nb.confirm_user(kit, email)
    mark = TRACE.mark()
    tap = nb.wire_tap(kit.backend)
    accounts.sign_in(kit, email, password)
    tap.stop()
    proof = tap.search(password, TRACE.since(mark))
    assert proof.never_sent and proof.requests == 2 and proof.bytes_sent > 1000
    assert proof.parameter_names == [
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "PASSWORD_CLAIM_SIGNATURE",
        "SRP_A",
        "TIMESTAMP",
        "USERNAME",
    ]
    assert "found 0 times" in proof._repr_html_()
    kit.backend.client("cognito-idp").list_user_pools(MaxResults=1)
    assert tap.search(password).requests == 2, "a stopped tap records nothing more"


def test_srp_table_shows_shortened_values_but_never_x(kit, rider):
    email, password = rider
    a = srp.new_ephemeral_a()
    challenge = kit.backend.client("cognito-idp").initiate_auth(
        ClientId=kit.app_client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters=srp.auth_parameters(accounts.username_for(email), srp.compute_A(a)),
    )
    steps = srp.client_steps(kit.user_pool_id, password, a, challenge["ChallengeParameters"])
    table = nb.srp_table(steps)._repr_html_()
    assert format(steps.A, "x")[:12] in table and format(steps.S, "x")[:12] in table
    assert steps.signature[:12] in table and format(steps.A, "x") not in table
    assert format(steps.x, "x")[:8] not in table, "no piece of x is shown"
    assert password not in table
    shown_challenge = nb.challenge_table(challenge)._repr_html_()
    assert "PASSWORD_VERIFIER" in shown_challenge and "SRP_B" in shown_challenge


def test_auth_result_never_shows_a_token():
    answer = {
        "AuthenticationResult": {
            "IdToken": "id." * 100,
            "AccessToken": "ac." * 100,
            "RefreshToken": "refresh-secret-xyz",
            "ExpiresIn": 3600,
        }
    }
    shown = nb.auth_result(answer)
    text = shown._repr_html_() + str(shown)
    assert "refresh-secret-xyz" not in text and "id.id." not in text
    assert "never shown" in text and "accepted" in text


def test_short_says_hex_digits_or_chars():
    assert nb.short(0xABC) == "abc"
    assert nb.short(2**1024).endswith("(257 hex digits)")
    assert nb.short(bytes(64)).endswith("(128 hex digits)")
    assert nb.short("x" * 100).endswith("(100 chars)")


# ------------------------------------------------------------------ tokens


def test_a_forged_claim_keeps_the_signature_and_fails_only_the_signature_check(kit, rider):
    session = accounts.sign_in(kit, *rider)
    forged = tokens.forge(session.id_token, {"email": "boss@wildrydes.example"})
    assert tokens.decode(forged).claims["email"] == "boss@wildrydes.example"
    assert forged.rsplit(".", 1)[1] == session.id_token.rsplit(".", 1)[1]
    check = accounts.verify_token(kit, forged, "id")
    assert check.failed == ["signature"]


def test_side_by_side_lists_claims_of_both_tokens(kit, rider):
    session = accounts.sign_in(kit, *rider)
    table = nb.side_by_side(session.id_token, session.access_token)._repr_html_()
    for claim in ("email", "aud", "client_id", "scope", "token_use", "cognito:username"):
        assert f"<code>{claim}</code>" in table
    assert session.refresh_token not in table


# ------------------------------------------------------------------ the website


def test_website_pages_answer_and_config_js_matches(kit, launched):
    ws = nb.workshop()
    pages = nb.website_pages(ws)
    assert pages.ok and set(pages.statuses) == set(nb.PAGES)
    assert pages.cognito_config["userPoolId"] == launched.values["user_pool_id"]
    assert pages.cognito_config["userPoolClientId"] == launched.values["app_client_id"]
    assert "config.js" in pages._repr_html_()


def test_browser_journey_turned_off_shows_links_and_why(launched):
    walk = nb.browser_journey(nb.workshop(), "rider@example.com", "unused", enabled=False)
    assert walk.shots == {} and walk.id_token is None
    page = walk._repr_html_()
    assert "turned off" in page and "register.html" in page and "mailbox" in page
    assert nb.browser_email("rider@example.com") == "rider+browser@example.com"


def test_latest_message_shows_the_code_sent(kit):
    email = batch.unique_email()
    accounts.register(kit, email, batch.make_password())
    message = nb.latest_message(kit, email)
    from wildrydes import mailbox

    assert mailbox.latest_code(kit.backend, email) in message._repr_html_()
    assert json.dumps(email)[1:-1] in str(message)


def test_a_mistyped_password_is_asked_for_again_where_it_failed(kit, monkeypatch):
    email, right = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, right)
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or right)
    nb.forget_password()
    try:
        shown = nb.ensure_user(kit, email, "Mistyped!2024")
        assert len(asked) == 1 and "not the password" in asked[0] and right not in asked[0]
        assert "ready to sign in" in str(shown)
        assert nb.password() == right, "the password typed again is the one remembered"
        assert len(asked) == 1
    finally:
        nb.forget_password()


def test_a_wrong_password_in_the_environment_says_which_variable(kit, monkeypatch):
    email, right = batch.unique_email(), batch.make_password()
    nb.ensure_user(kit, email, right)
    monkeypatch.setenv("WILDRYDES_PASSWORD", "Other!Pass2024")
    with pytest.raises(AuthError) as caught:
        nb.ensure_user(kit, email, "Other!Pass2024")
    said, _, hint = str(caught.value).partition(" Next step: ")
    assert said == "Incorrect username or password."
    assert hint.startswith("WILDRYDES_PASSWORD holds another password than the one")
    assert "Other!Pass2024" not in str(caught.value)


def test_a_kit_error_in_a_cell_is_its_message_and_next_step():
    from wildrydes.notebook import tracebacks

    markup, plain = tracebacks.render(
        AuthError("User already exists.", hint="sign in instead.", code="UsernameExistsException")
    )
    assert plain == (
        "✗ failed (UsernameExistsException): User already exists.\nNext step: sign in instead."
    )
    assert "<div>User already exists.</div><div><b>Next step:</b> sign in instead.</div>" in markup


def test_weak_passwords_at_the_prompt_show_the_checklist_and_ask_again(kit, monkeypatch, capsys):
    """Two weak passwords, then a good one, at the register prompt of notebook 04: each
    refusal shows the checklist and the same prompt asks again; only the good one is kept."""
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    good = batch.make_password()
    typed = iter(["weakpass", "Weakpass1", good])
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or next(typed))
    nb.forget_password()
    policy = accounts.read_policy(kit)
    try:
        assert nb.password(policy=policy) == good
        assert len(asked) == 3 and all("meeting every rule" in p for p in asked[1:])
        shown = capsys.readouterr().out
        assert shown.count("✗ a number") == 1 and shown.count("✗ a symbol") == 2
        assert "weakpass" not in shown.lower()
        assert nb.password() == good and len(asked) == 3  # kept; nothing refused was
        assert "meets every rule" in nb.policy_checklist(good, policy)._repr_html_()
    finally:
        nb.forget_password()


def test_a_weak_password_refused_when_registering_is_asked_for_again(kit, monkeypatch, capsys):
    """Notebooks 05-08 run alone register the rider themselves: a weak typed password is
    refused there too, with the checklist, and never kept."""
    monkeypatch.delenv("WILDRYDES_PASSWORD", raising=False)
    good, email = batch.make_password(), batch.unique_email()
    typed = iter(["weakpass", "Weakpass1", good])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    nb.forget_password()
    try:
        first = nb.password()  # no policy named: taken as typed, for now
        assert first == "weakpass"
        shown = nb.ensure_user(kit, email, first)
        assert "registered and confirmed now" in str(shown)
        assert capsys.readouterr().out.count("misses a rule, so it was not kept") == 2
        assert nb.password() == good
        assert accounts.sign_in(kit, email, good).id_token
    finally:
        nb.forget_password()
