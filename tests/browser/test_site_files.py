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


SCRIPTS = sorted(
    p.relative_to(WEBSITE).as_posix()
    for p in (WEBSITE / "js").rglob("*.js")
    if p.name != "config.js" or p.parent.name != "js"
)
MODULE_IMPORT = re.compile(r"^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)';", re.M | re.S)
PAGE_MODULE = re.compile(r'<script type="module" src="([^"]+)"></script>')


@pytest.mark.parametrize("script", SCRIPTS)
def test_javascript_avoids_eval_and_html_injection(script):
    source = (WEBSITE / script).read_text(encoding="utf-8")
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


def _imports(script: str) -> list[str]:
    """The site paths a module imports, resolved against its own path (as the browser does)."""
    base = (WEBSITE / script).parent
    source = (WEBSITE / script).read_text(encoding="utf-8")
    return [
        (base / spec).resolve().relative_to(WEBSITE).as_posix()
        for spec in MODULE_IMPORT.findall(source)
    ]


def test_each_page_loads_one_module_that_reaches_every_script():
    """Native ES modules, no build step: every page names its module, every import is a
    relative path to a file in website/ (a bare name would need a bundler), and every script
    is reachable from some page (no dead module)."""
    reached: set[str] = set()
    for name in PAGES:
        html = (WEBSITE / name).read_text(encoding="utf-8")
        assert PAGE_MODULE.findall(html) == [f"js/pages/{name.removesuffix('.html')}.js"], name
        todo = list(PAGE_MODULE.findall(html))
        while todo:
            script = todo.pop()
            if script in reached:
                continue
            reached.add(script)
            source = (WEBSITE / script).read_text(encoding="utf-8")
            for spec in MODULE_IMPORT.findall(source):
                assert spec.startswith(("./", "../")) and spec.endswith(".js"), (script, spec)
            for target in _imports(script):
                assert (WEBSITE / target).is_file(), f"{script} imports {target}: no such file"
                todo.append(target)
    assert reached == set(SCRIPTS)


def test_the_import_checker_sees_every_import_form():
    found = MODULE_IMPORT.findall(
        "import { a } from './a.js';\nimport {\n  b,\n  c,\n} from '../ui/b.js';\n"
        "export { d } from './d.js';\nconst x = 'import from nowhere';\n"
    )
    assert found == ["./a.js", "../ui/b.js", "./d.js"]


def test_every_script_is_served_as_javascript(site):
    """Browsers refuse a module script served with a non-JavaScript MIME type (HTML standard,
    "fetch a single module script": the MIME type must be a JavaScript MIME type), so the
    upload must label every file under js/, nested folders included."""
    import requests

    for script in [*SCRIPTS, *UPLOADED_BY_THE_KIT]:
        response = requests.get(site.url(script), timeout=10)
        assert response.status_code == 200, script
        assert response.headers["Content-Type"].startswith("application/javascript"), script
