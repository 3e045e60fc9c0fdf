"""Where a kit home's running backend is written down, and how it is found again.

- ``local.json``: what the starter recorded (``pid``, ``port``, start time, allowed origins);
  every command, notebook and the hub read it.
- ``local.pid``: written by the backend itself and held locked (``flock``) for as long as it
  runs, so the backend can be found, and stopped, even when ``local.json`` is damaged or gone:
  a lock nobody holds means no backend runs.
- ``local-stopped``: left by an explicit ``wildrydes local stop`` (or reset), so the hub's
  supervisor does not start the backend again behind the learner's back; ``start`` removes it.

A damaged ``local.json`` is rebuilt from the running backend (or removed when none runs), with
a one-line notice naming the file; nothing is guessed from a process that is not this home's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wildrydes.errors import ConfigurationError
from wildrydes.home import kit_home, open_private, write_private
from wildrydes.local import secret

__all__ = [
    "HOST",
    "SERVE",
    "LocalBackend",
    "alive",
    "clear_stopped",
    "health",
    "hold",
    "holder",
    "is_our_backend",
    "mark_stopped",
    "read",
    "record_path",
    "start_time",
    "stopped_explicitly",
    "write",
]

HOST = "127.0.0.1"
# The kit's own command runs the backend (`wildrydes local serve`), so the server is handed the
# kit's start-up hook (the website bucket made again) by the layer above, never imports it.
SERVE = ("-m", "wildrydes", "local", "serve")
RECORD = "local.json"
PID_FILE = "local.pid"
STOPPED = "local-stopped"


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


def record_path() -> Path:
    return kit_home() / RECORD


# -- processes -------------------------------------------------------------------------------
def start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[19])


def alive(pid: int) -> bool:
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


def health(port: int, timeout: float = 0.5) -> dict[str, Any] | None:
    """The health answer of this kit home's backend on ``port``, or None.

    The request carries the home's secret, so only a backend of this kit home answers it: a
    backend another user (or another kit home) runs on that port answers 403.
    """
    request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
        f"http://{HOST}:{port}/_wildrydes/health", headers=secret.headers()
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:  # noqa: S310
            answer = json.loads(r.read())
    except (OSError, ValueError):
        return None
    return (
        answer if isinstance(answer, dict) and answer.get("service") == "wildrydes-local" else None
    )


def is_our_backend(pid: int, port: int, started: int | None) -> bool:
    """Is ``pid`` the backend we recorded, not an unrelated process that reused the pid?"""
    if not alive(pid):
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        command = None
    if command is not None:  # Linux: command line, port and start time must all match
        if command[1:5] != [part.encode() for part in SERVE] or str(port).encode() not in command:
            return False
        return started is None or start_time(pid) == started
    answer = health(port)  # elsewhere: the backend on the port must say it is this pid
    return answer is not None and answer.get("pid") == pid


# -- local.pid: held by the backend itself ----------------------------------------------------
def hold(port: int) -> int:
    """For the backend process: lock ``local.pid`` for as long as it runs, with its pid and
    port in it. Returns the descriptor (keep it open); BlockingIOError if another holds it."""
    fd = open_private(kit_home() / PID_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {port}\n".encode())
    except OSError:
        os.close(fd)
        raise
    return fd


def holder() -> tuple[int, int] | None:
    """``(pid, port)`` of the backend holding ``local.pid``, or None when none runs."""
    path = kit_home() / PID_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: a backend of this home runs
            fields = os.pread(fd, 64, 0).split()
            if len(fields) == 2 and all(f.isdigit() for f in fields):
                pid, port = int(fields[0]), int(fields[1])
                return (pid, port) if is_our_backend(pid, port, None) else None
            return None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


# -- local.json: written by the starter ---------------------------------------------------
def _parse(text: str) -> dict[str, Any]:
    record = json.loads(text)
    record["pid"], record["port"] = int(record["pid"]), int(record["port"])
    if not (record["pid"] > 0 and 0 < record["port"] < 65536):
        raise ValueError("pid or port out of range")
    return dict(record)


def read() -> dict[str, Any] | None:
    """local.json, or None when there is none. A damaged one is rebuilt from the backend that
    holds ``local.pid`` (or removed when none runs), saying so in one line."""
    path = record_path()
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        if not isinstance(e, UnicodeDecodeError):  # unreadable is not damaged: never removed
            raise ConfigurationError(
                f"Cannot read the backend record {path}: {e.strerror}. Make it readable (or "
                "free a file descriptor), then run the same command again."
            ) from None
        text = ""
    try:
        return _parse(text)
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    running = holder()
    if running is None:
        with contextlib.suppress(OSError):
            path.unlink()
        print(
            f"wildrydes: the backend record {path} was damaged and no backend of this kit "
            "home runs; removed it.",
            file=sys.stderr,
        )
        return None
    pid, port = running
    record = {"pid": pid, "port": port, "allowed_origins": [], "started": start_time(pid)}
    with contextlib.suppress(OSError):
        write(record)
    print(
        f"wildrydes: the backend record {path} was damaged; rebuilt it from the running "
        f"backend (pid {pid}, port {port}).",
        file=sys.stderr,
    )
    return record


def write(record: dict[str, Any]) -> None:
    """Replace local.json (atomically; OSError for the caller to name)."""
    write_private(record_path(), json.dumps(record))


# -- an explicit stop ---------------------------------------------------------------------
def mark_stopped() -> None:
    with contextlib.suppress(OSError):
        os.close(open_private(kit_home() / STOPPED, os.O_WRONLY | os.O_CREAT))


def clear_stopped() -> None:
    with contextlib.suppress(OSError):
        (kit_home() / STOPPED).unlink()


def stopped_explicitly() -> bool:
    return (kit_home() / STOPPED).exists()
