"""The backend process and the kit's files when things go wrong: a password in the
environment, a stale or reused pid, racing starts, damaged records, a full disk, a backend
that does not answer. Each ends in one line naming the file or URL and what to do."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import botocore.exceptions
import pytest
from tests_support import free_port

from wildrydes.errors import ConfigurationError
from wildrydes.local import credentials, process, records
from wildrydes.local.process import LocalBackend


@pytest.fixture
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path))
    monkeypatch.setenv("WILDRYDES_LOCAL_PORT", str(free_port()))
    # Files the tests write stand in for the kit's own, which are private (0600 in 0700).
    tmp_path.chmod(0o700)
    umask = os.umask(0o077)
    try:
        yield tmp_path
    finally:
        os.umask(umask)
        with contextlib.suppress(ConfigurationError):  # some tests leave a damaged record
            process.stop()


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wildrydes", *args],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        timeout=120,
        **kwargs,
    )


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_backend_never_holds_the_learners_password(own_home, monkeypatch):
    monkeypatch.setenv("WILDRYDES_PASSWORD", "Reused-Elsewhere-9")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-account-secret")
    backend = process.start()
    environment = Path(f"/proc/{backend.pid}/environ").read_bytes()
    assert b"WILDRYDES_HOME=" in environment  # the control: we read the right process
    assert b"Reused-Elsewhere-9" not in environment
    assert b"WILDRYDES_PASSWORD" not in environment
    assert b"real-account-secret" not in environment


def test_the_local_key_is_private_to_its_owner(own_home):
    process.start()
    path = credentials.credentials_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    record = json.loads(path.read_text())
    assert record["aws_access_key_id"].startswith("AKIA")
    assert len(record["aws_secret_access_key"]) == 40
    assert record["aws_secret_access_key"] not in repr(credentials.load())


def test_each_kit_home_has_its_own_key(tmp_path):
    first = credentials.load(tmp_path / "a" if (tmp_path / "a").mkdir() is None else None)
    second = credentials.load(tmp_path / "b" if (tmp_path / "b").mkdir() is None else None)
    assert first.access_key_id != second.access_key_id
    assert first.secret_access_key != second.secret_access_key
    assert credentials.load(tmp_path / "a") == first  # stable once made


def test_a_stale_record_never_kills_an_unrelated_process(own_home):
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (own_home / "local.json").write_text(
            json.dumps({"pid": bystander.pid, "port": free_port()})
        )
        assert process.stop() is False
        time.sleep(0.2)
        assert bystander.poll() is None  # still alive
        assert not (own_home / "local.json").exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_a_reused_pid_with_another_start_time_is_not_ours(own_home, tmp_path):
    """The record's pid now belongs to another process, even one whose command line is a
    backend's on that port: its start time differs, so it is never signalled."""
    port = free_port()
    fake = tmp_path / "lookalike" / "wildrydes"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text("import time\ntime.sleep(60)\n")
    lookalike = subprocess.Popen(
        [sys.executable, *process.SERVE, "--port", str(port)], cwd=fake.parent
    )
    try:
        time.sleep(0.5)
        command = Path(f"/proc/{lookalike.pid}/cmdline").read_bytes().split(b"\0")
        assert command[1:5] == [part.encode() for part in process.SERVE]  # looks like ours
        started = records.start_time(lookalike.pid)
        record = {"pid": lookalike.pid, "port": port, "started": started - 1}
        (own_home / "local.json").write_text(json.dumps(record))
        assert process.stop() is False
        time.sleep(0.2)
        assert lookalike.poll() is None  # not signalled
    finally:
        lookalike.kill()
        lookalike.wait()


def test_three_simultaneous_starts_leave_exactly_one_recorded_backend(own_home):
    for _ in range(3):  # the race was lost in about half the runs before the lock
        starts = [
            subprocess.Popen(
                [sys.executable, "-m", "wildrydes", "local", "start"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [p.communicate(timeout=120) for p in starts]
        assert all(p.returncode == 0 for p in starts), outputs
        assert len({out.strip() for out, _ in outputs}) == 1
        record = json.loads((own_home / "local.json").read_text())
        serving = [pid for pid in _backends_of(own_home)]
        assert serving == [record["pid"]], (serving, record)
        assert process.stop() is True
        assert _backends_of(own_home) == []


def _backends_of(home: Path) -> list[int]:
    """Pids of live backend processes started for this kit home."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            environment = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if (
            b"\0".join(part.encode() for part in process.SERVE) in command
            and state != "Z"
            and f"WILDRYDES_HOME={home}".encode() in environment.split(b"\0")
        ):
            found.append(int(entry.name))
    return sorted(found)


DAMAGED_RECORDS = [
    "[]",
    '{"pid": "x", "port": 1}',
    "{",
    '{"port": 4590}',
    '{"pid": -5, "port": 4590}',
]


@pytest.mark.parametrize("content", DAMAGED_RECORDS)
def test_a_damaged_backend_record_without_a_backend_is_removed_in_one_line(own_home, content):
    (own_home / "local.json").write_text(content)
    result = _cli("local", "status")
    assert result.returncode == 3 and "not running" in result.stdout
    (line,) = result.stderr.strip().splitlines()
    assert str(own_home / "local.json") in line and "removed" in line
    assert not (own_home / "local.json").exists()


def test_an_unreadable_backend_record_is_named_and_never_removed(own_home):
    (own_home / "local.json").mkdir()  # unreadable as a file (root reads any file's mode)
    line = _one_line_error(_cli("local", "stop"))
    assert str(own_home / "local.json") in line and "Cannot read" in line
    assert (own_home / "local.json").is_dir()
    (own_home / "local.json").rmdir()


@pytest.mark.parametrize("content", DAMAGED_RECORDS[::2])
def test_local_stop_finds_its_backend_through_the_lock_when_the_record_is_damaged(
    own_home, content
):
    backend = process.start()
    (own_home / "local.json").write_text(content)
    result = _cli("local", "stop")
    assert result.returncode == 0 and result.stdout.strip() == "stopped", result
    (line,) = result.stderr.strip().splitlines()
    assert str(own_home / "local.json") in line and f"pid {backend.pid}" in line
    assert _backends_of(own_home) == []


def test_local_stop_finds_its_backend_when_the_record_is_gone(own_home):
    backend = process.start()
    (own_home / "local.json").unlink()
    assert process.stop() is True
    assert backend.pid not in _backends_of(own_home) and _backends_of(own_home) == []


def test_start_rebuilds_a_damaged_record_of_a_running_backend(own_home):
    backend = process.start()
    (own_home / "local.json").write_text("{broken")
    assert process.start() == LocalBackend(backend.pid, backend.port)  # the same one
    assert json.loads((own_home / "local.json").read_text())["pid"] == backend.pid
    assert _backends_of(own_home) == [backend.pid]


@pytest.mark.parametrize(
    "content",
    [
        "[1, 2]",
        '{"local": "not an object"}',
        "{broken",
        '{"local": {"user_pool_id": 42, "bucket": "wildrydes-local-website"}}',
        '{"local": {"bucket": ["wildrydes-local-website"]}}',
        '{"local": {"created_bucket": "yes"}}',
    ],
)
def test_a_damaged_state_file_is_named_then_kept_aside_and_rebuilt_by_up(own_home, content):
    process.start()
    assert _cli("up").returncode == 0
    pool_id = json.loads((own_home / "state.json").read_text())["local"]["user_pool_id"]
    (own_home / "state.json").write_text(content)
    line = _one_line_error(_cli("status"))
    assert str(own_home / "state.json") in line and "wildrydes up" in line
    assert (own_home / "state.json").read_text() == content  # status never overwrites it
    result = _cli("up", "--json")
    assert result.returncode == 0, result.stderr
    (notice,) = result.stderr.strip().splitlines()
    (aside,) = own_home.glob("state.json.damaged-*")
    assert str(aside) in notice and "rebuilt" in notice
    assert aside.read_text() == content  # kept, byte for byte
    assert json.loads(result.stdout)["user_pool_id"] == pool_id  # the same pool, found by tag
    assert json.loads((own_home / "state.json").read_text())["local"]["user_pool_id"] == pool_id


def test_a_full_disk_never_leaves_a_half_made_key_or_secret(own_home):
    """Writes fail as on a full disk (RLIMIT_FSIZE) while a fresh home makes its key: one
    line, and no empty credentials.json or local-secret for the next start to trip on."""
    script = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4, 4))
        from wildrydes.tools.cli import main
        sys.exit(main(["local", "start"]))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    line = _one_line_error(result)
    assert "disk space" in line
    assert not (own_home / "credentials.json").exists()
    assert not (own_home / "local-secret").exists()
    assert process.start().url  # and the next start, with room, works


def test_a_kit_home_that_cannot_be_made(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {**os.environ, "WILDRYDES_HOME": str(blocker / "home")}
    line = _one_line_error(_cli("local", "start", env=env))
    assert str(blocker / "home") in line and "WILDRYDES_HOME" in line


def test_a_full_disk_keeps_the_state_file(own_home):
    """Writes fail as on a full disk (RLIMIT_FSIZE): one line, and the old state is kept."""
    process.start()
    assert _cli("up").returncode == 0
    before = (own_home / "state.json").read_text()
    script = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))
        from wildrydes.tools.cli import main
        sys.exit(main(["down"]))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    line = _one_line_error(result)
    assert str(own_home / "state.json") in line and "disk" in line
    assert (own_home / "state.json").read_text() == before
    assert not list(own_home.glob("*.tmp"))
    assert resource.getrlimit(resource.RLIMIT_FSIZE)  # the limit was the child's alone


def test_a_backend_that_does_not_answer_reaches_the_learner_as_itself(own_home):
    import boto3

    from wildrydes.backend import Backend
    from wildrydes.local import credentials as creds
    from wildrydes.trace import TRACE

    dead = f"http://127.0.0.1:{free_port()}"
    session = boto3.session.Session(**creds.load().boto3_kwargs())
    client = Backend("local", "us-east-1", dead, session).client("cognito-idp")
    mark = TRACE.mark()
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        client.list_user_pools(MaxResults=1)
    calls = TRACE.since(mark)
    assert [c.operation for c in calls] == ["ListUserPools"]
    assert calls[0].error == "EndpointConnectionError"


def test_the_cli_names_a_backend_that_stopped_answering(own_home):
    backend = process.start()
    assert _cli("up").returncode == 0
    os.kill(backend.pid, signal.SIGSTOP)  # alive but silent: the record still points at it
    try:
        env = {**os.environ, "AWS_MAX_ATTEMPTS": "1"}
        result = _cli(
            "register", "late@example.com", env={**env, "WILDRYDES_PASSWORD": "Late-Rider-42"}
        )
    finally:
        os.kill(backend.pid, signal.SIGCONT)
    line = _one_line_error(result)
    assert f"pid {backend.pid}" in line and "does not answer" in line
    assert "wildrydes local stop" in line
    assert "Late-Rider-42" not in result.stderr + result.stdout


def test_the_cli_names_an_endpoint_that_refuses_connections(own_home):
    dead = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": dead,
        "AWS_MAX_ATTEMPTS": "1",
        "WILDRYDES_BACKEND": "aws",
        "AWS_REGION": "us-east-1",
        "WILDRYDES_BUCKET": "learners-module-1-site",
    }
    line = _one_line_error(_cli("status", env=env))
    assert dead in line and "AWS_ENDPOINT_URL" in line


def test_check_before_up_on_the_local_backend_points_at_up(own_home):
    process.start()
    result = _cli("check")
    assert "module 1" not in result.stdout
    assert "wildrydes up" in result.stdout


def test_a_bad_allow_origin_is_refused_with_an_example(own_home):
    for value in ("*", "http://localhost:5173/app", "localhost:5173"):
        line = _one_line_error(_cli("local", "start", "--allow-origin", value))
        assert "http://localhost:5173" in line
    with pytest.raises(ConfigurationError, match="wildcard"):
        process.start(allowed_origins=("https://*.example",))
