"""Start, stop and find the embedded backend: a background process that outlives kernels."""

from __future__ import annotations

import atexit
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from wildrydes.errors import ConfigurationError
from wildrydes.state import kit_home

DEFAULT_PORT = 4590
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30
_CHILDREN: list[subprocess.Popen] = []


@atexit.register
def _leave_running() -> None:
    """The backend outlives the kernel or command that started it, on purpose: tell Popen."""
    for child in _CHILDREN:
        if child.poll() is None:
            child.returncode = 0


@dataclass(frozen=True)
class LocalBackend:
    pid: int
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __str__(self) -> str:
        return f"embedded backend running at {self.url} (pid {self.pid})"


def _record_path() -> Path:
    return kit_home() / "local.json"


def _log_path() -> Path:
    return kit_home() / "local.log"


def _healthy(port: int, timeout: float = 0.5) -> bool:
    try:
        with urllib.request.urlopen(  # noqa: S310 - always http://127.0.0.1
            f"http://{HOST}:{port}/_wildrydes/health", timeout=timeout
        ) as r:
            return json.loads(r.read()).get("service") == "wildrydes-local"
    except (OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    try:  # reap it first if it is our own exited child (a zombie still answers kill 0)
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status() -> LocalBackend | None:
    """The running embedded backend, or None. A stale record (dead pid) is removed."""
    try:
        record = json.loads(_record_path().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    backend = LocalBackend(pid=int(record["pid"]), port=int(record["port"]))
    if _alive(backend.pid) and _healthy(backend.port):
        return backend
    if not _alive(backend.pid):
        _record_path().unlink(missing_ok=True)
    return None


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def start(port: int | None = None) -> LocalBackend:
    """Start the embedded backend in the background; idempotent."""
    running = status()
    if running and (port is None or port == running.port):
        return running
    if running:
        raise ConfigurationError(
            f"The embedded backend already runs at {running.url}; stop it first with "
            "`wildrydes local stop` to move it to port {port}.")
    port = port or int(os.environ.get("WILDRYDES_LOCAL_PORT", DEFAULT_PORT))
    if not _port_is_free(port):
        if _healthy(port):
            raise ConfigurationError(
                f"Port {port} on {HOST} already serves an embedded backend that another kit "
                "home started (WILDRYDES_HOME differs). Stop that one, or pick another port "
                "with `wildrydes local start --port P`.")
        raise ConfigurationError(
            f"Port {port} on {HOST} is taken by another program, so the embedded backend "
            "cannot start there. Free the port, or pick another one with "
            "`wildrydes local start --port P` (or set WILDRYDES_LOCAL_PORT).")
    with _log_path().open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "wildrydes.local", "serve", "--port", str(port)],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    _CHILDREN.append(process)  # it outlives this call; keep it from being reaped as garbage
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigurationError(
                f"The embedded backend exited while starting (code {process.returncode}); "
                f"its log is {_log_path()}.")
        if _healthy(port, timeout=0.2):
            backend = LocalBackend(pid=process.pid, port=port)
            _record_path().write_text(json.dumps({"pid": backend.pid, "port": port}))
            return backend
        time.sleep(0.05)
    process.kill()
    raise ConfigurationError(
        f"The embedded backend did not answer on {HOST}:{port} within "
        f"{START_TIMEOUT_SECONDS} s; its log is {_log_path()}.")


def stop() -> bool:
    """Stop the embedded backend; True if one was running. Its pools and users are gone."""
    try:
        record = json.loads(_record_path().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    pid = int(record["pid"])
    was_running = _alive(pid)
    if was_running:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not _alive(pid):
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
    _record_path().unlink(missing_ok=True)
    return was_running
