"""The one small JSON file in which the kit remembers what it created (never a secret)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wildrydes.errors import ConfigurationError, UsageError
from wildrydes.home import kit_home, write_private

__all__ = [
    "kit_home",
    "load",
    "save",
    "update",
]

_FORBIDDEN = ("password", "token", "secret")


def _path() -> Path:
    return kit_home() / "state.json"


def _read_all() -> dict[str, Any]:
    path = _path()
    try:
        everything = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        everything = e
    if not isinstance(everything, dict) or not all(
        isinstance(v, dict) for v in everything.values()
    ):
        # Never guessed at and never overwritten: a person decides what it was.
        raise ConfigurationError(
            f"The kit's state file {path} is damaged (not the JSON object the kit writes). "
            f"Move it aside (mv {path} {path}.bak) and run `wildrydes up`: the kit finds its "
            "user pool again by its name and tag."
        )
    return everything


def load(key: str) -> dict[str, Any]:
    """What the kit created on one backend (``local`` or ``aws:<region>``)."""
    return dict(_read_all().get(key, {}))


def save(key: str, values: dict[str, Any]) -> None:
    """Replace the record for ``key``; refuses anything that looks like a secret."""
    for name in values:
        if any(word in name.lower() for word in _FORBIDDEN):
            raise UsageError(f"the state file never stores secrets, not even {name!r}")
    everything = _read_all()
    if values:
        everything[key] = values
    else:
        everything.pop(key, None)
    path = _path()
    try:  # a new file, then an atomic rename: a full disk or a kill never leaves half a file
        write_private(path, json.dumps(everything, indent=2, sort_keys=True))
    except OSError as e:
        raise ConfigurationError(
            f"Cannot write the kit's state file {path}: {e.strerror}. Free some disk space or "
            "make the kit home writable, then run the same step again (the previous state "
            "file is unchanged)."
        ) from None


def update(key: str, **values: Any) -> dict[str, Any]:
    record = load(key)
    record.update({k: v for k, v in values.items() if v is not None})
    for k in [k for k, v in values.items() if v is None]:
        record.pop(k, None)
    save(key, record)
    return record
