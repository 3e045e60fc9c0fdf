"""What the backend admits from Jupyter's authenticated proxy: the key, the forwarded origin,
the launcher entries and the links (the front's use of it is tested in test_doors.py)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from wildrydes import links
from wildrydes.local import proxied
from wildrydes.tools import hub

PORT = 4590
KEY = "k" * 43
HUB = "hub.example.org"


def forwarded(**extra: str) -> dict[str, str]:
    """Headers as jupyter-server-proxy forwards a page's request: the browser's Host, the
    page's Origin, its prefix, and the key from request_headers_override."""
    return {
        "Host": HUB,
        "X-Forwarded-Prefix": "/user/learner/wildrydes",
        proxied.HEADER: KEY,
        **extra,
    }


def test_each_jupyter_server_has_its_own_private_key(tmp_path):
    first = proxied.new_key(tmp_path)  # this process stands in for one Jupyter server
    folder = tmp_path / proxied.KEYS_DIR
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / str(os.getpid())).stat().st_mode) == 0o600
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        second = proxied.new_key(tmp_path, owner=other.pid)  # a second JupyterLab
        assert second != first
        assert sorted(proxied.live_keys(tmp_path)) == sorted([first, second])
    finally:
        other.kill()
        other.wait()
    # The second server ended: its key stops counting (and is deleted); the first one's stays.
    assert proxied.live_keys(tmp_path) == [first]
    assert not (folder / str(other.pid)).exists()
    proxied.remove_key(os.getpid(), tmp_path)
    assert proxied.live_keys(tmp_path) == []
    assert proxied.live_keys(tmp_path / "nowhere") == []


@pytest.mark.parametrize(
    ("headers", "origin"),
    [
        (forwarded(), f"http://{HUB}"),
        (forwarded(**{"X-Forwarded-Proto": "https"}), f"https://{HUB}"),
        (
            forwarded(**{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "Other.Example"}),
            "https://other.example",
        ),
        (forwarded(Host="127.0.0.1:8888"), "http://127.0.0.1:8888"),
    ],
)
def test_the_proxys_forwarding_names_the_pages_origin(headers, origin):
    assert proxied.forwarded_origin(headers, ["another-servers-key", KEY]) == origin


@pytest.mark.parametrize(
    "headers",
    [
        forwarded(**{proxied.HEADER: KEY[:-1] + "x"}),  # another launch's key
        {k: v for k, v in forwarded().items() if k != proxied.HEADER},  # no key
        forwarded(Host="evil host/"),  # not a host name
        forwarded(**{"X-Forwarded-Proto": "javascript"}),
    ],
)
def test_without_this_launchs_key_nothing_is_forwarded(headers):
    assert proxied.forwarded_origin(headers, [KEY]) is None


def test_no_live_key_means_no_forwarding():
    assert proxied.forwarded_origin(forwarded(), []) is None


def test_the_entry_points_serve_the_site_and_mailbox_with_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", "4999")
    hub._proxy_key.cache_clear()
    try:
        site, mailbox = hub.website_server(), hub.mailbox_server()
        # Called by the proxy for every request it forwards.
        site_headers = site["request_headers_override"]()
        mailbox_headers = mailbox["request_headers_override"]()
    finally:
        hub._proxy_key.cache_clear()
    assert site["port"] == mailbox["port"] == 4999
    assert site["command"][-2:] == ["--port", "{port}"]  # the supervisor serves that port
    (key,) = proxied.live_keys(tmp_path)
    # This Jupyter server's key, and Jupyter's own credentials blanked.
    assert (
        site_headers == mailbox_headers == {proxied.HEADER: key, "Authorization": "", "Cookie": ""}
    )
    assert site["launcher_entry"]["title"] == "Wild Rydes website"
    assert site["launcher_entry"]["path_info"] == "wildrydes/wildrydes-local-website/index.html"
    assert mailbox["launcher_entry"]["title"] == "Local mailbox"
    assert mailbox["launcher_entry"]["path_info"] == "wildrydes/_wildrydes/mailbox"
    proxied.remove_key(os.getpid(), tmp_path)


@pytest.mark.parametrize(
    ("direct", "base", "shown"),
    [
        (
            "http://127.0.0.1:4590/wildrydes-local-website/index.html",
            "/user/learner/",
            "/user/learner/wildrydes/wildrydes-local-website/index.html",
        ),
        ("http://127.0.0.1:4590/_wildrydes/mailbox", "/", "/wildrydes/_wildrydes/mailbox"),
        (
            "http://my-site.s3-website-us-east-1.amazonaws.com/index.html",
            "/user/learner/",
            "http://my-site.s3-website-us-east-1.amazonaws.com/index.html",
        ),
    ],
)
def test_links_go_through_jupyters_proxy_when_there_is_one(direct, base, shown):
    assert links.link(direct, base) == shown


def test_links_outside_jupyter_are_the_backends_own(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    url = "http://127.0.0.1:4590/_wildrydes/mailbox"
    assert links.link(url) == url
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada")
    assert links.link(url) == "/user/ada/wildrydes/_wildrydes/mailbox"


def test_notebook_links_go_through_the_hubs_proxy(monkeypatch):
    from wildrydes.notebook import BrowserCheck

    check = BrowserCheck(
        "http://127.0.0.1:4590/wildrydes-local-website/",
        "http://127.0.0.1:4590/_wildrydes/mailbox",
        note="off",
    )
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    shown = check._repr_html_()
    assert "href='/user/ada/wildrydes/wildrydes-local-website/register.html'" in shown
    assert "href='/user/ada/wildrydes/_wildrydes/mailbox'" in shown
    assert "127.0.0.1" not in shown
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX")
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    assert "href='http://127.0.0.1:4590/_wildrydes/mailbox'" in check._repr_html_()


def test_a_plain_jupyter_lab_is_found_by_its_runtime_file(monkeypatch, tmp_path):
    """The kernel's parent server is read from its jpserver-<pid>.json in Jupyter's runtime
    folder (the file jupyter_server writes and `jupyter server list` reads); no file, no proxy."""
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    links._server_base_url.cache_clear()
    monkeypatch.setenv("JPY_PARENT_PID", "424242")
    url = "http://127.0.0.1:4590/_wildrydes/mailbox"
    assert links.link(url) == url  # papermill: its kernels' parent is not a server
    (tmp_path / "jpserver-424243.json").write_text(json.dumps({"base_url": "/lab-base/"}))
    monkeypatch.setenv("JPY_PARENT_PID", "424243")
    assert links.jupyter_base_url() == "/lab-base/"
    assert links.link(url) == "/lab-base/wildrydes/_wildrydes/mailbox"
    links._server_base_url.cache_clear()
