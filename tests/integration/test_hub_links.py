"""On a hub every URL the kit shows a person is the proxied one, and clickable.

The environment is JupyterHub's (``JUPYTERHUB_SERVICE_PREFIX`` for the learner's server,
``JUPYTERHUB_PUBLIC_URL`` when the hub names its public address): ``wildrydes status`` in a
JupyterLab terminal, and notebook 00's tables, show ``<public>/user/ada/wildrydes/...``; the
state file keeps the backend's own URLs (kernels and commands on the machine use them).
"""

from __future__ import annotations

import json
import re

import pytest

from wildrydes import launch, state
from wildrydes import notebook as nb
from wildrydes.backend import connect
from wildrydes.tools import cli

PUBLIC = "https://hub.example.org/"
PREFIX = "/user/ada/"


@pytest.fixture
def on_a_hub(launched, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", PREFIX)
    monkeypatch.delenv("JUPYTERHUB_PUBLIC_URL", raising=False)
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    return launched


def test_status_in_a_hub_terminal_names_the_proxied_pages(on_a_hub, monkeypatch, capsys):
    monkeypatch.setenv("JUPYTERHUB_PUBLIC_URL", PUBLIC)
    assert cli.main(["status", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    bucket = shown["bucket"]
    assert shown["website_url"] == f"{PUBLIC}user/ada/wildrydes/{bucket}/index.html"
    assert shown["mailbox_url"].startswith(f"{PUBLIC}user/ada/wildrydes/_wildrydes/mailbox")
    assert "127.0.0.1" in shown["endpoint_url"]  # the machine's own endpoint, for programs
    kept = state.load(connect(start=False).state_key)
    assert "127.0.0.1" in kept.get("website_url", "http://127.0.0.1")  # the state is unchanged

    assert cli.main(["status"]) == 0
    text = capsys.readouterr().out
    page_lines = [line for line in text.splitlines() if "_url" in line and "endpoint" not in line]
    assert page_lines and not [line for line in page_lines if "127.0.0.1" in line]


def test_without_a_public_address_the_links_are_rooted_at_the_hub(on_a_hub):
    report = launch.status()
    assert report.values["website_url"].startswith("/user/ada/wildrydes/")
    html = report._repr_html_()
    assert re.search(r"<a href='/user/ada/wildrydes/[^']+/index\.html' target='_blank'>", html)


def test_notebook_00s_table_links_are_clickable_on_a_hub(on_a_hub):
    html = nb.workshop()._repr_html_()
    assert "<a href='/user/ada/wildrydes/_wildrydes/mailbox" in html
    assert re.search(r"<a href='/user/ada/wildrydes/[^']+/index\.html'", html)
    assert "127.0.0.1:" not in re.sub(r"<code>http://127\.0\.0\.1:\d+</code>", "", html)
