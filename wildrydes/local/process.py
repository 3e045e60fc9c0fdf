"""Start, stop and find the embedded backend: a background process that outlives kernels.

The running backend is written down in the kit home (:mod:`wildrydes.local.records`:
``local.json``, and ``local.pid`` which the backend holds locked), on a port of the home's own
(:mod:`wildrydes.local.ports`). Starts are serialised by ``local.lock``, so racing starts leave
exactly one recorded backend; ``stop`` signals a pid only after checking it is that backend,
and finds it through the lock or the port when ``local.json`` is damaged or missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wildrydes.errors import ConfigurationError
from wildrydes.home import kit_home, open_private
from wildrydes.local import ports, records, spawn
from wildrydes.local.records import HOST, SERVE, LocalBackend

__all__ = [
    "DEFAULT_PORT",
    "HOST",
    "SERVE",
    "START_TIMEOUT_SECONDS",
    "LocalBackend",
    "PrivateBackend",
    "environment",
    "free_port",
    "own_port",
    "private_backend",
    "start",
    "status",
    "stop",
]

DEFAULT_PORT = ports.FIRST_CHOICE
START_TIMEOUT_SECONDS = spawn.START_TIMEOUT_SECONDS
_MAX_PORT_TRIES = 5


def _lock_path() -> Path:
    return kit_home() / "local.lock"


def status() -> LocalBackend | None:
    """The running embedded backend, or None. A stale record (dead pid) is removed."""
    record = records.read()
    if record is None:
        return None
    backend = LocalBackend(
        pid=record["pid"],
        port=record["port"],
        allowed_origins=tuple(record.get("allowed_origins") or ()),
    )
    ours = records.is_our_backend(backend.pid, backend.port, record.get("started"))
    if ours and records.health(backend.port) is not None:
        return backend
    if not ours:
        records.record_path().unlink(missing_ok=True)
    return None


@contextlib.contextmanager
def _start_lock() -> Iterator[None]:
    """One start at a time per kit home (racing notebooks, CLI calls, make targets)."""
    path = _lock_path()
    try:
        handle = os.fdopen(open_private(path), "a")
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


def start(
    port: int | None = None,
    allowed_origins: tuple[str, ...] = (),
    meanwhile: Callable[[int], object] | None = None,
) -> LocalBackend:
    """Start the embedded backend in the background; idempotent.

    ``port`` (or ``WILDRYDES_LOCAL_PORT``) pins the port; otherwise the kit home's own port is
    used, chosen the first time and kept while it is free (:mod:`wildrydes.local.ports`).
    ``meanwhile(port)`` runs while a new backend starts (see :func:`spawn.spawn`).
    """
    from wildrydes.local import secret
    from wildrydes.local.credentials import load

    origins: tuple[str, ...] = ()
    if allowed_origins:
        # The doors import botocore (~80 ms), which a start without origins does not need:
        # `up`'s head start (local.head_start) runs before the command has imported it.
        from wildrydes.local.doors import OriginError, normalize_origin

        try:
            origins = tuple(sorted({normalize_origin(o) for o in allowed_origins}))
        except OriginError as e:
            raise ConfigurationError(f"--allow-origin {e}") from None
    pinned = port or ports.pinned()
    load()  # the kit home's key and secret exist before the backend reads them
    secret.load()
    with _start_lock():
        backend = _start_locked(pinned, origins, meanwhile)
    records.clear_stopped()  # started again: the hub's supervisor may look after it again
    return backend


def _start_locked(
    pinned: int | None, origins: tuple[str, ...], meanwhile: Callable[[int], object] | None
) -> LocalBackend:
    running = status()
    if running and (pinned is None or pinned == running.port):
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
            f"`wildrydes local stop` to move it to port {pinned}."
        )
    record = records.read()
    if record and records.is_our_backend(record["pid"], record["port"], record.get("started")):
        raise ConfigurationError(
            f"The embedded backend (pid {record['pid']}) runs on port {record['port']} but "
            "does not answer. Stop it with `wildrydes local stop`, then run the same command "
            "again."
        )
    if pinned is not None:
        if not ports.is_free(pinned):
            raise _taken(pinned)
        try:
            return spawn.spawn(pinned, origins, meanwhile)
        except spawn.PortTaken:
            raise _taken(pinned) from None
    return _start_on_own_port(origins, meanwhile)


def _start_on_own_port(
    origins: tuple[str, ...], meanwhile: Callable[[int], object] | None
) -> LocalBackend:
    """The kit home's own port: the recorded one while free, else a new one, recorded."""
    previous = ports.recorded()
    candidate = previous if previous is not None and ports.is_free(previous) else None
    tried: list[int] = []
    for _ in range(_MAX_PORT_TRIES):
        port = candidate or ports.choose(exclude=tuple(tried))
        candidate = None
        try:
            backend = spawn.spawn(port, origins, meanwhile)
        except spawn.PortTaken:  # another learner's backend took it a moment ago
            tried.append(port)
            continue
        ports.remember(port)
        if previous is not None and port != previous:
            print(
                f"wildrydes: port {previous} is taken now, so this kit home's backend moved "
                f"to {port} (recorded in {kit_home() / ports.PORT_FILE}).",
                file=sys.stderr,
            )
        return backend
    raise ConfigurationError(
        f"No free port for the embedded backend after {_MAX_PORT_TRIES} tries "
        f"({', '.join(map(str, tried))}). Pick one with `wildrydes local start --port P`."
    )


def own_port() -> int:
    """The port of this kit home's backend: pinned by WILDRYDES_LOCAL_PORT, else the running
    backend's, else the home's recorded one while free, else a new one (recorded). For
    ``wildrydes local serve`` (the foreground) and the hub's proxy entries."""
    pinned = ports.pinned()
    if pinned is not None:
        return pinned
    running = status()
    if running is not None:
        return running.port
    recorded = ports.recorded()
    port = recorded if recorded is not None and ports.is_free(recorded) else ports.choose()
    ports.remember(port)
    return port


def _serves_a_kit_backend(port: int) -> bool:
    """Whether an embedded backend (anyone's) answers on ``port``."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - always http://127.0.0.1
            f"http://{HOST}:{port}/_wildrydes/health", timeout=0.5
        ) as r:
            server = str(r.headers.get("Server", ""))
    except urllib.error.HTTPError as e:
        server = str(e.headers.get("Server", ""))
    except OSError:
        return False
    return server == "wildrydes-local"


def _taken(port: int) -> ConfigurationError:
    if _serves_a_kit_backend(port):
        return ConfigurationError(
            f"Port {port} on {HOST} already serves an embedded backend that another kit "
            "home (or another user of this machine) started. Unset WILDRYDES_LOCAL_PORT and "
            "leave out --port to let this kit home use a port of its own, or pick another "
            "port with `wildrydes local start --port P`."
        )
    return ConfigurationError(
        f"Port {port} on {HOST} is taken by another program, so the embedded backend "
        "cannot start there. Free the port, or pick another one with "
        "`wildrydes local start --port P` (or set WILDRYDES_LOCAL_PORT)."
    )


def stop() -> bool:
    """Stop the embedded backend; True if one was running.

    Only ever signals this kit home's backend: the process recorded in ``local.json`` (same
    command line, port and start time), or, when that record is damaged or missing, the one
    holding ``local.pid``. The stop is remembered, so the hub's supervisor leaves it stopped.
    """
    records.mark_stopped()
    record = records.read()
    target: tuple[int, int] | None = None
    if record is not None and records.is_our_backend(
        record["pid"], record["port"], record.get("started")
    ):
        target = (record["pid"], record["port"])
    else:
        target = records.holder()
    if target is not None:
        _terminate(target[0])
    records.record_path().unlink(missing_ok=True)
    return target is not None


def _terminate(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not records.alive(pid):
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


# -- a backend of one's own: tests, batch runs, benchmarks -----------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


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
    where = Path(home) if home is not None else Path(tempfile.mkdtemp(prefix="wildrydes-private-"))
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
