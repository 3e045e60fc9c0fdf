"""`wildrydes local start/stop/status`: idempotent, recovers stale records, names a busy port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import requests
from tests_support import free_port

from wildrydes.errors import ConfigurationError
from wildrydes.local import process, secret


@pytest.fixture
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(free_port()))
    yield tmp_path
    process.stop()


def test_start_is_idempotent_and_reports_the_url(own_home):
    first = process.start()
    again = process.start()
    assert again == first
    assert first.url == f"http://127.0.0.1:{os.environ['WILDRYDES_LOCAL_PORT']}"
    assert process.status() == first
    assert process.stop() is True
    assert process.status() is None
    assert process.stop() is False


def test_cli_start_status_stop(own_home):
    env = dict(os.environ)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "wildrydes", "local", *args],
            capture_output=True,
            text=True,
            env=env,
        )

    started = run("start")
    assert started.returncode == 0 and started.stdout.strip().startswith("http://127.0.0.1:")
    assert run("start").stdout == started.stdout
    assert "running at" in run("status").stdout
    assert run("stop").stdout.strip() == "stopped"
    status = run("status")
    assert status.returncode == 3 and "not running" in status.stdout


def test_stale_record_is_detected_and_recovered(own_home):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (own_home / "local.json").write_text(json.dumps({"pid": dead.pid, "port": free_port()}))
    assert process.status() is None
    assert not (own_home / "local.json").exists()
    assert process.start().pid != dead.pid


def test_busy_port_gets_a_clear_error(own_home):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(ConfigurationError, match=f"Port {port}.*taken.*--port"):
            process.start(port)


def test_listens_on_loopback_only(local_backend):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent for UDP connect
            address = probe.getsockname()[0]
        except OSError:
            address = "127.0.0.1"
    if address.startswith("127."):
        pytest.skip("this machine has no non-loopback address to try")
    with pytest.raises(OSError), socket.create_connection((address, local_backend.port), 1):
        pass


def test_status_and_down_do_not_start_a_backend_and_say_how(own_home):
    from wildrydes import launch

    for step in (launch.status, launch.down):
        with pytest.raises(ConfigurationError, match="not running.*wildrydes local start"):
            step()
    assert process.status() is None


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_the_proxys_process_starts_the_backend_and_obeys_an_explicit_stop(tmp_path, monkeypatch):
    """What jupyter-server-proxy runs on the first click of a tile, before any notebook; this
    test process stands in for the Jupyter server (the supervisor's parent)."""
    from wildrydes.tools import hub

    port = free_port()
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(port))
    keeper = subprocess.Popen(
        [sys.executable, "-m", "wildrydes.tools.hub", "--port", str(port), "--poll-seconds", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = keeper.stdout.readline()
        assert f"127.0.0.1:{port}" in line, line
        page = hub.website_server()["launcher_entry"]["path_info"].removeprefix("wildrydes/")
        index = requests.get(f"http://127.0.0.1:{port}/{page}", timeout=10)
        assert index.status_code == 200 and "Wild Rydes" in index.text
        # A crash: the supervisor starts it again.
        crashed = process.status()
        os.kill(crashed.pid, signal.SIGKILL)
        assert _wait_for(lambda: (process.status() or crashed).pid != crashed.pid)
        # An explicit stop: obeyed, the backend stays stopped while the supervisor waits.
        assert process.stop()
        time.sleep(2)
        assert process.status() is None and keeper.poll() is None
        # A page through the proxy asks for it again (the proxy calls this per request).
        hub._request_headers()
        assert process.status() is not None
        # ... and from then on the supervisor looks after it again.
        os.kill(process.status().pid, signal.SIGKILL)
        assert _wait_for(lambda: process.status() is not None)
    finally:
        keeper.terminate()
        keeper.wait(timeout=20)
        keeper.stdout.close()
        process.stop()


def test_the_proxys_process_ends_with_its_jupyter_server_and_takes_its_key(tmp_path, monkeypatch):
    port = free_port()
    home = tmp_path / "home"
    monkeypatch.setenv("WILDRYDES_HOME", str(home))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(port))
    # A stand-in Jupyter server: makes its proxy key, starts the supervisor, then is killed.
    jupyter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "from wildrydes.local import proxied\n"
            "proxied.new_key()\n"
            "child = subprocess.Popen([sys.executable, '-m', 'wildrydes.tools.hub', '--port', "
            f"'{port}', '--poll-seconds', '0.2'], stdout=subprocess.DEVNULL)\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(300)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        supervisor = int(jupyter.stdout.readline())
        assert _wait_for(lambda: process.status() is not None)
        assert (home / "proxy-keys" / str(jupyter.pid)).exists()
        jupyter.kill()  # SIGKILL: nothing of Jupyter's own shutdown runs
        jupyter.wait()
        assert _wait_for(lambda: not Path(f"/proc/{supervisor}").exists(), 20)
        assert not (home / "proxy-keys" / str(jupyter.pid)).exists()
    finally:
        jupyter.kill()
        jupyter.stdout.close()
        process.stop()


def test_private_backend_runs_apart_and_leaves_nothing_behind():
    names = ("WILDRYDES_HOME", "WILDRYDES_LOCAL_PORT", "WILDRYDES_BACKEND")
    before = {name: os.environ.get(name) for name in names}
    with process.private_backend() as private:
        assert os.environ["WILDRYDES_HOME"] == str(private.home)
        running = process.status()
        assert running is not None and running.url == private.url
        outbox = requests.get(
            f"{private.url}/_wildrydes/outbox", headers=secret.headers(), timeout=10
        )
        assert outbox.status_code == 200
    assert {name: os.environ.get(name) for name in names} == before
    assert not private.home.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{private.url}/_wildrydes/outbox", timeout=2)


def test_private_backend_started_later_and_reached_by_url_only(tmp_path):
    outside = os.environ.get("WILDRYDES_HOME")
    with process.private_backend(
        tmp_path / "remote", start_now=False, set_environment=False
    ) as private:
        assert os.environ.get("WILDRYDES_HOME") == outside
        assert private.start().url == private.url
    assert (tmp_path / "remote").exists()  # a home the caller gave is kept
    assert not private.stop()


def test_meanwhile_runs_while_a_new_backend_starts_and_not_when_one_runs(own_home):
    """Issue 23: the caller's preparations (its clients) overlap the backend's start."""
    seen: list[int] = []
    backend = process.start(meanwhile=seen.append)
    assert seen == [backend.port]
    assert process.start(meanwhile=seen.append) == backend  # already running: nothing to wait
    assert seen == [backend.port]


def test_clients_made_ahead_start_nothing(own_home):
    """The batch's warm kernels make the backend's clients ahead, and never start one."""
    from wildrydes.backend import prepare_local_clients

    prepare_local_clients()
    assert process.status() is None


def test_a_head_start_is_joined_by_the_command_and_begun_once(own_home):
    """`up` begins the backend's start before its imports (local.head_start); the command then
    joins that start (its clients made meanwhile) instead of starting a second backend."""
    from wildrydes.local import head_start

    assert head_start.begin() is True
    seen: list[int] = []
    assert head_start.port_and_wait(seen.append) is True
    running = process.status()
    assert running is not None and seen == [running.port]
    assert head_start.port_and_wait(seen.append) is False  # joined once
    assert head_start.begin() is False  # a backend runs: nothing to begin
    assert head_start.port_and_wait(seen.append) is False
    assert process.start() == running


def test_a_failed_head_start_leaves_the_command_to_say_why(own_home):
    """A head start that cannot start (here: its port is taken) ends quietly; the command's
    own start then reports the problem with its next step."""
    from wildrydes.local import head_start

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(os.environ["WILDRYDES_LOCAL_PORT"])))
        taken.listen()
        assert head_start.begin() is True
        assert head_start.port_and_wait(lambda port: None) is True
        with pytest.raises(ConfigurationError, match="port"):
            process.start()
    assert process.status() is None


@pytest.mark.parametrize(
    "argv,environment,starts",
    [
        (["up"], {}, True),
        (["up", "--json"], {}, True),
        (["check"], {}, True),
        (["up"], {"WILDRYDES_BACKEND": "aws"}, False),
        (["up", "--backend", "aws"], {}, False),
        (["up", "--backend=aws"], {}, False),
        (["up", "--backend", "local"], {"WILDRYDES_BACKEND": "aws"}, True),
        (["up", "--help"], {}, False),
        (["status"], {}, False),
        (["down"], {}, False),
        ([], {}, False),
    ],
)
def test_which_commands_begin_the_backend_ahead(own_home, argv, environment, starts):
    """Only commands that would start the embedded backend anyway begin it early: never one
    bound for AWS, nor one that only asks (status, down, --help)."""
    env = {k: v for k, v in os.environ.items() if k != "WILDRYDES_BACKEND"}
    env.update(environment)
    # No AWS credentials anywhere: a command bound for AWS stops at once, backend or not.
    env.update(AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_CONFIG_FILE="/nonexistent")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "-m", "wildrydes", *argv],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (process.status() is not None) is starts


def test_the_console_script_runs_what_python_dash_m_runs(own_home):
    """``wildrydes up``, as a learner types it, goes through the same entry as ``python -m
    wildrydes`` (the collector paused, the backend begun ahead), and starts the backend."""
    (script,) = entry_points(group="console_scripts", name="wildrydes")
    assert script.value == "wildrydes.__main__:run"
    command = Path(sys.executable).with_name("wildrydes")
    assert command.exists(), f"{command}: the kit is not installed (make setup)"
    done = subprocess.run(
        [str(command), "up", "--json"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["user_pool_id"]
    assert process.status() is not None
