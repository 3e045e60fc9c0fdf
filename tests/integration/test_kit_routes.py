"""The kit's own routes (outbox, mailbox, health) prove who is asking: the home's secret in a
header (tools), a link carrying it once then a cookie (a person), or the learner's Jupyter
proxy. Everything else gets 403, whatever Origin says.

The person's path works like Jupyter's ``?token=`` links: the link sets an ``HttpOnly``,
``SameSite=Strict`` cookie scoped to ``/_wildrydes/`` and redirects to the same page without
the secret, so it does not stay in the address bar or the browser's history of that page.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse

import pytest
import requests

from wildrydes.kit import current
from wildrydes.local import secret


@pytest.fixture(scope="module")
def kit(launched):
    return current()


def test_nothing_without_the_secret_whatever_origin_says(kit):
    base = kit.backend.endpoint_url
    port = base.rsplit(":", 1)[1]
    for path in ("/_wildrydes/outbox", "/_wildrydes/mailbox", "/_wildrydes/health"):
        for origin in (None, f"http://127.0.0.1:{port}", "http://evil.example"):
            headers = {"Origin": origin} if origin else {}
            response = requests.get(base + path, headers=headers, timeout=10)
            assert response.status_code == 403, (path, origin)
            assert "Access-Control-Allow-Origin" not in response.headers
    page = requests.get(f"{base}/_wildrydes/mailbox", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 403 and "wildrydes status" in page.text  # says how to get in


def test_a_foreign_origin_is_refused_even_with_the_secret(kit):
    response = requests.get(
        f"{kit.backend.endpoint_url}/_wildrydes/outbox",
        headers={**secret.headers(), "Origin": "http://evil.example"},
        timeout=10,
    )
    assert response.status_code == 403


def test_a_persons_link_sets_a_strict_cookie_and_drops_the_secret(kit):
    base = kit.backend.endpoint_url
    port = int(base.rsplit(":", 1)[1])
    link = secret.person_link(f"{base}/_wildrydes/mailbox?pool={kit.user_pool_id}")
    assert secret.load() in link
    browser = requests.Session()
    first = browser.get(link, allow_redirects=False, timeout=10)
    assert first.status_code == 303
    assert first.headers["Location"] == f"/_wildrydes/mailbox?pool={kit.user_pool_id}"
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{secret.cookie_name(port)}=")
    assert secret.load() not in cookie  # the cookie is an HMAC of the secret, not the secret
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/_wildrydes/"):
        assert attribute in cookie, cookie
    page = browser.get(base + first.headers["Location"], timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert browser.get(f"{base}/_wildrydes/outbox", timeout=10).status_code == 200
    # A wrong secret in a link opens nothing and sets nothing.
    wrong = requests.get(
        f"{base}/_wildrydes/mailbox?secret={'x' * 43}", allow_redirects=False, timeout=10
    )
    assert wrong.status_code == 403 and "Set-Cookie" not in wrong.headers


def test_the_website_link_logs_in_then_the_websites_own_mailbox_link_works(kit):
    base = kit.backend.endpoint_url
    link = secret.person_link(f"{base}/{kit.bucket}/index.html")
    browser = requests.Session()
    site = browser.get(link, timeout=10)
    assert site.status_code == 200 and site.url == f"{base}/{kit.bucket}/index.html"
    # config.js names the mailbox relative to the page: ../_wildrydes/mailbox
    mailbox = browser.get(urllib.parse.urljoin(site.url, "../_wildrydes/mailbox"), timeout=10)
    assert mailbox.status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil"])
def test_the_login_link_goes_nowhere_but_this_backend(kit, target):
    query = urllib.parse.urlencode({"secret": secret.load(), "next": target})
    answer = requests.get(
        f"{kit.backend.endpoint_url}/_wildrydes/login?{query}", allow_redirects=False, timeout=10
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/"


def test_another_backends_cookie_opens_nothing(kit):
    base = kit.backend.endpoint_url
    port = int(base.rsplit(":", 1)[1])
    cookies = {secret.cookie_name(port + 1): secret.cookie_value(secret.load())}
    assert requests.get(f"{base}/_wildrydes/outbox", cookies=cookies, timeout=10).status_code == 403
    forged = {secret.cookie_name(port): secret.cookie_value("not-this-homes-secret" * 2)}
    assert requests.get(f"{base}/_wildrydes/outbox", cookies=forged, timeout=10).status_code == 403


def test_status_prints_one_click_links_and_json_never_the_secret(kit):
    human = subprocess.run(
        [sys.executable, "-m", "wildrydes", "status"], capture_output=True, text=True, timeout=120
    )
    assert human.returncode == 0, human.stderr
    mailbox_line = next(line for line in human.stdout.splitlines() if "mailbox_url" in line)
    link = mailbox_line.split()[-1]
    assert secret.load() in link
    assert requests.get(link, timeout=10).status_code == 200  # one click
    machine = subprocess.run(
        [sys.executable, "-m", "wildrydes", "status", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert secret.load() not in machine.stdout
    assert json.loads(machine.stdout)["mailbox_url"].endswith("/_wildrydes/mailbox")
