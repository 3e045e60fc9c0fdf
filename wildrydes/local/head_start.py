"""A head start: the embedded backend started on a thread while the command imports the rest.

``wildrydes up`` on a machine where no backend runs spends about 0.1 s importing the command
line and botocore before it reaches :func:`wildrydes.local.process.start`; the backend takes a
quarter of a second more to start. ``python -m wildrydes`` calls :func:`begin` before those
imports, so the two overlap (the backend is another process, on the other core). The start is
the same :func:`~wildrydes.local.process.start` the command would call (its lock, ports and
record), so a command that starts it again finds it running; :func:`port_and_wait` is how the
command joins it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from wildrydes.local import process, records

__all__ = ["begin", "port_and_wait"]


class _HeadStart:
    def __init__(self) -> None:
        self.port: int | None = None
        self.spawned = threading.Event()
        self.thread = threading.Thread(target=self._run, name="wildrydes-head-start")

    def _run(self) -> None:
        try:
            process.start(meanwhile=self._spawned)
        except Exception:  # noqa: BLE001, S110 - the command's own start says what is wrong
            pass
        finally:
            self.spawned.set()

    def _spawned(self, port: int) -> None:
        self.port = port
        self.spawned.set()


_CURRENT: _HeadStart | None = None


def begin() -> bool:
    """Start the kit home's backend on a thread if none is recorded; True if one was begun.

    A recorded backend whose process lives is left alone (the command checks it answers).
    """
    global _CURRENT
    try:
        record = records.read()
        if record is not None and records.is_our_backend(
            record["pid"], record["port"], record.get("started")
        ):
            return False
    except Exception:  # noqa: BLE001 - an unreadable record: the command's own start says so
        return False
    _CURRENT = _HeadStart()
    _CURRENT.thread.start()
    return True


def port_and_wait(meanwhile: Callable[[int], object]) -> bool:
    """Join the head start, if one was begun: ``meanwhile(port)`` as soon as the backend's
    process is spawned, then wait until the start has ended (answered, or failed: the caller
    then starts as usual and reports why). True if there was a head start to join."""
    global _CURRENT
    current, _CURRENT = _CURRENT, None
    if current is None:
        return False
    current.spawned.wait()
    if current.port is not None:
        meanwhile(current.port)
    current.thread.join()
    return True
