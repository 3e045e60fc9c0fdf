"""The notebooks' HTML comes from one module; plain text is built from data, never from HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from token_factory import access_claims, id_claims, mint

import wildrydes
from wildrydes import render
from wildrydes.notebook import displays, srp_walk
from wildrydes.verdicts import Check, Report

PACKAGE = Path(wildrydes.__file__).parent
HTML_TAG = re.compile(r"</?(code|b|table|tr|td|th|p|a|sup)\b")


def test_escape_covers_quotes_for_attributes():
    assert render.escape("<a href='x'>&\"") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&quot;"


def test_table_escapes_head_and_title_but_not_cells():
    page = render.table(["<h>"], [["<b>cell</b>"]], title="<t>")
    assert "&lt;h&gt;" in page and "&lt;t&gt;" in page and "<b>cell</b>" in page


def test_settings_leave_out_missing_values():
    page = render.settings("Pool", [("Pool Id", "us-east-1_x"), ("ARN", None)])
    assert "us-east-1_x" in page and "ARN" not in page


def test_mark_and_verdict_say_it_in_words_and_colour():
    assert "pass" in render.mark(True) and render.GREEN in render.mark(True)
    assert "fail" in render.mark(False) and render.RED in render.verdict(False, "no")


def test_report_text_and_html_come_from_the_same_checks():
    report = Report(
        "Title <x>", {"pool": "p1"}, [Check("config.js", False, "not there", "run `wildrydes up`")]
    )
    text = str(report)
    assert not HTML_TAG.search(text)
    assert "✗ config.js" in text and "not there: run `wildrydes up`" in text
    page = report._repr_html_()
    assert "Title &lt;x&gt;" in page and "not there: run <code>wildrydes up</code>" in page
    assert report.as_json()["checks"]["config.js"] == {
        "ok": False,
        "detail": "not there: run `wildrydes up`",
    }


@pytest.fixture(scope="module")
def signed_tokens(private_key):
    return mint(private_key, id_claims()), mint(private_key, access_claims())


def test_auth_result_text_has_no_html(signed_tokens):
    id_token, access_token = signed_tokens
    shown = srp_walk.auth_result(
        {
            "AuthenticationResult": {
                "IdToken": id_token,
                "AccessToken": access_token,
                "RefreshToken": "opaque",
                "ExpiresIn": 3600,
                "TokenType": "Bearer",
            }
        }
    )
    text = str(shown)
    assert not HTML_TAG.search(text), text
    assert "IdToken: a JWT of" in text and "RefreshToken: issued; never shown" in text
    assert "<code>IdToken</code>" in shown._repr_html_()
    assert "opaque" not in text + shown._repr_html_()


def test_auth_result_of_another_challenge_escapes_its_name():
    shown = srp_walk.auth_result({"ChallengeName": "<NEW_PASSWORD_REQUIRED>"})
    assert "&lt;NEW_PASSWORD_REQUIRED&gt;" in shown._repr_html_()
    assert "<NEW_PASSWORD_REQUIRED>" in str(shown)


def test_side_by_side_text_has_no_html(signed_tokens):
    shown = displays.side_by_side(*signed_tokens)
    text = str(shown)
    assert not HTML_TAG.search(text), text
    assert "token_use: id=id access=access" in text
    assert "<code>token_use</code>" in shown._repr_html_()


def test_every_html_table_is_built_by_render():
    """No module but render.py writes table markup or escapes by hand (the server's pages
    in wildrydes/local are not notebook displays)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "render.py" or "local" in path.relative_to(PACKAGE).parts:
            continue
        source = path.read_text()
        if re.search(r"<t(able|r|d|h)\b|html\.escape\(", source):
            offenders.append(path.name)
    assert offenders == []


def test_backticked_words_are_code_not_literal_backticks():
    """Notebook 00's tables showed next steps like "run `wildrydes up`" with their backticks."""
    from wildrydes.verdicts import Check, Report

    html = render.settings("", [("next", "open 01 (or `wildrydes up` to skip ahead)")])
    assert "`" not in html and "<code>wildrydes up</code>" in html
    report = Report("status", {}, [Check("user pool", False, "none yet", "run `wildrydes up`")])
    assert "`" not in report._repr_html_() and "<code>wildrydes up</code>" in report._repr_html_()
    assert render.inline("a <b> `x`") == "a &lt;b&gt; <code>x</code>"
