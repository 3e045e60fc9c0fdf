"""How the embedded backend's HTTP server holds up against a hostile local client.

Run: python benchmarks/server_limits.py [idle_connections]   (default 1000)

Starts its own embedded backend (a temporary WILDRYDES_HOME, a free port), runs `wildrydes up`,
registers one rider, and prints:

* connection flood: N idle connections opened and held (half of them silent, half having sent
  half a request line), then a learner's SRP sign-in; whether it succeeded and how long it took
  (the issue's goal: it succeeds, within the server's idle timeout);
* hung bodies: a request with ``Content-Length: -1`` (goal: 400 at once) and one that announces
  100 bytes and sends none (goal: closed by the server after its idle timeout, not held for
  ever);
* memory: the backend's RSS idle, and its peak while three 60 MiB uploads are in flight, first
  as three slow senders mid-body, then as three signed PutObject calls of 60 MiB each at once
  (goal: under 200 MiB).

Nothing is asserted (speed and memory are measured here, not in tests). The backend is stopped
and its home removed at the end. Linux only (RSS is read from /proc).
"""

from __future__ import annotations

import os
import resource
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from cognito_bench import _rss_mib  # the same reading of /proc

PASSWORD = "Flood-Rider-42"  # noqa: S105 - a made-up rider of a throwaway backend
UPLOAD_BYTES = 60 * 1024 * 1024
HUNG_WAIT_SECONDS = 120


@contextmanager
def _peak_rss(pid: int) -> Iterator[list[float]]:
    """Samples the backend's RSS every 10 ms while the block runs; yields [peak]."""
    peak = [_rss_mib(pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mib(pid))
            time.sleep(0.01)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()


def _raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def _timed(action: Callable[[], object], timeout: float) -> tuple[str, float]:
    """Run ``action`` in a thread; ('ok' | error name | 'no answer', seconds)."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(action)
        try:
            future.result(timeout=timeout)
            outcome = "ok"
        except TimeoutError:
            outcome = f"no answer within {timeout:.0f} s"
        except Exception as e:  # noqa: BLE001 - the outcome is what we print
            outcome = type(e).__name__
        return outcome, time.monotonic() - started


def flood(port: int, connections: int, sign_in: Callable[[], object]) -> None:
    held = []
    refused = 0
    for i in range(connections):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            refused += 1
            continue
        if i % 2:
            s.sendall(b"GET /_wildrydes/health HT")  # half a request line, then silence
        held.append(s)
    print(f"flood: {len(held)} idle connections held ({refused} refused by the kernel)")
    outcome, seconds = _timed(sign_in, timeout=180)
    print(f"flood: a learner's SRP sign-in meanwhile: {outcome} in {seconds:.2f} s")
    for s in held:
        s.close()


def hung_bodies(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: -1\r\n\r\n".encode()
        )
        try:
            status = s.recv(200).split(b"\r\n", 1)[0].decode() or "closed"
        except TimeoutError:
            status = "no answer within 10 s (a thread waits on it)"
    print(f"hung body: Content-Length: -1 -> {status}")
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=HUNG_WAIT_SECONDS) as s:
        s.sendall(
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 100\r\n\r\n".encode()
        )
        try:
            answer = s.recv(200)
            how = "closed by the server" + (f" after {answer[:30]!r}" if answer else "")
        except TimeoutError:
            how = "still open"
    print(
        f"hung body: 100 bytes announced, none sent -> {how} after "
        f"{time.monotonic() - started:.0f} s"
    )


def slow_uploads(port: int, pid: int) -> None:
    sockets = []
    with _peak_rss(pid) as peak:
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(
                f"PUT /wildrydes-local-website/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Length: {UPLOAD_BYTES}\r\n\r\n".encode()
            )
            sockets.append(s)
        chunk = b"x" * (1024 * 1024)
        for _ in range(UPLOAD_BYTES // len(chunk) - 1):  # all but the last MiB
            for s in sockets:
                s.sendall(chunk)
        time.sleep(0.5)
    print(f"memory: peak RSS with three 60 MiB bodies mid-upload: {peak[0]:.0f} MiB")
    for s in sockets:
        s.close()


def signed_uploads(pid: int, s3: object, bucket: str) -> None:
    body = os.urandom(UPLOAD_BYTES)

    def put(i: int) -> None:
        s3.put_object(Bucket=bucket, Key=f"bench/big-{i}.bin", Body=body)  # type: ignore[attr-defined]

    with _peak_rss(pid) as peak, ThreadPoolExecutor(max_workers=3) as pool:
        errors = [f.exception() for f in [pool.submit(put, i) for i in range(3)]]
    failed = [type(e).__name__ for e in errors if e is not None]
    print(
        f"memory: peak RSS with three signed 60 MiB PutObject calls at once: {peak[0]:.0f} MiB"
        f" ({'all stored' if not failed else 'errors: ' + ', '.join(failed)})"
    )
    for i in range(3):
        s3.delete_object(Bucket=bucket, Key=f"bench/big-{i}.bin")  # type: ignore[attr-defined]


def _fresh_kit() -> object:
    """The kit with new boto3 clients, so the sign-in opens new connections during the flood
    (a pooled keep-alive connection from before it would skip the server's accept queue)."""
    from wildrydes import backend
    from wildrydes.kit import current

    backend._CLIENTS.clear()
    backend._SESSIONS.clear()
    return current()


def main(connections: int = 1000) -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    _raise_file_limit(connections + 200)
    from wildrydes import accounts, launch
    from wildrydes.kit import current
    from wildrydes.local import process

    with process.private_backend() as private:
        running = private.start()
        launch.up()
        kit = current()
        email = f"flood-{uuid.uuid4().hex[:8]}@example.com"
        accounts.register(kit, email, PASSWORD)
        accounts.confirm(kit, email, admin=True)
        print(f"backend pid {running.pid} on port {private.port}")
        print(f"memory: idle RSS {_rss_mib(running.pid):.0f} MiB")
        flood(private.port, connections, lambda: accounts.sign_in(_fresh_kit(), email, PASSWORD))
        hung_bodies(private.port)
        slow_uploads(private.port, running.pid)
        signed_uploads(running.pid, kit.backend.client("s3"), kit.bucket)
        print(f"memory: RSS at the end {_rss_mib(running.pid):.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
