"""The one small JSON file in which the kit remembers what it created (never a secret)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from wildrydes.errors import ConfigurationError, UsageError
from wildrydes.home import kit_home, write_private

__all__ = [
    "kit_home",
    "load",
    "save",
    "set_aside_if_damaged",
    "update",
]

_FORBIDDEN = ("password", "token", "secret")


def _path() -> Path:
    return kit_home() / "state.json"


# The values the kit writes, and their types; anything else means the file is not ours as is.
_TYPES: dict[str, type | tuple[type, ...]] = {
    "backend": str,
    "region": str,
    "endpoint_url": str,
    "bucket": str,
    "website_url": str,
    "site_url": str,
    "mailbox_url": str,
    "user_pool_id": str,
    "user_pool_arn": str,
    "app_client_id": str,
    "created_bucket": bool,
}


def _damage(everything: Any) -> str | None:
    """What is wrong with the parsed state file, or None if it is the kit's shape."""
    if not isinstance(everything, dict):
        return "not the JSON object the kit writes"
    for key, record in everything.items():
        if not isinstance(record, dict):
            return f"{key!r} is not an object"
        for name, value in record.items():
            wanted = _TYPES.get(name)
            if wanted is not None and value is not None and not isinstance(value, wanted):
                return f"{key}.{name} is {type(value).__name__}, not what the kit writes"
    return None


def _read_all() -> dict[str, Any]:
    path = _path()
    try:
        everything: Any = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        everything = None
    except OSError as e:
        raise ConfigurationError(
            f"Cannot read the kit's state file {path}: {e.strerror}. Make it readable "
            f"(`chmod 600 {path}`), then run the same step again."
        ) from None
    except ValueError:
        everything = None
    problem = _damage(everything) if everything is not None else "not valid JSON"
    if problem is not None:
        # Never guessed at and never overwritten here: `wildrydes up` keeps it aside.
        raise ConfigurationError(
            f"The kit's state file {path} is damaged ({problem}). Run `wildrydes up`: it "
            "keeps the damaged file aside and finds the kit's user pool again by its name and "
            "tag."
        )
    return dict(everything)


def set_aside_if_damaged() -> Path | None:
    """Move a damaged state file aside (``state.json.damaged-<UTC time>``), so it is kept for a
    person to look at while the kit rebuilds the state from what it finds; None if it was fine.
    """
    try:
        _read_all()
        return None
    except ConfigurationError:
        path = _path()
        if not path.exists():
            raise
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        path.replace(aside)
    except OSError as e:
        raise ConfigurationError(
            f"The kit's state file {path} is damaged and cannot be moved aside ({e.strerror}). "
            f"Move it yourself (mv {path} {aside}) and run `wildrydes up` again."
        ) from None
    return aside


def load(key: str) -> dict[str, Any]:
    """What the kit created on one backend (``local`` or ``aws:<region>``)."""
    return dict(_read_all().get(key, {}))


def save(key: str, values: dict[str, Any]) -> None:
    """Replace the record for ``key``; refuses anything that looks like a secret."""
    for name in values:
        if any(word in name.lower() for word in _FORBIDDEN):
            raise UsageError(f"the state file never stores secrets, not even {name!r}")
    everything = _read_all()
    if everything.get(key, {}) == values:
        return  # nothing new: a warm `up` rewrites nothing (three fsyncs, ~3 ms, issue 23)
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
