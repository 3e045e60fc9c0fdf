"""What one hostile local client can hold of the backend: every Host under one allow-list, and a
server (waitress) that bounds connections, idle time and bodies.

Functional, not timed: the numbers (a sign-in under 1,000 idle connections, RSS with three
60 MiB uploads in flight) come from ``benchmarks/server_limits.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from tests_support import free_port

from wildrydes import accounts, launch
from wildrydes.kit import current
from wildrydes.local import secret

PASSWORD = "Held-Open-42"


def _raw(port: int, request: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# -- one allow-list on every Host -----------------------------------------------------------------
@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/moto-api/data.json"),
        ("GET", "/moto-api/"),
        ("POST", "/moto-api/reset"),
        ("POST", "/moto-api/recorder/start-recording"),
        ("GET", "/moto-api/recorder/download-recording"),
        ("GET", "//moto-api/data.json"),
    ],
)
def test_moto_routes_answer_404_on_the_buckets_virtual_host_too(launched, method, path):
    kit = current()
    port = int(kit.backend.endpoint_url.rsplit(":", 1)[1])
    accounts.register(kit, f"vhost-{uuid.uuid4().hex[:8]}@example.com", PASSWORD)
    for host in (f"{kit.bucket}.s3.localhost:{port}", f"127.0.0.1:{port}"):
        answer = _raw(
            port,
            f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        assert _status(answer) == 404, (host, answer[:200])
        assert b"@example.com" not in answer and b"UserPool" not in answer
    # The website itself is still served on the virtual host.
    page = _raw(
        port,
        f"GET /index.html HTTP/1.1\r\nHost: {kit.bucket}.s3.localhost:{port}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert _status(page) == 200


# -- bodies ------------------------------------------------------------------------------------
@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "+5", "0x10"])
def test_a_malformed_content_length_is_a_400_at_once(local_backend, length):
    answer = _raw(
        local_backend.port,
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{local_backend.port}\r\n"
        f"Content-Length: {length}\r\n\r\n".encode(),
    )
    assert _status(answer) == 400


def test_an_empty_upload_that_expects_100_continue_is_answered(launched):
    """boto3 sends Expect: 100-continue even for an empty PutObject (waitress 3.0 alone would
    wait for a body that never comes)."""
    kit = current()
    s3 = kit.backend.client("s3")
    s3.put_object(Bucket=kit.bucket, Key="empty.txt", Body=b"")
    assert s3.get_object(Bucket=kit.bucket, Key="empty.txt")["Body"].read() == b""
    s3.delete_object(Bucket=kit.bucket, Key="empty.txt")


@pytest.fixture
def short_idle_backend(tmp_path) -> Iterator[int]:
    """A backend of its own in the foreground, closing idle connections after 2 s."""
    port = free_port()
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    headers = secret.headers(home)  # made here; the backend reads the same file
    env = {**os.environ, "WILDRYDES_HOME": str(home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "wildrydes", "local", "serve", "--port", str(port)]
        + ["--idle-timeout", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = requests.get(
                    f"http://127.0.0.1:{port}/_wildrydes/health", headers=headers, timeout=2
                )
                if health.status_code == 200:
                    break
            except (requests.ConnectionError, OSError):
                pass
            assert server.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_body_that_never_comes_is_closed_after_the_idle_timeout(short_idle_backend):
    port = short_idle_backend
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 100\r\n\r\n".encode()
        )
        assert s.recv(100) == b""  # closed by the server, not held for ever
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET /_wildrydes/health HT")  # half a request line, then silence
        assert s.recv(100) == b""


# -- a flood of idle connections ------------------------------------------------------------------
def test_a_sign_in_succeeds_while_1000_idle_connections_are_held(fresh_backend):
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200 and hard >= 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))
    launch.up()
    kit = current()
    email = f"flood-{uuid.uuid4().hex[:8]}@example.com"
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, admin=True)
    held = []
    try:
        for i in range(1000):
            s = socket.create_connection(("127.0.0.1", fresh_backend.port), timeout=10)
            if i % 2:
                s.sendall(b"GET /_wildrydes/health HT")
            held.append(s)
        session = accounts.sign_in(kit, email, PASSWORD)
        assert session.id_token.count(".") == 2
    finally:
        for s in held:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
