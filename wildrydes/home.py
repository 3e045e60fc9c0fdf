"""The kit home: the one folder where the kit keeps its files, private to the learner.

``$WILDRYDES_HOME`` or ``~/.wildrydes``. On a shared machine (a hub, a lab server reached over
SSH) every other learner is another user of the same machine, so the folder is 0700 and every
file in it 0600, whatever the umask: the store holds the pools' signing keys and pending codes,
and ``credentials.json`` the key that admin calls need. Found looser (a umask of 022, a copy, an
older kit), they are tightened the first time a process uses the home, with a one-line notice.

Files the kit writes itself go through :func:`write_private` or :func:`open_private`, which
create them 0600 from the start (and replace them atomically), so no window opens between
creating a file and tightening it.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from wildrydes.errors import ConfigurationError

__all__ = [
    "FILE_MODE",
    "HOME_MODE",
    "kit_home",
    "create_private",
    "open_private",
    "tighten",
    "write_private",
]

HOME_MODE = 0o700
FILE_MODE = 0o600
_LOOSE = stat.S_IRWXG | stat.S_IRWXO
_checked: set[Path] = set()


def kit_home() -> Path:
    """The kit home, made (0700) if missing and tightened once per process if found looser."""
    home = Path(os.environ.get("WILDRYDES_HOME") or Path.home() / ".wildrydes")
    try:
        home.mkdir(mode=HOME_MODE, parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigurationError(
            f"Cannot use {home} as the kit home: {e.strerror}. Point WILDRYDES_HOME at a "
            "writable folder."
        ) from None
    if home not in _checked:
        tightened = tighten(home)
        _checked.add(home)
        if tightened:
            print(
                f"wildrydes: {home} could be read by other users of this machine; made it "
                f"private (the folder 0700, {len(tightened)} file(s) in it 0600).",
                file=sys.stderr,
            )
    return home


def tighten(home: Path) -> list[Path]:
    """Make ``home`` 0700 and everything in it 0600 (folders 0700); returns what changed.

    Symbolic links are left alone (never followed), and a home that belongs to another user
    is refused rather than changed.
    """
    try:
        info = home.stat()
    except OSError as e:
        raise ConfigurationError(
            f"Cannot use {home} as the kit home: {e.strerror}. Point WILDRYDES_HOME at a "
            "folder of yours."
        ) from None
    if info.st_uid != os.geteuid() and os.geteuid() != 0:
        raise ConfigurationError(
            f"The kit home {home} belongs to another user of this machine (uid {info.st_uid}). "
            "Point WILDRYDES_HOME at a folder of your own."
        )
    changed: list[Path] = []
    if _tighten_one(home, info, HOME_MODE):
        changed.append(home)
    for folder, names, files in os.walk(home):
        for name in names + files:
            path = Path(folder) / name
            try:
                entry = path.lstat()
            except OSError:
                continue  # gone meanwhile
            if stat.S_ISDIR(entry.st_mode):
                wanted = HOME_MODE
            elif stat.S_ISREG(entry.st_mode):
                wanted = FILE_MODE
            else:
                continue  # symbolic links, sockets: not ours to change
            if _tighten_one(path, entry, wanted):
                changed.append(path)
    return changed


def _tighten_one(path: Path, info: os.stat_result, wanted: int) -> bool:
    if not info.st_mode & _LOOSE:
        return False
    try:
        path.chmod(stat.S_IMODE(info.st_mode) & wanted)
    except OSError as e:
        raise ConfigurationError(
            f"{path} can be read by other users of this machine and cannot be made private "
            f"({e.strerror}). Run `chmod go-rwx {path}`, or point WILDRYDES_HOME elsewhere."
        ) from None
    return True


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_APPEND) -> int:
    """``os.open`` a file in the kit home, created 0600 (and tightened if it was looser)."""
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & _LOOSE:
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically: a 0600 temporary file, then a rename.

    A full disk or a kill leaves the old file as it was. Raises OSError for the caller to
    name in its own words.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def create_private(path: Path, text: str) -> bool:
    """Create ``path`` (0600) holding ``text``, all or nothing; False if it already exists.

    Written to a temporary file first and linked into place, so racing processes agree on one
    file and a full disk never leaves an empty or half-written one. Raises OSError otherwise.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        Path(temporary).unlink(missing_ok=True)
