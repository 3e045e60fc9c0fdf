"""`wildrydes local reset`: forget everything the local Cognito remembers.

It refuses while the embedded backend runs (a running backend holds the database open and
would keep serving what it has in memory): stop it first with `wildrydes local stop`.
It deletes the Cognito database (pools, app clients, users, groups, codes, the mailbox,
signing keys, sign-ins) and the kit's record of what `wildrydes up` made on the local
backend, and keeps the kit home's access key and the log.
"""

from __future__ import annotations

from pathlib import Path

from wildrydes import state
from wildrydes.errors import ConfigurationError
from wildrydes.local import process, records
from wildrydes.local.cognito.store import FILE_NAME, Store, StoreError

__all__ = [
    "plan",
    "reset",
]


def _files(home: Path) -> list[Path]:
    base = home / FILE_NAME
    return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]


def plan(home: Path | None = None) -> list[str]:
    """What a reset would delete, one line each, in words a person reads."""
    home = home or state.kit_home()
    lines = []
    database = home / FILE_NAME
    if database.exists():
        try:
            store = Store(database)
            counts = store.counts()
            store.close()
            lines.append(
                f"{database}: "
                + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
            )
        except StoreError:
            lines.append(f"{database} (damaged or from a newer kit; deleted as it is)")
    if state.load("local"):
        lines.append(
            f"the local backend's record in {home / 'state.json'} "
            "(bucket, user pool and app client ids)"
        )
    return lines


def reset(home: Path | None = None) -> list[str]:
    """Delete what :func:`plan` lists; refuses while the embedded backend runs."""
    home = home or state.kit_home()
    running = process.status()
    if running is not None:
        raise ConfigurationError(
            f"The embedded backend is running ({running.url}, pid {running.pid}); it holds "
            "the database open. Stop it with `wildrydes local stop`, then run "
            "`wildrydes local reset` again."
        )
    records.mark_stopped()  # the hub's supervisor leaves it stopped until asked again
    deleted = plan(home)
    for path in _files(home):
        path.unlink()
    if state.load("local"):
        state.save("local", {})
    return deleted
