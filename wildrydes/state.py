"""The one small JSON file in which the kit remembers what it created (never a secret)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

_FORBIDDEN = ("password", "token", "secret")


def kit_home() -> Path:
    """Where the kit keeps its files: ``$WILDRYDES_HOME`` or ``~/.wildrydes``."""
    home = Path(os.environ.get("WILDRYDES_HOME") or Path.home() / ".wildrydes")
    home.mkdir(parents=True, exist_ok=True)
    return home


def _path() -> Path:
    return kit_home() / "state.json"


def _read_all() -> dict[str, Any]:
    try:
        return json.loads(_path().read_text())
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError:
        # A damaged file must not stop the kit; keep it for a person to look at.
        _path().replace(_path().with_suffix(".damaged.json"))
        return {}


def load(key: str) -> dict[str, Any]:
    """What the kit created on one backend (``local`` or ``aws:<region>``)."""
    return dict(_read_all().get(key, {}))


def save(key: str, values: dict[str, Any]) -> None:
    """Replace the record for ``key``; refuses anything that looks like a secret."""
    for name in values:
        if any(word in name.lower() for word in _FORBIDDEN):
            raise ValueError(f"the state file never stores secrets, not even {name!r}")
    everything = _read_all()
    if values:
        everything[key] = values
    else:
        everything.pop(key, None)
    path = _path()
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as f:
        json.dump(everything, f, indent=2, sort_keys=True)
    Path(f.name).replace(path)


def update(key: str, **values: Any) -> dict[str, Any]:
    record = load(key)
    record.update({k: v for k, v in values.items() if v is not None})
    for k in [k for k, v in values.items() if v is None]:
        record.pop(k, None)
    save(key, record)
    return record
