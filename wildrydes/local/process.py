"""Start, stop and find the embedded backend: a background process that outlives kernels.

``$WILDRYDES_HOME/local.json`` records the running backend (``pid``, ``port``, its start
time and allowed origins). Starts are serialised by ``local.lock``, so racing starts leave
exactly one recorded backend; ``stop`` signals a pid only after checking it is that backend.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wildrydes.errors import ConfigurationError
from wildrydes.state import kit_home

__all__ = [
    "DEFAULT_PORT",
    "HOST",
    "SERVE",
    "START_TIMEOUT_SECONDS",
    "LocalBackend",
    "PrivateBackend",
    "environment",
    "free_port",
    "private_backend",
    "start",
    "status",
    "stop",
]

DEFAULT_PORT = 4590
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30
# The kit's own command runs the backend (`wildrydes local serve`), so the server is handed the
# kit's start-up hook (the website bucket made again) by the layer above, never imports it.
SERVE = ("-m", "wildrydes", "local", "serve")
_CHILDREN: list[subprocess.Popen] = []


@atexit.register
def _leave_running() -> None:
    """The backend outlives the kernel or command that started it, on purpose: tell Popen."""
    for child in _CHILDREN:
        if child.poll() is None:
            child.returncode = 0


# Never handed to the backend process: the learner's password and real AWS credentials.
_PRIVATE_VARIABLES = (
    "WILDRYDES_PASSWORD",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
)


@dataclass(frozen=True)
class LocalBackend:
    pid: int
    port: int
    allowed_origins: tuple[str, ...] = field(default=())

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __str__(self) -> str:
        return f"embedded backend running at {self.url} (pid {self.pid})"


def _record_path() -> Path:
    return kit_home() / "local.json"


def _log_path() -> Path:
    return kit_home() / "local.log"


def _lock_path() -> Path:
    return kit_home() / "local.lock"


def _health(port: int, timeout: float = 0.5) -> dict | None:
    """The health answer of a kit backend on ``port``, or None."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - always http://127.0.0.1
            f"http://{HOST}:{port}/_wildrydes/health", timeout=timeout
        ) as r:
            answer = json.loads(r.read())
    except (OSError, ValueError):
        return None
    return (
        answer if isinstance(answer, dict) and answer.get("service") == "wildrydes-local" else None
    )


def _healthy(port: int, timeout: float = 0.5) -> bool:
    return _health(port, timeout) is not None


def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[19])


def _is_our_backend(pid: int, port: int, started: int | None) -> bool:
    """Is ``pid`` the backend we recorded, not an unrelated process that reused the pid?"""
    if not _alive(pid):
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        command = None
    if command is not None:  # Linux: command line, port and start time must all match
        if command[1:5] != [part.encode() for part in SERVE] or str(port).encode() not in command:
            return False
        return started is None or _start_time(pid) == started
    health = _health(port)  # elsewhere: the backend on the port must say it is this pid
    return health is not None and health.get("pid") == pid


def _read_record() -> dict | None:
    """local.json, or None when there is none. A damaged record is named, never guessed."""
    path = _record_path()
    try:
        record = json.loads(path.read_text())
        record["pid"], record["port"] = int(record["pid"]), int(record["port"])
        if not (record["pid"] > 0 and 0 < record["port"] < 65536):
            raise ValueError
        return record
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigurationError(
            f"The backend record {path} is damaged. If a backend still runs, stop it by hand; "
            f"then delete {path} and run `wildrydes local start`."
        ) from None


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
    record = _read_record()
    if record is None:
        return None
    backend = LocalBackend(
        pid=record["pid"],
        port=record["port"],
        allowed_origins=tuple(record.get("allowed_origins") or ()),
    )
    ours = _is_our_backend(backend.pid, backend.port, record.get("started"))
    if ours and _healthy(backend.port):
        return backend
    if not ours:
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


@contextlib.contextmanager
def _start_lock():
    """One start at a time per kit home (racing notebooks, CLI calls, make targets)."""
    path = _lock_path()
    try:
        handle = path.open("a")
    except OSError as e:
        raise ConfigurationError(
            f"Cannot open {path}: {e.strerror}. Make the kit home writable, or point "
            "WILDRYDES_HOME at a writable folder."
        ) from e
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _backend_environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _PRIVATE_VARIABLES}
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


def start(port: int | None = None, allowed_origins: tuple[str, ...] = ()) -> LocalBackend:
    """Start the embedded backend in the background; idempotent."""
    # botocore's signer and the AWS model the doors read (about 0.3 s to import) serve only a
    # start; `local status` and `local stop` import this module without them.
    from wildrydes.local.credentials import load
    from wildrydes.local.doors import OriginError, normalize_origin

    try:
        origins = tuple(sorted({normalize_origin(o) for o in allowed_origins}))
    except OriginError as e:
        raise ConfigurationError(f"--allow-origin {e}") from None
    load()  # the kit home's key exists before the backend reads it
    with _start_lock():
        return _start_locked(port, origins)


def _start_locked(port: int | None, origins: tuple[str, ...]) -> LocalBackend:
    running = status()
    if running and (port is None or port == running.port):
        if origins and origins != running.allowed_origins:
            raise ConfigurationError(
                f"The embedded backend already runs at {running.url} allowing "
                f"{', '.join(running.allowed_origins) or 'no other origin'}. Stop it with "
                "`wildrydes local stop`, then start it again with the origins you want."
            )
        return running
    if running:
        raise ConfigurationError(
            f"The embedded backend already runs at {running.url}; stop it first with "
            f"`wildrydes local stop` to move it to port {port}."
        )
    record = _read_record()
    if record and _is_our_backend(record["pid"], record["port"], record.get("started")):
        raise ConfigurationError(
            f"The embedded backend (pid {record['pid']}) runs on port {record['port']} but "
            "does not answer. Stop it with `wildrydes local stop`, then run the same command "
            "again."
        )
    port = port or int(os.environ.get("WILDRYDES_LOCAL_PORT", DEFAULT_PORT))
    if not _port_is_free(port):
        if _healthy(port):
            raise ConfigurationError(
                f"Port {port} on {HOST} already serves an embedded backend that another kit "
                "home started (WILDRYDES_HOME differs). Stop that one, or pick another port "
                "with `wildrydes local start --port P`."
            )
        raise ConfigurationError(
            f"Port {port} on {HOST} is taken by another program, so the embedded backend "
            "cannot start there. Free the port, or pick another one with "
            "`wildrydes local start --port P` (or set WILDRYDES_LOCAL_PORT)."
        )
    command = [sys.executable, *SERVE, "--port", str(port)]
    for origin in origins:
        command += ["--allow-origin", origin]
    try:
        log = _log_path().open("ab")
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write the backend log {_log_path()}: {e.strerror}. Make the kit home "
            "writable (or set WILDRYDES_HOME to a writable folder)."
        ) from e
    with log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=_backend_environment(),
        )
    _CHILDREN.append(process)  # it outlives this call; keep it from being reaped as garbage
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigurationError(
                f"The embedded backend exited while starting (code {process.returncode}); "
                f"its log is {_log_path()}."
            )
        health = _health(port, timeout=1.0)
        if health is not None and health.get("pid") == process.pid:
            backend = LocalBackend(pid=process.pid, port=port, allowed_origins=origins)
            _write_record(
                {
                    "pid": backend.pid,
                    "port": port,
                    "allowed_origins": list(origins),
                    "started": _start_time(process.pid),
                },
                process,
            )
            return backend
        time.sleep(0.05)
    process.kill()
    raise ConfigurationError(
        f"The embedded backend did not answer on {HOST}:{port} within "
        f"{START_TIMEOUT_SECONDS} s; its log is {_log_path()}."
    )


def _write_record(record: dict, process: subprocess.Popen) -> None:
    path = _record_path()
    temporary = path.with_suffix(".tmp")
    try:
        temporary.write_text(json.dumps(record))
        temporary.replace(path)
    except OSError as e:
        process.kill()
        raise ConfigurationError(
            f"Cannot write the backend record {path}: {e.strerror}. Free some disk space or "
            "make the kit home writable, then run `wildrydes local start` again."
        ) from e


def stop() -> bool:
    """Stop the embedded backend; True if one was running. Only ever signals the process
    recorded as the backend (same command line, port and start time)."""
    record = _read_record()
    if record is None:
        return False
    pid = record["pid"]
    was_running = _is_our_backend(pid, record["port"], record.get("started"))
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


# -- a backend of one's own: tests, batch runs, benchmarks -----------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables for the block, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        _set_environment(values)
        yield
    finally:
        _set_environment(saved)


def _set_environment(values: dict[str, str | None]) -> None:
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@dataclass(frozen=True)
class PrivateBackend:
    """A kit home and port of one's own; ``start()`` runs the backend there (idempotent)."""

    home: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def environment(self) -> contextlib.AbstractContextManager[None]:
        """WILDRYDES_HOME, WILDRYDES_LOCAL_PORT and WILDRYDES_BACKEND set to this backend."""
        return environment(
            WILDRYDES_HOME=str(self.home),
            WILDRYDES_LOCAL_PORT=str(self.port),
            WILDRYDES_BACKEND="local",
        )

    def start(self) -> LocalBackend:
        with self.environment():
            return start(self.port)

    def stop(self) -> bool:
        with self.environment():
            return stop()


@contextlib.contextmanager
def private_backend(
    home: Path | str | None = None, *, start_now: bool = True, set_environment: bool = True
) -> Iterator[PrivateBackend]:
    """An embedded backend apart from the learner's, for the length of the block.

    A temporary kit home (or ``home``, kept afterwards) and a free port; started now (or by
    the caller, ``start_now=False``), stopped at the end, the temporary home removed. Inside
    the block WILDRYDES_HOME and WILDRYDES_LOCAL_PORT point at it, unless ``set_environment``
    is False (a "remote" the caller reaches by URL only).
    """
    made = home is None
    where = Path(tempfile.mkdtemp(prefix="wildrydes-private-")) if made else Path(home)
    private = PrivateBackend(where, free_port())
    try:
        with private.environment() if set_environment else contextlib.nullcontext():
            try:
                if start_now:
                    private.start()
                yield private
            finally:
                private.stop()
    finally:
        if made:
            shutil.rmtree(where, ignore_errors=True)
