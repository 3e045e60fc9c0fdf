"""The website as it sits in website/: no inline code, relative links, no HTML injection."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import PAGES

pytestmark = pytest.mark.browser

WEBSITE = Path(__file__).resolve().parents[2] / "website"
UPLOADED_BY_THE_KIT = ("js/config.js", "js/vendor/amazon-cognito-identity.min.js")
IDS = {
    "index.html": ["giddyUp", "configNotice"],
    "register.html": [
        "registrationForm",
        "emailInputRegister",
        "passwordInputRegister",
        "password2InputRegister",
        "formMessage",
        "configNotice",
        "passwordChecklist",
        "passwordMismatch",
    ],
    "verify.html": [
        "verifyForm",
        "emailInputVerify",
        "codeInputVerify",
        "formMessage",
        "configNotice",
        "mailboxLink",
        "resendCode",
    ],
    "signin.html": [
        "signinForm",
        "emailInputSignin",
        "passwordInputSignin",
        "formMessage",
        "configNotice",
    ],
    "ride.html": [
        "authToken",
        "copyToken",
        "claimsTable",
        "apiNotice",
        "signOut",
        "formMessage",
        "configNotice",
    ],
}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.references: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"inline handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src", "action") and value is not None:
                self.references.append(value)
                if value.strip().lower().startswith("javascript:"):
                    self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "script":
            if not dict(attrs).get("src"):
                self.problems.append("inline <script> without src")
            self._in_script = True
        if tag == "style":
            self.problems.append("inline <style> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("<script> with inline code")


@pytest.mark.parametrize("name", PAGES)
def test_html_has_no_inline_code_and_only_relative_links(name):
    inspector = _Inspector()
    inspector.feed((WEBSITE / name).read_text(encoding="utf-8"))
    assert inspector.problems == []
    assert set(IDS[name]) <= inspector.ids
    for ref in inspector.references:
        if ref.startswith(("#", "data:")):
            continue
        assert not ref.startswith("/"), f"{name}: {ref} is absolute; S3 path-style needs relative"
        assert "://" not in ref, f"{name}: {ref} points off-site"
        target = ref.split("#")[0].split("?")[0]
        if target in UPLOADED_BY_THE_KIT:
            continue
        assert (WEBSITE / target).is_file(), f"{name}: {ref} does not exist"


def test_inspector_catches_inline_code():
    inspector = _Inspector()
    inspector.feed('<a href="javascript:x()" onclick="y()">a</a><script>alert(1)</script>')
    assert sorted(inspector.problems) == sorted(
        [
            "inline handler onclick on <a>",
            "javascript: URL on <a>",
            "inline <script> without src",
            "<script> with inline code",
        ]
    )


@pytest.mark.parametrize(
    "script", sorted(p.name for p in (WEBSITE / "js").glob("*.js") if p.name != "config.js")
)
def test_javascript_avoids_eval_and_html_injection(script):
    source = (WEBSITE / "js" / script).read_text(encoding="utf-8")
    for pattern in (
        r"\beval\s*\(",
        r"new\s+Function\s*\(",
        r"\.innerHTML\b",
        r"\.outerHTML\b",
        r"insertAdjacentHTML",
        r"document\.write",
    ):
        assert not re.search(pattern, source), f"{script}: {pattern}"


def test_package_files_declare_the_sdk():
    package = json.loads((WEBSITE / "package.json").read_text())
    assert package["private"] is True
    assert package["dependencies"]["amazon-cognito-identity-js"].lstrip("^~").startswith("6.")
    lock = json.loads((WEBSITE / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/amazon-cognito-identity-js"]["version"].startswith("6.")
    assert "node_modules/" in (WEBSITE / ".gitignore").read_text().split()
