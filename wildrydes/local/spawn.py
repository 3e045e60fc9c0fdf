"""Run the embedded backend as a background process and wait until it answers on its port.

The process is the kit's own command (``python -m wildrydes local serve``) in a session of its
own, without the learner's password or real AWS credentials in its environment, writing to
``local.log`` (0600). It outlives the kernel or command that started it, on purpose.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from wildrydes.errors import ConfigurationError
from wildrydes.home import kit_home, open_private
from wildrydes.local import records
from wildrydes.local.records import HOST, SERVE, LocalBackend

__all__ = ["START_TIMEOUT_SECONDS", "PortTaken", "log_path", "spawn"]

# A start under load (a class starting at once on two cores) can take a while; a start that
# fails exits, and is seen at once.
START_TIMEOUT_SECONDS = 60
# The exit code of ``python -m wildrydes local serve`` when its port is taken
# (wildrydes.local.serving.EXIT_PORT_TAKEN; not imported, so this module stays light).
EXIT_PORT_TAKEN = 98

_CHILDREN: list[subprocess.Popen[bytes]] = []


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


class PortTaken(Exception):
    """The backend could not bind its port (another program, or another learner, has it)."""


def log_path() -> Path:
    return kit_home() / "local.log"


def _backend_environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _PRIVATE_VARIABLES}
    environment["PYTHONUNBUFFERED"] = "1"
    # glibc: buffers of 1 MiB and more come from (and go back to) the kernel directly, and two
    # arenas serve the threads, so a large upload's memory is returned once it is stored
    # (benchmarks/server_limits.py measures it). Other C libraries ignore these.
    environment.setdefault("MALLOC_MMAP_THRESHOLD_", str(1024 * 1024))
    environment.setdefault("MALLOC_ARENA_MAX", "2")
    return environment


def spawn(
    port: int, origins: tuple[str, ...], meanwhile: Callable[[int], object] | None = None
) -> LocalBackend:
    """Run ``python -m wildrydes.local serve`` on ``port`` and wait until it answers.

    ``meanwhile(port)`` runs while the backend starts (the caller's own preparations, such as
    making its clients): the backend's start is a third of a second of waiting otherwise.
    """
    command = [sys.executable, *SERVE, "--port", str(port)]
    for origin in origins:
        command += ["--allow-origin", origin]
    try:
        log = os.fdopen(open_private(log_path()), "ab")
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write the backend log {log_path()}: {e.strerror}. Make the kit home "
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
    if meanwhile is not None:
        meanwhile(port)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if process.returncode == EXIT_PORT_TAKEN:
                raise PortTaken(port)
            raise ConfigurationError(
                f"The embedded backend exited while starting (code {process.returncode}); "
                f"its log is {log_path()}."
            )
        answer = records.health(port, timeout=1.0)
        if answer is not None and answer.get("pid") == process.pid:
            backend = LocalBackend(pid=process.pid, port=port, allowed_origins=origins)
            _write_record(
                {
                    "pid": backend.pid,
                    "port": port,
                    "allowed_origins": list(origins),
                    "started": records.start_time(process.pid),
                },
                process,
            )
            return backend
        time.sleep(0.01)  # a refused connection costs little; ready is seen within 10 ms
    process.kill()
    raise ConfigurationError(
        f"The embedded backend did not answer on {HOST}:{port} within "
        f"{START_TIMEOUT_SECONDS} s; its log is {log_path()}."
    )


def _write_record(record: dict[str, object], process: subprocess.Popen[bytes]) -> None:
    try:
        records.write(record)
    except OSError as e:
        process.kill()
        raise ConfigurationError(
            f"Cannot write the backend record {records.record_path()}: {e.strerror}. Free "
            "some disk space or make the kit home writable, then run `wildrydes local start` "
            "again."
        ) from e
